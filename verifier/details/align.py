"""Aligning a claim's details with a passage's and comparing them.

Each claim detail gets one `Check`: `match` (the passage gives the same value, or one inside the
claim's bounds), `mismatch` (the passage gives a different value for the same slot: the same noun
or unit, the same reference place, in a sentence that is about what the claim is about),
`not_comparable` (a value of the same kind that neither confirms nor rules out the claim's), or
`missing` (the passage gives no such detail). Mismatches are called conservatively: a wrong one
turns a correct support into a wrong contradiction. Besides, a `role` check for each noun both
tie to a party (match or mismatch), a `share` check for each claimed share the passage counts,
and a `negation` check (mismatch only) for a word one side negates and the other states, an
`opposite` check (mismatch only) for a word whose opposite the passage states instead, and a
`rank` check (mismatch only) for a superlative the passage ranks otherwise ("largest" /
"second-largest"), a `tally` check for each vote count of the claim the passage gives to a side
(a mismatch when it gives it to the other side: "874 in favour" / "voted 2,316 to 874 to accept"),
and a `holder` check for each title of the claim the passage gives to someone (a mismatch when to
another person: "Pieter Vandaal is the general secretary" / "Its general secretary, Maria Oksanen"), and a
`earlier` check (mismatch only) when the claim's number and time match values the passage gives to
different states ("5.1% in the year to October" / "5.8% in the year to October, up from 5.1% in
September"), and a `doer` check (mismatch only) when the passage gives the claim's verb to another person than the
claim's subject ("Lena Dravic declared ..." / "Governor Tomas Verhallen declared ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from verifier.details.doers import compare as compare_doers
from verifier.details.earlier import phrases, split_pairs
from verifier.details.extract import WEEKDAYS, Detail, extract
from verifier.details.holders import compare as compare_holders
from verifier.details.negation import compare as compare_polarity
from verifier.details.opposites import compare as compare_opposites
from verifier.details.percents import clause_words, heads
from verifier.details.ranks import compare as compare_ranks
from verifier.details.roles import compare as compare_sides
from verifier.details.shares import compare as compare_shares
from verifier.details.tallies import compare as compare_tallies

MATCH, MISMATCH, NOT_COMPARABLE, MISSING = "match", "mismatch", "not_comparable", "missing"
# Share of the claim's other content words a passage sentence must hold for a differing value in
# it to count as the same slot (a weekday or date of the same event, not of another one).
SLOT_OVERLAP = 0.5
# A quantity of the claim's noun or unit mismatches only in a passage sentence holding at least this
# share of the claim's other content words: "Rebuilding the collapsed section is expected to cost
# 60 million euros" is not about "The work, budgeted at 4.6 million euros, had been due to begin in
# May" (session 13: claims/marrow.csv 0.683 -> 0.717, no other verdict changed; 0.5 cost a WiCE claim).
QUANTITY_OVERLAP = 0.25

_WORD = re.compile(r"[A-Za-z][\w-]*")
_NAME_PART = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Za-z][a-z0-9]*")
_STOP = frozenset(
    ["the", "a", "an", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or", "but", "that",
     "this", "these", "those", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it", "its",
     "his", "her", "their", "they", "he", "she", "we", "as", "than", "then", "said", "says", "say", "would",
     "will", "could", "should", "did", "do", "does", "not", "no", "also", "into", "over", "under", "about",
     "after", "before", "since", "until", "during", "while", "which", "who", "whom", "whose", "there", "here",
     "more", "most", "less", "least", "some", "any", "all", "each", "other", "such", "only", "very", "can",
     "may", "might", "must", "being"]
)
# A detail introduced by the same preposition in claim and passage ("since 2015" / "since late
# 2020") is more likely the same slot: this much is added to its overlap.
SAME_PREPOSITION = 0.25
_SLOT_WORDS = frozenset(["since", "in", "on", "at", "by", "until", "from", "before", "after", "for", "between",
                         "during"])
# Words that make a date a bound ("since 2015", "as early as May"): compared only with a passage
# date the same word introduces.
_BOUND_WORDS = frozenset(["since", "by", "until", "till", "from", "before", "after", "as"])
# A claim that gives two states itself ("rose from 15% to 40%"): no `earlier` check.
_GIVES_BOTH = re.compile(r"\b(?:from|compared)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Check:
    """How one claim detail compares with the passage: offsets are in the claim and in the article."""

    kind: str
    outcome: str
    claim_start: int
    claim_end: int
    claim_text: str
    passage_start: int = -1
    passage_end: int = -1
    passage_text: str = ""

    @property
    def explanation(self) -> str:
        """One line: 'number: claim 24,800 people, article 2,480 people'."""
        kind = "number" if self.kind == "quantity" else self.kind
        if self.outcome == MISSING:
            return f"{kind}: claim {self.claim_text}, not in the passage"
        if self.passage_start < 0:
            return f"{kind}: claim {self.claim_text}, named just before the passage"
        word = {MATCH: "", MISMATCH: " (mismatch)", NOT_COMPARABLE: " (not comparable)"}[self.outcome]
        return f"{kind}: claim {self.claim_text}, article {self.passage_text}{word}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": self.kind, "outcome": self.outcome, "claim_start": self.claim_start,
            "claim_end": self.claim_end, "claim_text": self.claim_text, "passage_start": self.passage_start,
            "passage_end": self.passage_end, "passage_text": self.passage_text, "explanation": self.explanation,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Check:
        """Inverse of `to_dict`."""
        return cls(data["kind"], data["outcome"], int(data["claim_start"]), int(data["claim_end"]),
                   data["claim_text"], int(data.get("passage_start", -1)), int(data.get("passage_end", -1)),
                   data.get("passage_text", ""))


def stems(text: str) -> set[str]:
    """Content words of `text` (hyphenated words split), lower-cased and cut to 6 characters."""
    return {w.lower()[:6] for w in _NAME_PART.findall(text) if w.lower() not in _STOP and len(w) > 1}


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _word_before(text: str, at: int) -> str:
    """The word before position `at`, skipping one modifier such as 'late' or 'early'."""
    words = re.findall(r"[A-Za-z]+", text[max(0, at - 30):at])
    if len(words) >= 2 and words[-1].lower() in ("late", "early", "mid", "the", "a"):
        return words[-2].lower()
    return words[-1].lower() if words else ""


def _quantity(c: Detail, p: Detail) -> str:
    if c.low <= p.low and p.high <= c.high:
        return MATCH
    if p.high < c.low or p.low > c.high:
        return MISMATCH
    return NOT_COMPARABLE


def _date(c: Detail, p: Detail) -> str:
    shared = [(a, b) for a, b in zip(c.parts, p.parts) if a and b]
    if not shared:
        return NOT_COMPARABLE
    if any(a != b for a, b in shared):
        return MISMATCH
    given = all(b for a, b in zip(c.parts, p.parts) if a)
    return MATCH if given else NOT_COMPARABLE


def _compare(c: Detail, p: Detail) -> str:
    if c.kind == "quantity":
        return _quantity(c, p)
    if c.kind == "date":
        return _date(c, p)
    if c.kind in ("time", "weekday"):
        return MATCH if c.low == p.low else MISMATCH
    if c.kind == "direction":
        if c.parts == p.parts:
            return MATCH
        opposite = any(a and b and a == -b for a, b in zip(c.parts, p.parts))
        return MISMATCH if opposite else NOT_COMPARABLE
    return MATCH


def _candidates(c: Detail, found: list[Detail]) -> list[Detail]:
    if c.kind == "quantity":
        return [p for p in found if p.kind == "quantity" and p.key == c.key]
    if c.kind == "time":
        same = [p for p in found if p.kind == "time" and p.key == c.key]
        return same or [p for p in found if p.kind == "time" and not c.key]
    if c.kind == "direction":
        return [p for p in found if p.kind == "direction" and p.key == c.key]
    return [p for p in found if p.kind == c.kind]


def _name_parts(text: str) -> dict[str, tuple[int, int]]:
    """First position of each name part (cut like `name_key`) in `text`."""
    found: dict[str, tuple[int, int]] = {}
    for m in _NAME_PART.finditer(text):
        found.setdefault(m.group(0).lower()[:6], (m.start(), m.end()))
    return found


def _name_found(c: Detail, words: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    """Where the name's last part is, if it and at least half of its parts are in `words`."""
    tokens = c.key.split()
    hits = sum(t in words for t in tokens)
    if not tokens or tokens[-1] not in words or 2 * hits < len(tokens):
        return None
    return words[tokens[-1]]


