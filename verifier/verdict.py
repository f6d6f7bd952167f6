"""`Verdict` and `Passage`: the one result type every layer returns, prints and stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from verifier.details.align import Check
from verifier.labels import LABELS, Label


@dataclass(frozen=True)
class Passage:
    """A run of article sentences with its offsets: `article[start:end] == text`."""

    text: str
    start: int
    end: int
    sentences: tuple[int, ...]
    retrieval_score: float = 0.0
    probabilities: dict[Label, float] = field(default_factory=dict)
    is_evidence: bool = True

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "sentences": list(self.sentences),
            "retrieval_score": round(self.retrieval_score, 6),
            "probabilities": {str(k): round(v, 6) for k, v in self.probabilities.items()},
            "is_evidence": self.is_evidence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        """Inverse of `to_dict`."""
        return cls(
            text=data["text"],
            start=int(data["start"]),
            end=int(data["end"]),
            sentences=tuple(data.get("sentences", ())),
            retrieval_score=float(data.get("retrieval_score", 0.0)),
            probabilities={Label(k): float(v) for k, v in data.get("probabilities", {}).items()},
            is_evidence=bool(data.get("is_evidence", True)),
        )


@dataclass(frozen=True)
class Verdict:
    """What the article says about one claim, with the passages that show it.

    `evidence[0]` is the deciding passage. For `not_mentioned`, it is the closest passage,
    with `is_evidence=False`. `checks` compare the claim's details (numbers, dates, places,
    names) with `evidence[0]` (see `verifier.details`). A compound claim split into `parts`
    lists each part's own verdict there (see `verifier.compound`). `confidence` is calibrated
    (P(right), `verifier.calibration`); `needs_review` marks a doubtful verdict.
    """

    claim: str
    label: Label
    confidence: float
    probabilities: dict[Label, float]
    evidence: tuple[Passage, ...]
    checks: tuple[Check, ...] = ()
    parts: tuple[Verdict, ...] = ()
    needs_review: bool = False

    @property
    def passage(self) -> Passage | None:
        """The deciding (or, for `not_mentioned`, the closest) passage."""
        return self.evidence[0] if self.evidence else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; `Verdict.from_dict` reads it back."""
        return {
            "claim": self.claim,
            "label": self.label.value,
            "confidence": round(self.confidence, 6),
            "probabilities": {str(k): round(self.probabilities.get(k, 0.0), 6) for k in LABELS},
            "evidence": [p.to_dict() for p in self.evidence],
            "checks": [c.to_dict() for c in self.checks],
            "parts": [v.to_dict() for v in self.parts],
            "needs_review": self.needs_review,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        """Inverse of `to_dict`."""
        return cls(
            claim=data["claim"],
            label=Label(data["label"]),
            confidence=float(data["confidence"]),
            probabilities={Label(k): float(v) for k, v in data["probabilities"].items()},
            evidence=tuple(Passage.from_dict(p) for p in data.get("evidence", ())),
            checks=tuple(Check.from_dict(c) for c in data.get("checks", ())),
            parts=tuple(Verdict.from_dict(v) for v in data.get("parts", ())),
            needs_review=bool(data.get("needs_review", False)),
        )
