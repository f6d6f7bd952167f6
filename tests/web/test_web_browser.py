"""End to end in a real headless Chromium (Debian's `chromium`, driven by Playwright).

A real uvicorn server on 127.0.0.1 runs the app on the fake models. The test signs in,
submits the sample article with claims, waits for the verdicts, opens a claim's evidence,
overrides a verdict, exports the report, and takes a screenshot of the results page. The
screenshot goes to the test's temporary folder; set VERIFIER_SCREENSHOT=docs/results.png to
refresh the one in the docs.
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from fakes import SlowVerifier

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="Debian's chromium is not installed (apt-get install chromium)")

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]



def card(page, text):
    """The claim card whose claim text contains `text` (not a card whose checks merely quote it)."""
    return page.locator("li.claim").filter(has=page.locator(".claim-text", has_text=text))

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(db_url, web_verifier_factory):
    """A real uvicorn server in a thread; yields its base URL."""
    import uvicorn

    from verifier.web.app import create_app

    app = create_app(db_url, verifier_factory=lambda: SlowVerifier(web_verifier_factory()), chunk_size=3)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def test_editor_checks_reviews_and_exports(live_server, chromium, add_user, password, sample_text, tmp_path):
    from playwright.sync_api import expect

    add_user("editor")
    with (ROOT / "claims" / "karabakh.csv").open(encoding="utf-8") as f:
        claims = [row["claim"] for row in csv.DictReader(f)][:11]
    claims.insert(2, "Russian forces confirmed the evacuation of 3,154 people, including 1,428 children.")
    claims.append("An <script>alert('x')</script> tag does not run.")

    context = chromium.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # sign in
    page.goto(live_server + "/")
    expect(page).to_have_url(live_server + "/login?next=/")
    page.fill("input[name=name]", "editor")
    page.fill("input[name=password]", password)
    page.click("button:has-text('Sign in')")
    expect(page.locator("h1")).to_have_text("New check")

    # submit the sample article with its claims
    page.fill("input[name=title]", "Azerbaijan declares sovereignty over Nagorno-Karabakh")
    page.fill("input[name=source_url]", "https://example.org/news/karabakh-ceasefire")
    page.fill("textarea[name=text]", sample_text)
    page.fill("textarea[name=claims]", "\n".join(claims))
    page.click("button:has-text('Check claims')")
    expect(page).to_have_url(f"{live_server}/articles/1")

    # the page follows the background job until every verdict is in
    expect(page.locator("#progress")).to_be_visible()
    expect(page.locator("li.claim .badge.lab-pending").first).to_be_visible()
    expect(page.locator("#status[data-finished=true]")).to_have_count(1, timeout=30_000)
    expect(page.locator("li.claim")).to_have_count(len(claims))
    expect(page.locator("li.claim .badge.lab-pending")).to_have_count(0)
    assert page.locator("mark.ev-supported").count() > 0 and page.locator("mark.ev-contradicted").count() > 0

    # open a claim's evidence: the passage is highlighted and scrolled into view
    claim = card(page, "3,154 people, including 1,428 children")
    claim_id = claim.get_attribute("data-claim")
    claim.locator("a.show-evidence").click()
    active = page.locator("mark.ev.active")
    expect(active.first).to_be_in_viewport()
    assert "3,154 people" in " ".join(active.all_inner_texts())
    expect(claim).to_have_class(__import__("re").compile(r"\bactive\b"))

    # override one verdict with a note
    target = page.locator("li.claim.lab-supported").first
    target_id = target.get_attribute("data-claim")
    target.locator("details.review summary").click()
    target.locator("select[name=label]").select_option("contradicted")
    target.locator("textarea[name=note]").fill("The source says otherwise.")
    target.locator("button:has-text('Save review')").click()
    reviewed = page.locator(f"#claim-{target_id}")
    expect(reviewed.locator(".reviewed")).to_contain_text("Changed to Contradicted by editor")
    expect(reviewed.locator(".badge")).to_have_text("Contradicted")
    expect(reviewed.locator(".reviewed q")).to_have_text("The source says otherwise.")

    # user text shows as text and never runs
    expect(card(page, "<script>alert('x')</script>")).to_have_count(1)
    assert dialogs == []

    # screenshot of the results page, with one claim's evidence selected
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(f"#claim-{claim_id} a.show-evidence").click()
    page.wait_for_timeout(800)  # smooth scrolling
    shot = Path(os.environ.get("VERIFIER_SCREENSHOT") or tmp_path / "results.png")
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    # export: CSV download, then the printable report
    with page.expect_download() as info:
        page.click("#export-csv")
    saved = tmp_path / "export.csv"
    info.value.save_as(saved)
    rows = {r["claim"]: r for r in csv.DictReader(saved.open(encoding="utf-8"))}
    changed = [r for r in rows.values() if r["review_status"] == "changed"]
    assert len(changed) == 1 and changed[0]["final_label"] == "contradicted" and changed[0]["reviewer"] == "editor"

    page.click("#export-report")
    expect(page).to_have_url(f"{live_server}/api/articles/1/export/html?download=false")
    expect(page.locator("h1")).to_have_text("Azerbaijan declares sovereignty over Nagorno-Karabakh")
    expect(page.locator("table tbody tr")).to_have_count(len(claims))
    assert page.locator("mark.ev-contradicted").count() > 0
    expect(page.locator("td", has_text="The source says otherwise.")).to_have_count(1)
    assert dialogs == [] and not [e for e in errors if "Content Security Policy" in e], errors
    context.close()


def _shot(page, tmp_path: Path, name: str) -> None:
    """A screenshot in the test's folder, or in $VERIFIER_SCREENSHOT_DIR (docs/ to refresh the docs)."""
    folder = Path(os.environ.get("VERIFIER_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name))
    assert (folder / name).stat().st_size > 5_000


def test_editor_flows_keyboard_and_phone(live_server, chromium, add_user, password, sample_text, tmp_path):
    """Summary counts, card click, keys, one-click confirm, add/edit/delete claims, the change history,
    the numbered report, article search, and the 390 px layout."""
    import re

    from playwright.sync_api import expect

    add_user("editor")
    claims = ["Russian forces confirmed the evacuation of 3,154 people, including 1,428 children.",
              "Russian forces confirmed the evacuation of 5,000 people.",
              "The weather in Paris was sunny and pleasant all week.",
              "Kremlin spokesman Dmitry Peskov said Nagorno-Karabakh is an internal matter for Azerbaijan."]
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())  # the "Delete this claim?" question
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/login")
    page.fill("input[name=name]", "editor")
    page.fill("input[name=password]", password)
    page.click("button:has-text('Sign in')")
    page.fill("input[name=title]", "Karabakh ceasefire")
    page.fill("textarea[name=text]", sample_text)
    page.fill("textarea[name=claims]", "\n".join(claims))
    page.click("button:has-text('Check claims')")
    expect(page.locator("#status[data-finished=true]")).to_have_count(1, timeout=30_000)
    assert page.locator("link[rel=icon]").get_attribute("href") == "/static/favicon.svg"

    summary = page.locator("#summary")
    expect(summary.locator("[data-label=supported]")).to_have_text("Supported: 2")
    expect(summary.locator("[data-label=contradicted]")).to_have_text("Contradicted: 1")
    expect(summary).to_contain_text("Reviewed 0 of 4")

    cards = page.locator("ol#claims li.claim")
    active = re.compile(r"\bactive\b")
    cards.nth(1).locator(".claim-text").click()  # a click on the card selects it and its evidence
    expect(cards.nth(1)).to_have_class(active)
    assert "5,000" not in " ".join(page.locator("mark.ev.active").all_inner_texts())
    expect(page.locator("mark.ev.active").first).to_be_in_viewport()
    page.keyboard.press("j")
    expect(cards.nth(2)).to_have_class(active)
    page.keyboard.press("k")
    page.keyboard.press("k")
    expect(cards.nth(0)).to_have_class(active)
    page.keyboard.press("c")  # confirm the selected claim
    expect(cards.nth(0).locator(".reviewed")).to_contain_text("Confirmed by editor")
    expect(page.locator("#summary")).to_contain_text("Reviewed 1 of 4")
    cards.nth(3).locator("button.confirm").click()  # one-click confirm
    expect(cards.nth(3).locator(".reviewed")).to_contain_text("Confirmed by editor")
    cards.nth(1).locator(".claim-text").click()
    page.keyboard.press("x")  # change: the review form opens with the verdict focused
    expect(cards.nth(1).locator("details.review")).to_have_attribute("open", "")
    expect(cards.nth(1).locator("select[name=label]")).to_be_focused()

    # add a claim: it is checked in the background and appears with its verdict
    page.locator("li.add-claims summary").click()
    page.fill("#add-claims textarea[name=claims]", "Yevlakh is 295 kilometers west of Baku.")
    page.click("#add-claims button")
    expect(cards).to_have_count(5)
    expect(page.locator("#status[data-finished=true]")).to_have_count(1, timeout=30_000)
    expect(cards.nth(4).locator(".badge.lab-pending")).to_have_count(0)

    # edit one claim's text, delete another; both show in the history of changes
    cards.nth(2).locator("details.edit-claim summary").click()
    cards.nth(2).locator("textarea[name=claim]").fill("Russian forces evacuated 9,999 people.")
    cards.nth(2).locator("button:has-text('Save claim')").click()
    expect(card(page, "9,999 people")).to_have_count(1)
    expect(card(page, "weather in Paris")).to_have_count(0)
    card(page, "Yevlakh").locator("details.edit-claim summary").click()
    card(page, "Yevlakh").locator("button:has-text('Delete claim')").click()
    expect(cards).to_have_count(4)
    page.locator("#audit summary").click()
    expect(page.locator("#audit li")).to_have_count(3)  # added, edited, deleted
    expect(page.locator("#audit")).to_contain_text("weather in Paris")
    expect(page.locator("#status[data-finished=true]")).to_have_count(1, timeout=30_000)
    article_url = page.url.split("#")[0]
    page.evaluate("window.scrollTo(0, 0)")
    card(page, "3,154 people").locator(".claim-text").click()
    page.wait_for_timeout(600)
    _shot(page, tmp_path, "editing.png")

    # the report says which highlight belongs to which claim
    page.goto(article_url.replace("/articles/", "/api/articles/") + "/export/html?download=false")
    tags = page.locator("sup.ev-tag").all_inner_texts()
    assert "[1]" in tags and len(tags) >= 3

    # search and paging over articles
    page.goto(live_server + "/articles")
    page.fill("#article-search input[name=q]", "ceasefire")
    page.click("#article-search button")
    expect(page.locator("#article-count")).to_have_text("1 article")
    expect(page.locator("table.article-table tbody tr")).to_have_count(1)
    _shot(page, tmp_path, "articles.png")
    page.fill("#article-search input[name=q]", "no such story")
    page.click("#article-search button")
    expect(page.locator("#article-count")).to_have_text("0 articles")

    # a phone: verdicts come before the article, and nothing is wider than the screen
    phone = chromium.new_context(viewport={"width": 390, "height": 844}, storage_state=context.storage_state())
    mobile = phone.new_page()
    mobile.goto(article_url)
    claims_box = mobile.locator("ol#claims").bounding_box()
    article_box = mobile.locator("#article-text").bounding_box()
    assert claims_box and article_box and claims_box["y"] < article_box["y"]
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    assert claims_box["width"] <= 390
    _shot(mobile, tmp_path, "phone.png")
    phone.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()
