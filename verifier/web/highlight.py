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
from verifier.web.store import Claim

_RANK = {Label.CONTRADICTED: 0, Label.SUPPORTED: 1, Label.NOT_MENTIONED: 2}


@dataclass(frozen=True)
class Span:
    """One evidence passage of one claim."""

    start: int
    end: int
    claim_id: int
    label: Label
    primary: bool


def evidence_spans(claims: Iterable[Claim], every_passage: bool = False) -> list[Span]:
    """The passages to mark: each checked claim's deciding passage (or all its evidence passages)."""
    spans = []
    for c in claims:
        if c.verdict is None or c.label is None:
            continue
        passages = c.verdict.evidence if every_passage else c.verdict.evidence[:1]
        for i, p in enumerate(passages):
            if p.end > p.start:
                spans.append(Span(p.start, p.end, c.id, c.label, i == 0))
    return spans


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """`text`, escaped, with the spans marked (see the module docstring)."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[Span]] = {}
    for s in spans:
        starts.setdefault(s.start, []).append(s)
    active: list[Span] = []
    out: list[str] = []
    for a, b in pairwise(cuts):
        active = [s for s in active if s.end > a] + starts.get(a, [])
        out.extend(f'<span class="anchor" id="ev-{s.claim_id}"></span>' for s in starts.get(a, []) if s.primary)
        piece = escape(text[a:b])
        if not active:
            out.append(piece)
            continue
        label = min((s.label for s in active), key=_RANK.__getitem__)
        ids = " ".join(str(i) for i in sorted({s.claim_id for s in active}))
        out.append(f'<mark class="ev ev-{label.value}" data-claims="{ids}">{piece}</mark>')
    return Markup("".join(out))
