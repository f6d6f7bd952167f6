"""Who may do what: password hashing (argon2), API tokens, login sessions and CSRF tokens.

The browser signs in with a password and gets a signed session cookie; the API takes a
per-user bearer token. Requests that ride on the session cookie and change something must
carry the session's CSRF token (a form field on pages, the `X-CSRF-Token` header on the API).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from verifier.errors import InputError
from verifier.web.store import User

if TYPE_CHECKING:
    from starlette.requests import Request

    from verifier.web.store import Store

MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1_000
ANONYMOUS = User(None, "anonymous")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"

_hasher = PasswordHasher()


def check_username(name: str) -> str:
    """The name, stripped; `InputError` unless it is 1-100 printable characters without spaces."""
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable() or any(c.isspace() for c in name):
        raise InputError("a user name must be 1 to 100 printable characters without spaces")
    return name


def hash_password(password: str) -> str:
    """An argon2id hash; `InputError` if the password is too short or too long."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise InputError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise InputError(f"the password must have at most {MAX_PASSWORD_CHARS} characters")
    return _hasher.hash(password)


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user if the password is right, else None (rehashing outdated hashes)."""
    found = store.user_password_hash(name.strip())
    if found is None or len(password) > MAX_PASSWORD_CHARS:
        _hasher.hash("spend-the-same-time")  # do not reveal which names exist by timing
        return None
    user, stored = found
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(stored):
        store.set_password_hash(user, _hasher.hash(password))
    return user


def hash_token(token: str) -> str:
    """How a token is stored: its SHA-256 (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(store: Store, user: User) -> str:
    """Create an API token for `user`; only its hash is stored, so show it now."""
    token = "vf_" + secrets.token_urlsafe(32)
    store.add_token(user, hash_token(token))
    return token


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def csrf_ok(request: Request, supplied: str | None) -> bool:
    """True when `supplied` matches the session's CSRF token."""
    expected = request.session.get("csrf")
    return bool(expected and supplied and hmac.compare_digest(str(expected), str(supplied)))


def identify(request: Request, store: Store, auth: bool) -> tuple[User | None, str]:
    """Who sent the request and how: ('token' | 'session' | 'anonymous' | 'bad-token' | 'none').

    A bearer token wins over the cookie; without either, `--no-auth` servers treat the
    request as the anonymous user.
    """
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        user = store.user_for_token(hash_token(value.strip()))
        return (user, "token") if user else (None, "bad-token")
    uid = request.session.get("user_id")
    if isinstance(uid, int):
        user = store.user(uid)
        if user is not None:
            return user, "session"
    if not auth:
        return ANONYMOUS, "anonymous"
    return None, "none"


def sign_in(request: Request, user: User) -> None:
    """Start a login session (a fresh CSRF token too)."""
    request.session.clear()
    request.session["user_id"] = user.id
    request.session["csrf"] = secrets.token_urlsafe(32)
