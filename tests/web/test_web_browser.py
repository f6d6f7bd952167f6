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

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlowVerifier:
    """The fake verifier, slowed down so that the page shows the check in progress."""

    def __init__(self, inner, delay: float = 0.3):
        self.inner, self.delay = inner, delay

    def verify_many(self, claims, article):
        time.sleep(self.delay)
        return self.inner.verify_many(claims, article)

    def verify(self, claim, article):
        return self.verify_many([claim], article)[0]


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
    claim = page.locator("li.claim", has_text="3,154 people, including 1,428 children")
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
    expect(page.locator("li.claim", has_text="<script>alert('x')</script>")).to_have_count(1)
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
