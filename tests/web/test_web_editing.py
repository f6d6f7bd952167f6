"""Editing articles and claims (with the audit trail), re-running a claim, and searching articles."""

from __future__ import annotations

from test_web_api import CLAIMS, create, wait_finished


def _checked(api, sample_text, claims=CLAIMS, **extra):
    created = create(api, sample_text, claims=claims, **extra)
    wait_finished(api, created["id"])
    return created["id"], api.get(f"/api/articles/{created['id']}/claims").json()


def test_edit_claim_text_checks_it_again_and_keeps_the_old_one(api, sample_text):
    aid, claims = _checked(api, sample_text)
    old = claims[1]
    api.post(f"/api/claims/{old['id']}/reviews", json={"action": "confirm", "note": "seen"})
    r = api.patch(f"/api/claims/{old['id']}",
                  json={"claim": "Russian forces confirmed the evacuation of 3,154 people."})
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["id"] != old["id"] and new["position"] == old["position"] and new["claim"] != old["claim"]
    wait_finished(api, aid)
    now = api.get(f"/api/articles/{aid}/claims").json()
    assert [c["id"] for c in now] == [claims[0]["id"], new["id"], claims[2]["id"], claims[3]["id"]]
    assert now[1]["label"] == "supported" and now[1]["reviews"] == []
    assert api.get(f"/api/claims/{old['id']}").status_code == 404
    (entry,) = api.get(f"/api/articles/{aid}/audit").json()
    assert entry["action"] == "edit_claim" and entry["actor"] == "editor" and entry["claim_id"] == old["id"]
    assert entry["detail"]["claim"] == {"before": old["claim"], "after": new["claim"]}
    assert entry["detail"]["replaced_by"] == new["id"] and entry["detail"]["label"] == "contradicted"

    r = api.patch(f"/api/claims/{new['id']}", json={"id": "k-7"})  # only the id: edited in place
    assert r.json()["id"] == new["id"] and r.json()["ext_id"] == "k-7" and r.json()["status"] == "done"
    assert api.patch(f"/api/claims/{new['id']}", json={"claim": "  "}).status_code == 422


def test_delete_claim_and_article_keep_an_audit_trail(api, sample_text):
    aid, claims = _checked(api, sample_text)
    assert api.delete(f"/api/claims/{claims[0]['id']}").status_code == 204
    assert api.get(f"/api/articles/{aid}/progress").json()["total"] == 3
    assert claims[0]["id"] not in {q["id"] for q in api.get("/api/review-queue").json()}
    assert api.delete(f"/api/claims/{claims[0]['id']}").status_code == 404
    r = api.patch(f"/api/articles/{aid}", json={"title": "Karabakh, corrected", "source_url": "https://example.org/k"})
    assert r.status_code == 200 and r.json()["title"] == "Karabakh, corrected"
    assert api.patch(f"/api/articles/{aid}", json={"source_url": "ftp://x"}).status_code == 422
    trail = api.get(f"/api/articles/{aid}/audit").json()
    assert [e["action"] for e in trail] == ["delete_claim", "edit_article"]
    assert trail[1]["detail"]["title"] == {"before": "Karabakh", "after": "Karabakh, corrected"}
    assert api.delete(f"/api/articles/{aid}").status_code == 204
    assert api.get(f"/api/articles/{aid}").status_code == 404 and api.get("/api/articles").json() == []
    assert api.get("/api/review-queue").json() == []
    store = api.app.state.store
    assert [e["action"] for e in store.audit_trail(aid)][-1] == "delete_article"  # kept after deletion


def test_add_claims_and_recheck_one(api, sample_text):
    aid, claims = _checked(api, sample_text, claims=CLAIMS[:2])
    r = api.post(f"/api/articles/{aid}/claims", json={"claims": ["Yevlakh is 295 kilometers west of Baku.",
                                                                 {"claim": "Russian forces evacuated 9,999 people.",
                                                                  "id": "n2"}]})
    assert r.status_code == 202 and [c["claim"] for c in r.json()][1] == "Russian forces evacuated 9,999 people."
    assert [c["position"] for c in r.json()] == [2, 3]
    p = wait_finished(api, aid)
    assert p["total"] == 4 and p["done"] == 4
    assert api.post(f"/api/articles/{aid}/claims", json={"claims": []}).status_code == 422

    cid = claims[0]["id"]
    api.post(f"/api/claims/{cid}/reviews", json={"action": "confirm"})
    r = api.post(f"/api/claims/{cid}/recheck")
    assert r.status_code == 202
    wait_finished(api, aid)
    again = api.get(f"/api/claims/{cid}").json()
    assert again["status"] == "done" and again["verdict"] == claims[0]["verdict"] and len(again["reviews"]) == 1
    assert [e["action"] for e in api.get(f"/api/articles/{aid}/audit").json()] == ["add_claims", "recheck_claim"]


