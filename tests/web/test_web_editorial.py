"""Editorial correctness: line endings as pasted, and reviewer overrides that invent no evidence."""

from __future__ import annotations

import csv
import io
import re

from test_web_api import create, wait_finished
from test_web_pages import browser, csrf_of, wait_page  # noqa: F401 (browser is a fixture)

NOT_MENTIONED = "The weather in Paris was sunny and pleasant all week."


def test_crlf_from_the_browser_is_normalised(browser, sample_text):  # noqa: F811
    pasted = sample_text.replace("\n", "\r\n")  # what a browser form sends
    claims = "Russian forces confirmed the evacuation of 3,154 people.\r\nYevlakh is 295 kilometers west of Baku.\r\n"
    r = browser.post("/articles", data={"csrf_token": browser.csrf, "title": "CRLF", "text": pasted, "claims": claims})
    wait_page(browser, str(r.url))
    aid = int(str(r.url).rsplit("/", 1)[1])
    detail = browser.get(f"/api/articles/{aid}").json()
    assert "\r" not in detail["text"] and detail["text"] == sample_text  # 4,589 characters, not the 4,613 sent
    for c in detail["claims"]:
        for p in c["verdict"]["evidence"]:
            assert detail["text"][p["start"]:p["end"]] == p["text"] and "\r" not in p["text"]


def test_crlf_and_lone_cr_through_the_api(api, sample_text):
    created = create(api, sample_text.replace("\n", "\r\n"), claims=["Yevlakh is 295 kilometers west of Baku."])
    assert created["text"] == sample_text
    created = create(api, "First line.\rSecond line about Baku.", claims=["x"], format="text")
    assert created["text"] == "First line.\nSecond line about Baku."


def _not_mentioned_claim(api, sample_text):
    created = create(api, sample_text, claims=[NOT_MENTIONED])
    wait_finished(api, created["id"])
    (claim,) = api.get(f"/api/articles/{created['id']}/claims").json()
    assert claim["model_label"] == "not_mentioned" and claim["verdict"]["evidence"]  # it has a closest passage
    return created["id"], claim


def test_override_of_not_mentioned_paints_no_evidence(browser, sample_text):  # noqa: F811
    browser.headers["X-CSRF-Token"] = browser.csrf
    aid, claim = _not_mentioned_claim(browser, sample_text)
    cid = claim["id"]
    browser.post(f"/claims/{cid}/review", data={"csrf_token": browser.csrf, "label": "contradicted", "note": "n"})
    html = browser.get(f"/articles/{aid}").text
    item = html.split(f'id="claim-{cid}"')[1].split('<li class="claim ')[0].split('<li class="add-claims"')[0]
    assert "ev-contradicted" not in html.split('id="article-text"')[1].split("</article>")[0]  # nothing painted red
    assert f'data-claims="{cid}"' not in html  # the unrelated closest passage is not marked at all
    assert "show-evidence" not in item and "No passage given" in item
    confidence = f"{claim['confidence'] * 100:.0f}%"
    assert re.search(r'class="confidence">reviewed<', item)
    assert f"model: Not mentioned ({confidence})" in " ".join(item.split())
    report = browser.get(f"/api/articles/{aid}/export/html").text
    assert "no passage given for the reviewer" in report and "ev-contradicted" not in report.split("<h2>Article")[1]
    ld = browser.get(f"/api/articles/{aid}/export/claimreview").json()["@graph"][0]
    assert ld["reviewRating"]["alternateName"] == "Contradicted by the article"
    assert ld.get("reviewBody") == "n"  # the reviewer's note, not the model's unrelated passage


def test_reviewer_points_to_the_passage(api, sample_text):
    aid, claim = _not_mentioned_claim(api, sample_text)
    text = api.get(f"/api/articles/{aid}").json()["text"]
    quote = "Russian forces confirmed the evacuation of 3,154 people"
    r = api.post(f"/api/claims/{claim['id']}/reviews", json={"action": "change", "label": "contradicted",
                                                              "quote": quote})
    assert r.status_code == 201, r.text
    start = text.index(quote)
    assert r.json()["passage"] == {"start": start, "end": start + len(quote)}
    html = api.get(f"/api/articles/{aid}/export/html").text
    assert f'data-claims="{claim["id"]}">{quote}</mark>' in html and "ev-contradicted" in html
    ld = api.get(f"/api/articles/{aid}/export/claimreview").json()["@graph"][0]
    assert ld["reviewBody"] == quote
    rows = list(csv.DictReader(io.StringIO(api.get(f"/api/articles/{aid}/export/csv").text)))
    assert rows[0]["review_passage_start"] == str(start)
    r = api.post(f"/api/claims/{claim['id']}/reviews", json={"action": "change", "label": "supported",
                                                              "passage": {"start": 0, "end": 10}})
    assert r.status_code == 201 and r.json()["passage"] == {"start": 0, "end": 10}
    bad = [{"action": "change", "label": "supported", "quote": "words that are not in the article"},
           {"action": "change", "label": "supported", "passage": {"start": 5, "end": 10**7}},
           {"action": "confirm", "quote": quote}]
    for body in bad:
        assert api.post(f"/api/claims/{claim['id']}/reviews", json=body).status_code == 422, body
