"""The JSON API under `/api/`: articles and their claims, verdicts, progress, reviews and exports.

Authenticate with `Authorization: Bearer TOKEN` (`verifier users token NAME`, or `POST /api/login`).
Verdicts are the library's `Verdict.to_dict()`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from verifier.errors import InputError
from verifier.labels import Label
from verifier.web import auth, checks
from verifier.web.checks import fetch_source, load_article, record_review, start_check, validate_sources
from verifier.web.exports import EXPORT_FORMATS, ExportFormat, export
from verifier.web.inputs import claims_from_csv
from verifier.web.payloads import (
    MAX_ID,
    ArticleDetailOut,
    ArticleEditIn,
    ArticleIn,
    ArticleOut,
    ClaimEditIn,
    ClaimOut,
    ClaimsIn,
    LoginIn,
    ProgressOut,
    QueueItemOut,
    ReviewIn,
    ReviewOut,
    TokenIn,
    TokenInfoOut,
    TokenOut,
)
from verifier.web.records import ArticleRecord, Claim
from verifier.web.store import Store, User

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="A positive 64-bit id.")]

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


def editor(user: Annotated[User, Depends(api_user)]) -> User:
    """The caller, if an editor or admin; 403 for viewers."""
    if not user.can("editor"):
        raise HTTPException(403, f"{user.name} is a viewer; only editors and admins may change anything")
    return user


def admin(user: Annotated[User, Depends(api_user)]) -> User:
    """The caller, if an admin; 403 otherwise."""
    if not user.can("admin"):
        raise HTTPException(403, f"{user.name} is a {user.role}; only admins may do this")
    return user


CurrentUser = Annotated[User, Depends(api_user)]
Editor = Annotated[User, Depends(editor)]
Admin = Annotated[User, Depends(admin)]
router = APIRouter(prefix="/api", tags=["api"])


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
    """Exchange a name and password for an API token labelled `token_label` (replacing the earlier one)."""
    store = store_of(request)
    user = auth.authenticate(store, body.name, body.password)
    if user is None:
        raise HTTPException(401, "wrong name or password")
    store.revoke_tokens(user, label=body.token_label)
    return _issue(store, user, body.token_label, body.expires_days)


def _issue(store: Store, user: User, label: str, expires_days: float) -> dict[str, Any]:
    token = auth.new_token(store, user, label, expires_days)
    info = next(t for t in reversed(store.tokens(user)))
    return {"token": token, "user": user.name, "id": info.id, "expires_at": info.expires_at}


@router.post("/logout", status_code=204, tags=["auth"])
def logout(request: Request, _user: CurrentUser) -> Response:
    """Revoke the bearer token of this request (or end the cookie session)."""
    token = auth.bearer(request)
    response = Response(status_code=204)
    if token:
        store_of(request).revoke_token_hash(auth.hash_token(token))
    else:
        auth.sign_out(store_of(request), request, response)
    return response


@router.get("/me", tags=["auth"])
def me(user: CurrentUser) -> dict[str, Any]:
    """Who you are signed in as, and your role."""
    return {"name": user.name, "anonymous": user.id is None, "role": user.role}


@router.get("/tokens", response_model=list[TokenInfoOut], tags=["auth"])
def list_tokens(request: Request, user: CurrentUser) -> list[dict[str, Any]]:
    """Your API tokens (an admin's `?all=true`: everyone's)."""
    if user.id is None:
        return []
    everyone = request.query_params.get("all") == "true" and user.can("admin")
    return [i.to_dict() for i in store_of(request).tokens(None if everyone else user)]


@router.post("/tokens", response_model=TokenOut, status_code=201, tags=["auth"])
def create_token(body: TokenIn, request: Request, user: CurrentUser) -> dict[str, Any]:
    """A new API token for you (shown once)."""
    if user.id is None:
        raise HTTPException(422, "a --no-auth server has no users to give tokens to")
    return _issue(store_of(request), user, body.label, body.expires_days)


@router.delete("/tokens/{token_id}", status_code=204, tags=["auth"])
def revoke_token(token_id: Id, request: Request, user: CurrentUser) -> Response:
    """Revoke one of your tokens."""
    if user.id is None or not store_of(request).revoke_tokens(user, token_id=token_id):
        raise HTTPException(404, f"you have no token with id {token_id}")
    return Response(status_code=204)


@router.get("/users", tags=["auth"])
def list_users(request: Request, _user: Admin) -> list[dict[str, Any]]:
    """Every user and their role (admins only; manage them with `verifier users`)."""
    return [{"id": u.id, "name": u.name, "role": u.role} for u in store_of(request).users()]


@router.get("/articles", response_model=list[ArticleOut])
def list_articles(request: Request, response: Response, _user: CurrentUser,
                  limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
                  q: Annotated[str, Query(max_length=200, description="Words of the title or URL.")] = "",
                  author: Annotated[str, Query(max_length=100)] = "",
                  since: Annotated[str, Query(max_length=32, description="ISO date or time.")] = "",
                  until: Annotated[str, Query(max_length=32, description="ISO date (inclusive) or time.")] = "",
                  ) -> list[dict[str, Any]]:
    """Articles, newest first (without their text), with label counts; `X-Total-Count` says how many match."""
    store = store_of(request)
    response.headers["X-Total-Count"] = str(store.count_articles(q, author, since, until))
    return [a.to_dict(with_text=False) for a in store.articles(limit, offset, q, author, since, until)]


@router.post("/articles", status_code=202, response_model=ArticleDetailOut)
async def create_article(body: ArticleIn, request: Request, user: Editor) -> dict[str, Any]:
    """Store an article with its claims and start checking them in the background.

    Poll `GET /api/articles/{id}/progress` until `finished`, then read the verdicts.
    """
    claims: list[tuple[str | None, str]] = [(None, c) if isinstance(c, str) else (c.id, c.claim) for c in body.claims]
    if body.claims_csv:
        claims += claims_from_csv(body.claims_csv)
    validate_sources(body.text, None, body.source_url, body.fetch)
    fetched = await fetch_source(body.source_url or "", request.app.state.fetch_private) if body.fetch else None

    def work() -> dict[str, Any]:
        article, fetched_title = load_article(body.text, None, body.source_url, fetched, body.format)
        store = store_of(request)
        article_id = start_check(store, request.app.state.jobs, user, body.title, body.source_url, article, claims,
                                 fetched_title)
        return _detail(store, article_id)

    return await run_in_threadpool(work)


def _detail(store: Store, article_id: int) -> dict[str, Any]:
    record = _article_or_404(store, article_id)
    return record.to_dict(with_text=True) | {"claims": [c.to_dict() for c in store.claims(article_id)]}


@router.get("/articles/{article_id}", response_model=ArticleDetailOut)
def get_article(article_id: Id, request: Request, _user: CurrentUser) -> dict[str, Any]:
    """An article, its claims and their verdicts so far."""
    return _detail(store_of(request), article_id)


@router.get("/articles/{article_id}/progress", response_model=ProgressOut)
def get_progress(article_id: Id, request: Request, _user: CurrentUser) -> dict[str, Any]:
    """How many claims are checked; `finished` once none is pending."""
    store = store_of(request)
    _article_or_404(store, article_id)
    return store.progress(article_id).to_dict()


@router.post("/articles/{article_id}/retry", response_model=ProgressOut)
def retry(article_id: Id, request: Request, _user: Editor) -> dict[str, Any]:
    """Check again the claims that failed (for example after the model could not load)."""
    store = store_of(request)
    _article_or_404(store, article_id)
    if store.retry_failed(article_id):
        request.app.state.jobs.submit(article_id)
    return store.progress(article_id).to_dict()


@router.get("/articles/{article_id}/claims", response_model=list[ClaimOut])
def get_claims(article_id: Id, request: Request, _user: CurrentUser) -> list[dict[str, Any]]:
    """An article's claims with verdicts and reviews."""
    store = store_of(request)
    _article_or_404(store, article_id)
    return [c.to_dict() for c in store.claims(article_id)]


