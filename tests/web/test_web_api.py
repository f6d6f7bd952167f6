"""The JSON API on a temporary SQLite database with fake models."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from pg_server import BACKENDS

from verifier.verdict import Verdict


@pytest.fixture(params=BACKENDS)
def db_backend(request):
    return request.param


CLAIMS = [
    "Russian forces confirmed the evacuation of 3,154 people, including 1,428 children.",
    "Russian forces confirmed the evacuation of 5,000 people.",
    "The weather in Paris was sunny and pleasant all week.",
    "Kremlin spokesman Dmitry Peskov said Nagorno-Karabakh is an internal matter for Azerbaijan.",
]


def wait_finished(client, article_id: int, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        p = client.get(f"/api/articles/{article_id}/progress").json()
        if p["finished"]:
            return p
        if time.monotonic() > deadline:
            raise AssertionError(f"not finished after {timeout}s: {p}")
        time.sleep(0.05)


def create(client, text: str, claims=CLAIMS, **extra) -> dict:
    r = client.post("/api/articles", json={"title": "Karabakh", "text": text, "claims": claims, **extra})
    assert r.status_code == 202, r.text
    return r.json()


def test_create_verify_and_read_verdicts(api, sample_text):
    created = create(api, sample_text)
    assert created["progress"]["total"] == len(CLAIMS)
    assert [c["status"] for c in created["claims"]] == ["pending"] * len(CLAIMS)
    progress = wait_finished(api, created["id"])
    assert progress == {"total": 4, "done": 4, "failed": 0, "pending": 0, "finished": True, "fraction": 1.0}

    detail = api.get(f"/api/articles/{created['id']}").json()
    text = detail["text"]
    labels = {}
    for c in detail["claims"]:
        verdict = Verdict.from_dict(c["verdict"])  # the library's serialization, unchanged
        assert verdict.to_dict() == c["verdict"]
        assert c["model_label"] == c["label"] == verdict.label.value
        for p in c["verdict"]["evidence"]:
            assert text[p["start"]:p["end"]] == p["text"]
        labels[c["claim"]] = c["label"]
    assert labels[CLAIMS[0]] == "supported"
    assert labels[CLAIMS[1]] == "contradicted"
    assert labels[CLAIMS[2]] == "not_mentioned"

    one = api.get(f"/api/claims/{detail['claims'][0]['id']}").json()
    assert one["verdict"] == detail["claims"][0]["verdict"]
    listed = api.get("/api/articles").json()
    assert listed[0]["id"] == created["id"]
    assert listed[0].get("text") is None and detail["text"] == sample_text  # listings leave the text out


def test_claims_from_csv_keep_their_ids(api, sample_text):
    body = ("id,claim\nk1,Russian forces confirmed the evacuation of 3,154 people.\n"
            "k2,Yevlakh is 295 kilometers west of Baku.\n")
    created = create(api, sample_text, claims=[{"claim": "Extra claim about Stepanakert airport.", "id": "x9"}],
                     claims_csv=body)
    assert [c["ext_id"] for c in created["claims"]] == ["x9", "k1", "k2"]
    wait_finished(api, created["id"])
    rows = list(csv.DictReader(io.StringIO(api.get(f"/api/articles/{created['id']}/export/csv").text)))
    assert [r["id"] for r in rows] == ["x9", "k1", "k2"]


def test_review_confirm_change_and_history(api, sample_text):
    created = create(api, sample_text)
    wait_finished(api, created["id"])
    claims = api.get(f"/api/articles/{created['id']}/claims").json()
    first, second = claims[0]["id"], claims[1]["id"]

    r = api.post(f"/api/claims/{first}/reviews", json={"action": "confirm", "note": "checked the source"})
    assert r.status_code == 201, r.text
    assert r.json()["label"] == claims[0]["model_label"] and r.json()["reviewer"] == "editor"

    r = api.post(f"/api/claims/{second}/reviews", json={"action": "change", "label": "not_mentioned", "note": "n/a"})
    assert r.status_code == 201
    r = api.post(f"/api/claims/{second}/reviews",
                 json={"action": "change", "label": "supported", "note": "second look"})
    assert r.status_code == 201

    c = api.get(f"/api/claims/{second}").json()
    assert c["label"] == "supported" and c["model_label"] == "contradicted"
    assert [h["label"] for h in c["reviews"]] == ["not_mentioned", "supported"]  # nothing overwritten
    assert [h["note"] for h in api.get(f"/api/claims/{second}/reviews").json()] == ["n/a", "second look"]
    assert all(h["created_at"].endswith("Z") for h in c["reviews"])

    bad = [
        ({"action": "change"}, 422),
        ({"action": "confirm", "label": "not_mentioned"}, 422),
        ({"action": "maybe"}, 422),
        ({"action": "change", "label": "true-ish"}, 422),
        ({"action": "change", "label": "supported", "note": "x" * 5001}, 422),
    ]
    for body, status in bad:
        r = api.post(f"/api/claims/{first}/reviews", json=body)
        assert r.status_code == status, (body, r.text)
        assert r.json()["detail"]
    assert api.post("/api/claims/99999/reviews", json={"action": "confirm"}).status_code == 404


def test_review_queue_order_and_filters(api, sample_text):
    a = create(api, sample_text)
    b = create(api, sample_text, claims=CLAIMS[:2])
    wait_finished(api, a["id"])
    wait_finished(api, b["id"])
    queue = api.get("/api/review-queue").json()
    assert len(queue) == 6
    labels = [q["model_label"] for q in queue]
    assert labels[:2] == ["contradicted", "contradicted"]
    rest = [q["confidence"] for q in queue[2:]]
    assert rest == sorted(rest)  # least confident first
    assert queue[0]["article_title"] == "Karabakh"

    only_b = api.get("/api/review-queue", params={"article_id": b["id"]}).json()
    assert {q["article_id"] for q in only_b} == {b["id"]} and len(only_b) == 2
    supported = api.get("/api/review-queue", params={"label": "supported"}).json()
    assert supported and {q["model_label"] for q in supported} == {"supported"}
    assert api.get("/api/review-queue", params={"label": "bogus"}).status_code == 422

    api.post(f"/api/claims/{queue[0]['id']}/reviews", json={"action": "confirm"})
    assert queue[0]["id"] not in {q["id"] for q in api.get("/api/review-queue").json()}


def test_exports(api, sample_text):
    created = create(api, sample_text + "\n<script>alert('x')</script> & more.",
                     claims=CLAIMS + ["<script>alert(1)</script> was in the article"],
                     source_url="https://example.org/news/1", format="text")
    aid = created["id"]
    wait_finished(api, aid)
    claims = api.get(f"/api/articles/{aid}/claims").json()
    api.post(f"/api/claims/{claims[1]['id']}/reviews", json={"action": "change", "label": "supported", "note": "ok"})

    r = api.get(f"/api/articles/{aid}/export/csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 5
    assert rows[1]["label"] == "contradicted" and rows[1]["final_label"] == "supported"
    assert rows[1]["review_status"] == "changed" and rows[1]["reviewer"] == "editor"
    assert rows[0]["review_status"] == "unreviewed"
    assert {"evidence", "evidence_start", "evidence_end", "p_supported"} <= set(rows[0])

    data = json.loads(api.get(f"/api/articles/{aid}/export/json").text)
    assert data["article"]["source_url"] == "https://example.org/news/1"
    assert Verdict.from_dict(data["claims"][0]["verdict"]).claim == CLAIMS[0]
    assert data["claims"][1]["reviews"][0]["note"] == "ok"

    r = api.get(f"/api/articles/{aid}/export/claimreview")
    assert r.headers["content-type"].startswith("application/ld+json")
    ld = r.json()
    assert ld["@context"] == "https://schema.org"
    assert len(ld["@graph"]) == 1  # reviewed claims only, unless asked
    assert len(api.get(f"/api/articles/{aid}/export/claimreview", params={"unreviewed": True}).json()["@graph"]) == 5
    item = ld["@graph"][0]
    assert item["@type"] == "ClaimReview" and item["claimReviewed"] == CLAIMS[1]
    assert item["reviewRating"]["alternateName"] == "Supported by the article"
    assert item["author"] == {"@type": "Person", "name": "editor"}
    assert item["itemReviewed"]["appearance"]["url"] == "https://example.org/news/1"

    r = api.get(f"/api/articles/{aid}/export/html", params={"download": False})
    assert r.headers["content-type"].startswith("text/html") and "content-disposition" not in r.headers
    assert "<script>" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert 'class="ev ev-supported"' in r.text and "script-src" not in r.headers["content-security-policy"]
    assert api.get(f"/api/articles/{aid}/export/pdf").status_code == 422
    assert api.get("/api/articles/999/export/csv").status_code == 404


def test_persistence_across_restart(make_client, db_url, token, sample_text):
    first = make_client()
    first.headers["Authorization"] = f"Bearer {token}"
    created = create(first, sample_text)
    wait_finished(first, created["id"])
    cid = created["claims"][0]["id"]
    first.post(f"/api/claims/{cid}/reviews", json={"action": "confirm", "note": "kept"})
    before = first.get(f"/api/articles/{created['id']}").json()
    first.__exit__(None, None, None)

    second = make_client()
    second.headers["Authorization"] = f"Bearer {token}"  # tokens survive too
    after = second.get(f"/api/articles/{created['id']}").json()
    assert after == before
    assert after["claims"][0]["review"]["note"] == "kept"


def test_pending_claims_resume_after_restart(make_client, db_url, token, sample_text):
    stopped = make_client(start_worker=False)  # as if the server died before checking
    stopped.headers["Authorization"] = f"Bearer {token}"
    created = create(stopped, sample_text)
    assert stopped.get(f"/api/articles/{created['id']}/progress").json()["pending"] == 4
    stopped.__exit__(None, None, None)

    again = make_client()
    again.headers["Authorization"] = f"Bearer {token}"
    assert wait_finished(again, created["id"])["done"] == 4


def test_model_failure_is_reported_per_claim_and_can_be_retried(db_url, token, sample_text, web_verifier_factory):
    from fastapi.testclient import TestClient

    from verifier.errors import ModelError
    from verifier.web.app import create_app

    attempts = []

    def broken():
        attempts.append(1)
        if len(attempts) == 1:
            raise ModelError("no model at models/nli-minilm-l6")
        return web_verifier_factory()

    with TestClient(create_app(db_url, verifier_factory=broken)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        created = create(client, sample_text)
        p = wait_finished(client, created["id"])
        assert p["failed"] == 4 and p["done"] == 0
        claim = client.get(f"/api/articles/{created['id']}/claims").json()[0]
        assert claim["status"] == "error" and "no model at models/nli-minilm-l6" in claim["error"]
        assert client.post(f"/api/claims/{claim['id']}/reviews", json={"action": "confirm"}).status_code == 422
        assert client.post(f"/api/articles/{created['id']}/retry").status_code == 200
        assert wait_finished(client, created["id"])["done"] == 4


ENDPOINTS = [
    ("get", "/api/me"), ("get", "/api/articles"), ("post", "/api/articles"), ("get", "/api/articles/1"),
    ("get", "/api/articles/1/progress"), ("get", "/api/articles/1/claims"), ("post", "/api/articles/1/retry"),
    ("get", "/api/claims/1"), ("post", "/api/claims/1/reviews"), ("get", "/api/claims/1/reviews"),
    ("get", "/api/review-queue"), ("get", "/api/articles/1/export/csv"),
]


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_anonymous_and_bad_tokens_are_refused(make_client, token, method, path):
    client = make_client()
    r = getattr(client, method)(path)
    assert r.status_code == 401 and "Bearer" in r.json()["detail"] and r.headers["www-authenticate"] == "Bearer"
    r = getattr(client, method)(path, headers={"Authorization": "Bearer vf_not-a-real-token"})
    assert r.status_code == 401 and "not valid" in r.json()["detail"]


def test_pages_redirect_to_login(make_client):
    client = make_client()
    for path in ("/", "/queue", "/articles/1", "/articles/1/results"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_login_endpoint_gives_a_token(make_client, add_user, password):
    add_user("desk")
    client = make_client()
    assert client.post("/api/login", json={"name": "desk", "password": "wrong password"}).status_code == 401
    assert client.post("/api/login", json={"name": "nobody", "password": password}).status_code == 401
    r = client.post("/api/login", json={"name": "desk", "password": password})
    assert r.status_code == 200 and r.json()["token"].startswith("vf_")
    me = client.get("/api/me", headers={"Authorization": f"Bearer {r.json()['token']}"}).json()
    assert me == {"name": "desk", "anonymous": False, "role": "editor"}


def test_no_auth_mode_lets_anonymous_in(make_client, sample_text):
    client = make_client(auth=False)
    client.base_url = "http://localhost"  # type: ignore[misc]
    assert client.get("/api/me").json() == {"name": "anonymous", "anonymous": True, "role": "admin"}
    created = create(client, sample_text)
    wait_finished(client, created["id"])
    r = client.post(f"/api/claims/{created['claims'][0]['id']}/reviews", json={"action": "confirm"})
    assert r.status_code == 201 and r.json()["reviewer"] == "anonymous"
    assert client.get("/", follow_redirects=False).status_code == 200


def _login(client, password, name="editor") -> str:
    import re

    page = client.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post("/login", data={"csrf_token": csrf, "name": name, "password": password, "next": "/queue"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/queue"
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)


def test_session_cookie_needs_csrf(make_client, token, sample_text, password):
    client = make_client()
    csrf = _login(client, password)
    assert client.get("/api/me").json()["name"] == "editor"  # reads work with the cookie
    body = {"title": "t", "text": sample_text, "claims": CLAIMS[:1]}
    r = client.post("/api/articles", json=body)
    assert r.status_code == 403 and "X-CSRF-Token" in r.json()["detail"]
    assert client.post("/api/articles", json=body, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.post("/api/articles", json=body, headers={"X-CSRF-Token": csrf}).status_code == 202

    r = client.post("/articles", data={"title": "t", "text": sample_text, "claims": "a claim"})
    assert r.status_code == 403 and "expired" in r.text
    r = client.post("/articles", data={"csrf_token": "forged", "title": "t", "text": sample_text, "claims": "x"})
    assert r.status_code == 403
    assert client.post("/claims/1/review", data={"label": "supported"}).status_code == 403


def test_login_form_refuses_wrong_password_and_foreign_redirects(make_client, token, password):
    import re

    client = make_client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"csrf_token": csrf, "name": "editor", "password": "nope nope"})
    assert r.status_code == 401 and "Wrong name or password" in r.text
    r = client.post("/login", data={"csrf_token": csrf, "name": "editor", "password": password,
                                    "next": "//evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/"
    assert client.post("/login", data={"name": "editor", "password": password}).status_code == 403


@pytest.mark.parametrize("body,status,message", [
    ({"title": "t", "text": "x" * 2_000_001, "claims": ["c"]}, 413, "limit is 2,000,000 bytes"),
    ({"title": "t", "text": "Some text.", "claims": ["c"] * 5001}, 413, "the limit is 5,000"),
    ({"title": "t", "text": "Some text.", "claims": []}, 422, "no claims"),
    ({"title": "t", "text": "Some text.", "claims": ["ok", "   "]}, 422, "claim 2: the claim is empty"),
    ({"title": "t", "text": "Some text.", "claims": ["x" * 2001]}, 422, "claim 1"),
    ({"title": "t", "text": "   ", "claims": ["c"]}, 422, "article is missing"),
    ({"title": "t", "claims": ["c"]}, 422, "article is missing"),
    ({"title": "", "text": "Some text.", "claims": ["c"]}, 422, "title is empty"),
    ({"title": "t", "text": "Some text.", "claims": ["c"], "source_url": "javascript:alert(1)"}, 422, "http"),
    ({"title": "t", "text": "Some text.", "claims_csv": "text\nhello\n"}, 422, "no 'claim' column"),
    ({"title": "t", "claims": ["c"], "fetch": True}, 422, "give the source URL"),
    ({"title": "t", "text": "Some text.", "claims": ["c"], "fetch": True}, 422, "one way only"),
    ({"title": "t", "text": "Some text.", "claims": ["c"], "format": "pdf"}, 422, None),
    ({"title": "t", "text": "a\x00b", "claims": ["c"]}, 422, "NUL"),
])
def test_oversize_and_malformed_input(api, body, status, message):
    r = api.post("/api/articles", json=body)
    assert r.status_code == status, r.text[:300]
    if message:
        assert message in r.json()["detail"]
    assert api.get("/api/articles").json() == []  # nothing half-stored


def test_whole_body_limit_and_bad_json(api):
    r = api.post("/api/articles", content=b"{" + b" " * 16_000_001 + b"}",
                 headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "16,000,000 bytes" in r.json()["detail"]
    r = api.post("/api/articles", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    r = api.post("/api/articles", content=b'{"title": "t"}', headers={"Content-Type": "text/plain"})
    assert r.status_code == 422  # strict JSON content type: a cross-site form cannot post here


def test_openapi_documents_the_api(api):
    spec = api.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/articles", "/api/articles/{article_id}/progress", "/api/claims/{claim_id}/reviews",
            "/api/review-queue", "/api/articles/{article_id}/export/{fmt}", "/api/login"} <= paths
    assert not any(p.startswith(("/login", "/queue")) for p in paths)  # pages stay out of the API docs
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    assert api.get("/docs").status_code == 200


def test_docs_page_works_offline(api):
    """Swagger UI's script and styles come from the app itself, not from a CDN."""
    html = api.get("/docs").text
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
    for asset in ("/static-offline-docs/swagger-ui-bundle.js", "/static-offline-docs/swagger-ui.css"):
        assert asset in html
        assert api.get(asset).status_code == 200


@pytest.mark.parametrize("secure", [False, True])
def test_session_cookie_is_secure_when_asked(make_client, secure):
    r = make_client(secure_cookies=secure).get("/login")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and ("; secure" in cookie) == secure
