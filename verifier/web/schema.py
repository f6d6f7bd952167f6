"""Database tables and their migrations.

`metadata` describes the current schema and is what the store queries. The database itself is
only ever changed by `MIGRATIONS`, applied in order by `upgrade`: each one runs in a transaction
and records its number in `schema_version`. To change the schema, add a migration (never edit
an old one) and update the tables below to match.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.String(32), nullable=False),
)

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("role", sa.String(16), nullable=False, server_default="editor"),  # admin, editor, viewer
)

tokens = sa.Table(
    "tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("label", sa.String(100), nullable=False, server_default=""),
    sa.Column("expires_at", sa.String(32)),
    sa.Column("last_used_at", sa.String(32)),
)

# Sign-in sessions of the browser: the cookie names one by a random id, stored here as its SHA-256.
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("session_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("expires_at", sa.String(32), nullable=False),
)

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("source_url", sa.String(2000)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("created_by", sa.String(100)),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("deleted_at", sa.String(32)),
)

claims = sa.Table(
    "claims", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("ext_id", sa.String(200)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),  # pending, done, error
    sa.Column("label", sa.String(16), index=True),
    sa.Column("confidence", sa.Float),
    sa.Column("verdict", sa.Text),  # Verdict.to_dict() as JSON
    sa.Column("error", sa.Text),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("deleted_at", sa.String(32)),
    # A worker that takes a pending claim leases it: its lease token, and when the lease runs out.
    sa.Column("lease_owner", sa.String(100)),
    sa.Column("lease_expires", sa.String(32)),
)

reviews = sa.Table(
    "reviews", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False, index=True),
    sa.Column("reviewer", sa.String(100), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # confirm, change
    sa.Column("label", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("passage_start", sa.Integer),  # the passage the reviewer points to, if any
    sa.Column("passage_end", sa.Integer),
)

# Who changed or deleted what: edits of articles and claims, with the values before and after.
audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("article_id", sa.Integer, index=True),
    sa.Column("claim_id", sa.Integer),
    sa.Column("detail", sa.Text, nullable=False),  # JSON
)


def now(ahead: float = 0.0) -> str:
    """The current UTC time (plus `ahead` seconds) as ISO 8601 text (sorts as it reads)."""
    return (datetime.now(timezone.utc) + timedelta(seconds=ahead)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _v1(conn: Connection) -> None:
    """The first schema, frozen as it shipped."""
    m = sa.MetaData()
    sa.Table("settings", m, sa.Column("key", sa.String(100), primary_key=True),
             sa.Column("value", sa.Text, nullable=False))
    sa.Table("users", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("name", sa.String(100), nullable=False, unique=True),
             sa.Column("password_hash", sa.Text, nullable=False),
             sa.Column("created_at", sa.String(32), nullable=False))
    sa.Table("tokens", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
             sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
             sa.Column("created_at", sa.String(32), nullable=False))
    sa.Table("articles", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("title", sa.String(500), nullable=False), sa.Column("source_url", sa.String(2000)),
             sa.Column("text", sa.Text, nullable=False), sa.Column("format", sa.String(16), nullable=False),
             sa.Column("created_by", sa.String(100)), sa.Column("created_at", sa.String(32), nullable=False))
    sa.Table("claims", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False, index=True),
             sa.Column("position", sa.Integer, nullable=False), sa.Column("ext_id", sa.String(200)),
             sa.Column("text", sa.Text, nullable=False), sa.Column("status", sa.String(16), nullable=False, index=True),
             sa.Column("label", sa.String(16), index=True), sa.Column("confidence", sa.Float),
             sa.Column("verdict", sa.Text), sa.Column("error", sa.Text),
             sa.Column("updated_at", sa.String(32), nullable=False))
    sa.Table("reviews", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False, index=True),
             sa.Column("reviewer", sa.String(100), nullable=False), sa.Column("action", sa.String(16), nullable=False),
             sa.Column("label", sa.String(16), nullable=False), sa.Column("note", sa.Text, nullable=False),
             sa.Column("created_at", sa.String(32), nullable=False))
    m.create_all(conn)


def _v2(conn: Connection) -> None:
    """Roles, token expiry and labels, server-side sessions, soft deletes, review passages, the audit trail."""
    for ddl in ("ALTER TABLE users ADD COLUMN role VARCHAR(16) DEFAULT 'editor' NOT NULL",
                "ALTER TABLE tokens ADD COLUMN label VARCHAR(100) DEFAULT '' NOT NULL",
                "ALTER TABLE tokens ADD COLUMN expires_at VARCHAR(32)",
                "ALTER TABLE tokens ADD COLUMN last_used_at VARCHAR(32)",
                "ALTER TABLE articles ADD COLUMN deleted_at VARCHAR(32)",
                "ALTER TABLE claims ADD COLUMN deleted_at VARCHAR(32)",
                "ALTER TABLE reviews ADD COLUMN passage_start INTEGER",
                "ALTER TABLE reviews ADD COLUMN passage_end INTEGER"):
        conn.execute(sa.text(ddl))
    m = sa.MetaData()
    sa.Table("users", m, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("sessions", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("session_hash", sa.String(64), nullable=False, unique=True),
             sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
             sa.Column("created_at", sa.String(32), nullable=False),
             sa.Column("expires_at", sa.String(32), nullable=False))
    sa.Table("audit", m, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("created_at", sa.String(32), nullable=False),
             sa.Column("actor", sa.String(100), nullable=False), sa.Column("action", sa.String(32), nullable=False),
             sa.Column("article_id", sa.Integer, index=True), sa.Column("claim_id", sa.Integer),
             sa.Column("detail", sa.Text, nullable=False))
    m.tables["sessions"].create(conn)
    m.tables["audit"].create(conn)
    # The session signing key no longer signs anyone in: a cookie only names a server-side session.
    conn.execute(sa.text("DELETE FROM settings WHERE key = 'secret_key'"))


def _v3(conn: Connection) -> None:
    """Claim leases, so that several server processes can share the checking."""
    conn.execute(sa.text("ALTER TABLE claims ADD COLUMN lease_owner VARCHAR(100)"))
    conn.execute(sa.text("ALTER TABLE claims ADD COLUMN lease_expires VARCHAR(32)"))


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "users, tokens, articles, claims, reviews", _v1),
    (2, "roles, token expiry, sessions, soft deletes, review passages, audit", _v2),
    (3, "claim leases", _v3),
]
LATEST = MIGRATIONS[-1][0]


class SchemaError(RuntimeError):
    """The database was written by a newer version of verifier."""


def current_version(conn: Connection) -> int:
    """The highest migration applied (0 for an empty database)."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


