"""`Store`: every read and write the web app makes to its database (SQLAlchemy Core).

Reviews are append-only: a claim's current label is its latest review's, else the model's.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from verifier.article import Article
from verifier.errors import InputError
from verifier.labels import Label
from verifier.verdict import Verdict
from verifier.web import schema as t
from verifier.web.schema import now

PENDING, DONE, ERROR = "pending", "done", "error"


@dataclass(frozen=True)
class User:
    """Someone who may sign in; `id` is None for the anonymous user of `--no-auth`."""

    id: int | None
    name: str


@dataclass(frozen=True)
class Review:
    """One reviewer's decision on one claim."""

    id: int
    claim_id: int
    reviewer: str
    action: str
    label: Label
    note: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"id": self.id, "claim_id": self.claim_id, "reviewer": self.reviewer, "action": self.action,
                "label": self.label.value, "note": self.note, "created_at": self.created_at}


@dataclass(frozen=True)
class Claim:
    """A claim of an article, with the model's verdict once checked and its review history."""

    id: int
    article_id: int
    position: int
    ext_id: str | None
    text: str
    status: str
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

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; `verdict` is `Verdict.to_dict()`."""
        return {
            "id": self.id, "article_id": self.article_id, "position": self.position, "ext_id": self.ext_id,
            "claim": self.text, "status": self.status, "error": self.error,
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

    def as_article(self) -> Article:
        """The library's `Article`, text kept exactly as stored (no reconversion)."""
        return Article(text=self.text, format=self.format, source=self.source_url)

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        """A JSON-ready dict."""
        out = {"id": self.id, "title": self.title, "source_url": self.source_url, "format": self.format,
               "created_by": self.created_by, "created_at": self.created_at, "progress": self.progress.to_dict()}
        if with_text:
            out["text"] = self.text
        return out


