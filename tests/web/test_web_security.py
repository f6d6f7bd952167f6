"""Security and robustness of the web app: exports, sessions, tokens, roles, hosts, limits, headers."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import time

import pytest
from test_web_api import CLAIMS, create, wait_finished
from typer.testing import CliRunner

from verifier.cli import app as cli_app

runner = CliRunner()
SCRIPT_CLAIM = "The mayor said </script><script>alert(document.domain)</script> & left."


def _checked(api, sample_text, claims=CLAIMS, **extra) -> tuple[int, list[dict]]:
    created = create(api, sample_text, claims=claims, **extra)
    wait_finished(api, created["id"])
    return created["id"], api.get(f"/api/articles/{created['id']}/claims").json()


def test_claimreview_cannot_break_out_of_a_script_block(api, sample_text):
    r = api.post("/api/articles", json={"title": "Title </script><script>alert(1)</script>", "text": sample_text,
                                        "claims": [SCRIPT_CLAIM]})
    aid = r.json()["id"]
    wait_finished(api, aid)
    (claim,) = api.get(f"/api/articles/{aid}/claims").json()
    assert api.get(f"/api/articles/{aid}/export/claimreview").json()["@graph"] == []  # not reviewed yet
    api.post(f"/api/claims/{claim['id']}/reviews", json={"action": "confirm"})
    raw = api.get(f"/api/articles/{aid}/export/claimreview").text
    assert "<" not in raw and ">" not in raw and "&" not in raw  # safe inside <script type="application/ld+json">
    ld = json.loads(raw)  # still the same data
    assert ld["@graph"][0]["claimReviewed"] == SCRIPT_CLAIM
    assert ld["@graph"][0]["itemReviewed"]["appearance"]["headline"] == "Title </script><script>alert(1)</script>"


def test_csv_cells_cannot_be_formulas(api, sample_text):
    claims = [{"claim": "=HYPERLINK(\"http://evil.example\",\"x\")", "id": "@SUM(A1)"},
              {"claim": "+1 more people were evacuated", "id": "-2"}, {"claim": "Plain claim about Baku.", "id": "k3"}]
    aid, got = _checked(api, sample_text, claims=claims)
    api.post(f"/api/claims/{got[2]['id']}/reviews", json={"action": "change", "label": "supported",
                                                           "note": "=cmd|' /C calc'!A0"})
    rows = list(csv.DictReader(io.StringIO(api.get(f"/api/articles/{aid}/export/csv").text)))
    cells = [v for r in rows for v in r.values()]
    assert not [v for v in cells if v[:1] in ("=", "+", "-", "@")]
    assert rows[0]["claim"] == "'=HYPERLINK(\"http://evil.example\",\"x\")" and rows[0]["id"] == "'@SUM(A1)"
    assert rows[1]["id"] == "'-2" and rows[2]["review_note"] == "'=cmd|' /C calc'!A0"
    assert rows[2]["claim"] == "Plain claim about Baku."
    raw = list(csv.DictReader(io.StringIO(api.get(f"/api/articles/{aid}/export/csv",
                                                  params={"formulas": True}).text)))
    assert raw[0]["id"] == "@SUM(A1)"  # programs can ask for the exact text


def _login(client, password, name="editor"):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"csrf_token": csrf, "name": name, "password": password, "next": "/"})
    assert r.status_code == 200 and "New check" in r.text, r.text[:300]
    return re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)


def test_sign_out_ends_the_session_on_the_server(make_client, token, password):
    client = make_client()
    csrf = _login(client, password)
    cookie = client.cookies.get("verifier_session")
    assert client.get("/api/me").status_code == 200
    client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    stolen = make_client()
    stolen.cookies.set("verifier_session", cookie)  # the old cookie, replayed
    assert stolen.get("/api/me").status_code == 401
    assert stolen.get("/", follow_redirects=False).status_code == 303


def test_the_database_cannot_sign_anyone_in(make_client, db_url, token, password):
    """Only hashes of session ids and tokens are stored, and there is no signing key to steal."""
    import sqlalchemy as sa

    client = make_client()
    _login(client, password)
    cookie = client.cookies.get("verifier_session")
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        dump = " ".join(str(v) for table in ("settings", "sessions", "tokens")
                        for row in conn.execute(sa.text(f"SELECT * FROM {table}")) for v in row)
    engine.dispose()
    assert cookie not in dump and token not in dump and "secret_key" not in dump


def test_database_file_is_private(make_client, tmp_path):
    db = tmp_path / "private" / "v.db"
    make_client(url=f"sqlite:///{db}")
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(db.parent).st_mode) == 0o700
    loose = tmp_path / "loose.db"
    loose.touch(mode=0o644)
    os.chmod(loose, 0o644)
    make_client(url=f"sqlite:///{loose}")
    assert stat.S_IMODE(os.stat(loose).st_mode) == 0o600


def test_login_replaces_its_token_and_tokens_can_be_listed_and_revoked(make_client, add_user, password):
    add_user("desk")
    client = make_client()
    first = client.post("/api/login", json={"name": "desk", "password": password}).json()
    second = client.post("/api/login", json={"name": "desk", "password": password}).json()
    assert first["expires_at"] and first["token"] != second["token"]
    bearer = {"Authorization": f"Bearer {second['token']}"}
    assert client.get("/api/me", headers={"Authorization": f"Bearer {first['token']}"}).status_code == 401
    listed = client.get("/api/tokens", headers=bearer).json()
    assert [t["label"] for t in listed] == ["", "login"]  # the fixture's CLI token and one login token
    ci = client.post("/api/login", json={"name": "desk", "password": password, "token_label": "ci"}).json()
    assert client.get("/api/me", headers=bearer).status_code == 200  # another label: both stay
    made = client.post("/api/tokens", json={"label": "script", "expires_days": 1}, headers=bearer)
    assert made.status_code == 201
    assert client.delete(f"/api/tokens/{ci['id']}", headers=bearer).status_code == 204
    assert client.get("/api/me", headers={"Authorization": f"Bearer {ci['token']}"}).status_code == 401
    assert client.delete(f"/api/tokens/{ci['id']}", headers=bearer).status_code == 404
    assert client.post("/api/logout", headers=bearer).status_code == 204  # revokes the token it was sent with
    assert client.get("/api/me", headers=bearer).status_code == 401


def test_tokens_expire(make_client, db_url, add_user):
    from verifier.web.auth import hash_token, new_token
    from verifier.web.schema import make_engine
    from verifier.web.store import Store

    add_user("desk")
    store = Store(make_engine(db_url))
    user = store.user_named("desk")
    token = new_token(store, user, "short", expires_days=1 / 86400)  # one second
    client = make_client()
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    time.sleep(1.2)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert store.user_for_token(hash_token(token)) is None


def test_cli_password_change_role_and_removal(make_client, db_url, password):
    def cli(*args, stdin=None):
        return runner.invoke(cli_app, ["users", *args, "--db", db_url], input=stdin)

    assert cli("add", "kim", "--password-stdin", "--role", "viewer", stdin=password + "\n").exit_code == 0
    assert cli("add", "bad", "--password-stdin", "--role", "boss", stdin=password + "\n").exit_code == 2
    token = cli("token", "kim", "--label", "laptop", "--expires-days", "7").stdout.strip()
    listed = cli("tokens", "kim").stdout
    assert "laptop" in listed and "\tkim\t" in listed
    client = make_client()
    _login(client, password, "kim")
    assert client.get("/api/me").json()["role"] == "viewer"
    assert cli("role", "kim", "editor").exit_code == 0
    assert cli("list").stdout.split() == ["kim", "editor"]

    new_password = "another long password"
    assert cli("passwd", "kim", "--password-stdin", stdin=new_password + "\n").exit_code == 0
    assert client.get("/api/me").status_code == 401  # the session ended
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401  # token revoked
    assert client.post("/api/login", json={"name": "kim", "password": password}).status_code == 401
    fresh = client.post("/api/login", json={"name": "kim", "password": new_password}).json()["token"]
    token_id = cli("tokens", "kim").stdout.split("\t")[0]
    assert cli("revoke", "kim").exit_code == 2
    assert cli("revoke", "kim", token_id).exit_code == 0
    assert client.get("/api/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 401

    fresh = client.post("/api/login", json={"name": "kim", "password": new_password}).json()["token"]
    assert cli("remove", "kim").exit_code == 0
    assert client.get("/api/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 401
    assert cli("remove", "kim").exit_code == 2


def test_roles(make_client, add_user, sample_text):
    tokens = {name: add_user(name) for name in ("vera", "ed", "eve", "ada")}
    client = make_client()
    store = client.app.state.store
    for name, role in (("vera", "viewer"), ("ada", "admin")):
        store.set_role(store.user_named(name), role)

    def as_(name):
        return {"Authorization": f"Bearer {tokens[name]}"}

    body = {"title": "t", "text": sample_text, "claims": CLAIMS[:2]}
    r = client.post("/api/articles", json=body, headers=as_("vera"))
    assert r.status_code == 403 and "viewer" in r.json()["detail"]
    aid = client.post("/api/articles", json=body, headers=as_("ed")).json()["id"]
    client.headers.update(as_("vera"))
    wait_finished(client, aid)
    claims = client.get(f"/api/articles/{aid}/claims", headers=as_("vera")).json()  # viewers read
    assert client.get(f"/api/articles/{aid}/export/csv", headers=as_("vera")).status_code == 200  # and export
    cid = claims[0]["id"]
    for method, path, payload in (("post", f"/api/claims/{cid}/reviews", {"action": "confirm"}),
                                  ("patch", f"/api/claims/{cid}", {"claim": "Changed."}),
                                  ("delete", f"/api/claims/{cid}", None),
                                  ("post", f"/api/articles/{aid}/claims", {"claims": ["New one."]}),
                                  ("post", f"/api/claims/{cid}/recheck", None),
                                  ("delete", f"/api/articles/{aid}", None)):
        kwargs = {"json": payload} if payload is not None else {}
        r = client.request(method.upper(), path, headers=as_("vera"), **kwargs)
        assert r.status_code == 403, (method, path, r.text)
    assert client.get("/api/users", headers=as_("ed")).status_code == 403
    assert {u["name"]: u["role"] for u in client.get("/api/users", headers=as_("ada")).json()}["vera"] == "viewer"
    assert client.post(f"/api/claims/{cid}/reviews", json={"action": "confirm"}, headers=as_("eve")).status_code == 201
    r = client.delete(f"/api/articles/{aid}", headers=as_("eve"))  # one shared newsroom, but deletion is the owner's
    assert r.status_code == 403 and "ed" in r.json()["detail"]
    assert client.delete(f"/api/articles/{aid}", headers=as_("ada")).status_code == 204
    assert client.get(f"/api/articles/{aid}", headers=as_("ed")).status_code == 404


def test_no_auth_answers_only_localhost_names(make_client):
    client = make_client(auth=False)
    for host in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000"):
        assert client.get("/api/me", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "localhost.evil.example", "testserver"):
        r = client.get("/api/me", headers={"Host": host})
        assert r.status_code == 421 and "localhost" in r.json()["detail"], host
    signed = make_client()  # with sign-in, any Host is fine (behind a proxy, say)
    assert signed.get("/api/me", headers={"Host": "verifier.newsroom.example"}).status_code == 401


@pytest.mark.parametrize("path", ["/api/articles/{big}", "/api/articles/{big}/progress", "/api/claims/{big}",
                                  "/api/articles/{big}/export/csv", "/api/review-queue?article_id={big}",
                                  "/api/articles/0"])
def test_ids_beyond_64_bits_are_422(api, path):
    r = api.get(path.format(big=2**64))
    assert r.status_code == 422 and isinstance(r.json()["detail"], str), r.text


def test_lone_surrogates_are_422(api, sample_text):
    for field, value in (("title", "T\ud800"), ("claims", ["A claim \udfff here."]), ("text", sample_text + "\ud800")):
        body = {"title": "t", "text": sample_text, "claims": ["c"]} | {field: value}
        raw = json.dumps(body)  # ensure_ascii: the surrogate travels as \\ud800, as a JS client would send it
        r = api.post("/api/articles", content=raw, headers={"Content-Type": "application/json"})
        assert r.status_code == 422 and "lone surrogate" in r.json()["detail"], (field, r.text)
    assert api.get("/api/articles").json() == []


def test_oversize_chunked_body_is_413(api):
    def chunks():
        for _ in range(17):
            yield b" " * 1_000_000

    r = api.post("/api/articles", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "16,000,000 bytes" in r.json()["detail"]


def test_validation_errors_have_a_text_detail(api):
    r = api.post("/api/articles", json={"title": 5, "claims": "not a list"})
    assert r.status_code == 422 and isinstance(r.json()["detail"], str) and "claims" in r.json()["detail"]


def test_no_store_on_authenticated_responses_and_csp_on_docs(api, make_client, token, password):
    assert api.get("/api/me").headers["cache-control"] == "no-store"
    assert api.get("/api/articles").headers["cache-control"] == "no-store"
    browser = make_client()
    _login(browser, password)
    assert browser.get("/").headers["cache-control"] == "no-store"
    assert "no-store" not in browser.get("/static/app.css").headers.get("cache-control", "")
    docs = api.get("/docs")
    csp = docs.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    import base64
    import hashlib

    inline = re.findall(r"<script>(.*?)</script>", docs.text, re.DOTALL)
    assert inline and all(base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() in csp for s in inline)


def test_retry_between_the_last_poll_and_the_discard_is_not_lost(make_client, token, sample_text):
    """A retry that lands after the worker found nothing pending, but before it let go of the article."""
    client = make_client()
    client.headers["Authorization"] = f"Bearer {token}"
    store, jobs = client.app.state.store, client.app.state.jobs
    aid = create(client, sample_text, claims=CLAIMS[:2])["id"]
    wait_finished(client, aid)
    cid = client.get(f"/api/articles/{aid}/claims").json()[0]["id"]
    real = store.lease_claims
    fired = []

    def lease_then_retry(article_id, owner, limit, seconds):
        found = real(article_id, owner, limit, seconds)
        if not found.claims and not fired:  # the worker's last empty poll: a re-run arrives right now
            fired.append(1)
            store.recheck_claim(store.claim(cid), "editor")
            jobs.submit(article_id)
        return found

    store.lease_claims = lease_then_retry
    client.post(f"/api/articles/{aid}/claims", json={"claims": ["Yevlakh is 295 kilometers west of Baku."]})
    assert wait_finished(client, aid)["pending"] == 0 and fired


def test_retry_after_a_model_load_failure_loads_again(db_url, token, sample_text, web_verifier_factory):
    from fastapi.testclient import TestClient

    from verifier.errors import ModelError
    from verifier.web.app import create_app

    attempts = []

    def broken():
        attempts.append(1)
        if len(attempts) == 1:
            raise ModelError("no model yet")
        return web_verifier_factory()

    app = create_app(db_url, verifier_factory=broken, chunk_size=2)
    store, jobs = app.state.store, app.state.jobs
    real_save = store.save_results
    retried = []

    def save_then_retry(results, lease=None):
        written = real_save(results, lease=lease)
        if not retried and any(err for _, _, err in results):  # a retry while the worker is mid-article
            retried.append(1)
            article_id = store.claim(results[0][0]).article_id
            store.retry_failed(article_id)
            jobs.submit(article_id)
        return written

    store.save_results = save_then_retry
    with TestClient(app) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        aid = create(client, sample_text)["id"]
        p = wait_finished(client, aid)
        assert retried and len(attempts) == 2
        assert p["done"] == 4 and p["failed"] == 0, p
