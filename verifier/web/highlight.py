"""The article as HTML with each claim's evidence passages marked, coloured by verdict.

Passages of different claims may overlap: the text is cut at every passage boundary and each
piece is wrapped in one `<mark>` listing all the claims that cover it, coloured by the most
serious label among them (contradicted, then supported, then not mentioned). An empty anchor
`<span id="ev-CLAIM">` sits where a claim's deciding passage starts, so `#ev-CLAIM` scrolls to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from verifier.labels import Label
from verifier.web.records import Claim

_RANK = {Label.CONTRADICTED: 0, Label.SUPPORTED: 1, Label.NOT_MENTIONED: 2}


@dataclass(frozen=True)
class Highlight:
    """One evidence passage of one claim."""

    start: int
    end: int
    claim_id: int
    label: Label
    primary: bool


def evidence_spans(claims: Iterable[Claim]) -> list[Highlight]:
    """The passages to mark: for each claim, the passage behind the label that stands (`Claim.evidence_span`):
    the model's deciding passage, or the one a reviewer pointed to when they changed the label."""
    spans = []
    for c in claims:
        label, span = c.label, c.evidence_span()
        if label is not None and span is not None and span[1] > span[0]:
            spans.append(Highlight(span[0], span[1], c.id, label, True))
    return spans


def highlight(text: str, spans: Iterable[Highlight], numbers: dict[int, int] | None = None) -> Markup:
    """`text`, escaped, with the spans marked (see the module docstring); with `numbers` (claim id ->
    number shown), each passage starts with a small label naming its claims, for print."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[Highlight]] = {}
    for s in spans:
        starts.setdefault(s.start, []).append(s)
    active: list[Highlight] = []
    out: list[str] = []
    for a, b in pairwise(cuts):
        active = [s for s in active if s.end > a] + starts.get(a, [])
        here = [s for s in starts.get(a, []) if s.primary]
        out.extend(f'<span class="anchor" id="ev-{s.claim_id}"></span>' for s in here)
        if numbers and here:
            tags = ",".join(str(numbers.get(s.claim_id, "?")) for s in here)
            out.append(f'<sup class="ev-tag">[{tags}]</sup>')
        piece = escape(text[a:b])
        if not active:
            out.append(piece)
            continue
        label = min((s.label for s in active), key=_RANK.__getitem__)
        ids = " ".join(str(i) for i in sorted({s.claim_id for s in active}))
        out.append(f'<mark class="ev ev-{label.value}" data-claims="{ids}">{piece}</mark>')
    return Markup("".join(out))
