"""What both the pages and the API do: start a check, record a review, edit claims and articles, by role."""

from __future__ import annotations

from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from verifier.article import Article
from verifier.errors import InputError
from verifier.labels import Label
from verifier.web.inputs import (
    article_from_text,
    article_from_upload,
    normalize_newlines,
    validate_claims,
    validate_title,
    validate_unicode,
    validate_url,
)
from verifier.web.jobs import JobRunner
from verifier.web.records import ArticleRecord, Claim, ClaimStatus, Review, ReviewAction
from verifier.web.settings import MAX_NOTE_CHARS
from verifier.web.store import Store, User

if TYPE_CHECKING:
    from verifier.fetch import FetchedPage

FETCH_THREADS = 4  # article pages fetched at once; more requests wait, without holding a request thread


def validate_sources(text: str | None, upload: tuple[str, bytes] | None, source_url: str | None, fetch: bool) -> None:
    """`InputError` unless the article is given exactly one way (text, file, or fetched from its URL)."""
    given = [name for name, present in (("text", bool(text and text.strip())), ("file", upload is not None),
                                        ("URL", fetch)) if present]
    if len(given) > 1:
        raise InputError(f"give the article one way only, not as {' and '.join(given)}")
    if fetch and not source_url:
        raise InputError("give the source URL to fetch the article from")
    if not given:
        raise InputError("the article is missing: paste its text, upload a file, or fetch it from its URL")


async def fetch_source(source_url: str, allow_private: bool) -> FetchedPage:
    """Fetch an article page in a thread of its own small pool, so slow sites never hold up other requests."""
    import anyio.to_thread

    from verifier.fetch import fetch_page

    url = validate_url(source_url) or ""
    return await anyio.to_thread.run_sync(partial(fetch_page, url, allow_private=allow_private),
                                          limiter=_fetch_limiter())


@lru_cache(maxsize=1)
def _fetch_limiter() -> Any:
    import anyio

    return anyio.CapacityLimiter(FETCH_THREADS)


def load_article(text: str | None, upload: tuple[str, bytes] | None, source_url: str | None,
                 fetched: FetchedPage | None = None, format: str = "auto") -> tuple[Article, str | None]:
    """The article from the fetched page, an uploaded file or pasted text; and a fetched title."""
    validate_sources(text, upload, source_url, fetched is not None)
    if fetched is not None:
        return fetched.article, fetched.title
    if upload is not None:
        return article_from_upload(*upload), None
    return article_from_text(text or "", format=format), None


def start_check(store: Store, jobs: JobRunner, user: User, title: str | None, source_url: str | None,
                article: Article, claims: list[tuple[str | None, str]], fetched_title: str | None = None) -> int:
    """Validate and store an article with its claims, and queue them for checking; returns the article id."""
    require(user, "editor", "start checks")
    source = validate_url(source_url)
    name = validate_title(title or fetched_title or source or "")
    checked = validate_claims(claims)
    article_id = store.add_article(name, source, article, user.name, checked)
    jobs.submit(article_id)
    return article_id


def record_review(store: Store, claim: Claim, user: User, action: ReviewAction | str, label: Label | str | None,
                  note: str | None, passage: tuple[int, int] | None = None, quote: str | None = None) -> Review:
    """Append a review: `confirm` keeps the model's label, `change` sets `label`.

    A reviewer who changes the label may point to the passage that shows it, by offsets
    (`passage`) or by quoting it (`quote`, found in the article text).
    """
    require(user, "editor", "review claims")
    try:
        action = ReviewAction(action)
    except ValueError:
        raise InputError(f"unknown review action {action!r}; use 'confirm' or 'change'") from None
    if claim.status != ClaimStatus.DONE or claim.verdict is None:
        raise InputError("this claim has no verdict yet; review it once it has been checked")
    note = normalize_newlines(validate_unicode((note or "").strip(), "note"))
    if len(note) > MAX_NOTE_CHARS:
        raise InputError(f"the note has {len(note):,} characters; the limit is {MAX_NOTE_CHARS:,}")
    wanted: Label | None
    try:
        wanted = Label(label) if label else None
    except ValueError:
        raise InputError(f"unknown label {label!r}; use supported, contradicted or not_mentioned") from None
    if action == ReviewAction.CONFIRM:
        if wanted is not None and wanted != claim.verdict.label:
            raise InputError(f"'confirm' keeps the model's label ({claim.verdict.label.value}); "
                             "use 'change' to set another")
        wanted = claim.verdict.label
    elif wanted is None:
        raise InputError("say which label the claim should have (supported, contradicted or not_mentioned)")
    span = _reviewer_passage(store, claim, passage, quote) if (passage or (quote and quote.strip())) else None
    if span is not None and action == ReviewAction.CONFIRM:
        raise InputError("a passage goes with 'change'; 'confirm' keeps the model's passage")
    return store.add_review(claim.id, user.name, action, wanted, note, span)


