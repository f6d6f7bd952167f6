"""Tallies: a vote count that the claim and the passage give to opposite sides.

"874 in favour of the contract and 2,316 against" against "voted 2,316 to 874 to accept the
contract": every number matches, and the NLI model reads the pair as on topic, yet the claim has
the tally backwards. A tally is read in two shapes, each only in a sentence about a vote (a word
such as "vote", "voted", "ballot" or "referendum"):

- ordered, "voted 2,316 to 874", "by 52 votes to 48", "a 5-4 vote": the first number is the side
  of the action the sentence reports, unless that action is a rejection ("voted 300 to 250 to
  reject", "was defeated by 300 votes to 250"), when it is the side against;
- labelled, "874 in favour", "2,316 against", "1,200 voted to accept", "300 votes for".

Each claim count is then a match (the passage gives the same count to the same side) or a
mismatch (the passage gives it to the other side), or is left out (the passage has no such count).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from verifier.details.extract import WORD_NUMBERS, _number

FOR, AGAINST = "for", "against"

_VOTE = re.compile(r"\b(?:vot(?:e|es|ed|ing|ers?)|ballot(?:s|ed|ing)?|referendum|plebiscite)\b", re.IGNORECASE)
_words = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS if " " not in w and w not in ("a", "an")),
                         key=len, reverse=True))
_COUNT = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_words})(?:\s?(?:%|percent|per cent))?"
_ORDERED = re.compile(
    rf"(?<![\w.,-])(?P<a>{_COUNT})(?:\s+votes?)?\s*(?:-|–|\bto\b)\s*(?P<b>{_COUNT})(?![\w,]|\.\d)(?:\s+votes?\b)?",
    re.IGNORECASE)
_REJECT = r"reject\w*|oppos\w*|block\w*|scrap\w*|veto\w*|defeat\w*|turn\w* down|vot\w* down|vot\w* against"
_LABELLED = re.compile(
    rf"(?<![\w.,-])(?P<n>{_COUNT})(?:\s+(?!(?:voted|votes?|were|in|for|against|to)\b)[a-z-]+){{0,2}}?"
    rf"\s+(?:(?:voted|votes?|were|was|ballots?)\s+)?"
    rf"(?P<side>in\s+favou?r\b|for\b|against\b|opposed\b|to\s+(?:accept|approve|back|support|endorse|ratify|adopt|"
    rf"pass|strike|{_REJECT}))",
    re.IGNORECASE)
_REJECTING = re.compile(rf"\b(?:{_REJECT}|against)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Count:
    """A count given to one side of a vote, with the span (in its text) of the tally it is read from."""

    value: float
    side: str
    start: int
    end: int


def _value(text: str) -> float | None:
    return _number(re.sub(r"\s?(?:%|percent|per cent)$", "", text, flags=re.IGNORECASE))


def counts(text: str, sentences: Sequence[tuple[int, int]] | None = None) -> list[Count]:
    """The vote counts of `text` (its `sentences`: their spans; None: one sentence), each with its
    side (see the module docstring)."""
    out: list[Count] = []
    for s, e in sentences or [(0, len(text))]:
        sentence = text[s:e]
        if not _VOTE.search(sentence):
            continue
        taken: list[tuple[int, int]] = []
        for m in _ORDERED.finditer(sentence):
            a, b = _value(m.group("a")), _value(m.group("b"))
            if a is None or b is None or a == b or not (_VOTE.search(sentence, max(0, m.start() - 40), m.start())
                                                         or _VOTE.match(sentence, m.end() + 1)
                                                         or "vote" in m.group(0).lower()):
                continue
            # the action the tally is for: the words before it (to the previous comma) and after it
            before = sentence[:m.start()].rsplit(",", 1)[-1]
            after = sentence[m.end():m.end() + 60].split(",", 1)[0]
            first = AGAINST if _REJECTING.search(before) or _REJECTING.search(after) else FOR
            second = FOR if first == AGAINST else AGAINST
            out += [Count(a, first, s + m.start(), s + m.end()), Count(b, second, s + m.start(), s + m.end())]
            taken.append((m.start(), m.end()))
        for m in _LABELLED.finditer(sentence):
            if any(x <= m.start() < y for x, y in taken) or (value := _value(m.group("n"))) is None:
                continue
            side = AGAINST if _REJECTING.match(m.group("side")) or re.match(
                rf"to\s+(?:{_REJECT})", m.group("side"), re.IGNORECASE) else FOR
            out.append(Count(value, side, s + m.start(), s + m.end()))
    return out


def compare(claim: str, passage: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[Count, Count, bool]]:
    """(claim count, passage count, same side) for each claim count the passage gives to a side:
    the passage count with the same value and side if there is one, else one with the other side.
    The two counts of one tally ("874 to 2,316") that compare alike with one passage tally give one."""
    theirs = counts(passage, sentences)
    out: list[tuple[Count, Count, bool]] = []
    seen: set[tuple[int, int, int, int, bool]] = set()
    for c in counts(claim):
        same = [p for p in theirs if p.value == c.value]
        if same:
            agree = [p for p in same if p.side == c.side]
            p = (agree or same)[0]
            key = (c.start, c.end, p.start, p.end, bool(agree))
            if key not in seen:
                seen.add(key)
                out.append((c, p, bool(agree)))
    return out
