"""`create_app`: the FastAPI application (pages, JSON API, static files) over one database."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from verifier import __version__
from verifier.errors import InputError, ModelError
from verifier.protocols import ClaimVerifier
from verifier.web import api, pages
from verifier.web.checks import Forbidden
from verifier.web.jobs import JobRunner
from verifier.web.rendering import STATIC
from verifier.web.schema import make_engine, upgrade
from verifier.web.settings import MAX_BODY_BYTES, database_url
from verifier.web.store import Store

REQUEST_THREADS = 16
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
# Swagger UI and ReDoc: their own files, plus the one inline script that starts them (allowed by its hash).
DOCS_CSP = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'; form-action 'self'; "
            "base-uri 'none'")
_DOCS = ("/docs", "/redoc")
LOCAL_HOST_NAMES = {"localhost", "127.0.0.1", "[::1]", "::1"}
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def default_verifier() -> ClaimVerifier:
    """The library's default `Verifier` (the project's NLI model and MiniLM embeddings)."""
    from verifier.pipeline import Verifier

    return Verifier()


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuses request bodies over `max_bytes` with a 413 and a message that says the limits."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def _message(self, size: int | None) -> bytes:
        got = f"is {size:,} bytes" if size is not None else "is too large"
        detail = (f"the request body {got}; the limit is {self.max_bytes:,} bytes "
                  "(an article may have up to 2 MB, a batch up to 5,000 claims)")
        return json.dumps({"detail": detail}).encode()

    async def _refuse(self, send: Send, size: int | None) -> None:
        body = self._message(size)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope["headers"]:
            if key == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._refuse(send, int(value))
                return
        received = 0
        started = False
        over = False

        async def limited_receive() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over = True
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if over:  # the app caught _TooLarge (FastAPI answers 400 for a body it could not read): answer 413
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._refuse(send, None)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if started:
                return
            await self._refuse(send, None)


class SecurityHeadersMiddleware:
    """Adds nosniff, no framing, `Cache-Control: no-store` (everything but static files is per user),
    and a Content-Security-Policy: strict on the app's pages, hash-pinned on the API docs."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        docs = path.startswith(_DOCS)
        static = path.startswith("/static")
        held: list[Message] = []

        def headers_for(message: Message, csp: str) -> Message:
            headers = list(message.get("headers", []))
            names = {k.lower() for k, _ in headers}
            extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
                     (b"x-frame-options", b"DENY"), (b"content-security-policy", csp.encode())]
            if not static:
                extra.append((b"cache-control", b"no-store"))
            headers += [(k, v) for k, v in extra if k not in names]
            return {**message, "headers": headers}

        async def send_with_headers(message: Message) -> None:
            if not docs:
                if message["type"] == "http.response.start":
                    message = headers_for(message, PAGE_CSP)
                await send(message)
                return
            # the docs pages are small: hold them to hash their inline script
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                body = b"".join(m.get("body", b"") for m in held if m["type"] == "http.response.body")
                hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(m).digest()).decode() + "'"
                                  for m in _INLINE_SCRIPT.findall(body))
                start = next(m for m in held if m["type"] == "http.response.start")
                await send(headers_for(start, DOCS_CSP.format(hashes=hashes)))
                await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_with_headers)


class LocalHostOnlyMiddleware:
    """For `--no-auth`: answers only requests whose Host is a localhost name (no DNS rebinding)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in LOCAL_HOST_NAMES:
                body = json.dumps({"detail": f"this server runs without sign-in and answers only on localhost, "
                                             f"not for the host {host[:100]!r}"}).encode()
                await send({"type": "http.response.start", "status": 421,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _validation_message(exc: RequestValidationError) -> str:
    """FastAPI's validation errors as one sentence per problem, naming the field."""
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
    return "; ".join(parts) or "the request is not valid"


def create_app(
    db_url: str | None = None,
    *,
    verifier: ClaimVerifier | None = None,
    verifier_factory: Callable[[], ClaimVerifier] | None = None,
    auth: bool = True,
    chunk_size: int = 16,
    lease_seconds: float = 300.0,
    secure_cookies: bool = False,
    start_worker: bool = True,
    fetch_private: bool = False,
) -> FastAPI:
    """Build the app: open (and create or upgrade) the database, wire the pages, the API and the worker.

    Args:
        db_url: SQLAlchemy URL or SQLite file path; None for `$VERIFIER_DB` or the home folder.
        verifier: a ready `Verifier` (tests pass one built on fake models).
        verifier_factory: builds the `Verifier` on first use, in the worker; default `Verifier()`.
        auth: False lets anonymous requests in (only for `serve --no-auth` on localhost).
        chunk_size: claims checked together before their verdicts are saved.
        lease_seconds: how long a worker holds a chunk; another process takes it up after that.
        secure_cookies: send the session cookie with the Secure flag (behind an HTTPS proxy).
        start_worker: run the background worker while the app runs.
        fetch_private: let "fetch from URL" reach private, loopback and link-local addresses.
    """
    engine = make_engine(database_url(db_url))
    upgrade(engine)
    store = Store(engine)
    factory = (lambda: verifier) if verifier is not None else (verifier_factory or default_verifier)
    jobs = JobRunner(store, factory, chunk_size=chunk_size, lease_seconds=lease_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Handlers are short and mostly hold the GIL: 16 threads serve more than 40 (slow URL fetches aside).
        anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        if start_worker:
            jobs.start()
        try:
            yield
        finally:
            jobs.stop()
            engine.dispose()

    # FastAPIOffline serves Swagger UI's files from the package: /docs works without internet.
    app = FastAPIOffline(
        title="verifier",
        version=__version__,
        summary="Check claims against a news article, review the verdicts and export them.",
        description=(api.__doc__ or "").strip(),
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.jobs = jobs
    app.state.auth = auth
    app.state.fetch_private = fetch_private
    app.state.secure_cookies = secure_cookies
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(InputError)
    async def _input_error(_request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=api.input_error_status(exc))

    @app.exception_handler(ModelError)
    async def _model_error(_request: Request, exc: ModelError) -> JSONResponse:
        return JSONResponse({"detail": f"the model is not available: {exc}"}, status_code=503)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=403)
        return pages.forbidden(request, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(exc)}, status_code=422)

    @app.exception_handler(pages.LoginRequired)
    async def _login_required(_request: Request, exc: pages.LoginRequired) -> Any:
        return pages.login_redirect(exc)

    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    if not auth:
        app.add_middleware(LocalHostOnlyMiddleware)
    return app