def _new_id(result: sa.CursorResult) -> int:
    """The primary key of the row an INSERT just added."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the database did not report the new row's id")
    return int(key[0])


def _verdict(raw: str | None) -> Verdict | None:
    return Verdict.from_dict(json.loads(raw)) if raw else None


class Store:
    """Data access for the web app over one SQLAlchemy engine (thread-safe)."""

    TOKEN_CACHE_SECONDS = 30.0

    def __init__(self, engine: Engine):
        self.engine = engine
        self._token_cache: dict[str, tuple[float, User]] = {}

    # --- settings and users -------------------------------------------------------------

    def secret_key(self) -> str:
        """The key that signs session cookies, created on first use and shared by every process."""
        query = sa.select(t.settings.c.value).where(t.settings.c.key == "secret_key")
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        if value:
            return value
        try:
            with self.engine.begin() as conn:
                conn.execute(t.settings.insert().values(key="secret_key", value=secrets.token_urlsafe(48)))
        except IntegrityError:  # another process stored one first: use theirs
            pass
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def add_user(self, name: str, password_hash: str) -> User:
        """Create a user; `InputError` if the name is taken."""
        try:
            with self.engine.begin() as conn:
                uid = _new_id(conn.execute(t.users.insert().values(name=name, password_hash=password_hash,
                                                           created_at=now())))
        except IntegrityError:
            raise InputError(f"a user named {name!r} already exists") from None
        return User(uid, name)

    def user_password_hash(self, name: str) -> tuple[User, str] | None:
        """The user and their password hash, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.name == name)).first()
        return (User(row.id, row.name), row.password_hash) if row else None

    def set_password_hash(self, user: User, password_hash: str) -> None:
        """Replace a user's password hash (rehash on login)."""
        with self.engine.begin() as conn:
            conn.execute(t.users.update().where(t.users.c.id == user.id).values(password_hash=password_hash))

    def user(self, user_id: int) -> User | None:
        """A user by id."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.users.c.id, t.users.c.name).where(t.users.c.id == user_id)).first()
        return User(row.id, row.name) if row else None

    def add_token(self, user: User, token_hash: str) -> None:
        """Store the hash of a new API token for `user`."""
        with self.engine.begin() as conn:
            conn.execute(t.tokens.insert().values(user_id=user.id, token_hash=token_hash, created_at=now()))

    def user_for_token(self, token_hash: str) -> User | None:
        """The owner of the token with this hash (valid tokens are cached for a few seconds)."""
        hit = self._token_cache.get(token_hash)
        if hit is not None and time.monotonic() - hit[0] < self.TOKEN_CACHE_SECONDS:
            return hit[1]
        q = (sa.select(t.users.c.id, t.users.c.name)
             .join(t.tokens, t.tokens.c.user_id == t.users.c.id)
             .where(t.tokens.c.token_hash == token_hash))
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None:
            self._token_cache.pop(token_hash, None)
            return None
        if len(self._token_cache) > 10_000:
            self._token_cache.clear()
        user = User(row.id, row.name)
        self._token_cache[token_hash] = (time.monotonic(), user)
        return user

    # --- articles and claims ------------------------------------------------------------

    def add_article(self, title: str, source_url: str | None, article: Article, created_by: str | None,
                    claims: Sequence[tuple[str | None, str]]) -> int:
        """Store an article and its claims (as `(ext_id, text)`, all pending); returns its id."""
        stamp = now()
        with self.engine.begin() as conn:
            aid = _new_id(conn.execute(t.articles.insert().values(
                title=title, source_url=source_url, text=article.text, format=article.format,
                created_by=created_by, created_at=stamp)))
            if claims:
                conn.execute(t.claims.insert(), [
                    {"article_id": aid, "position": i, "ext_id": ext, "text": text, "status": PENDING,
                     "updated_at": stamp}
                    for i, (ext, text) in enumerate(claims)
                ])
        return aid

    def _progress(self, conn: sa.Connection, article_ids: Iterable[int]) -> dict[int, Progress]:
        ids = list(article_ids)
        counts: dict[int, dict[str, int]] = {a: {} for a in ids}
        if ids:
            q = (sa.select(t.claims.c.article_id, t.claims.c.status, sa.func.count())
                 .where(t.claims.c.article_id.in_(ids))
                 .group_by(t.claims.c.article_id, t.claims.c.status))
            for aid, status, n in conn.execute(q):
                counts[aid][status] = n
        return {a: Progress(sum(c.values()), c.get(DONE, 0), c.get(ERROR, 0)) for a, c in counts.items()}

    @staticmethod
    def _article(row: Any, progress: Progress) -> ArticleRecord:
        return ArticleRecord(row.id, row.title, row.source_url, row.text, row.format, row.created_by,
                             row.created_at, progress)

    def article(self, article_id: int) -> ArticleRecord | None:
        """An article with its progress, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.articles).where(t.articles.c.id == article_id)).first()
            if row is None:
                return None
            return self._article(row, self._progress(conn, [row.id])[row.id])

    def articles(self, limit: int = 50, offset: int = 0) -> list[ArticleRecord]:
        """Newest articles first, with progress (text left empty)."""
        cols = [c for c in t.articles.c if c.name != "text"]
        q = sa.select(*cols, sa.literal("").label("text")).order_by(t.articles.c.id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
            progress = self._progress(conn, [r.id for r in rows])
        return [self._article(r, progress[r.id]) for r in rows]

    def progress(self, article_id: int) -> Progress:
        """Counts of an article's claims by state."""
        with self.engine.connect() as conn:
            return self._progress(conn, [article_id])[article_id]

    def _claims(self, conn: sa.Connection, q: sa.Select) -> list[Claim]:
        rows = conn.execute(q).all()
        history: dict[int, list[Review]] = {r.id: [] for r in rows}
        ids = list(history)
        for k in range(0, len(ids), 500):
            rq = sa.select(t.reviews).where(t.reviews.c.claim_id.in_(ids[k:k + 500])).order_by(t.reviews.c.id)
            for r in conn.execute(rq):
                history[r.claim_id].append(
                    Review(r.id, r.claim_id, r.reviewer, r.action, Label(r.label), r.note, r.created_at))
        return [Claim(r.id, r.article_id, r.position, r.ext_id, r.text, r.status, _verdict(r.verdict), r.error,
                      tuple(history[r.id])) for r in rows]

    def claims(self, article_id: int) -> list[Claim]:
        """An article's claims in order, with verdicts and review history."""
        q = sa.select(t.claims).where(t.claims.c.article_id == article_id).order_by(t.claims.c.position)
        with self.engine.connect() as conn:
            return self._claims(conn, q)

    def claim(self, claim_id: int) -> Claim | None:
        """One claim, or None."""
        with self.engine.connect() as conn:
            found = self._claims(conn, sa.select(t.claims).where(t.claims.c.id == claim_id))
        return found[0] if found else None

    def pending_claims(self, article_id: int, limit: int) -> list[tuple[int, str]]:
        """Up to `limit` unchecked claims of an article, as `(id, text)`."""
        q = (sa.select(t.claims.c.id, t.claims.c.text)
             .where(t.claims.c.article_id == article_id, t.claims.c.status == PENDING)
             .order_by(t.claims.c.position).limit(limit))
        with self.engine.connect() as conn:
            return [(r.id, r.text) for r in conn.execute(q)]

    def articles_with_pending_claims(self) -> list[int]:
        """Ids of articles that still have unchecked claims, oldest first."""
        q = (sa.select(t.claims.c.article_id).where(t.claims.c.status == PENDING)
             .group_by(t.claims.c.article_id).order_by(t.claims.c.article_id))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(q)]

    def save_results(self, results: Sequence[tuple[int, Verdict | None, str | None]]) -> None:
        """Record `(claim_id, verdict, error)` for checked claims (exactly one of verdict/error)."""
        stamp = now()
        with self.engine.begin() as conn:
            for claim_id, verdict, error in results:
                values: dict[str, Any] = {"updated_at": stamp}
                if verdict is not None:
                    values |= {"status": DONE, "label": verdict.label.value, "confidence": verdict.confidence,
                               "verdict": json.dumps(verdict.to_dict(), ensure_ascii=False), "error": None}
                else:
                    values |= {"status": ERROR, "error": error or "unknown error"}
                conn.execute(t.claims.update().where(t.claims.c.id == claim_id).values(**values))

    def retry_failed(self, article_id: int) -> int:
        """Put an article's failed claims back in the queue; returns how many."""
        with self.engine.begin() as conn:
            res = conn.execute(t.claims.update()
                               .where(t.claims.c.article_id == article_id, t.claims.c.status == ERROR)
                               .values(status=PENDING, error=None, updated_at=now()))
        return res.rowcount or 0

    # --- reviews ------------------------------------------------------------------------

    def add_review(self, claim_id: int, reviewer: str, action: str, label: Label, note: str) -> Review:
        """Append a review (never overwrites an earlier one)."""
        stamp = now()
        with self.engine.begin() as conn:
            rid = _new_id(conn.execute(t.reviews.insert().values(
                claim_id=claim_id, reviewer=reviewer, action=action, label=label.value, note=note,
                created_at=stamp)))
        return Review(rid, claim_id, reviewer, action, label, note, stamp)

    def review_queue(self, label: Label | None = None, article_id: int | None = None,
                     limit: int = 100, offset: int = 0) -> list[Claim]:
        """Checked claims nobody has reviewed: those the verifier flags `needs_review` first, then
        contradicted, then least confident first."""
        reviewed = sa.select(t.reviews.c.id).where(t.reviews.c.claim_id == t.claims.c.id).exists()
        q = sa.select(t.claims).where(t.claims.c.status == DONE, ~reviewed)
        if label is not None:
            q = q.where(t.claims.c.label == label.value)
        if article_id is not None:
            q = q.where(t.claims.c.article_id == article_id)
        contradicted_first = sa.case((t.claims.c.label == Label.CONTRADICTED.value, 0), else_=1)
        # The flag lives in the stored verdict JSON (json.dumps' default separators).
        flagged_first = sa.case((t.claims.c.verdict.like('%"needs_review": true%'), 0), else_=1)
        q = q.order_by(flagged_first, contradicted_first, t.claims.c.confidence, t.claims.c.id)
        q = q.limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return self._claims(conn, q)

    def article_titles(self, ids: Iterable[int]) -> dict[int, str]:
        """Titles of the given articles."""
        wanted = list(set(ids))
        if not wanted:
            return {}
        with self.engine.connect() as conn:
            q = sa.select(t.articles.c.id, t.articles.c.title).where(t.articles.c.id.in_(wanted))
            return {r.id: r.title for r in conn.execute(q)}
