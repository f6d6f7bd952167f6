"""What both the pages and the API do: start a check of an article's claims, record a review."""

from __future__ import annotations

from verifier.article import Article
from verifier.errors import InputError
from verifier.labels import Label
from verifier.web.inputs import article_from_text, article_from_upload, check_claims, check_title, check_url
from verifier.web.jobs import JobRunner
from verifier.web.settings import MAX_NOTE_CHARS
from verifier.web.store import DONE, Claim, Review, Store, User

ACTIONS = ("confirm", "change")


def load_article(text: str | None, upload: tuple[str, bytes] | None, source_url: str | None,
                 fetch: bool, format: str = "auto") -> tuple[Article, str | None]:
    """The article from pasted text, an uploaded file, or (with `fetch`) its source URL; and a fetched title."""
    given = [name for name, present in (("text", bool(text and text.strip())), ("file", upload is not None),
                                        ("URL", fetch)) if present]
    if len(given) > 1:
        raise InputError(f"give the article one way only, not as {' and '.join(given)}")
    if fetch:
        if not source_url:
            raise InputError("give the source URL to fetch the article from")
        from verifier.fetch import fetch_page

        page = fetch_page(source_url)
        return page.article, page.title
    if upload is not None:
        return article_from_upload(*upload), None
    if text and text.strip():
        return article_from_text(text, format=format), None
    raise InputError("the article is missing: paste its text, upload a file, or fetch it from its URL")


def start_check(store: Store, jobs: JobRunner, user: User, title: str | None, source_url: str | None,
                article: Article, claims: list[tuple[str | None, str]], fetched_title: str | None = None) -> int:
    """Validate and store an article with its claims, and queue them for checking; returns the article id."""
    source = check_url(source_url)
    name = check_title(title or fetched_title or source or "")
    checked = check_claims(claims)
    article_id = store.add_article(name, source, article, user.name, checked)
    jobs.submit(article_id)
    return article_id


def record_review(store: Store, claim: Claim, user: User, action: str, label: Label | str | None,
                  note: str | None) -> Review:
    """Append a review: `confirm` keeps the model's label, `change` sets `label`."""
    if action not in ACTIONS:
        raise InputError(f"unknown review action {action!r}; use 'confirm' or 'change'")
    if claim.status != DONE or claim.verdict is None:
        raise InputError("this claim has no verdict yet; review it once it has been checked")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise InputError(f"the note has {len(note):,} characters; the limit is {MAX_NOTE_CHARS:,}")
    wanted: Label | None
    try:
        wanted = Label(label) if label else None
    except ValueError:
        raise InputError(f"unknown label {label!r}; use supported, contradicted or not_mentioned") from None
    if action == "confirm":
        if wanted is not None and wanted != claim.verdict.label:
            raise InputError(f"'confirm' keeps the model's label ({claim.verdict.label.value}); "
                             "use 'change' to set another")
        wanted = claim.verdict.label
    elif wanted is None:
        raise InputError("say which label the claim should have (supported, contradicted or not_mentioned)")
    return store.add_review(claim.id, user.name, action, wanted, note)
