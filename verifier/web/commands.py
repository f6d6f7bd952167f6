"""CLI commands of the web app: `verifier serve` and `verifier users add|list|passwd|role|remove|token|tokens|revoke`.

Registered by `verifier.cli`. FastAPI, uvicorn and SQLAlchemy are imported inside the
commands, so `verifier check` never pays for them.
"""

from __future__ import annotations

import importlib
import importlib.util
import ipaddress
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from verifier.errors import InputError
from verifier.protocols import ClaimVerifier

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


def load_factory(spec: str) -> Callable[[], ClaimVerifier]:
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
    no_auth: Annotated[bool, typer.Option(
        "--no-auth",
        help="Let anyone in without signing in (localhost only).")] = False,
    model: Annotated[str | None, typer.Option(
        "--model", "-m",
        help="NLI model: local folder or Hugging Face id.")] = None,
    verifier_factory: Annotated[str | None, typer.Option(
        "--verifier-factory", envvar="VERIFIER_WEB_FACTORY",
        help="'module:function' that returns a Verifier (overrides --model).")] = None,
    workers_chunk: Annotated[int, typer.Option("--chunk-size", min=1, max=1024, help="Claims checked together.")] = 16,
    fetch_private: Annotated[bool, typer.Option(
        "--fetch-private", envvar="VERIFIER_FETCH_PRIVATE",
        help="Let 'fetch from URL' reach private, loopback and link-local addresses (refused by default).")] = False,
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
        def factory() -> ClaimVerifier:
            from verifier.pipeline import Verifier

            return Verifier(model)

    _require_web()
    import uvicorn

    from verifier.web.app import create_app
    from verifier.web.schema import SchemaError

    try:
        app = create_app(db, verifier_factory=factory, auth=not no_auth, chunk_size=workers_chunk,
                         fetch_private=fetch_private, lease_seconds=lease_seconds,
                         secure_cookies=secure_cookies)
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


RoleOpt = Annotated[str, typer.Option("--role", help="viewer (reads and exports), editor (also checks, reviews and "
                                                     "edits), admin (also deletes any article).")]


def _user_or_fail(store: Any, name: str) -> Any:
    user = store.user_named(name)
    if user is None:
        raise _fail(f"no user named {name!r}; create one with `verifier users add {name}`")
    return user


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (no spaces).")],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin",
        help="Read the password from standard input.")] = False,
    role: RoleOpt = "editor",
    db: DbOpt = None,
) -> None:
    """Create a user (prompts for the password)."""
    _require_web()
    from verifier.web.accounts import validate_role
    from verifier.web.auth import hash_password, validate_username

    try:
        name = validate_username(name)
        validate_role(role)
        password_hash = hash_password(_read_password(password_stdin))
        _store(db).add_user(name, password_hash, role)
    except InputError as e:
        raise _fail(str(e)) from None
    typer.echo(f"user {name} created ({role})", err=True)


@users_app.command("list")
def users_list(db: DbOpt = None) -> None:
    """List users and their roles."""
    for user in _store(db).users():
        typer.echo(f"{user.name}\t{user.role}")


@users_app.command("passwd")
def users_passwd(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin",
        help="Read the password from standard input.")] = False,
    db: DbOpt = None,
) -> None:
    """Change a user's password; their sessions end and their API tokens are revoked."""
    store = _store(db)
    from verifier.web.auth import hash_password

    user = _user_or_fail(store, name)
    try:
        store.set_password_hash(user, hash_password(_read_password(password_stdin)), sign_out=True)
    except InputError as e:
        raise _fail(str(e)) from None
    typer.echo(f"password of {user.name} changed; their sessions and tokens are revoked", err=True)


@users_app.command("role")
def users_role(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Argument(help="viewer, editor or admin.")],
    db: DbOpt = None,
) -> None:
    """Give a user another role."""
    store = _store(db)
    try:
        store.set_role(_user_or_fail(store, name), role)
    except InputError as e:
        raise _fail(str(e)) from None
    typer.echo(f"{name} is now {role}", err=True)


@users_app.command("remove")
def users_remove(
    name: Annotated[str, typer.Argument(help="User name.")],
    db: DbOpt = None,
) -> None:
    """Delete a user, their sessions and tokens (articles and reviews keep their name)."""
    store = _store(db)
    store.remove_user(_user_or_fail(store, name))
    typer.echo(f"user {name} removed", err=True)


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="User name.")],
    label: Annotated[str, typer.Option("--label", help="What the token is for (shown when listing).")] = "",
    expires_days: Annotated[float, typer.Option("--expires-days", min=0,
                                                help="Days until it expires; 0 for never.")] = 90,
    db: DbOpt = None,
) -> None:
    """Create an API token for a user and print it (only its hash is stored)."""
    _require_web()
    from verifier.web.auth import new_token

    store = _store(db)
    typer.echo(new_token(store, _user_or_fail(store, name), label, expires_days))


@users_app.command("tokens")
def users_tokens(
    name: Annotated[str | None, typer.Argument(help="User name; everyone's tokens if left out.")] = None,
    db: DbOpt = None,
) -> None:
    """List API tokens: id, user, label, created, expires, last used."""
    store = _store(db)
    user = _user_or_fail(store, name) if name else None
    for t in store.tokens(user):
        typer.echo("\t".join([str(t.id), t.user, t.label or "-", t.created_at, t.expires_at or "never",
                              t.last_used_at or "never"]))


@users_app.command("revoke")
def users_revoke(
    name: Annotated[str, typer.Argument(help="User name.")],
    token_id: Annotated[int | None, typer.Argument(help="Token id (from `verifier users tokens`).")] = None,
    all_tokens: Annotated[bool, typer.Option("--all", help="Revoke all of the user's tokens.")] = False,
    db: DbOpt = None,
) -> None:
    """Revoke one API token of a user, or all of them with --all."""
    if (token_id is None) != all_tokens:
        raise _fail("give a token id or --all (not both)")
    store = _store(db)
    n = store.revoke_tokens(_user_or_fail(store, name), token_id=token_id)
    if token_id is not None and not n:
        raise _fail(f"{name} has no token with id {token_id}")
    typer.echo(f"{n} token(s) revoked", err=True)
