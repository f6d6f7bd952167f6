"""`Store`: every read and write the web app makes to its database (SQLAlchemy Core).

Reviews are append-only: a claim's current label is its latest review's, else the model's.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from verifier.article import Article
from verifier.labels import Label
from verifier.verdict import Verdict
from verifier.web import schema as t
from verifier.web.accounts import AccountStore, User, new_id
from verifier.web.records import ArticleRecord, Claim, ClaimStatus, Lease, Progress, Review, ReviewAction
from verifier.web.schema import now

__all__ = ["ArticleRecord", "Claim", "ClaimStatus", "Lease", "Progress", "Review", "ReviewAction", "Store", "User"]

PENDING, DONE, ERROR = ClaimStatus.PENDING.value, ClaimStatus.DONE.value, ClaimStatus.ERROR.value  # as stored


def _verdict(raw: str | None) -> Verdict | None:
    return Verdict.from_dict(json.loads(raw)) if raw else None


class Store(AccountStore):
    """Data access for the web app over one SQLAlchemy engine (thread-safe); accounts in `AccountStore`."""

    # --- articles and claims ------------------------------------------------------------

    def add_article(self, title: str, source_url: str | None, article: Article, created_by: str | None,
                    claims: Sequence[tuple[str | None, str]]) -> int:
        """Store an article and its claims (as `(ext_id, text)`, all pending); returns its id."""
        stamp = now()
        with self.engine.begin() as conn:
            aid = new_id(conn.execute(t.articles.insert().values(
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
                 .where(t.claims.c.article_id.in_(ids), t.claims.c.deleted_at.is_(None))
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
            row = conn.execute(sa.select(t.articles).where(t.articles.c.id == article_id,
                                                           t.articles.c.deleted_at.is_(None))).first()
            if row is None:
                return None
            return self._article(row, self._progress(conn, [row.id])[row.id])

    @staticmethod
    def _article_filter(q: sa.Select, search: str = "", author: str = "", since: str = "",
                        until: str = "") -> sa.Select:
        q = q.where(t.articles.c.deleted_at.is_(None))
        if search:
            pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            q = q.where(sa.or_(t.articles.c.title.ilike(pattern, escape="\\"),
                               t.articles.c.source_url.ilike(pattern, escape="\\")))
        if author:
            q = q.where(t.articles.c.created_by == author)
        if since:
            q = q.where(t.articles.c.created_at >= since)
        if until:
            q = q.where(t.articles.c.created_at < until + "\uffff")  # a whole day when `until` is a date
        return q

    def articles(self, limit: int = 50, offset: int = 0, search: str = "", author: str = "", since: str = "",
                 until: str = "") -> list[ArticleRecord]:
        """Newest articles first, with progress and label counts (text left empty), filtered by
        words of the title or URL, author and creation date (`since`/`until`, ISO dates)."""
        cols = [c for c in t.articles.c if c.name != "text"]
        q = sa.select(*cols, sa.literal("").label("text"))
        q = self._article_filter(q, search, author, since, until)
        q = q.order_by(t.articles.c.id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
            ids = [r.id for r in rows]
            progress = self._progress(conn, ids)
            counts = self._label_counts(conn, ids)
        return [replace(self._article(r, progress[r.id]), counts=counts[r.id]) for r in rows]

    def count_articles(self, search: str = "", author: str = "", since: str = "", until: str = "") -> int:
        """How many articles `articles` would list without a limit."""
        q = self._article_filter(sa.select(sa.func.count()).select_from(t.articles), search, author, since, until)
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def authors(self) -> list[str]:
        """Names that created articles."""
        q = (sa.select(t.articles.c.created_by).where(t.articles.c.created_by.is_not(None),
                                                      t.articles.c.deleted_at.is_(None))
             .group_by(t.articles.c.created_by).order_by(t.articles.c.created_by))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(q)]

    def _label_counts(self, conn: sa.Connection, article_ids: list[int]) -> dict[int, dict[str, int]]:
        """Per article: claims by the label that stands (latest review, else the model), and how many reviewed."""
        out: dict[int, dict[str, int]] = {a: {lab.value: 0 for lab in Label} | {"reviewed": 0} for a in article_ids}
        if not article_ids:
            return out
        latest = (sa.select(t.reviews.c.claim_id, sa.func.max(t.reviews.c.id).label("rid"))
                  .group_by(t.reviews.c.claim_id).subquery())
        final = sa.func.coalesce(t.reviews.c.label, t.claims.c.label)
        q = (sa.select(t.claims.c.article_id, final.label("final"), (latest.c.rid.is_not(None)).label("reviewed"),
                       sa.func.count())
             .select_from(t.claims.outerjoin(latest, latest.c.claim_id == t.claims.c.id)
                          .outerjoin(t.reviews, t.reviews.c.id == latest.c.rid))
             .where(t.claims.c.article_id.in_(article_ids), t.claims.c.deleted_at.is_(None),
                    t.claims.c.status == DONE)
             .group_by(t.claims.c.article_id, final, latest.c.rid.is_not(None)))
        for aid, label, reviewed, n in conn.execute(q):
            if label in out[aid]:
                out[aid][label] += n
            if reviewed:
                out[aid]["reviewed"] += n
        return out

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
                passage = (r.passage_start, r.passage_end) if r.passage_start is not None else None
                history[r.claim_id].append(
                    Review(r.id, r.claim_id, r.reviewer, ReviewAction(r.action), Label(r.label), r.note, r.created_at,
                           passage))
        return [Claim(r.id, r.article_id, r.position, r.ext_id, r.text, ClaimStatus(r.status), _verdict(r.verdict),
                      r.error,
                      tuple(history[r.id])) for r in rows]

    def claims(self, article_id: int) -> list[Claim]:
        """An article's claims in order, with verdicts and review history."""
        q = (sa.select(t.claims).where(t.claims.c.article_id == article_id, t.claims.c.deleted_at.is_(None))
             .order_by(t.claims.c.position))
        with self.engine.connect() as conn:
            return self._claims(conn, q)

    def claim(self, claim_id: int) -> Claim | None:
        """One claim, or None."""
        with self.engine.connect() as conn:
            found = self._claims(conn, sa.select(t.claims).where(t.claims.c.id == claim_id,
                                                                  t.claims.c.deleted_at.is_(None)))
        return found[0] if found else None

    def pending_claims(self, article_id: int, limit: int) -> list[tuple[int, str]]:
        """Up to `limit` unchecked claims of an article, as `(id, text)`."""
        q = (sa.select(t.claims.c.id, t.claims.c.text)
             .where(t.claims.c.article_id == article_id, t.claims.c.status == PENDING, t.claims.c.deleted_at.is_(None))
             .order_by(t.claims.c.position).limit(limit))
        with self.engine.connect() as conn:
            return [(r.id, r.text) for r in conn.execute(q)]

    # --- claim leases: several workers (threads or processes) share one database's checking ---

    @staticmethod
    def _free(stamp: str) -> sa.ColumnElement[bool]:
        """Pending claims no worker holds: never leased, or the lease ran out (its worker died or hung)."""
        c = t.claims.c
        return sa.and_(c.status == PENDING, c.deleted_at.is_(None),
                       sa.or_(c.lease_expires.is_(None), c.lease_expires < stamp))

    def articles_with_pending_claims(self) -> list[int]:
        """Ids of articles with pending claims no worker holds, oldest first."""
        q = (sa.select(t.claims.c.article_id).where(self._free(now()))
             .group_by(t.claims.c.article_id).order_by(t.claims.c.article_id))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(q)]

    def lease_claims(self, article_id: int, owner: str, limit: int, seconds: float) -> Lease:
        """Take up to `limit` free pending claims of an article for `seconds` (empty when none is free).

        The UPDATE is conditional (still pending, still free when it runs), so two workers never
        get the same claim; a claim whose worker dies is free again when its lease runs out.
        """
        token = f"{owner[:80]}/{secrets.token_hex(6)}"
        c = t.claims.c
        while True:
            stamp = now()
            with self.engine.begin() as conn:
                ids = conn.execute(sa.select(c.id).where(c.article_id == article_id, self._free(stamp))
                                   .order_by(c.position).limit(limit)).scalars().all()
                if not ids:
                    return Lease(token, [])
                conn.execute(t.claims.update().where(c.id.in_(ids), self._free(stamp))
                             .values(lease_owner=token, lease_expires=now(seconds)))
                rows = conn.execute(sa.select(c.id, c.text).where(c.lease_owner == token).order_by(c.position)).all()
            if rows:  # else another worker took these first: look again
                return Lease(token, [(r.id, r.text) for r in rows])

    def save_results(self, results: Sequence[tuple[int, Verdict | None, str | None]], lease: str | None = None) -> int:
        """Record `(claim_id, verdict, error)` for checked claims (exactly one of verdict/error).

        With `lease`, only claims still held under that lease token are written (a worker whose
        lease ran out and passed to another does not overwrite it). Returns how many were written.
        """
        stamp = now()
        written = 0
        with self.engine.begin() as conn:
            for claim_id, verdict, error in results:
                values: dict[str, Any] = {"updated_at": stamp, "lease_owner": None, "lease_expires": None}
                if verdict is not None:
                    values |= {"status": DONE, "label": verdict.label.value, "confidence": verdict.confidence,
                               "verdict": json.dumps(verdict.to_dict(), ensure_ascii=False), "error": None}
                else:
                    values |= {"status": ERROR, "error": error or "unknown error"}
                q = t.claims.update().where(t.claims.c.id == claim_id)
                if lease is not None:
                    q = q.where(t.claims.c.lease_owner == lease, t.claims.c.status == PENDING)
                written += conn.execute(q.values(**values)).rowcount or 0
        return written

    def retry_failed(self, article_id: int) -> int:
        """Put an article's failed claims back in the queue; returns how many."""
        with self.engine.begin() as conn:
            res = conn.execute(t.claims.update()
                               .where(t.claims.c.article_id == article_id, t.claims.c.status == ERROR)
                               .values(status=PENDING, error=None, updated_at=now(), lease_owner=None,
                                       lease_expires=None))
        return res.rowcount or 0

    # --- reviews ------------------------------------------------------------------------

    def add_review(self, claim_id: int, reviewer: str, action: ReviewAction | str, label: Label, note: str,
                   passage: tuple[int, int] | None = None) -> Review:
        """Append a review (never overwrites an earlier one)."""
        action = ReviewAction(action)
        stamp = now()
        start, end = passage if passage else (None, None)
        with self.engine.begin() as conn:
            rid = new_id(conn.execute(t.reviews.insert().values(
                claim_id=claim_id, reviewer=reviewer, action=action.value, label=label.value, note=note,
                created_at=stamp, passage_start=start, passage_end=end)))
        return Review(rid, claim_id, reviewer, action, label, note, stamp, passage)

    def review_queue(self, label: Label | None = None, article_id: int | None = None,
                     limit: int = 100, offset: int = 0) -> list[Claim]:
        """Checked claims nobody has reviewed: those the verifier flags `needs_review` first, then
        contradicted, then least confident first."""
        reviewed = sa.select(t.reviews.c.id).where(t.reviews.c.claim_id == t.claims.c.id).exists()
        live = sa.select(t.articles.c.id).where(t.articles.c.id == t.claims.c.article_id,
                                                t.articles.c.deleted_at.is_(None)).exists()
        q = sa.select(t.claims).where(t.claims.c.status == DONE, ~reviewed, t.claims.c.deleted_at.is_(None), live)
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

    # --- editing, with an audit trail ---------------------------------------------------------

    @staticmethod
    def _audit(conn: sa.Connection, actor: str, action: str, article_id: int | None, claim_id: int | None,
               detail: dict[str, Any]) -> None:
        conn.execute(t.audit.insert().values(created_at=now(), actor=actor, action=action, article_id=article_id,
                                             claim_id=claim_id, detail=json.dumps(detail, ensure_ascii=False)))

    def audit_trail(self, article_id: int) -> list[dict[str, Any]]:
        """What was changed or deleted in an article and its claims, oldest first."""
        q = sa.select(t.audit).where(t.audit.c.article_id == article_id).order_by(t.audit.c.id)
        with self.engine.connect() as conn:
            return [{"id": r.id, "created_at": r.created_at, "actor": r.actor, "action": r.action,
                     "article_id": r.article_id, "claim_id": r.claim_id, "detail": json.loads(r.detail)}
                    for r in conn.execute(q)]

    def update_article(self, article_id: int, actor: str, **values: str | None) -> None:
        """Change an article's `title` and/or `source_url`, recording the old and new values."""
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(t.articles).where(t.articles.c.id == article_id)).one()
            changed = {k: v for k, v in values.items() if getattr(row, k) != v}
            if not changed:
                return
            conn.execute(t.articles.update().where(t.articles.c.id == article_id).values(**changed))
            self._audit(conn, actor, "edit_article", article_id, None,
                        {k: {"before": getattr(row, k), "after": v} for k, v in changed.items()})

    def delete_article(self, article_id: int, actor: str) -> None:
        """Hide an article and its claims (kept in the database, with the deletion in the audit trail)."""
        stamp = now()
        with self.engine.begin() as conn:
            title = conn.execute(sa.select(t.articles.c.title).where(t.articles.c.id == article_id)).scalar_one()
            conn.execute(t.articles.update().where(t.articles.c.id == article_id).values(deleted_at=stamp))
            conn.execute(t.claims.update().where(t.claims.c.article_id == article_id, t.claims.c.deleted_at.is_(None))
                         .values(deleted_at=stamp))
            self._audit(conn, actor, "delete_article", article_id, None, {"title": title})

    def add_claims(self, article_id: int, actor: str, claims: Sequence[tuple[str | None, str]]) -> list[int]:
        """Append pending claims to an article; returns their ids."""
        stamp = now()
        ids = []
        with self.engine.begin() as conn:
            last = conn.execute(sa.select(sa.func.max(t.claims.c.position))
                                .where(t.claims.c.article_id == article_id)).scalar()
            start = -1 if last is None else last
            for i, (ext, text) in enumerate(claims, start + 1):
                ids.append(new_id(conn.execute(t.claims.insert().values(
                    article_id=article_id, position=i, ext_id=ext, text=text, status=PENDING, updated_at=stamp))))
            self._audit(conn, actor, "add_claims", article_id, None,
                        {"claim_ids": ids, "claims": [c for _, c in claims]})
        return ids

    def replace_claim(self, claim: Claim, actor: str, text: str, ext_id: str | None) -> int:
        """Edit a claim: a changed text becomes a new pending claim in its place (the old one, with its
        verdict and reviews, stays in the database); a changed id alone is edited in place."""
        stamp = now()
        with self.engine.begin() as conn:
            if text == claim.text:
                conn.execute(t.claims.update().where(t.claims.c.id == claim.id).values(ext_id=ext_id, updated_at=stamp))
                self._audit(conn, actor, "edit_claim", claim.article_id, claim.id,
                            {"id": {"before": claim.ext_id, "after": ext_id}})
                return claim.id
            conn.execute(t.claims.update().where(t.claims.c.id == claim.id).values(deleted_at=stamp))
            new = new_id(conn.execute(t.claims.insert().values(
                article_id=claim.article_id, position=claim.position, ext_id=ext_id, text=text, status=PENDING,
                updated_at=stamp)))
            self._audit(conn, actor, "edit_claim", claim.article_id, claim.id,
                        {"replaced_by": new, "claim": {"before": claim.text, "after": text},
                         "id": {"before": claim.ext_id, "after": ext_id},
                         "model_label": claim.model_label.value if claim.model_label else None,
                         "label": claim.label.value if claim.label else None})
        return new

    def delete_claim(self, claim: Claim, actor: str) -> None:
        """Hide a claim (kept with its verdict and reviews; the deletion goes in the audit trail)."""
        with self.engine.begin() as conn:
            conn.execute(t.claims.update().where(t.claims.c.id == claim.id).values(deleted_at=now()))
            self._audit(conn, actor, "delete_claim", claim.article_id, claim.id,
                        {"claim": claim.text, "label": claim.label.value if claim.label else None})

    def recheck_claim(self, claim: Claim, actor: str) -> None:
        """Queue a claim to be checked again (its reviews stay; the old verdict goes in the audit trail)."""
        with self.engine.begin() as conn:
            conn.execute(t.claims.update().where(t.claims.c.id == claim.id)
                         .values(status=PENDING, error=None, updated_at=now()))
            self._audit(conn, actor, "recheck_claim", claim.article_id, claim.id,
                        {"verdict": claim.verdict.to_dict() if claim.verdict else None, "error": claim.error})
