"""Who may do what: password hashing (argon2), API tokens, sign-in sessions and CSRF tokens.

The browser signs in with a password and gets a cookie holding a random session id; the
database keeps only its hash, so signing out (or removing the user) ends it. The API takes a
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
from verifier.web.accounts import User, stamp_in

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from verifier.web.store import Store

MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1_000
ANONYMOUS = User(None, "anonymous", "admin")  # --no-auth: one person on their own machine
SESSION_COOKIE = "verifier_session"
CSRF_COOKIE = "verifier_csrf"
SESSION_SECONDS = 14 * 24 * 3600
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"

_hasher = PasswordHasher()


def validate_username(name: str) -> str:
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
    """How a token or session id is stored: its SHA-256 (they are random, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(store: Store, user: User, label: str = "", expires_days: float | None = None) -> str:
    """Create an API token for `user` (expiring after `expires_days`, never if None or 0); only its hash
    is stored, so show it now."""
    token = "vf_" + secrets.token_urlsafe(32)
    store.add_token(user, hash_token(token), label, stamp_in(expires_days))
    return token


def bearer(request: Request) -> str | None:
    """The bearer token the request carries, if any."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _session_id(request: Request) -> str | None:
    value = request.cookies.get(SESSION_COOKIE)
    return value if value and len(value) < 200 else None


def csrf_token(request: Request) -> str:
    """The CSRF token for forms: derived from the session id when signed in, else a pre-sign-in cookie's
    (created on first use; `set_csrf_cookie` puts it on the response)."""
    sid = _session_id(request)
    if sid and getattr(request.state, "signed_in", False):
        return hashlib.sha256(("csrf:" + sid).encode()).hexdigest()
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token or len(token) > 200:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def _secure(request: Request) -> bool:
    """Whether cookies carry the Secure flag (`serve --secure-cookies`, behind an HTTPS proxy)."""
    return bool(getattr(request.app.state, "secure_cookies", False))


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Send the pre-sign-in CSRF cookie if `csrf_token` created one."""
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(CSRF_COOKIE, token, max_age=SESSION_SECONDS, httponly=True, samesite="lax",
                            secure=_secure(request))


def csrf_ok(request: Request, supplied: str | None) -> bool:
    """True when `supplied` matches the CSRF token of this session (or of the pre-sign-in cookie)."""
    if not supplied:
        return False
    sid = _session_id(request)
    if sid and getattr(request.state, "signed_in", False):
        expected: str | None = hashlib.sha256(("csrf:" + sid).encode()).hexdigest()
    else:
        expected = request.cookies.get(CSRF_COOKIE)
    return bool(expected and hmac.compare_digest(str(expected), str(supplied)))


def identify(request: Request, store: Store, auth: bool) -> tuple[User | None, str]:
    """Who sent the request and how: ('token' | 'session' | 'anonymous' | 'bad-token' | 'none').

    A bearer token wins over the cookie; without either, `--no-auth` servers treat the
    request as the anonymous user.
    """
    token = bearer(request)
    if token:
        user = store.user_for_token(hash_token(token))
        return (user, "token") if user else (None, "bad-token")
    sid = _session_id(request)
    if sid:
        user = store.user_for_session(hash_token(sid))
        if user is not None:
            request.state.signed_in = True
            return user, "session"
    if not auth:
        return ANONYMOUS, "anonymous"
    return None, "none"


def sign_in(store: Store, user: User, request: Request, response: Response) -> None:
    """Start a sign-in session: a new random id in the cookie, its hash in the database."""
    sid = secrets.token_urlsafe(32)
    store.add_session(user, hash_token(sid), stamp_in(SESSION_SECONDS / 86400) or "")
    response.set_cookie(SESSION_COOKIE, sid, max_age=SESSION_SECONDS, httponly=True, samesite="lax",
                        secure=_secure(request))
    response.delete_cookie(CSRF_COOKIE)


def sign_out(store: Store, request: Request, response: Response) -> None:
    """End the request's session in the database and clear its cookie."""
    sid = _session_id(request)
    if sid:
        store.end_session(hash_token(sid))
    response.delete_cookie(SESSION_COOKIE)
