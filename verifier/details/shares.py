"""Shares: a claim that puts a proportion on a group ("Children made up the majority of the people
evacuated", "Most of the victims were civilians", "Less than half of the voters were women")
against a passage that counts both in one sentence ("3,154 people, including 1,428 children").

The claim's share is an interval of the part over the whole (a majority: over 0.5); the
passage's is the part's count over the whole's, both as the intervals `extract` reads
("about 1,400", "more than 3,000"). Inside the claim's interval is a match, outside a mismatch.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from verifier.details.extract import Detail, singular

# Share words -> the interval of part / whole they claim.
_SHARES = {
    "majority": (0.5, 1.0), "most": (0.5, 1.0), "more than half": (0.5, 1.0), "over half": (0.5, 1.0),
    "minority": (0.0, 0.5), "less than half": (0.0, 0.5), "fewer than half": (0.0, 0.5), "under half": (0.0, 0.5),
}
_SHARE = (r"(?P<share>(?:the\s+|a\s+)?(?:majority|minority)|most|more than half|over half|less than half"
          r"|fewer than half|under half)")
_BE = (r"(?:made up|make up|makes up|were|was|are|is|accounted for|account for|accounts for|comprised|formed"
       r"|represented)")
_GROUP = r"(?:the\s+|all\s+|those\s+)?"
# "Children made up the majority of the people evacuated"
_PART_FIRST = re.compile(rf"\b(?P<part>[A-Za-z]+)\s+{_BE}\s+{_SHARE}\s+of\s+{_GROUP}(?P<whole>[a-z]+)", re.IGNORECASE)
# "Most of the people evacuated were children", "The majority of victims were civilians"
_WHOLE_FIRST = re.compile(rf"\b{_SHARE}\s+of\s+{_GROUP}(?:[\d,]+\s+)?(?P<whole>[a-z]+)(?:\s+[a-z]+){{0,4}}?\s+"
                          rf"(?:were|was|are|is)\s+(?P<part>[a-z]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Share:
    """The claim gives `part` (a noun, singular) this share of `whole`: low < part / whole <= high."""

    part: str
    whole: str
    low: float
    high: float
    start: int
    end: int


def shares(claim: str) -> list[Share]:
    """The shares a claim states."""
    out = []
    for pattern in (_PART_FIRST, _WHOLE_FIRST):
        for m in pattern.finditer(claim):
            word = re.sub(r"^(?:the|a)\s+", "", m.group("share").lower())
            low, high = _SHARES[word]
            part, whole = singular(m.group("part").lower()), singular(m.group("whole").lower())
            if part != whole:
                out.append(Share(part, whole, low, high, m.start(), m.end()))
    return out


def compare(claim: str, details: list[Detail],
            sentences: list[tuple[int, int]]) -> list[tuple[Share, Detail, Detail, bool]]:
    """(share, the passage's part count, its whole count, whether they fit the share) for each
    claim share whose part and whole the passage counts in one sentence (`details`: the passage's,
    as `extract` reads them; `sentences`: its sentence spans)."""
    out: list[tuple[Share, Detail, Detail, bool]] = []
    claimed = shares(claim)
    if not claimed:
        return out
    for start, end in sentences:
        counts = [q for q in details if q.kind == "quantity" and start <= q.start < end]
        for s in claimed:
            part = next((q for q in counts if q.key == s.part), None)
            whole = next((q for q in counts if q.key == s.whole), None)
            if part is None or whole is None or whole.low <= 0 or math.isinf(whole.high) and math.isinf(part.high):
                continue
            low = part.low / whole.high if not math.isinf(whole.high) else 0.0
            high = part.high / whole.low
            fits = s.low < low and high <= s.high
            if fits or high <= s.low or low > s.high:
                out.append((s, part, whole, fits))
    return out
