"""A throwaway PostgreSQL server for the tests: `initdb` and `pg_ctl` on a free port in a temporary folder.

PostgreSQL refuses to run as root, so under root the server runs as the unprivileged `nobody`
user (through `runuser`). `find_binaries()` returns None where no PostgreSQL is installed; the
fixtures then skip with a message that says what to install.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BACKENDS = ["sqlite", "postgresql"]  # params for a test module's `db_backend` fixture
INSTALL_HINT = "PostgreSQL is not installed (need initdb and pg_ctl): apt-get install -y postgresql"


def find_binaries() -> Path | None:
    """The folder holding `initdb` and `pg_ctl`: on PATH, else Debian's /usr/lib/postgresql/*/bin (newest)."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One PostgreSQL cluster for a test session; `new_database()` gives each test its own database."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="verifier-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root
            shutil.chown(self.root, "nobody")
            self._as_user = ["runuser", "-u", "nobody", "--"]
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as_user, *args], check=False, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr or done.stdout}")

    def start(self) -> None:
        """Create the cluster (trust authentication, user `postgres`) and start it on 127.0.0.1."""
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL for one of its databases (psycopg 3 driver)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        import sqlalchemy as sa

        name = f"test_{next(self._names)}"
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.url(name)
