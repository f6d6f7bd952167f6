"""The web app's records: articles, claims, reviews and progress as the store returns them, and
the claim status and review action they hold (`str` enums whose values are the stored and JSON values)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from verifier.article import Article
from verifier.labels import Label
from verifier.verdict import Verdict

__all__ = ["ArticleRecord", "Claim", "ClaimStatus", "Lease", "Progress", "Review", "ReviewAction"]


class ClaimStatus(str, Enum):
    """Where a claim is in checking."""

    PENDING = "pending"
    DONE = "done"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


class ReviewAction(str, Enum):
    """What a reviewer did with the model's label."""

    CONFIRM = "confirm"
    CHANGE = "change"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Review:
    """One reviewer's decision on one claim."""

    id: int
    claim_id: int
    reviewer: str
    action: ReviewAction
    label: Label
    note: str
    created_at: str
    passage: tuple[int, int] | None = None  # (start, end) of the passage the reviewer points to

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        passage = {"start": self.passage[0], "end": self.passage[1]} if self.passage else None
        return {"id": self.id, "claim_id": self.claim_id, "reviewer": self.reviewer, "action": self.action.value,
                "label": self.label.value, "note": self.note, "created_at": self.created_at, "passage": passage}


@dataclass(frozen=True)
class Claim:
    """A claim of an article, with the model's verdict once checked and its review history."""

    id: int
    article_id: int
    position: int
    ext_id: str | None
    text: str
    status: ClaimStatus
    verdict: Verdict | None
    error: str | None
    reviews: tuple[Review, ...] = ()

    @property
    def model_label(self) -> Label | None:
        """The model's label, None until checked."""
        return self.verdict.label if self.verdict else None

    @property
    def review(self) -> Review | None:
        """The latest review, None if never reviewed."""
        return self.reviews[-1] if self.reviews else None

    @property
    def label(self) -> Label | None:
        """The label that stands: the latest review's, else the model's."""
        return self.review.label if self.review else self.model_label

    @property
    def confidence(self) -> float | None:
        """The model's confidence in its label."""
        return self.verdict.confidence if self.verdict else None

    @property
    def overridden(self) -> bool:
        """True when the label that stands is a reviewer's, not the model's."""
        return self.review is not None and self.review.label != self.model_label

    def evidence_span(self) -> tuple[int, int, bool] | None:
        """`(start, end, is_evidence)` of the passage to show for the label that stands, or None.

        The model's passage goes with the model's label; a reviewer who changed the label may
        point to a passage of their own, and without one nothing is shown as evidence.
        """
        if self.review is not None and self.review.passage and self.review.label != Label.NOT_MENTIONED:
            return (*self.review.passage, True)
        if self.overridden or self.verdict is None or self.verdict.passage is None:
            return None
        p = self.verdict.passage
        return p.start, p.end, p.is_evidence

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; `verdict` is `Verdict.to_dict()`."""
        return {
            "id": self.id, "article_id": self.article_id, "position": self.position, "ext_id": self.ext_id,
            "claim": self.text, "status": self.status.value, "error": self.error,
            "label": self.label.value if self.label else None,
            "model_label": self.model_label.value if self.model_label else None,
            "confidence": round(self.confidence, 6) if self.confidence is not None else None,
            "verdict": self.verdict.to_dict() if self.verdict else None,
            "review": self.review.to_dict() if self.review else None,
            "reviews": [r.to_dict() for r in self.reviews],
        }


@dataclass(frozen=True)
class Progress:
    """How far the checking of an article's claims has got."""

    total: int
    done: int
    failed: int

    @property
    def pending(self) -> int:
        """Claims not checked yet."""
        return self.total - self.done - self.failed

    @property
    def finished(self) -> bool:
        """True when no claim is waiting."""
        return self.pending == 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        fraction = 1.0 if not self.total else (self.done + self.failed) / self.total
        return {"total": self.total, "done": self.done, "failed": self.failed, "pending": self.pending,
                "finished": self.finished, "fraction": round(fraction, 4)}


@dataclass(frozen=True)
class ArticleRecord:
    """A stored article; `text` is what verdict offsets refer to."""

    id: int
    title: str
    source_url: str | None
    text: str
    format: str
    created_by: str | None
    created_at: str
    progress: Progress = field(default_factory=lambda: Progress(0, 0, 0))
    counts: dict[str, int] | None = None  # claims by the label that stands, and "reviewed"; listings only

    def as_article(self) -> Article:
        """The library's `Article`, text kept exactly as stored (no reconversion)."""
        return Article(text=self.text, format=self.format, source=self.source_url)

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        """A JSON-ready dict."""
        out = {"id": self.id, "title": self.title, "source_url": self.source_url, "format": self.format,
               "created_by": self.created_by, "created_at": self.created_at, "progress": self.progress.to_dict()}
        if self.counts is not None:
            out["counts"] = self.counts
        if with_text:
            out["text"] = self.text
        return out


@dataclass(frozen=True)
class Lease:
    """Pending claims one worker has taken, as `(id, text)`; `token` marks them as its own until the lease ends."""

    token: str
    claims: list[tuple[int, str]]
