"""Reading articles: plain text, Markdown or HTML, from a string, bytes, a file or stdin.

Offsets in every verdict refer to `Article.text`, the text we show the user. Plain text and
Markdown are kept as given; HTML is turned into text (tags, scripts and styles dropped, block
elements on their own lines, entities decoded) and that text is what offsets refer to.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from verifier.errors import InputError

MAX_ARTICLE_CHARS = 5_000_000
ARTICLE_FORMATS = ("auto", "text", "markdown", "html")

_MD_HINT = re.compile(r"^(#{1,6}\s|\s*[-*+]\s|\s*\d+\.\s|>\s)|\*\*[^*]+\*\*|\[[^\]]+\]\([^)]+\)", re.MULTILINE)

_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "title"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "pre", "figure", "figcaption",
    "hr", "main", "aside", "nav", "dd", "dt", "dl", "caption",
}
_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".xhtml": "html", ".md": "markdown", ".markdown": "markdown",
                   ".txt": "text", ".text": "text"}
_DOCUMENT = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Article:
    """An article as the user sees it; verdict offsets index into `text`."""

    text: str
    format: str = "text"
    source: str | None = None


def _visible_text(html: str) -> str:
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return ""
    parts: list[str] = []
    skipping: list[object] = []
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else None  # None: comment, processing instruction
        if event == "start":
            if tag is None or tag in _SKIP:
                skipping.append(el)
            elif not skipping:
                if tag in _BLOCK:
                    parts.append("\n- " if tag == "li" else "\n")
                if el.text:
                    parts.append(el.text)
            continue
        if skipping and skipping[-1] is el:
            skipping.pop()
        elif not skipping and tag in _BLOCK:
            parts.append("\n")
        if not skipping and el.tail:
            parts.append(el.tail)
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    """All visible text of an HTML page or fragment, one block element per line.

    Parsed by lxml (libxml2's HTML parser), which copes with real-world markup: an unclosed
    `<head>`, `<p>` or `<li>`, stray end tags, comments. Pages fetched from a URL go through
    trafilatura's main-text extraction instead (`verifier.fetch`); for a file the user gives,
    all of its text is kept, since trafilatura breaks inline elements onto lines of their own
    on pages without an article container.
    """
    return _visible_text(html)


def detect_format(text: str) -> str:
    """Guess 'html', 'markdown' or 'text' from the content.

    Only a whole HTML document (it starts with a doctype, `<html>`, `<head>` or `<body>`) counts
    as HTML: text that merely mentions a tag such as `<br>` stays text, so that offsets index it
    as given. Markdown is kept as given either way.
    """
    if _DOCUMENT.match(text[:5000]):
        return "html"
    if len(_MD_HINT.findall(text[:5000])) >= 2:
        return "markdown"
    return "text"


def decode(data: bytes, encoding: str = "utf-8") -> str:
    """Bytes to text, with a clear error for binary files and undecodable bytes."""
    if b"\x00" in data[:8192]:
        raise InputError("the article looks like a binary file (it contains NUL bytes); give text, Markdown or HTML")
    try:
        return data.decode("utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding)
    except UnicodeDecodeError as e:
        raise InputError(
            f"the article is not valid {encoding} (bad byte at position {e.start}); "
            "re-save it as UTF-8 or pass its encoding (for example --encoding latin-1)"
        ) from None
    except LookupError:
        raise InputError(f"unknown text encoding {encoding!r}") from None


def make_article(text: str | bytes, format: str = "auto", source: str | None = None,
                 encoding: str = "utf-8") -> Article:
    """Build an `Article` from raw content, converting HTML to text."""
    if format not in ARTICLE_FORMATS:
        raise InputError(f"unknown article format {format!r}; use one of {', '.join(ARTICLE_FORMATS)}")
    if isinstance(text, bytes):
        text = decode(text, encoding)
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(f"the article has {len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,}")
    if "\x00" in text:
        raise InputError("the article contains NUL characters; give text, Markdown or HTML")
    fmt = detect_format(text) if format == "auto" else format
    if fmt == "html":
        text = html_to_text(text)
    if not text.strip():
        raise InputError("the article is empty" + (" after removing HTML markup" if fmt == "html" else ""))
    return Article(text=text, format=fmt, source=source)


def read_article(path: str | Path, format: str = "auto", encoding: str = "utf-8") -> Article:
    """Read an article from a file path, or from standard input when `path` is '-'."""
    if str(path) == "-":
        return make_article(sys.stdin.buffer.read(), format, "<stdin>", encoding)
    p = Path(path)
    if not p.exists():
        raise InputError(f"article file not found: {p}")
    if p.is_dir():
        raise InputError(f"article path is a folder, not a file: {p}")
    size = p.stat().st_size
    if size > MAX_ARTICLE_CHARS * 4:
        raise InputError(f"article file {p} is {size:,} bytes; the limit is {MAX_ARTICLE_CHARS * 4:,}")
    fmt = format if format != "auto" else _SUFFIX_FORMATS.get(p.suffix.lower(), "auto")
    return make_article(p.read_bytes(), fmt, str(p), encoding)


def as_article(article: str | Article) -> Article:
    """Accept a ready `Article` or a string of content."""
    return article if isinstance(article, Article) else make_article(article)
