"""`AccountStore`: users with roles, API tokens (labelled, expiring, revocable) and sign-in sessions.

Only hashes of tokens and session ids are stored, so reading the database does not let anyone
sign in. `Store` inherits these methods; they touch only the users, tokens and sessions tables.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from verifier.errors import InputError
from verifier.web import schema as t
from verifier.web.schema import now

ROLES = ("viewer", "editor", "admin")
_RANK = {r: i for i, r in enumerate(ROLES)}


def validate_role(role: str) -> str:
    """The role, if it is one of `ROLES`; `InputError` otherwise."""
    if role not in _RANK:
        raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    return role


@dataclass(frozen=True)
class User:
    """Someone who may sign in; `id` is None for the anonymous user of `--no-auth`."""

    id: int | None
    name: str
    role: str = "editor"

    def can(self, role: str) -> bool:
        """True if this user's role is `role` or above (viewer < editor < admin)."""
        return _RANK.get(self.role, -1) >= _RANK[role]


@dataclass(frozen=True)
class TokenInfo:
    """An API token as listed (the token itself is never stored)."""

    id: int
    user: str
    label: str
    created_at: str
    expires_at: str | None
    last_used_at: str | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"id": self.id, "user": self.user, "label": self.label, "created_at": self.created_at,
                "expires_at": self.expires_at, "last_used_at": self.last_used_at}