_UPGRADE_LOCK = 7_466_001  # any fixed number: the PostgreSQL advisory lock that serialises upgrades


def _lock(conn: Connection) -> None:
    """On PostgreSQL, wait until no other process is upgrading (SQLite serialises writers itself)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})


def upgrade(engine: Engine) -> int:
    """Apply the migrations this database lacks, in order; returns the version it is now at.

    Raises:
        SchemaError: the database is at a version newer than this code knows.
    """
    with engine.begin() as conn:
        _lock(conn)
        schema_version.create(conn, checkfirst=True)
    for number, description, step in MIGRATIONS:
        with engine.begin() as conn:
            _lock(conn)
            version = current_version(conn)
            if version > LATEST:
                raise SchemaError(
                    f"the database is at schema version {version}, newer than this verifier knows ({LATEST}); "
                    "upgrade verifier or use another database"
                )
            if number <= version:
                continue
            step(conn)
            conn.execute(schema_version.insert().values(version=number, description=description, applied_at=now()))
    with engine.connect() as conn:
        return current_version(conn)


def _create_private(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600; SQLite gives its -wal and -shm files the
    same mode), in a folder created 0700; an existing file readable by others is made private."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get created private, with WAL mode and a busy timeout."""
    if not url.startswith("sqlite"):  # a server database: modest pools, several processes share its connections
        return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    parsed = sa.engine.make_url(url)
    database = parsed.database or ""
    memory = database in ("", ":memory:")
    if not memory:
        _create_private(Path(database).expanduser())
    kwargs: dict = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if memory:
        kwargs["poolclass"] = sa.pool.StaticPool
    else:  # one connection per request thread (AnyIO's pool has 40) and the worker
        kwargs |= {"pool_size": 20, "max_overflow": 30}
    engine = sa.create_engine(url, **kwargs)

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    return engine
