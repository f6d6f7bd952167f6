"""Where the web app keeps its data, and the limits it enforces on requests."""

from __future__ import annotations

import os
from pathlib import Path

MAX_ARTICLE_BYTES = 2_000_000
MAX_CLAIMS = 5_000
MAX_TITLE_CHARS = 500
MAX_URL_CHARS = 2_000
MAX_NOTE_CHARS = 5_000
# Whole request bodies: a full article and a full batch of long claims fit with room to spare.
MAX_BODY_BYTES = 16_000_000


def home_dir() -> Path:
    """`$VERIFIER_HOME`, else the user data folder (platformdirs), else ~/.local/share/verifier."""
    env = os.environ.get("VERIFIER_HOME")
    if env:
        return Path(env).expanduser()
    try:
        from platformdirs import user_data_dir
    except ImportError:
        return Path.home() / ".local" / "share" / "verifier"
    return Path(user_data_dir("verifier", appauthor=False))


def database_url(db: str | None = None) -> str:
    """A SQLAlchemy URL: `db` (a URL or a file path), else `$VERIFIER_DB`, else SQLite in the home folder."""
    value = db or os.environ.get("VERIFIER_DB")
    if not value:
        return f"sqlite:///{home_dir() / 'verifier.db'}"
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"