def _sentence_share(others: set[str], at: int, sentences: list[tuple[int, int]],
                    sentence_words: list[set[str]]) -> float:
    """The share of the claim's words `others` in the passage sentence holding position `at`."""
    k = next(i for i, (a, b) in enumerate(sentences) if a <= at <= b)
    return len(others & sentence_words[k]) / max(1, len(others))


def _overlap(others: set[str], before: str, passage: str, p: Detail, sentences: list[tuple[int, int]],
             sentence_words: list[set[str]]) -> float:
    """How much the sentence holding passage detail `p` is about what the claim is about."""
    shared = _sentence_share(others, p.start, sentences, sentence_words)
    same_word = before in _SLOT_WORDS and before == _word_before(passage, p.start)
    return shared + (SAME_PREPOSITION if same_word else 0.0)


@lru_cache(maxsize=4096)
def _analysed(passage: str) -> tuple[list[Detail], list[tuple[int, int]], list[set[str]], dict[str, tuple[int, int]]]:
    """A passage's details, sentences, their content words and its name parts (cached: the claims
    of one article meet the same passages again and again)."""
    sentences = _sentences(passage)
    return extract(passage), sentences, [stems(passage[a:b]) for a, b in sentences], _name_parts(passage)


def check_details(
    claim: str, passage: str, offset: int = 0, *, context: str = "", claim_details: list[Detail] | None = None
) -> list[Check]:
    """One `Check` per detail of the claim against the passage (at `offset` in its article).

    `context` is the article text just before the passage: a name the passage refers to by a
    pronoun ("him") is found there, and then counts as given (matched, with no passage span).

    A weekday or weekday-less date of the claim counts as contradicted only by a passage sentence
    that shares at least `SLOT_OVERLAP` of the claim's other content words; a quantity only by one
    of the same noun or unit in a sentence sharing `QUANTITY_OVERLAP` of them; a direction only by
    one from the same place.
    """
    details = extract(claim) if claim_details is None else claim_details
    found, sentences, sentence_words, words = _analysed(passage)
    earlier = _analysed(context)[3] if context else {}
    claim_words = stems(claim)
    checks = []
    for c in details:
        if c.kind == "name":
            at = _name_found(c, words)
            if at is None and _name_found(c, earlier | words) is not None:
                checks.append(Check("name", MATCH, c.start, c.end, c.surface))
                continue
            checks.append(Check("name", MATCH if at else MISSING, c.start, c.end, c.surface,
                                *((at[0] + offset, at[1] + offset, passage[at[0]:at[1]]) if at else ())))
            continue
        cands = _candidates(c, found)
        if not cands:
            checks.append(Check(c.kind, MISSING, c.start, c.end, c.surface))
            continue
        unanchored = False
        if c.kind == "quantity" and c.key == "%" and (of := heads(claim, c.start, c.end)):
            # a percentage of the claim's noun, if the passage has one ("rents ... rose 7.2%")
            anchored = [p for p in cands if of & clause_words(passage, p.start, p.end)]
            cands, unanchored = anchored or cands, not anchored
        others = claim_words - stems(c.surface)
        before = _word_before(claim, c.start)
        outcomes = [(_compare(c, p), _overlap(others, before, passage, p, sentences, sentence_words), p) for p in cands]
        matches = [x for x in outcomes if x[0] == MATCH]
        if matches:
            outcome, _, p = max(matches, key=lambda x: x[1])
        else:
            outcome, score, p = max(outcomes, key=lambda x: (x[1], x[0] == MISMATCH))
            slot_by_key = (c.kind == "direction" or (c.kind == "time" and c.key)
                           or (c.kind == "quantity" and score >= QUANTITY_OVERLAP))
            if outcome == MISMATCH and not slot_by_key and score < SLOT_OVERLAP:
                outcome = NOT_COMPARABLE
            if outcome == MISMATCH and unanchored:
                outcome = NOT_COMPARABLE  # "inflation ... 5.8%" is not refuted by "main rate to 4.75%"
            if (outcome == MISMATCH and c.kind == "date" and before in _BOUND_WORDS
                    and before != _word_before(passage, p.start)):
                outcome = NOT_COMPARABLE  # "as early as December 2019" is not refuted by "January 2020"
        checks.append(Check(c.kind, outcome, c.start, c.end, c.surface, p.start + offset, p.end + offset, p.surface))
    checks += _earlier_checks(claim, checks, passage, offset, sentences)
    checks += _role_checks(claim, passage, offset, claim_words, sentences, sentence_words)
    for share, part, whole, fits in compare_shares(claim, found, sentences):
        a, b = min(part.start, whole.start), max(part.end, whole.end)
        checks.append(Check("share", MATCH if fits else MISMATCH, share.start, share.end,
                            claim[share.start:share.end], a + offset, b + offset, passage[a:b]))
    spans = [("tally", c.start, c.end, p.start, p.end, same)
             for c, p, same in compare_tallies(claim, passage, sentences)]
    spans += [("holder", c.start, c.end, p.start, p.end, same)
              for c, p, same in compare_holders(claim, passage, context)]
    for (a, b), (pa, pb) in compare_doers(claim, passage, sentences, context):
        # a doer named before the passage has negative offsets into it: "he said" refers back
        text = passage[pa:pb] if pa >= 0 else (context + passage)[len(context) + pa:len(context) + pb]
        checks.append(Check("doer", MISMATCH, a, b, claim[a:b], pa + offset, pb + offset, text))
    for kind, a, b, pa, pb, same in spans:
        checks.append(Check(kind, MATCH if same else MISMATCH, a, b, claim[a:b], pa + offset, pb + offset,
                            passage[pa:pb]))
    return checks + [Check(kind, MISMATCH, c.start, c.end, claim[c.start:c.end], p.start + offset, p.end + offset,
                           passage[p.start:p.end])
                     for kind, compare in (("negation", compare_polarity), ("opposite", compare_opposites),
                                           ("rank", compare_ranks))
                     for c, p in compare(claim, passage, sentences)]


