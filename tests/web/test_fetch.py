"""`verifier.fetch`: articles from a web page on a local test server (never the internet)."""

from __future__ import annotations

import socket
import time

import pytest

from verifier.errors import InputError
from verifier.fetch import fetch_article, fetch_page, is_public_address


def test_fetch_extracts_the_main_text(article_page, sample_text):
    page = fetch_page(article_page)
    assert page.title == "Ceasefire in Karabakh"
    art = page.article
    assert art.source == article_page
    assert "Russian forces confirmed the evacuation of 3,154 people" in art.text
    assert "Subscribe to our newsletter" not in art.text and "Sport" not in art.text
    assert fetch_article(article_page).text == art.text


def test_fetch_decodes_the_declared_charset(local_site):
    paras = [f"Le cessez-le-feu est entré en vigueur à 13 heures, selon les autorités séparatistes, point {i}. "
             "Les discussions reprendront jeudi à Yevlakh, a précisé le porte-parole." for i in range(4)]
    html = "<html><head><title>é</title></head><body><article>" + "".join(f"<p>{p}</p>" for p in paras)
    html += "</article></body></html>"
    local_site.pages["/fr"] = (200, "text/html; charset=iso-8859-1", html.encode("latin-1"))
    assert "entré en vigueur" in fetch_article(local_site.base + "/fr").text


@pytest.mark.parametrize("path,status,ctype,body,message", [
    ("/missing", None, None, None, "answered 404"),
    ("/file.pdf", 200, "application/pdf", b"%PDF-1.4", "not an HTML page (its content type is application/pdf)"),
    ("/data.json", 200, "application/json", b"{}", "not an HTML page"),
    ("/empty", 200, "text/html", b"<html><body><script>var x = 1;</script></body></html>", "no article text found"),
    ("/broken", 500, "text/html", b"oops", "answered 500"),
])
def test_fetch_failures_are_input_errors(local_site, path, status, ctype, body, message):
    if status is not None:
        local_site.pages[path] = (status, ctype, body)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fetch_article(local_site.base + path)


def test_fetch_refuses_large_pages(local_site):
    local_site.pages["/big"] = (200, "text/html", b"<html><body>" + b"<p>word word</p>" * 1000 + b"</body></html>")
    with pytest.raises(InputError, match="the limit is 1,000 bytes"):
        fetch_page(local_site.base + "/big", max_bytes=1000)


def test_fetch_refuses_other_schemes_and_unreachable_hosts():
    with pytest.raises(InputError, match="only http:// and https://"):
        fetch_article("file:///etc/passwd")
    with pytest.raises(InputError, match="only http:// and https://"):
        fetch_article("ftp://127.0.0.1/x")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError, match="could not fetch"):
        fetch_article(f"http://127.0.0.1:{port}/", timeout=2)


def test_fetch_checks_the_scheme_at_every_redirect(local_site, article_page):
    local_site.redirects["/to-ftp"] = "ftp://127.0.0.1/article.html"
    local_site.redirects["/to-file"] = "file:///etc/passwd"
    local_site.redirects["/to-article"] = "/news/karabakh"
    for path in ("/to-ftp", "/to-file"):
        with pytest.raises(InputError, match="redirects to .*only http:// and https:// URLs are followed"):
            fetch_page(local_site.base + path)
    assert fetch_page(local_site.base + "/to-article").url == article_page  # http(s) redirects are followed


def test_fetch_has_a_total_time_limit(local_site):
    local_site.trickle["/slow"] = 0.1  # a byte every 0.1 s: each read is quick, the page never ends
    start = time.monotonic()
    with pytest.raises(InputError, match="no complete answer within 1 s"):
        fetch_page(local_site.base + "/slow", timeout=5, total_timeout=1)
    assert time.monotonic() - start < 3


@pytest.mark.parametrize("ip,public", [("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.10", False),
                                       ("169.254.169.254", False), ("::1", False), ("fe80::1", False),
                                       ("::ffff:127.0.0.1", False), ("0.0.0.0", False), ("100.64.0.1", False),
                                       ("93.184.216.34", True), ("2606:4700::1111", True)])
def test_public_addresses(ip, public):
    assert is_public_address(ip) is public


def test_fetch_refuses_private_addresses_unless_allowed(local_site, article_page):
    with pytest.raises(InputError, match="private, loopback or link-local address"):
        fetch_page(article_page, allow_private=False)
    localhost = article_page.replace("127.0.0.1", "localhost")  # a name that resolves to loopback
    with pytest.raises(InputError, match="localhost is a private, loopback or link-local address"):
        fetch_page(localhost, allow_private=False)
    assert "3,154 people" in fetch_page(article_page, allow_private=True).article.text


def test_api_refuses_private_addresses_by_default(api, article_page):
    r = api.post("/api/articles", json={"source_url": article_page, "fetch": True, "claims": ["x"]})
    assert r.status_code == 422 and "private, loopback or link-local" in r.json()["detail"]
    assert api.get("/api/articles").json() == []


def test_slow_fetches_do_not_hold_up_other_requests(make_client, token, local_site):
    """20 fetches of a page that does not answer run beside the request threads: other calls answer at once."""
    import threading

    release = local_site.hold["/slow"] = threading.Event()
    local_site.pages["/slow"] = (200, "text/html", b"<html><body></body></html>")
    client = make_client(fetch_private=True)
    client.headers["Authorization"] = f"Bearer {token}"
    body = {"source_url": local_site.base + "/slow", "fetch": True, "claims": ["x"]}
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(client.post("/api/articles", json=body).status_code))
               for _ in range(20)]
    for th in threads:
        th.start()
    time.sleep(0.5)
    start = time.monotonic()
    for _ in range(5):
        assert client.get("/api/me").status_code == 200
    waited = time.monotonic() - start
    assert not statuses  # the fetches are still waiting for the site
    release.set()
    for th in threads:
        th.join(30)
    assert waited < 2.0, f"requests waited {waited:.1f} s behind the fetches"
    assert statuses == [422] * 20  # the empty page has no article text


def test_api_fetches_the_article_from_its_url(make_client, token, article_page):
    api = make_client(fetch_private=True)  # the operator allows the local test server
    api.headers["Authorization"] = f"Bearer {token}"
    r = api.post("/api/articles", json={"source_url": article_page, "fetch": True,
                                        "claims": ["Russian forces confirmed the evacuation of 3,154 people."]})
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["title"] == "Ceasefire in Karabakh" and body["source_url"] == article_page
    assert "3,154 people" in body["text"]
    r = api.post("/api/articles", json={"source_url": article_page + "-gone", "fetch": True, "claims": ["x"]})
    assert r.status_code == 422 and "404" in r.json()["detail"]


def test_cli_check_reads_the_article_from_a_url(article_page, fake_verifier_instance, monkeypatch):
    import json

    from typer.testing import CliRunner

    from verifier import cli

    monkeypatch.setattr(cli, "_make_verifier", lambda *args: fake_verifier_instance)
    claim = "Russian forces confirmed the evacuation of 3,154 people."
    r = CliRunner().invoke(cli.app, ["check", claim, "--article", article_page, "--json"])
    assert r.exit_code == 0, r.output
    verdict = json.loads(r.stdout)
    assert verdict["label"] == "supported" and "3,154 people" in verdict["evidence"][0]["text"]
    r = CliRunner().invoke(cli.app, ["check", claim, "--article", article_page + "-missing"])
    assert r.exit_code == 2 and "404" in r.output
