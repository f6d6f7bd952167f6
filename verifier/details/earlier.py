"""Earlier values: a number and a time the passage gives to different states.

"Consumer prices rose 5.8% in the year to October, up from 5.1% in September" gives 5.1% to
September, so "Inflation was 5.1% in the year to October" is contradicted although both its
number and its month are in the sentence; "about 40% of the perimeter was under control, up from
15% on Tuesday evening" gives Tuesday evening to 15%, not to the claim's 40%. The phrase that
holds the other state runs from its marker ("up from", "down from", "compared with", ...) to the
next comma, semicolon, full stop or "and".
"""

from __future__ import annotations

import re

_EARLIER = re.compile(
    r"\b(?:(?:up|down|rising|falling|higher|lower|increasing|decreasing)\s+from|compared\s+(?:with|to))\s+"
    r"[^,;.]*?(?=\s+and\b|[,;]|\.(?:\s|$)|$)",
    re.IGNORECASE,
)


def phrases(passage: str) -> list[tuple[int, int]]:
    """Spans of the phrases that give another state than their sentence's ("up from 5.1% in
    September")."""
    return [m.span() for m in _EARLIER.finditer(passage)]


def split_pairs(number: tuple[int, int], time: tuple[int, int], spans: list[tuple[int, int]],
                sentences: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Of the earlier-value phrases `spans` (`phrases`), the one that holds one of the passage spans
    `number` and `time` but not the other, when both lie in its sentence (`sentences`: their
    spans); else None."""
    for a, b in spans:
        inside = [a <= s and e <= b for s, e in (number, time)]
        if inside[0] == inside[1]:
            continue
        start, end = next(((s, e) for s, e in sentences if s <= a <= e), (0, 0))
        if all(start <= s and e <= end for s, e in (number, time)):
            return a, b
    return None
