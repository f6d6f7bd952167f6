"""Articles from the web: download an HTML page and extract its main text with trafilatura.

Only http(s) URLs, only HTML, and at most `MAX_DOWNLOAD_BYTES`; every failure is an
`InputError` that says what went wrong. trafilatura is imported on first use.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

from verifier.article import Article, make_article
from verifier.errors import InputError

MAX_DOWNLOAD_BYTES = 10_000_000
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "verifier (fact-checking; +https://pypi.org/project/verifier/)"


@dataclass(frozen=True)
class FetchedPage:
    """A downloaded article: its main text as an `Article`, and the page title if it has one."""

    article: Article
    title: str | None
    url: str


def download(url: str, timeout: float = 20, max_bytes: int = MAX_DOWNLOAD_BYTES) -> tuple[bytes, str | None, str]:
    """The page's bytes, its declared charset and its final URL (after redirects).

    Raises:
        InputError: not an http(s) URL, unreachable, an HTTP error, not HTML, or too large.
    """
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(f"cannot fetch {url[:200]!r}: only http:// and https:// URLs are supported")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            ctype = resp.headers.get_content_type()
            if ctype not in HTML_TYPES:
                raise InputError(f"{url} is not an HTML page (its content type is {ctype}); give the article's web page")
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(f"{url} is {int(declared):,} bytes; the limit is {max_bytes:,} bytes")
            data = resp.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputError(f"{url} is larger than the limit; the limit is {max_bytes:,} bytes")
            return data, resp.headers.get_content_charset(), resp.geturl()
    except InputError:
        raise
    except urllib.error.HTTPError as e:
        raise InputError(f"could not fetch {url}: the server answered {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise InputError(f"could not fetch {url}: no answer within {timeout:g} s") from None
        raise InputError(f"could not fetch {url}: {reason}") from None
    except TimeoutError:
        raise InputError(f"could not fetch {url}: no answer within {timeout:g} s") from None
    except (ValueError, OSError) as e:
        raise InputError(f"could not fetch {url}: {e}") from None


def extract_main_text(html: bytes | str, url: str | None = None) -> tuple[str, str | None]:
    """The main text of an HTML page (boilerplate removed) and its title.

    Raises:
        InputError: no article text could be found in the page.
    """
    try:
        import trafilatura
    except ImportError:
        raise InputError("reading articles from URLs needs trafilatura: pip install 'verifier[web]'") from None
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        where = url or "the page"
        raise InputError(f"no article text found in {where}; paste the text instead")
    title = (getattr(doc, "title", None) or "").strip() or None
    return text, title


def fetch_page(url: str, timeout: float = 20, max_bytes: int = MAX_DOWNLOAD_BYTES) -> FetchedPage:
    """Download a web page and extract its article text and title."""
    data, charset, final_url = download(url, timeout, max_bytes)
    html: bytes | str = data
    if charset:
        try:
            html = data.decode(charset, errors="replace")
        except LookupError:
            html = data  # unknown charset name: let trafilatura guess
    text, title = extract_main_text(html, final_url)
    return FetchedPage(make_article(text, format="text", source=final_url), title, final_url)


def fetch_article(url: str, timeout: float = 20) -> Article:
    """The main text of the article at `url`, as an `Article` (its `source` is the final URL).

    Raises:
        InputError: the page cannot be fetched, is not HTML, is too large, or has no article text.
    """
    return fetch_page(url, timeout).article
