"""CLI commands of the web app: `verifier serve` and `verifier users add|token`.

Registered by `verifier.cli`. FastAPI, uvicorn and SQLAlchemy are imported inside the
commands, so `verifier check` never pays for them.
"""

from __future__ import annotations

import importlib
import importlib.util
import ipaddress
import sys
from typing import Annotated, Any

import typer

from verifier.errors import InputError

EXIT_INPUT = 2
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}

DbOpt = Annotated[str | None, typer.Option(
    "--db", envvar="VERIFIER_DB",
    help="SQLAlchemy URL or SQLite file. Default: verifier.db in $VERIFIER_HOME or the user data folder.")]

users_app = typer.Typer(help="Manage users of the web app.", no_args_is_help=True, add_completion=False)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_INPUT)


def is_local(host: str) -> bool:
    """True for loopback addresses and 'localhost'."""
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_factory(spec: str) -> Any:
    """The callable named by 'module:attribute'."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise InputError(f"--verifier-factory must look like 'package.module:function', got {spec!r}")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as e:
        raise InputError(f"cannot load the verifier factory {spec!r}: {e}") from None


def _require_web() -> None:
    """Exit with a clear message when the 'web' extra is not installed."""
    missing = [m for m in ("fastapi", "uvicorn", "sqlalchemy", "argon2") if importlib.util.find_spec(m) is None]
    if missing:
        raise _fail(f"the web app needs the 'web' extra ({', '.join(missing)} missing): pip install -e '.[web]'")


def _store(db: str | None) -> Any:
    _require_web()
    from verifier.web.schema import SchemaError, make_engine, upgrade
    from verifier.web.settings import database_url
    from verifier.web.store import Store

    engine = make_engine(database_url(db))
    try:
        upgrade(engine)
    except SchemaError as e:
        raise _fail(str(e)) from None
    return Store(engine)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOpt = None,
    no_auth: Annotated[bool, typer.Option("--no-auth", help="Let anyone in without signing in (localhost only).")] = False,
    model: Annotated[str | None, typer.Option("--model", "-m", help="NLI model: local folder or Hugging Face id.")] = None,
    verifier_factory: Annotated[str | None, typer.Option(
        "--verifier-factory", envvar="VERIFIER_WEB_FACTORY",
        help="'module:function' that returns a Verifier (overrides --model).")] = None,
    workers_chunk: Annotated[int, typer.Option("--chunk-size", min=1, max=1024, help="Claims checked together.")] = 16,
    lease_seconds: Annotated[float, typer.Option(
        min=1, help="Seconds a process holds a chunk of claims; another process takes them up after that.")] = 300.0,
    secure_cookies: Annotated[bool, typer.Option(
        "--secure-cookies", envvar="VERIFIER_SECURE_COOKIES",
        help="Mark the sign-in cookie Secure (HTTPS only): on behind an HTTPS reverse proxy.")] = False,
) -> None:
    """Start the web app and JSON API (docs at /docs)."""
    if no_auth and not is_local(host):
        raise _fail(f"--no-auth is only allowed on localhost, not on {host}; create users with `verifier users add`")
    try:
        factory = load_factory(verifier_factory) if verifier_factory else None
    except InputError as e:
        raise _fail(str(e)) from None
    if factory is None and model is not None:
        def factory() -> Any:
            from verifier.pipeline import Verifier

            return Verifier(model)

    _require_web()
    import uvicorn

    from verifier.web.app import create_app
    from verifier.web.schema import SchemaError

    try:
        app = create_app(db, verifier_factory=factory, auth=not no_auth, chunk_size=workers_chunk,
                         lease_seconds=lease_seconds, secure_cookies=secure_cookies)
    except SchemaError as e:
        raise _fail(str(e)) from None
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"verifier web app on http://{shown}:{port}/  (API docs: /docs)"
               + ("  -- no sign-in required" if no_auth else ""), err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (no spaces).")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input.")] = False,
    db: DbOpt = None,
) -> None:
    """Create a user (prompts for the password)."""
    _require_web()
    from verifier.web.auth import check_username, hash_password

    try:
        name = check_username(name)
        password_hash = hash_password(_read_password(password_stdin))
        _store(db).add_user(name, password_hash)
    except InputError as e:
        raise _fail(str(e)) from None
    typer.echo(f"user {name} created", err=True)


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="User name.")],
    db: DbOpt = None,
) -> None:
    """Create an API token for a user and print it (only its hash is stored)."""
    _require_web()
    from verifier.web.auth import new_token

    store = _store(db)
    found = store.user_password_hash(name.strip())
    if found is None:
        raise _fail(f"no user named {name!r}; create one with `verifier users add {name}`")
    typer.echo(new_token(store, found[0]))
