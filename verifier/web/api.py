"""The JSON API under `/api/`: articles and their claims, verdicts, progress, reviews and exports.

Authenticate with `Authorization: Bearer TOKEN` (`verifier users token NAME`, or `POST /api/login`).
Verdicts are the library's `Verdict.to_dict()`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from verifier.errors import InputError
from verifier.labels import Label
from verifier.web import auth
from verifier.web.checks import load_article, record_review, start_check
from verifier.web.exports import FORMATS, export
from verifier.web.inputs import claims_from_csv
from verifier.web.store import ArticleRecord, Claim, Store, User

_bearer = HTTPBearer(auto_error=False, description="A token from `verifier users token NAME` or POST /api/login.")


def store_of(request: Request) -> Store:
    """The app's store."""
    return request.app.state.store


def api_user(request: Request,
             _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None) -> User:
    """The caller; 401 without valid credentials, 403 for a cookie request that lacks its CSRF header."""
    user, via = auth.identify(request, store_of(request), request.app.state.auth)
    if via == "bad-token":
        raise HTTPException(401, "the bearer token is not valid; create one with `verifier users token NAME`",
                            headers={"WWW-Authenticate": "Bearer"})
    if user is None:
        raise HTTPException(401, "sign in first: send 'Authorization: Bearer TOKEN' (from `verifier users token "
                                 "NAME` or POST /api/login)", headers={"WWW-Authenticate": "Bearer"})
    unsafe = request.method not in auth.SAFE_METHODS
    if via == "session" and unsafe and not auth.csrf_ok(request, request.headers.get(auth.CSRF_HEADER)):
        raise HTTPException(403, f"requests made with the session cookie need the {auth.CSRF_HEADER} header")
    return user


CurrentUser = Annotated[User, Depends(api_user)]
router = APIRouter(prefix="/api", tags=["api"])


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


class ReviewIn(BaseModel):
    """`confirm` keeps the model's label; `change` sets `label`."""

    action: Literal["confirm", "change"]
    label: Label | None = None
    note: str = ""


class LoginIn(BaseModel):
    """A user's name and password."""

    name: str
    password: str


class TokenOut(BaseModel):
    """A new API token (only its hash is stored: keep it)."""

    token: str
    user: str


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
    action: str
    label: Label
    note: str
    created_at: str


class ClaimOut(BaseModel):
    """A claim, the model's verdict (`Verdict.to_dict()`), the label that stands and its reviews."""

    id: int
    article_id: int
    position: int
    ext_id: str | None
    claim: str
    status: Literal["pending", "done", "error"]
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
    text: str | None = None


class ArticleDetailOut(ArticleOut):
    """An article with its claims."""

    claims: list[ClaimOut]


def _article_or_404(store: Store, article_id: int) -> ArticleRecord:
    record = store.article(article_id)
    if record is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return record


def _claim_or_404(store: Store, claim_id: int) -> Claim:
    claim = store.claim(claim_id)
    if claim is None:
        raise HTTPException(404, f"no claim with id {claim_id}")
    return claim


@router.post("/login", response_model=TokenOut, tags=["auth"])
def login(body: LoginIn, request: Request) -> dict[str, Any]:
    """Exchange a name and password for a new API token."""
    user = auth.authenticate(store_of(request), body.name, body.password)
    if user is None:
        raise HTTPException(401, "wrong name or password")
    return {"token": auth.new_token(store_of(request), user), "user": user.name}


@router.get("/me", tags=["auth"])
def me(user: CurrentUser) -> dict[str, Any]:
    """Who you are signed in as."""
    return {"name": user.name, "anonymous": user.id is None}


@router.get("/articles", response_model=list[ArticleOut])
def list_articles(request: Request, _user: CurrentUser, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, Any]]:
    """Articles, newest first (without their text)."""
    return [a.to_dict(with_text=False) for a in store_of(request).articles(limit, offset)]


@router.post("/articles", status_code=202, response_model=ArticleDetailOut)
def create_article(body: ArticleIn, request: Request, user: CurrentUser) -> dict[str, Any]:
    """Store an article with its claims and start checking them in the background.

    Poll `GET /api/articles/{id}/progress` until `finished`, then read the verdicts.
    """
    claims: list[tuple[str | None, str]] = [(None, c) if isinstance(c, str) else (c.id, c.claim) for c in body.claims]
    if body.claims_csv:
        claims += claims_from_csv(body.claims_csv)
    article, fetched_title = load_article(body.text, None, body.source_url, body.fetch, body.format)
    store = store_of(request)
    article_id = start_check(store, request.app.state.jobs, user, body.title, body.source_url, article, claims,
                             fetched_title)
    return _detail(store, article_id)