def stamp_in(days: float | None) -> str | None:
    """The time `days` from now as stored (None for never)."""
    if not days:
        return None
    return (datetime.now(timezone.utc) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id(result: sa.CursorResult) -> int:
    """The primary key of the row an INSERT just added."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the database did not report the new row's id")
    return int(key[0])


def _user(row: Any) -> User:
    return User(row.id, row.name, row.role)


class AccountStore:
    """Users, tokens and sessions over one engine (mixed into `Store`)."""

    TOKEN_CACHE_SECONDS = 10.0
    engine: Engine

    def __init__(self, engine: Engine):
        self.engine = engine
        self._token_cache: dict[str, tuple[float, User, str | None]] = {}

    # --- users ------------------------------------------------------------------------------

    def add_user(self, name: str, password_hash: str, role: str = "editor") -> User:
        """Create a user; `InputError` if the name is taken."""
        validate_role(role)
        try:
            with self.engine.begin() as conn:
                uid = new_id(conn.execute(t.users.insert().values(name=name, password_hash=password_hash, role=role,
                                                                  created_at=now())))
        except IntegrityError:
            raise InputError(f"a user named {name!r} already exists") from None
        return User(uid, name, role)

    def user_password_hash(self, name: str) -> tuple[User, str] | None:
        """The user and their password hash, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.name == name)).first()
        return (_user(row), row.password_hash) if row else None

    def user_named(self, name: str) -> User | None:
        """A user by name, or None."""
        found = self.user_password_hash(name.strip())
        return found[0] if found else None

    def user(self, user_id: int) -> User | None:
        """A user by id."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.id == user_id)).first()
        return _user(row) if row else None

    def users(self) -> list[User]:
        """Every user, by name."""
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(sa.select(t.users).order_by(t.users.c.name))]

    def set_password_hash(self, user: User, password_hash: str, sign_out: bool = False) -> None:
        """Replace a user's password hash; `sign_out` also ends their sessions and revokes their tokens."""
        with self.engine.begin() as conn:
            conn.execute(t.users.update().where(t.users.c.id == user.id).values(password_hash=password_hash))
            if sign_out:
                self._forget(conn, user)

    def set_role(self, user: User, role: str) -> User:
        """Give a user another role."""
        validate_role(role)
        with self.engine.begin() as conn:
            conn.execute(t.users.update().where(t.users.c.id == user.id).values(role=role))
        self._token_cache.clear()
        return User(user.id, user.name, role)

    def remove_user(self, user: User) -> None:
        """Delete a user with their tokens and sessions (what they wrote keeps their name)."""
        with self.engine.begin() as conn:
            self._forget(conn, user)
            conn.execute(t.users.delete().where(t.users.c.id == user.id))

    def _forget(self, conn: sa.Connection, user: User) -> None:
        conn.execute(t.tokens.delete().where(t.tokens.c.user_id == user.id))
        conn.execute(t.sessions.delete().where(t.sessions.c.user_id == user.id))
        self._token_cache.clear()

    # --- API tokens ---------------------------------------------------------------------------

    def add_token(self, user: User, token_hash: str, label: str = "", expires_at: str | None = None) -> int:
        """Store the hash of a new API token for `user`; returns its id."""
        with self.engine.begin() as conn:
            return new_id(conn.execute(t.tokens.insert().values(
                user_id=user.id, token_hash=token_hash, created_at=now(), label=label, expires_at=expires_at)))

    def tokens(self, user: User | None = None) -> list[TokenInfo]:
        """API tokens (of `user`, or everyone's), oldest first."""
        q = (sa.select(t.tokens, t.users.c.name).join(t.users, t.users.c.id == t.tokens.c.user_id)
             .order_by(t.tokens.c.id))
        if user is not None:
            q = q.where(t.tokens.c.user_id == user.id)
        with self.engine.connect() as conn:
            return [TokenInfo(r.id, r.name, r.label, r.created_at, r.expires_at, r.last_used_at)
                    for r in conn.execute(q)]

    def revoke_tokens(self, user: User, token_id: int | None = None, label: str | None = None) -> int:
        """Delete `user`'s token `token_id`, their tokens labelled `label`, or all of them; returns how many."""
        q = t.tokens.delete().where(t.tokens.c.user_id == user.id)
        if token_id is not None:
            q = q.where(t.tokens.c.id == token_id)
        if label is not None:
            q = q.where(t.tokens.c.label == label)
        with self.engine.begin() as conn:
            n = conn.execute(q).rowcount or 0
        self._token_cache.clear()
        return n

    def revoke_token_hash(self, token_hash: str) -> None:
        """Delete the token with this hash."""
        with self.engine.begin() as conn:
            conn.execute(t.tokens.delete().where(t.tokens.c.token_hash == token_hash))
        self._token_cache.pop(token_hash, None)

    def user_for_token(self, token_hash: str) -> User | None:
        """The owner of this unexpired token (cached for a few seconds: a revocation elsewhere takes that long)."""
        stamp = now()
        hit = self._token_cache.get(token_hash)
        fresh = hit is not None and time.monotonic() - hit[0] < self.TOKEN_CACHE_SECONDS
        if hit is not None and fresh and (hit[2] is None or hit[2] > stamp):
            return hit[1]
        q = (sa.select(t.users, t.tokens.c.id.label("token_id"), t.tokens.c.expires_at)
             .join(t.tokens, t.tokens.c.user_id == t.users.c.id)
             .where(t.tokens.c.token_hash == token_hash))
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None or (row.expires_at is not None and row.expires_at <= stamp):
            self._token_cache.pop(token_hash, None)
            return None
        with self.engine.begin() as conn:  # at most once per cache period
            conn.execute(t.tokens.update().where(t.tokens.c.id == row.token_id).values(last_used_at=stamp))
        if len(self._token_cache) > 10_000:
            self._token_cache.clear()
        user = _user(row)
        self._token_cache[token_hash] = (time.monotonic(), user, row.expires_at)
        return user

    # --- browser sessions ---------------------------------------------------------------------

    def add_session(self, user: User, session_hash: str, expires_at: str) -> None:
        """Record a sign-in session."""
        with self.engine.begin() as conn:
            conn.execute(t.sessions.delete().where(t.sessions.c.expires_at <= now()))
            conn.execute(t.sessions.insert().values(session_hash=session_hash, user_id=user.id, created_at=now(),
                                                    expires_at=expires_at))

    def user_for_session(self, session_hash: str) -> User | None:
        """The user of this unexpired session, or None."""
        q = (sa.select(t.users).join(t.sessions, t.sessions.c.user_id == t.users.c.id)
             .where(t.sessions.c.session_hash == session_hash, t.sessions.c.expires_at > now()))
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        return _user(row) if row else None

    def end_session(self, session_hash: str) -> None:
        """Forget a session (sign-out)."""
        with self.engine.begin() as conn:
            conn.execute(t.sessions.delete().where(t.sessions.c.session_hash == session_hash))