def _reviewer_passage(store: Store, claim: Claim, passage: tuple[int, int] | None,
                      quote: str | None) -> tuple[int, int]:
    record = store.article(claim.article_id)
    text = record.text if record else ""
    if passage is not None:
        start, end = passage
        if not 0 <= start < end <= len(text):
            raise InputError(f"the passage {start}-{end} is not within the article (0-{len(text)})")
        return start, end
    wanted = normalize_newlines(validate_unicode((quote or "").strip(), "quote"))
    at = text.find(wanted)
    if at < 0:
        raise InputError("the quoted passage is not in the article; copy it exactly from the article text")
    return at, at + len(wanted)


class Forbidden(Exception):
    """The user's role does not allow this (the web layer answers 403)."""


def require(user: User, role: str, what: str) -> None:
    """`Forbidden` unless `user` has `role` or above."""
    if not user.can(role):
        raise Forbidden(f"{user.name} is a {user.role}; only {role}s and above may {what}")


def may_delete_article(user: User, article: ArticleRecord) -> bool:
    """Editors may delete the articles they added; admins any."""
    return user.can("admin") or (user.can("editor") and article.created_by == user.name)


def delete_article(store: Store, user: User, article: ArticleRecord) -> None:
    """Delete an article (kept in the audit trail)."""
    if not may_delete_article(user, article):
        raise Forbidden(f"only admins and the editor who added it ({article.created_by}) may delete this article")
    store.delete_article(article.id, user.name)


def edit_article(store: Store, user: User, article: ArticleRecord, title: str | None, source_url: str | None) -> None:
    """Change an article's title and/or source URL (None leaves one as it is)."""
    require(user, "editor", "edit articles")
    values: dict[str, str | None] = {}
    if title is not None:
        values["title"] = validate_title(title)
    if source_url is not None:
        values["source_url"] = validate_url(source_url)
    store.update_article(article.id, user.name, **values)


def add_claims(store: Store, jobs: JobRunner, user: User, article: ArticleRecord,
               claims: list[tuple[str | None, str]]) -> list[int]:
    """Add claims to an article and queue them; returns their ids."""
    require(user, "editor", "add claims")
    ids = store.add_claims(article.id, user.name, validate_claims(claims))
    jobs.submit(article.id)
    return ids


def edit_claim(store: Store, jobs: JobRunner, user: User, claim: Claim, text: str | None, ext_id: str | None) -> int:
    """Change a claim's text (checked again, as a new claim in its place) or id; returns the claim's id now."""
    require(user, "editor", "edit claims")
    ((ext, new_text),) = validate_claims([(ext_id if ext_id is not None else claim.ext_id,
                                        text if text is not None else claim.text)])
    new_id = store.replace_claim(claim, user.name, new_text, ext or None)
    if new_id != claim.id:
        jobs.submit(claim.article_id)
    return new_id


def delete_claim(store: Store, user: User, claim: Claim) -> None:
    """Delete a claim (kept in the audit trail)."""
    require(user, "editor", "delete claims")
    store.delete_claim(claim, user.name)


def recheck_claim(store: Store, jobs: JobRunner, user: User, claim: Claim) -> None:
    """Check one claim again."""
    require(user, "editor", "re-run claims")
    if claim.status == ClaimStatus.PENDING:
        return
    store.recheck_claim(claim, user.name)
    jobs.submit(claim.article_id)