def test_article_search_paging_and_counts(api, add_user, sample_text, make_client):
    ids = [create(api, sample_text, claims=CLAIMS, title=f"Story {i}")["id"] for i in range(3)]
    other = make_client()
    other.headers["Authorization"] = f"Bearer {add_user('kim')}"
    kim = create(other, sample_text, claims=CLAIMS[:1], title="Kim's ceasefire piece")["id"]
    for aid in [*ids, kim]:
        wait_finished(api, aid)
    first = api.get(f"/api/articles/{ids[0]}/claims").json()[0]
    api.post(f"/api/claims/{first['id']}/reviews", json={"action": "change", "label": "not_mentioned"})

    r = api.get("/api/articles", params={"limit": 2})
    assert r.headers["x-total-count"] == "4" and [a["id"] for a in r.json()] == [kim, ids[2]]
    assert [a["id"] for a in api.get("/api/articles", params={"limit": 2, "offset": 2}).json()] == [ids[1], ids[0]]
    assert [a["id"] for a in api.get("/api/articles", params={"q": "ceasefire"}).json()] == [kim]
    assert [a["id"] for a in api.get("/api/articles", params={"author": "kim"}).json()] == [kim]
    assert api.get("/api/articles", params={"q": "100%_"}).json() == []  # LIKE wildcards are literal
    today = api.get("/api/articles").json()[0]["created_at"][:10]
    assert len(api.get("/api/articles", params={"since": today, "until": today}).json()) == 4
    assert api.get("/api/articles", params={"until": "2000-01-01"}).json() == []
    counts = {a["id"]: a["counts"] for a in api.get("/api/articles").json()}
    assert counts[ids[1]] == {"supported": 2, "contradicted": 1, "not_mentioned": 1, "reviewed": 0}
    assert counts[ids[0]] == {"supported": 1, "contradicted": 1, "not_mentioned": 2, "reviewed": 1}  # as reviewed


def test_pages_edit_delete_add_and_search(make_client, token, password, sample_text):
    import re

    from test_web_pages import csrf_of

    client = make_client()
    r = client.post("/login", data={"csrf_token": csrf_of(client.get("/login").text), "name": "editor",
                                    "password": password, "next": "/"})
    csrf = csrf_of(r.text)
    r = client.post("/articles", data={"csrf_token": csrf, "title": "Paged", "text": sample_text,
                                       "claims": "\n".join(CLAIMS[:2])})
    aid = int(str(r.url).rsplit("/", 1)[1])
    client.headers["Authorization"] = f"Bearer {token}"
    wait_finished(client, aid)
    del client.headers["Authorization"]
    html = client.get(f"/articles/{aid}").text
    assert 'id="summary"' in html and 'data-label="supported">Supported: 1' in html
    cid = re.findall(r'id="claim-(\d+)"', html)[0]
    r = client.post(f"/claims/{cid}/review", data={"csrf_token": csrf, "action": "confirm"}, follow_redirects=False)
    assert r.status_code == 303  # one-click confirm
    r = client.post(f"/articles/{aid}/claims", data={"csrf_token": csrf, "claims": "Yevlakh is 295 kilometers west."})
    assert r.status_code == 200 and "Yevlakh is 295 kilometers west." in r.text
    client.post(f"/claims/{cid}/edit", data={"csrf_token": csrf, "claim": "An edited claim.", "ext_id": "e1"})
    html = client.get(f"/articles/{aid}").text
    assert "An edited claim." in html and "edit claim" in html  # the change shows in the page's history
    assert client.post(f"/claims/{cid}/delete", data={"csrf_token": "forged"}).status_code == 403
    client.post(f"/articles/{aid}/edit", data={"csrf_token": csrf, "title": "Paged, edited", "source_url": ""})
    listing = client.get("/articles", params={"q": "edited"}).text
    assert "Paged, edited" in listing and 'id="article-count">1 article' in listing
    assert "No articles match" in client.get("/articles", params={"q": "nothing like it"}).text
    r = client.post(f"/articles/{aid}/delete", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/articles"
    assert client.get(f"/articles/{aid}").status_code == 404
    assert client.get("/favicon.ico").headers["content-type"].startswith("image/svg+xml")
    assert client.get("/articles/99999999999999999999").status_code == 422


def test_viewers_see_no_editing_controls_and_cannot_post(make_client, add_user, password, token, sample_text):
    from test_web_pages import csrf_of

    api = make_client()
    api.headers["Authorization"] = f"Bearer {token}"
    aid, claims = _checked(api, sample_text, claims=CLAIMS[:2])
    add_user("vera")
    store = api.app.state.store
    store.set_role(store.user_named("vera"), "viewer")
    client = make_client()
    r = client.post("/login", data={"csrf_token": csrf_of(client.get("/login").text), "name": "vera",
                                    "password": password, "next": f"/articles/{aid}"})
    html = r.text
    assert "(viewer)" in html and 'class="claim lab-' in html
    for control in ('class="review"', "confirm-form", "edit-claim", "add-claims", "edit-article"):
        assert control not in html, control
    assert 'class="review-form"' not in client.get("/queue").text
    csrf = csrf_of(html)
    r = client.post(f"/claims/{claims[0]['id']}/review", data={"csrf_token": csrf, "action": "confirm"})
    assert r.status_code == 403 and "viewer" in r.text
    assert client.post(f"/claims/{claims[0]['id']}/delete", data={"csrf_token": csrf}).status_code == 403
    assert client.post("/articles", data={"csrf_token": csrf, "title": "t", "text": "Some text.",
                                          "claims": "c"}).status_code == 403
    assert api.get(f"/api/articles/{aid}/progress").json()["total"] == 2
