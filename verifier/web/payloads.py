"""The JSON API's request and response bodies (pydantic models; the OpenAPI schema at /docs)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from verifier.labels import Label
from verifier.web.records import ClaimStatus, ReviewAction

MAX_ID = 2**63 - 1
LOGIN_TOKEN_DAYS = 30


class ClaimIn(BaseModel):
    """A claim with an optional id of yours (kept in exports)."""

    claim: str
    id: str | None = None


class ArticleIn(BaseModel):
    """A new check: the article (text, or `fetch` from `source_url`) and its claims."""

    title: str | None = Field(None, description="Defaults to the fetched page's title or the URL.")
    source_url: str | None = None
    text: str | None = Field(None, description="The article (text, Markdown or HTML); at most 2 MB.")
    format: Literal["auto", "text", "markdown", "html"] = "auto"
    fetch: bool = Field(False, description="Download the article from `source_url` and extract its main text.")
    claims: list[str | ClaimIn] = Field(default_factory=list, description="At most 5,000.")
    claims_csv: str | None = Field(None, description="Claims as CSV text with a 'claim' column and optional 'id'.")


class PassageIn(BaseModel):
    """Character offsets into the article's `text`."""

    start: int = Field(ge=0, le=MAX_ID)
    end: int = Field(ge=0, le=MAX_ID)


class ReviewIn(BaseModel):
    """`confirm` keeps the model's label; `change` sets `label`, optionally with the passage that shows it
    (`passage` offsets, or a `quote` copied from the article)."""

    action: ReviewAction
    label: Label | None = None
    note: str = ""
    passage: PassageIn | None = None
    quote: str | None = None


class LoginIn(BaseModel):
    """A user's name and password, and the label of the token to issue."""

    name: str
    password: str
    token_label: str = Field("login", max_length=100, description=(
        "The new token replaces the caller's earlier tokens with this label, so logging in again does not "
        "pile up tokens; use another label to keep several."))
    expires_days: float = Field(LOGIN_TOKEN_DAYS, ge=0, le=3650, description="0 for a token that never expires.")


class TokenOut(BaseModel):
    """A new API token (only its hash is stored: keep it)."""

    token: str
    user: str
    id: int | None = None
    expires_at: str | None = None


class TokenIn(BaseModel):
    """A new API token for the caller."""

    label: str = Field("", max_length=100)
    expires_days: float = Field(90, ge=0, le=3650, description="0 for a token that never expires.")


class TokenInfoOut(BaseModel):
    """An API token as listed (the token itself is never shown again)."""

    id: int
    user: str
    label: str
    created_at: str
    expires_at: str | None
    last_used_at: str | None


class ArticleEditIn(BaseModel):
    """Fields to change; those left out stay as they are."""

    title: str | None = None
    source_url: str | None = None


class ClaimEditIn(BaseModel):
    """A new text (checked again, as a new claim in its place) and/or id."""

    claim: str | None = None
    id: str | None = None


class ClaimsIn(BaseModel):
    """Claims to add to an article."""

    claims: list[str | ClaimIn] = Field(default_factory=list)
    claims_csv: str | None = None


class ProgressOut(BaseModel):
    """How many of an article's claims are checked."""

    total: int
    done: int
    failed: int
    pending: int
    finished: bool
    fraction: float


class ReviewOut(BaseModel):
    """One review (reviews are append-only)."""

    id: int
    claim_id: int
    reviewer: str
    action: ReviewAction
    label: Label
    note: str
    created_at: str
    passage: PassageIn | None = None


class ClaimOut(BaseModel):
    """A claim, the model's verdict (`Verdict.to_dict()`), the label that stands and its reviews."""

    id: int
    article_id: int
    position: int
    ext_id: str | None
    claim: str
    status: ClaimStatus
    error: str | None
    label: Label | None
    model_label: Label | None
    confidence: float | None
    verdict: dict[str, Any] | None
    review: ReviewOut | None
    reviews: list[ReviewOut]


class QueueItemOut(ClaimOut):
    """A claim awaiting review, with its article's title."""

    article_title: str


class ArticleOut(BaseModel):
    """An article and its progress; `text` is what evidence offsets refer to."""

    id: int
    title: str
    source_url: str | None
    format: str
    created_by: str | None
    created_at: str
    progress: ProgressOut
    counts: dict[str, int] | None = Field(None, description="Claims by the label that stands, and 'reviewed'.")
    text: str | None = None


class ArticleDetailOut(ArticleOut):
    """An article with its claims."""

    claims: list[ClaimOut]