@router.get("/claims/{claim_id}", response_model=ClaimOut)
def get_claim(claim_id: Id, request: Request, _user: CurrentUser) -> dict[str, Any]:
    """One claim with its verdict and review history."""
    return _claim_or_404(store_of(request), claim_id).to_dict()


@router.post("/claims/{claim_id}/reviews", status_code=201, response_model=ReviewOut)
def add_review(claim_id: Id, body: ReviewIn, request: Request, user: CurrentUser) -> dict[str, Any]:
    """Confirm the model's verdict or change it, with a note; the reviewer and time are recorded."""
    store = store_of(request)
    claim = _claim_or_404(store, claim_id)
    passage = (body.passage.start, body.passage.end) if body.passage else None
    return record_review(store, claim, user, body.action, body.label, body.note, passage, body.quote).to_dict()


@router.get("/claims/{claim_id}/reviews", response_model=list[ReviewOut])
def get_reviews(claim_id: Id, request: Request, _user: CurrentUser) -> list[dict[str, Any]]:
    """A claim's review history, oldest first."""
    return [r.to_dict() for r in _claim_or_404(store_of(request), claim_id).reviews]


@router.get("/review-queue", response_model=list[QueueItemOut])
def review_queue(request: Request, _user: CurrentUser, label: Label | None = None,
                 article_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                 offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, Any]]:
    """Claims awaiting review: contradicted first, then the least confident."""
    store = store_of(request)
    items = store.review_queue(label, article_id, limit, offset)
    titles = store.article_titles(c.article_id for c in items)
    return [c.to_dict() | {"article_title": titles.get(c.article_id, "")} for c in items]


