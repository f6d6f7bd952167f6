"""Sentence splitting with character offsets, built on pysbd (rule-based, handles news text).

Line breaks are hard boundaries (paragraphs, list items, headings); within a line pysbd
handles abbreviations (U.S., Dr., Gen.), numbers (3,154; 09:00; 13.5%) and quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MAX_SENTENCE_CHARS = 800


@dataclass(frozen=True)
class Span:
    """A sentence: `text == article[start:end]`."""

    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _chunks(text: str, start: int) -> list[Span]:
    """Cut an over-long sentence at whitespace so that every piece fits the model."""
    out: list[Span] = []
    i = 0
    while i < len(text):
        j = min(len(text), i + MAX_SENTENCE_CHARS)
        if j < len(text):
            cut = text.rfind(" ", i + MAX_SENTENCE_CHARS // 2, j)
            j = cut if cut > i else j
        piece = text[i:j]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            out.append(Span(start + i + lead, start + i + lead + len(piece), piece))
        i = j
    return out


def split_sentences(text: str) -> list[Span]:
    """Split `text` into sentences with exact offsets."""
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        line_text = line.group()
        if not line_text.strip():
            continue
        cursor = 0
        for sent in _segmenter().segment(line_text):
            piece = sent.strip()
            if not piece:
                continue
            at = line_text.find(piece, cursor)
            if at < 0:  # pysbd changed the text; fall back to the rest of the line
                at, piece = cursor, line_text[cursor:].strip()
                at = line_text.find(piece, cursor)
            cursor = at + len(piece)
            start = line.start() + at
            if len(piece) > MAX_SENTENCE_CHARS:
                spans.extend(_chunks(piece, start))
            else:
                spans.append(Span(start, start + len(piece), piece))
            if cursor >= len(line_text):
                break
    return spans
