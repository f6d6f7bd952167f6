"""Reading articles: plain text, Markdown or HTML, from a string, bytes, a file or stdin.

Offsets in every verdict refer to `Article.text`, the text we show the user. Plain text and
Markdown are kept as given; HTML is turned into text (tags, scripts and styles dropped, block
elements on their own lines, entities decoded) and that text is what offsets refer to.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from verifier.errors import InputError

MAX_ARTICLE_CHARS = 5_000_000
FORMATS = ("auto", "text", "markdown", "html")

_HTML_HINT = re.compile(r"<\s*(!doctype\s+html|html|head|body|p|div|article|section|span|br|h[1-6]|li|a\s)\b", re.IGNORECASE)
_MD_HINT = re.compile(r"^(#{1,6}\s|\s*[-*+]\s|\s*\d+\.\s|>\s)|\*\*[^*]+\*\*|\[[^\]]+\]\([^)]+\)", re.MULTILINE)

_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "pre", "figure", "figcaption",
    "hr", "main", "aside", "nav", "dd", "dt", "dl", "title", "caption",
}


@dataclass(frozen=True)
class Article:
    """An article as the user sees it; verdict offsets index into `text`."""

    text: str
    format: str = "text"
    source: str | None = None


class _TextExtractor(HTMLParser):
    """Collects visible text from HTML, one block element per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("- ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Visible text of an HTML page; tolerant of malformed markup."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    text = "\n".join(line for line in lines if line)
    return text


def detect_format(text: str) -> str:
    """Guess 'html', 'markdown' or 'text' from the content."""
    head = text[:5000]
    if _HTML_HINT.search(head):
        return "html"
    if len(_MD_HINT.findall(head)) >= 2:
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


def make_article(text: str | bytes, format: str = "auto", source: str | None = None, encoding: str = "utf-8") -> Article:
    """Build an `Article` from raw content, converting HTML to text."""
    if format not in FORMATS:
        raise InputError(f"unknown article format {format!r}; use one of {', '.join(FORMATS)}")
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
    fmt = format
    if fmt == "auto" and p.suffix.lower() in {".html", ".htm"}:
        fmt = "html"
    elif fmt == "auto" and p.suffix.lower() in {".md", ".markdown"}:
        fmt = "markdown"
    return make_article(p.read_bytes(), fmt, str(p), encoding)


def as_article(article: str | Article) -> Article:
    """Accept a ready `Article` or a string of content."""
    return article if isinstance(article, Article) else make_article(article)