def _earlier_checks(claim: str, checks: list[Check], passage: str, offset: int,
                    sentences: list[tuple[int, int]]) -> list[Check]:
    """An `earlier` mismatch for a claim time whose matching passage time and the matching passage
    number of the claim lie on either side of an earlier-value phrase (`verifier.details.earlier`):
    "Inflation was 5.1% in the year to October" / "rose 5.8% in the year to October, up from 5.1% in
    September"."""
    spans = phrases(passage)
    if not spans or _GIVES_BOTH.search(claim):
        return []  # "rose from 15% on Tuesday evening to about 40%": the claim gives both states
    numbers = [c for c in checks if c.kind == "quantity" and c.outcome == MATCH and c.passage_start >= 0]
    times = [c for c in checks if c.kind in ("date", "weekday", "time") and c.outcome == MATCH
             and c.passage_start >= 0]
    for q in numbers:
        for t in times:
            span = split_pairs((q.passage_start - offset, q.passage_end - offset),
                               (t.passage_start - offset, t.passage_end - offset), spans, sentences)
            if span:
                a, b = span
                return [Check("earlier", MISMATCH, t.claim_start, t.claim_end, t.claim_text, a + offset, b + offset,
                              passage[a:b])]
    return []


def _role_checks(claim: str, passage: str, offset: int, claim_words: set[str], sentences: list[tuple[int, int]],
                 sentence_words: list[set[str]]) -> list[Check]:
    """A `role` check per noun the claim ties to a party and the passage ties to one
    (`verifier.details.roles`): a match, or a mismatch in a sentence about what the claim is about."""
    checks = []
    for c, p, same in compare_sides(claim, passage):
        outcome = MATCH
        if not same:
            others = claim_words - stems(claim[c.start:c.end])
            if _sentence_share(others, p.start, sentences, sentence_words) < SLOT_OVERLAP:
                continue
            outcome = MISMATCH
        checks.append(Check("role", outcome, c.start, c.end, claim[c.start:c.end], p.start + offset,
                            p.end + offset, passage[p.start:p.end]))
    return checks


__all__ = ["MATCH", "MISMATCH", "MISSING", "NOT_COMPARABLE", "WEEKDAYS", "Check", "check_details", "stems"]