@router.get("/articles/{article_id}/export/{fmt}", response_class=Response,
            responses={200: {"content": {v[0].split(";")[0]: {} for v in EXPORT_FORMATS.values()}}})
def export_article(article_id: Id, fmt: ExportFormat, request: Request,
                   _user: CurrentUser, download: bool = True,
                   unreviewed: Annotated[bool, Query(
                       description="ClaimReview: include claims nobody reviewed.")] = False,
                   formulas: Annotated[bool, Query(description="CSV: keep cells that start with = + - @ as they are "
                                                               "(for programs, not spreadsheets).")] = False,
                   ) -> Response:
    """The article's checks as CSV, JSON, schema.org ClaimReview JSON-LD (reviewed claims only unless
    `unreviewed=true`), or a printable HTML report."""
    store = store_of(request)
    record = _article_or_404(store, article_id)
    media_type, ext = EXPORT_FORMATS[fmt]
    body = export(fmt, record, store.claims(article_id), unreviewed=unreviewed, formulas=formulas)
    headers = {}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="article-{article_id}-{fmt}.{ext}"'
    if fmt == ExportFormat.HTML:
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return Response(body, media_type=media_type, headers=headers)


@router.patch("/articles/{article_id}", response_model=ArticleOut)
def edit_article(article_id: Id, body: ArticleEditIn, request: Request, user: Editor) -> dict[str, Any]:
    """Change an article's title or source URL (recorded in its audit trail)."""
    store = store_of(request)
    checks.edit_article(store, user, _article_or_404(store, article_id), body.title, body.source_url)
    return _article_or_404(store, article_id).to_dict(with_text=False)


@router.delete("/articles/{article_id}", status_code=204)
def delete_article(article_id: Id, request: Request, user: Editor) -> Response:
    """Delete an article and its claims (editors: those they added; admins: any). Kept in the audit trail."""
    store = store_of(request)
    checks.delete_article(store, user, _article_or_404(store, article_id))
    return Response(status_code=204)


@router.post("/articles/{article_id}/claims", status_code=202, response_model=list[ClaimOut])
def add_claims(article_id: Id, body: ClaimsIn, request: Request, user: Editor) -> list[dict[str, Any]]:
    """Add claims to an article; they are checked in the background."""
    store = store_of(request)
    record = _article_or_404(store, article_id)
    claims: list[tuple[str | None, str]] = [(None, c) if isinstance(c, str) else (c.id, c.claim) for c in body.claims]
    if body.claims_csv:
        claims += claims_from_csv(body.claims_csv)
    ids = set(checks.add_claims(store, request.app.state.jobs, user, record, claims))
    return [c.to_dict() for c in store.claims(article_id) if c.id in ids]


@router.get("/articles/{article_id}/audit", tags=["api"])
def audit_trail(article_id: Id, request: Request, _user: CurrentUser) -> list[dict[str, Any]]:
    """Edits and deletions of the article and its claims, with who, when, and the values before."""
    store = store_of(request)
    _article_or_404(store, article_id)
    return store.audit_trail(article_id)


@router.patch("/claims/{claim_id}", response_model=ClaimOut)
def edit_claim(claim_id: Id, body: ClaimEditIn, request: Request, user: Editor) -> dict[str, Any]:
    """Change a claim's text or id. A new text is a new claim in its place (new id, checked again); the old
    one keeps its verdict and reviews in the audit trail."""
    store = store_of(request)
    new_id = checks.edit_claim(store, request.app.state.jobs, user, _claim_or_404(store, claim_id), body.claim, body.id)
    return _claim_or_404(store, new_id).to_dict()


@router.delete("/claims/{claim_id}", status_code=204)
def delete_claim(claim_id: Id, request: Request, user: Editor) -> Response:
    """Delete a claim (kept in the audit trail)."""
    store = store_of(request)
    checks.delete_claim(store, user, _claim_or_404(store, claim_id))
    return Response(status_code=204)


@router.post("/claims/{claim_id}/recheck", status_code=202, response_model=ClaimOut)
def recheck_claim(claim_id: Id, request: Request, user: Editor) -> dict[str, Any]:
    """Check one claim again (for example after a model upgrade); its reviews stay."""
    store = store_of(request)
    checks.recheck_claim(store, request.app.state.jobs, user, _claim_or_404(store, claim_id))
    return _claim_or_404(store, claim_id).to_dict()


def input_error_status(error: InputError) -> int:
    """413 for size limits, 422 for the rest."""
    from verifier.web.inputs import TooLargeError

    return 413 if isinstance(error, TooLargeError) else 422
