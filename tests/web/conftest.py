"""Fixtures for the web app: the fake verifier (tests/fakes.py), a temporary database, users and API clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import make_web_verifier

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_ARTICLE = ROOT / "seeds" / "karabakh_ceasefire_2023.txt"
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data folder or a configured database."""
    monkeypatch.setenv("VERIFIER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("VERIFIER_DB", raising=False)


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator:
    """A PostgreSQL server for the whole session; skips where PostgreSQL or psycopg is missing."""
    from pg_server import INSTALL_HINT, PostgresServer, find_binaries

    bin_dir = find_binaries()
    if bin_dir is None:
        pytest.skip(INSTALL_HINT)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[postgres]'")
    server = PostgresServer(bin_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def db_backend() -> str:
    """The database the test runs on; a module that overrides this with `params=BACKENDS` runs on both."""
    return "sqlite"


@pytest.fixture
def db_url(db_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """An empty database: an SQLite file, or a new database on the session's PostgreSQL server."""
    if db_backend == "postgresql":
        return request.getfixturevalue("postgres_server").new_database()
    return f"sqlite:///{tmp_path / 'web.db'}"


def create_user(db_url: str, name: str, password: str = PASSWORD) -> str:
    """Create a user in the database and return a new API token for them."""
    from verifier.web.auth import hash_password, new_token
    from verifier.web.schema import make_engine, upgrade
    from verifier.web.store import Store

    engine = make_engine(db_url)
    upgrade(engine)
    store = Store(engine)
    user = store.add_user(name, hash_password(password))
    token = new_token(store, user)
    engine.dispose()
    return token


@pytest.fixture
def make_client(db_url: str):
    """Builds started TestClients on the fake verifier; all are closed at the end of the test."""
    from fastapi.testclient import TestClient

    from verifier.web.app import create_app

    opened: list[TestClient] = []

    def make(auth: bool = True, url: str | None = None, **kwargs) -> TestClient:
        app = create_app(url or db_url, verifier=make_web_verifier(), auth=auth, **kwargs)
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def add_user(db_url: str):
    """`add_user(name, password=PASSWORD) -> token` in the test database."""
    return lambda name, password=PASSWORD: create_user(db_url, name, password)


@pytest.fixture
def web_verifier_factory():
    """Builds a `Verifier` on the fake models."""
    return make_web_verifier


@pytest.fixture
def token(add_user) -> str:
    return add_user("editor")


@pytest.fixture
def api(make_client, token: str) -> Iterator:
    """A client that sends the editor's bearer token."""
    client = make_client()
    client.headers["Authorization"] = f"Bearer {token}"
    yield client


@pytest.fixture
def fake_verifier_instance():
    """A `Verifier` on the fake models."""
    return make_web_verifier()


@pytest.fixture
def local_site():
    """A web server on 127.0.0.1 serving `site.pages[path] = (status, content_type, body)`, redirects
    (`site.redirects[path] = location`), pages that trickle a few bytes every `site.trickle[path]`
    seconds, and pages held back until `site.hold[path]` (an Event) is set; yields it."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    pages: dict[str, tuple[int, str, bytes]] = {}
    redirects: dict[str, str] = {}
    trickle: dict[str, float] = {}
    hold: dict[str, threading.Event] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path in redirects:
                self.send_response(302)
                self.send_header("Location", redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path in trickle:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                try:
                    for _ in range(30):
                        self.wfile.write(b"<p>")
                        self.wfile.flush()
                        time.sleep(trickle[self.path])
                except OSError:
                    pass
                return
            if self.path in hold:
                hold[self.path].wait(30)
            status, ctype, body = pages.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.pages = pages  # type: ignore[attr-defined]
    server.redirects = redirects  # type: ignore[attr-defined]
    server.trickle = trickle  # type: ignore[attr-defined]
    server.hold = hold  # type: ignore[attr-defined]
    server.daemon_threads = True
    server.base = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    yield server
    for event in hold.values():
        event.set()
    server.shutdown()
    server.server_close()


def news_page(paragraphs: list[str], title: str = "Ceasefire in Karabakh") -> bytes:
    """An HTML news page with navigation and footer boilerplate around the article."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title} | Example News</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
            f"<main><article><h1>{title}</h1>{body}</article></main>"
            "<footer>Copyright Example News. Subscribe to our newsletter for more.</footer></body></html>").encode()


@pytest.fixture
def article_page(local_site, sample_text) -> str:
    """The URL of the sample article as a news page on the local site."""
    local_site.pages["/news/karabakh"] = (200, "text/html; charset=utf-8",
                                          news_page([p for p in sample_text.splitlines() if p.strip()]))
    return local_site.base + "/news/karabakh"