def _detail(store: Store, article_id: int) -> dict[str, Any]:
    record = _article_or_404(store, article_id)
    return record.to_dict(with_text=True) | {"claims": [c.to_dict() for c in store.claims(article_id)]}


@router.get("/articles/{article_id}", response_model=ArticleDetailOut)
def get_article(article_id: int, request: Request, _user: CurrentUser) -> dict[str, Any]:
    """An article, its claims and their verdicts so far."""
    return _detail(store_of(request), article_id)


@router.get("/articles/{article_id}/progress", response_model=ProgressOut)
def get_progress(article_id: int, request: Request, _user: CurrentUser) -> dict[str, Any]:
    """How many claims are checked; `finished` once none is pending."""
    store = store_of(request)
    _article_or_404(store, article_id)
    return store.progress(article_id).to_dict()


@router.post("/articles/{article_id}/retry", response_model=ProgressOut)
def retry(article_id: int, request: Request, _user: CurrentUser) -> dict[str, Any]:
    """Check again the claims that failed (for example after the model could not load)."""
    store = store_of(request)
    _article_or_404(store, article_id)
    if store.retry_failed(article_id):
        request.app.state.jobs.submit(article_id)
    return store.progress(article_id).to_dict()


@router.get("/articles/{article_id}/claims", response_model=list[ClaimOut])
def get_claims(article_id: int, request: Request, _user: CurrentUser) -> list[dict[str, Any]]:
    """An article's claims with verdicts and reviews."""
    store = store_of(request)
    _article_or_404(store, article_id)
    return [c.to_dict() for c in store.claims(article_id)]


@router.get("/claims/{claim_id}", response_model=ClaimOut)
def get_claim(claim_id: int, request: Request, _user: CurrentUser) -> dict[str, Any]:
    """One claim with its verdict and review history."""
    return _claim_or_404(store_of(request), claim_id).to_dict()


@router.post("/claims/{claim_id}/reviews", status_code=201, response_model=ReviewOut)
def add_review(claim_id: int, body: ReviewIn, request: Request, user: CurrentUser) -> dict[str, Any]:
    """Confirm the model's verdict or change it, with a note; the reviewer and time are recorded."""
    store = store_of(request)
    claim = _claim_or_404(store, claim_id)
    return record_review(store, claim, user, body.action, body.label, body.note).to_dict()


@router.get("/claims/{claim_id}/reviews", response_model=list[ReviewOut])
def get_reviews(claim_id: int, request: Request, _user: CurrentUser) -> list[dict[str, Any]]:
    """A claim's review history, oldest first."""
    return [r.to_dict() for r in _claim_or_404(store_of(request), claim_id).reviews]


@router.get("/review-queue", response_model=list[QueueItemOut])
def review_queue(request: Request, _user: CurrentUser, label: Label | None = None, article_id: int | None = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                 offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, Any]]:
    """Claims awaiting review: contradicted first, then the least confident."""
    store = store_of(request)
    items = store.review_queue(label, article_id, limit, offset)
    titles = store.article_titles(c.article_id for c in items)
    return [c.to_dict() | {"article_title": titles.get(c.article_id, "")} for c in items]


@router.get("/articles/{article_id}/export/{fmt}", response_class=Response,
            responses={200: {"content": {v[0].split(";")[0]: {} for v in FORMATS.values()}}})
def export_article(article_id: int, fmt: Literal["csv", "json", "claimreview", "html"], request: Request,
                   _user: CurrentUser, download: bool = True) -> Response:
    """The article's checks as CSV, JSON, schema.org ClaimReview JSON-LD, or a printable HTML report."""
    store = store_of(request)
    record = _article_or_404(store, article_id)
    media_type, ext = FORMATS[fmt]
    body = export(fmt, record, store.claims(article_id))
    headers = {}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="article-{article_id}-{fmt}.{ext}"'
    if fmt == "html":
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return Response(body, media_type=media_type, headers=headers)


def input_error_status(error: InputError) -> int:
    """413 for size limits, 422 for the rest."""
    from verifier.web.inputs import TooLargeError

    return 413 if isinstance(error, TooLargeError) else 422
