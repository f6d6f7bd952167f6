"""The editors' pages through the test client: forms, uploads, escaping and review."""

from __future__ import annotations

import re
import time

import pytest

SCRIPT = "<script>alert('xss')</script>"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def browser(make_client, token, password):
    """A test client signed in through the login form."""
    client = make_client()
    page = client.get("/login?next=/")
    r = client.post("/login", data={"csrf_token": csrf_of(page.text), "name": "editor", "password": password,
                                    "next": "/"})
    assert r.status_code == 200 and "New check" in r.text
    client.csrf = csrf_of(r.text)
    return client


def wait_page(client, url: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        html = client.get(url).text
        if 'data-finished="true"' in html:
            return html
        assert time.monotonic() < deadline, "checking did not finish"
        time.sleep(0.05)


def test_submit_paste_and_see_highlighted_results(browser, sample_text):
    claims = "Russian forces confirmed the evacuation of 3,154 people.\n\nRussian forces evacuated 9,999 people.\n"
    r = browser.post("/articles", data={"csrf_token": browser.csrf, "title": "Karabakh", "text": sample_text,
                                        "claims": claims, "format": "auto"})
    assert r.status_code == 200 and re.search(r"/articles/\d+$", str(r.url))
    html = wait_page(browser, str(r.url))
    assert html.count('class="claim lab-') == 2
    assert 'class="ev ev-supported"' in html and 'class="ev ev-contradicted"' in html
    ids = re.findall(r'id="claim-(\d+)"', html)
    for cid in ids:
        assert f'id="ev-{cid}"' in html and f'href="#ev-{cid}"' in html
    fragment = browser.get(str(r.url) + "/results").text
    assert "<html" not in fragment and 'id="claims"' in fragment
    home = browser.get("/").text
    assert "Karabakh" in home and "2/2 checked" in home


def test_upload_article_file_and_claims_csv(browser, sample_text):
    paragraphs = "".join(f"<p>{p}</p>" for p in sample_text.splitlines())
    html_article = "<html><body><h1>Title</h1>" + paragraphs + "</body></html>"
    files = {"article_file": ("story.html", html_article.encode(), "text/html"),
             "claims_file": ("claims.csv", b"id,claim\nk1,Russian forces confirmed the evacuation of 3,154 people.\n",
                             "text/csv")}
    r = browser.post("/articles", data={"csrf_token": browser.csrf, "title": "Upload", "claims": ""}, files=files)
    assert r.status_code == 200, r.text[:500]
    html = wait_page(browser, str(r.url))
    assert "k1" in html and "<p>" not in html.split('id="article-text"')[1].split("</article>")[0]


@pytest.mark.parametrize("data,files,status,message", [
    ({"text": "x" * 2_000_001, "claims": "c"}, None, 413, "limit is 2,000,000 bytes"),
    ({"text": "Some text.", "claims": "c\n" * 5001}, None, 413, "the limit is 5,000"),
    ({"text": "Some text.", "claims": ""}, None, 422, "no claims"),
    ({"text": "", "claims": "c"}, None, 422, "article is missing"),
    ({"claims": "c"}, {"article_file": ("story.pdf", b"%PDF", "application/pdf")}, 422, "upload a .txt, .md or .html"),
    ({"claims": "c"}, {"article_file": ("big.txt", b"x" * 2_000_001, "text/plain")}, 413, "2,000,000 bytes"),
    ({"text": "Some text."}, {"claims_file": ("c.csv", b"text\nhello\n", "text/csv")}, 422,
     "no &#39;claim&#39; column"),
])
def test_form_errors_are_shown_with_the_input_kept(browser, data, files, status, message):
    r = browser.post("/articles", data={"csrf_token": browser.csrf, "title": "Keep me", **data}, files=files)
    assert r.status_code == status
    assert message in r.text and 'id="form-error"' in r.text
    assert 'value="Keep me"' in r.text


def test_user_text_is_escaped_everywhere(browser, sample_text):
    r = browser.post("/articles", data={"csrf_token": browser.csrf, "title": f"Title {SCRIPT}", "format": "text",
                                        "text": sample_text + f"\nThe {SCRIPT} tag was in the article.",
                                        "claims": f"The {SCRIPT} tag was in the article."})
    html = wait_page(browser, str(r.url))
    cid = re.search(r'id="claim-(\d+)"', html).group(1)
    browser.post(f"/claims/{cid}/review", data={"csrf_token": browser.csrf, "label": "contradicted",
                                                "note": f"note {SCRIPT}"})
    aid = re.search(r"/articles/(\d+)", str(r.url)).group(1)
    pages = [browser.get(f"/articles/{aid}").text, browser.get("/").text, browser.get("/queue?label=").text,
             browser.get(f"/api/articles/{aid}/export/html").text]
    browser.post(f"/claims/{cid}/review", data={"csrf_token": browser.csrf, "label": "supported", "note": "again"})
    pages.append(browser.get(f"/articles/{aid}").text)
    for html in pages:
        assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in pages[0]
    assert "note &lt;script&gt;" in pages[-1]
    assert "script-src 'self'" in browser.get(f"/articles/{aid}").headers["content-security-policy"]


def test_review_from_the_page_keeps_history(browser, sample_text):
    r = browser.post("/articles", data={"csrf_token": browser.csrf, "title": "Review", "text": sample_text,
                                        "claims": "Russian forces confirmed the evacuation of 3,154 people."})
    html = wait_page(browser, str(r.url))
    cid = re.search(r'id="claim-(\d+)"', html).group(1)
    queue = browser.get("/queue").text
    assert f'id="claim-{cid}"' in queue
    r1 = browser.post(f"/claims/{cid}/review", data={"csrf_token": browser.csrf, "label": "supported",
                                                     "note": "matches the source", "next": "/queue"},
                      follow_redirects=False)
    assert r1.status_code == 303 and r1.headers["location"] == f"/queue#claim-{cid}"
    assert f'id="claim-{cid}"' not in browser.get("/queue").text
    browser.post(f"/claims/{cid}/review", data={"csrf_token": browser.csrf, "label": "not_mentioned",
                                                "note": "on second thought"})
    page = " ".join(browser.get(str(r.url)).text.split())
    assert "Changed to <strong>Not mentioned</strong> by editor" in page and "History (2 reviews)" in page
    assert "model: Supported" in page
    claim = browser.get(f"/api/claims/{cid}").json()
    assert [(h["action"], h["label"]) for h in claim["reviews"]] == [("confirm", "supported"),
                                                                    ("change", "not_mentioned")]
    bad = browser.post(f"/claims/{cid}/review", data={"csrf_token": browser.csrf, "label": "maybe"})
    assert bad.status_code == 422 and "unknown label" in bad.text
    assert browser.post("/claims/99999/review", data={"csrf_token": browser.csrf}).status_code == 404


def test_logout_ends_the_session(browser):
    r = browser.post("/logout", data={"csrf_token": browser.csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert browser.get("/", follow_redirects=False).status_code == 303
    assert browser.get("/api/me").status_code == 401


def test_missing_article_page(browser):
    assert browser.get("/articles/4242").status_code == 404


def test_results_show_the_detail_checks_under_the_verdict(browser, sample_text):
    claims = "Russian forces confirmed the evacuation of 31,540 people.\n"
    r = browser.post("/articles", data={"csrf_token": browser.csrf, "title": "Karabakh", "text": sample_text,
                                        "claims": claims, "format": "auto"})
    html = wait_page(browser, str(r.url))
    assert '<li class="check check-mismatch">number: claim 31,540 people, article 3,154 people (mismatch)</li>' in html
