"""The editors' pages: sign in, start a check, read the results, review, edit, and the review queue.

Forms post back here with the session's CSRF token; pages work without JavaScript, which
only adds progress polling and scrolling to the evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from verifier.errors import InputError
from verifier.labels import LABELS, Label
from verifier.web import auth
from verifier.web.api import MAX_ID, Id, input_error_status, store_of
from verifier.web.checks import add_claims as add_claims_
from verifier.web.checks import delete_article as delete_article_
from verifier.web.checks import delete_claim as delete_claim_
from verifier.web.checks import edit_article as edit_article_
from verifier.web.checks import edit_claim as edit_claim_
from verifier.web.checks import (
    fetch_source,
    load_article,
    may_delete_article,
    record_review,
    require,
    start_check,
    validate_sources,
)
from verifier.web.checks import recheck_claim as recheck_claim_
from verifier.web.highlight import evidence_spans, highlight
from verifier.web.inputs import MAX_CLAIMS, TooLargeError, claims_from_csv, claims_from_lines, validate_article_size
from verifier.web.records import ArticleRecord, Claim, ClaimStatus, ReviewAction
from verifier.web.rendering import STATIC, render
from verifier.web.settings import MAX_ARTICLE_BYTES, MAX_BODY_BYTES
from verifier.web.store import User

router = APIRouter(include_in_schema=False)


class LoginRequired(Exception):
    """The page needs a signed-in user; the app answers with a redirect to /login."""

    def __init__(self, next_path: str):
        super().__init__(next_path)
        self.next_path = next_path


def page_user(request: Request) -> User:
    """The signed-in user (or the anonymous one under --no-auth); `LoginRequired` otherwise."""
    user, via = auth.identify(request, store_of(request), request.app.state.auth)
    if user is None or via == "token":  # pages go by the session, not by API tokens
        raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return user


def page(request: Request, template: str, status: int = 200, user: User | None = None, **context: Any) -> HTMLResponse:
    """Render a page with what every page needs (user, CSRF token)."""
    html = render(template, user=user, csrf=auth.csrf_token(request), auth_enabled=request.app.state.auth,
                  labels=LABELS, **context)
    response = HTMLResponse(html, status_code=status)
    auth.set_csrf_cookie(request, response)
    return response


def forbidden(request: Request, message: str) -> HTMLResponse:
    """The page for an action the user's role does not allow."""
    user, _ = auth.identify(request, store_of(request), request.app.state.auth)
    return page(request, "error.html", 403, user=user, message=message)


def _safe_next(value: str | None) -> str:
    value = value or "/"
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


def _form_error(request: Request) -> HTMLResponse:
    return page(request, "error.html", 403, message="This form has expired or did not come from this site. "
                                                     "Go back, reload the page and try again.")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    if not request.app.state.auth:
        return RedirectResponse("/", 303)  # type: ignore[return-value]
    return page(request, "login.html", next=_safe_next(next), error=None, name="")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> HTMLResponse:
    form = await request.form(max_files=0, max_fields=10)
    if not auth.csrf_ok(request, str(form.get(auth.CSRF_FIELD, ""))):
        return _form_error(request)
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    nxt = _safe_next(str(form.get("next", "/")))
    user = await run_in_threadpool(auth.authenticate, store_of(request), name, password)
    if user is None:
        return page(request, "login.html", 401, next=nxt, error="Wrong name or password.", name=name)
    response = RedirectResponse(nxt, 303)
    await run_in_threadpool(auth.sign_in, store_of(request), user, request, response)
    return response  # type: ignore[return-value]


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    form = await request.form(max_files=0, max_fields=10)
    response = RedirectResponse("/login", 303)
    await run_in_threadpool(auth.identify, request, store_of(request), request.app.state.auth)
    if auth.csrf_ok(request, str(form.get(auth.CSRF_FIELD, ""))):
        await run_in_threadpool(auth.sign_out, store_of(request), request, response)
    return response


