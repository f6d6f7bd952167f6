"""Articles from the web: download an HTML page and extract its main text with trafilatura.

Only http(s) URLs (at every redirect), only HTML, at most `MAX_DOWNLOAD_BYTES` within
`TOTAL_TIMEOUT` seconds; a server (the web app) can refuse private, loopback and link-local
addresses. Every failure is an `InputError` that says what went wrong. trafilatura is
imported on first use.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from verifier.article import Article, make_article
from verifier.errors import InputError

MAX_DOWNLOAD_BYTES = 10_000_000
TOTAL_TIMEOUT = 30.0
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "verifier (fact-checking; +https://pypi.org/project/verifier/)"


@dataclass(frozen=True)
class FetchedPage:
    """A downloaded article: its main text as an `Article`, and the page title if it has one."""

    article: Article
    title: str | None
    url: str


class _Guard:
    """Per download: refuses connections to non-public addresses and tracks the socket for the deadline."""

    def __init__(self, allow_private: bool, url: str):
        self.allow_private = allow_private
        self.url = url
        self.sock: socket.socket | None = None

    def create_connection(self, address: tuple[str, int], timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
                          source_address: Any = None, **_kw: Any) -> socket.socket:
        sock = socket.create_connection(address, timeout, source_address)
        peer = sock.getpeername()[0]
        if not self.allow_private and not is_public_address(peer):
            sock.close()
            raise InputError(f"cannot fetch {self.url}: {address[0]} is a private, loopback or link-local address "
                             f"({peer}); the server's operator can allow such addresses")
        self.sock = sock
        return sock


def is_public_address(ip: str) -> bool:
    """True for globally routable addresses (not private, loopback, link-local, multicast or reserved)."""
    try:
        addr = ipaddress.ip_address(ip.split("%")[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, guard: _Guard):
        super().__init__()
        self.guard = guard

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._connection, req)

    def _connection(self, host: str, **kwargs: Any) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection(host, **kwargs)
        conn._create_connection = self.guard.create_connection  # type: ignore[attr-defined]
        return conn


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, guard: _Guard):
        super().__init__()
        self.guard = guard

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._connection, req, context=getattr(self, "_context", None))

    def _connection(self, host: str, **kwargs: Any) -> http.client.HTTPSConnection:
        conn = http.client.HTTPSConnection(host, **kwargs)
        conn._create_connection = self.guard.create_connection  # type: ignore[attr-defined]
        return conn


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows at most 5 redirects, each to an http(s) URL."""

    max_redirections = 5

    def http_error_302(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any) -> Any:
        target = headers.get("location") or headers.get("uri") or ""
        newurl = urllib.parse.urljoin(req.full_url, target)
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise InputError(f"cannot fetch {req.full_url}: it redirects to {newurl[:200]!r}; "
                             "only http:// and https:// URLs are followed")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def download(url: str, timeout: float = 20, max_bytes: int = MAX_DOWNLOAD_BYTES, *,
             total_timeout: float = TOTAL_TIMEOUT, allow_private: bool = True) -> tuple[bytes, str | None, str]:
    """The page's bytes, its declared charset and its final URL (after redirects).

    Args:
        timeout: seconds to wait for the server at any one step.
        total_timeout: seconds for the whole download, redirects included.
        allow_private: False refuses private, loopback and link-local addresses (checked on
            the address actually connected to, at every redirect; proxy settings are then ignored).

    Raises:
        InputError: not an http(s) URL (at any redirect), a refused address, unreachable, an
            HTTP error, not HTML, too large, or too slow.
    """
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(f"cannot fetch {url[:200]!r}: only http:// and https:// URLs are supported")
    deadline = time.monotonic() + total_timeout
    guard = _Guard(allow_private, url)
    handlers: list[Any] = [_HTTPHandler(guard), _HTTPSHandler(guard), _RedirectHandler()]
    if not allow_private:  # through a proxy the address connected to is the proxy's: go direct to check the site's
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "text/html,application/xhtml+xml"})
    slow = f"could not fetch {url}: no complete answer within {total_timeout:g} s"
    try:
        with opener.open(request, timeout=min(timeout, total_timeout)) as resp:
            ctype = resp.headers.get_content_type()
            if ctype not in HTML_TYPES:
                raise InputError(f"{url} is not an HTML page (its content type is {ctype}); "
                                 "give the article's web page")
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(f"{url} is {int(declared):,} bytes; the limit is {max_bytes:,} bytes")
            parts: list[bytes] = []
            size = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise InputError(slow)
                if guard.sock is not None:
                    guard.sock.settimeout(min(timeout, left))
                part = resp.read1(65536)
                if not part:
                    break
                parts.append(part)
                size += len(part)
                if size > max_bytes:
                    raise InputError(f"{url} is larger than the limit; the limit is {max_bytes:,} bytes")
            return b"".join(parts), resp.headers.get_content_charset(), resp.geturl()
    except InputError:
        raise
    except urllib.error.HTTPError as e:
        raise InputError(f"could not fetch {url}: the server answered {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, InputError):
            raise reason from None
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise InputError(slow if time.monotonic() >= deadline else
                             f"could not fetch {url}: no answer within {timeout:g} s") from None
        raise InputError(f"could not fetch {url}: {reason}") from None
    except TimeoutError:
        raise InputError(slow if time.monotonic() >= deadline else
                         f"could not fetch {url}: no answer within {timeout:g} s") from None
    except (ValueError, OSError, http.client.HTTPException) as e:
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


def fetch_page(url: str, timeout: float = 20, max_bytes: int = MAX_DOWNLOAD_BYTES, *,
               total_timeout: float = TOTAL_TIMEOUT, allow_private: bool = True) -> FetchedPage:
    """Download a web page and extract its article text and title (see `download` for the limits)."""
    data, charset, final_url = download(url, timeout, max_bytes, total_timeout=total_timeout,
                                        allow_private=allow_private)
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
