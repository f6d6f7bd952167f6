"""Small text helpers and length limits shared by the news pair generators."""

from __future__ import annotations

import re

MIN_WORDS, MAX_WORDS = 8, 60
# premise + hypothesis words of a contrast pair: ~120 tokens, so that training at max_length 128
# does not cut off the part of the premise that decides the label
MAX_PAIR_WORDS = 90

# --------------------------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_STOP = frozenset(
    """a an the and or but if of to in on at by for from with as is are was were be been being has have had
    do does did will would can could should may might must shall it its this that these those he she they we i
    you his her their our my your him them us me who whom which what when where why how not no n't there here
    than then so such also just only said says say told about after before over into out up down more most
    some any all each other one two new""".split()  # noqa: SIM905
)


def words(text: str) -> list[str]:
    """Word tokens of `text` (letters, digits, inner apostrophes and hyphens)."""
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(text.split())


def content_words(text: str) -> set[str]:
    """Lower-cased non-stopwords, crudely stemmed (plural / past / -ing endings cut)."""
    out = set()
    for w in words(text.lower()):
        w = w.replace("’", "'")
        if w in _STOP or len(w) < 3:
            continue
        for suffix in ("'s", "ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
        out.add(w)
    return out


def _clean(text: str) -> str:
    return " ".join(text.split())


def _match_case(new: str, old: str) -> str:
    """`new` with `old`'s capitalisation (all caps, or initial capital)."""
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new