def _home(request: Request, user: User, status: int = 200, error: str | None = None,
          values: dict[str, str] | None = None) -> HTMLResponse:
    articles = store_of(request).articles(limit=10)
    return page(request, "home.html", status, user=user, articles=articles, error=error, values=values or {},
                max_claims=MAX_CLAIMS, max_article_mb=MAX_ARTICLE_BYTES // 1_000_000)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return _home(request, page_user(request))


async def _upload(form: Any, field: str) -> tuple[str, bytes] | None:
    item = form.get(field)
    if not isinstance(item, UploadFile) or not item.filename:
        return None
    if field == "article_file" and item.size is not None:
        validate_article_size(item.size)
    return item.filename, await item.read()


@router.post("/articles", response_class=HTMLResponse)
async def create(request: Request) -> HTMLResponse:
    user = page_user(request)
    form = await request.form(max_files=2, max_fields=20, max_part_size=MAX_BODY_BYTES)
    if not auth.csrf_ok(request, str(form.get(auth.CSRF_FIELD, ""))):
        return _form_error(request)
    values = {k: str(form.get(k, "")) for k in ("title", "source_url", "text", "claims", "format")}
    try:
        claims = claims_from_lines(values["claims"])
        claims_file = await _upload(form, "claims_file")
        if claims_file is not None:
            claims += claims_from_csv(claims_file[1])
        article_file = await _upload(form, "article_file")
        fetch = form.get("fetch") == "on"
        fmt = values["format"] if values["format"] in ("auto", "text", "markdown", "html") else "auto"
        require(user, "editor", "start checks")
        validate_sources(values["text"], article_file, values["source_url"], fetch)
        fetched = await fetch_source(values["source_url"], request.app.state.fetch_private) if fetch else None

        def work() -> int:
            article, fetched_title = load_article(values["text"], article_file, values["source_url"], fetched, fmt)
            return start_check(store_of(request), request.app.state.jobs, user, values["title"],
                               values["source_url"], article, claims, fetched_title)

        article_id = await run_in_threadpool(work)
    except InputError as e:
        if isinstance(e, TooLargeError) and len(values["text"]) > MAX_ARTICLE_BYTES:
            values["text"] = ""  # do not send a huge article back
        return _home(request, user, input_error_status(e), str(e), values)
    return RedirectResponse(f"/articles/{article_id}", 303)  # type: ignore[return-value]


def _results_context(request: Request, article_id: int) -> dict[str, Any] | None:
    store = store_of(request)
    record = store.article(article_id)
    if record is None:
        return None
    claims = store.claims(article_id)
    counts = Counter(c.label.value for c in claims if c.label is not None and c.status == ClaimStatus.DONE)
    summary = [(lab, counts.get(lab.value, 0)) for lab in LABELS]
    return {"article": record, "claims": claims, "progress": record.progress, "summary": summary,
            "reviewed": sum(1 for c in claims if c.review is not None),
            "article_html": highlight(record.text, evidence_spans(claims))}


def _not_found(request: Request, user: User, what: str) -> HTMLResponse:
    return page(request, "error.html", 404, user=user, message=f"There is no {what}.")


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def results(request: Request, article_id: Id) -> HTMLResponse:
    user = page_user(request)
    context = _results_context(request, article_id)
    if context is None:
        return _not_found(request, user, f"article {article_id}")
    trail = store_of(request).audit_trail(article_id)
    return page(request, "article.html", user=user, trail=trail,
                may_delete=may_delete_article(user, context["article"]), **context)


PAGE_SIZE = 25


@router.get("/articles", response_class=HTMLResponse)
def article_list(request: Request, q: str = "", author: str = "", since: str = "", until: str = "",
                 page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1) -> HTMLResponse:
    """Every article, searchable by title or URL, author and date, a page at a time."""
    user = page_user(request)
    store = store_of(request)
    q, author, since, until = q[:200], author[:100], since[:32], until[:32]
    total = store.count_articles(q, author, since, until)
    found = store.articles(PAGE_SIZE, (page_number - 1) * PAGE_SIZE, q, author, since, until)
    pages_total = max(1, -(-total // PAGE_SIZE))
    query = {k: v for k, v in (("q", q), ("author", author), ("since", since), ("until", until)) if v}

    def link(n: int) -> str:
        return "/articles?" + urlencode(query | {"page": n})

    return page(request, "articles.html", user=user, articles=found, total=total, q=q, author=author, since=since,
                until=until, authors=store.authors(), page_number=page_number, pages_total=pages_total,
                prev_link=link(page_number - 1) if page_number > 1 else None,
                next_link=link(page_number + 1) if page_number < pages_total else None)


async def _posted(request: Request) -> tuple[User, Any] | HTMLResponse:
    """The signed-in user and the posted form, or the error page for a form without its CSRF token."""
    user = page_user(request)
    form = await request.form(max_files=0, max_fields=20)
    if not auth.csrf_ok(request, str(form.get(auth.CSRF_FIELD, ""))):
        return _form_error(request)
    return user, form


async def _act(request: Request, user: User, work: Callable[[], Any], back: str) -> HTMLResponse:
    """Run `work` in a thread; back to `back` when done, or a page that says what was wrong."""
    try:
        await run_in_threadpool(work)
    except InputError as e:
        return page(request, "error.html", input_error_status(e), user=user, message=f"Nothing was changed: {e}")
    return RedirectResponse(back, 303)  # type: ignore[return-value]


async def _article_action(request: Request, article_id: int,
                          act: Callable[[User, Any, ArticleRecord], Any], back: str) -> HTMLResponse:
    posted = await _posted(request)
    if isinstance(posted, HTMLResponse):
        return posted
    user, form = posted
    record = await run_in_threadpool(store_of(request).article, article_id)
    if record is None:
        return _not_found(request, user, f"article {article_id}")
    return await _act(request, user, lambda: act(user, form, record), back)


@router.post("/articles/{article_id}/edit", response_class=HTMLResponse)
async def edit_article(request: Request, article_id: Id) -> HTMLResponse:
    store = store_of(request)
    return await _article_action(request, article_id, lambda user, form, record: edit_article_(
        store, user, record, str(form.get("title", "")), str(form.get("source_url", ""))), f"/articles/{article_id}")


@router.post("/articles/{article_id}/delete", response_class=HTMLResponse)
async def delete_article(request: Request, article_id: Id) -> HTMLResponse:
    store = store_of(request)
    return await _article_action(request, article_id,
                                 lambda user, _form, record: delete_article_(store, user, record), "/articles")


@router.post("/articles/{article_id}/claims", response_class=HTMLResponse)
async def add_claims(request: Request, article_id: Id) -> HTMLResponse:
    store, jobs = store_of(request), request.app.state.jobs
    return await _article_action(request, article_id, lambda user, form, record: add_claims_(
        store, jobs, user, record, claims_from_lines(str(form.get("claims", "")))), f"/articles/{article_id}")


async def _claim_action(request: Request, claim_id: int, act: Callable[[User, Any, Claim], Any]) -> HTMLResponse:
    posted = await _posted(request)
    if isinstance(posted, HTMLResponse):
        return posted
    user, form = posted
    claim = await run_in_threadpool(store_of(request).claim, claim_id)
    if claim is None:
        return _not_found(request, user, f"claim {claim_id}")
    return await _act(request, user, lambda: act(user, form, claim), f"/articles/{claim.article_id}#claim-{claim_id}")


@router.post("/claims/{claim_id}/edit", response_class=HTMLResponse)
async def edit_claim(request: Request, claim_id: Id) -> HTMLResponse:
    store, jobs = store_of(request), request.app.state.jobs
    return await _claim_action(request, claim_id, lambda user, form, claim: edit_claim_(
        store, jobs, user, claim, str(form.get("claim", "")), str(form.get("ext_id", ""))))


@router.post("/claims/{claim_id}/delete", response_class=HTMLResponse)
async def delete_claim(request: Request, claim_id: Id) -> HTMLResponse:
    store = store_of(request)
    return await _claim_action(request, claim_id, lambda user, _form, claim: delete_claim_(store, user, claim))


@router.post("/claims/{claim_id}/recheck", response_class=HTMLResponse)
async def recheck_claim(request: Request, claim_id: Id) -> HTMLResponse:
    store, jobs = store_of(request), request.app.state.jobs
    return await _claim_action(request, claim_id,
                               lambda user, _form, claim: recheck_claim_(store, jobs, user, claim))


@router.get("/articles/{article_id}/results", response_class=HTMLResponse)
def results_fragment(request: Request, article_id: Id) -> HTMLResponse:
    """The article and claims panes alone, for the page to refresh while checking runs."""
    user = page_user(request)
    context = _results_context(request, article_id)
    if context is None:
        return _not_found(request, user, f"article {article_id}")
    return page(request, "_results.html", user=user, **context)


@router.post("/claims/{claim_id}/review", response_class=HTMLResponse)
async def review(request: Request, claim_id: Id) -> HTMLResponse:
    user = page_user(request)
    form = await request.form(max_files=0, max_fields=10)
    if not auth.csrf_ok(request, str(form.get(auth.CSRF_FIELD, ""))):
        return _form_error(request)
    store = store_of(request)
    claim = await run_in_threadpool(store.claim, claim_id)
    if claim is None:
        return _not_found(request, user, f"claim {claim_id}")
    label = str(form.get("label", "")) or None
    model = claim.model_label.value if claim.model_label else None
    action = str(form.get("action", "")) or (ReviewAction.CONFIRM if label in (None, model) else ReviewAction.CHANGE)
    try:
        await run_in_threadpool(record_review, store, claim, user, action, label, str(form.get("note", "")), None,
                                str(form.get("quote", "")) or None)
    except InputError as e:
        return page(request, "error.html", 422, user=user, message=f"The review was not saved: {e}")
    back = _safe_next(str(form.get("next", "")) or f"/articles/{claim.article_id}")
    return RedirectResponse(f"{back}#claim-{claim_id}", 303)  # type: ignore[return-value]


@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, label: str = "", article_id: str = "") -> HTMLResponse:
    user = page_user(request)
    store = store_of(request)
    chosen = Label(label) if label in {lab.value for lab in LABELS} else None
    aid = int(article_id) if article_id.isdigit() and int(article_id) <= MAX_ID else None
    items = store.review_queue(chosen, aid, limit=200)
    titles = store.article_titles(c.article_id for c in items)
    here = "/queue" + (f"?{request.url.query}" if request.url.query else "")
    return page(request, "queue.html", user=user, items=items, titles=titles, chosen_label=chosen,
                chosen_article=aid, articles=store.articles(limit=200), here=here)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


def login_redirect(exc: LoginRequired) -> RedirectResponse:
    """Where a page sends someone who is not signed in."""
    return RedirectResponse(f"/login?next={quote(exc.next_path, safe='/')}", 303)
