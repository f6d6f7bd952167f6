"""Checking what editors send: the article (text, upload or URL) and the claims (lines or CSV).

Every problem is an `InputError` whose message says what to fix; `TooLargeError` marks the
ones that exceed a size limit (the web layer answers 413 for those, 422 for the rest).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import PurePath

from verifier.article import Article, decode, make_article
from verifier.errors import InputError
from verifier.pipeline import validate_claim
from verifier.web.settings import MAX_ARTICLE_BYTES, MAX_CLAIMS, MAX_TITLE_CHARS, MAX_URL_CHARS

UPLOAD_FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                  ".html": "html", ".htm": "html"}
MAX_EXT_ID_CHARS = 200


class TooLargeError(InputError):
    """The input is over a size limit."""


def validate_article_size(size: int) -> None:
    """`TooLargeError` if an article of `size` bytes is over the limit."""
    if size > MAX_ARTICLE_BYTES:
        raise TooLargeError(
            f"the article is {size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,} bytes (2 MB). "
            "Split it, or check the part the claims are about"
        )


def validate_unicode(value: str, what: str) -> str:
    """`value`, if it can be stored as UTF-8; `InputError` for lone surrogates (e.g. a JSON "\\ud800")."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InputError(f"the {what} contains an invalid character ({value[e.start]!a} at position {e.start}, "
                         "a lone surrogate); send valid Unicode text") from None
    return value


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR line endings as LF: what browsers send is what the editor pasted."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def article_from_text(text: str, format: str = "auto", source: str | None = None) -> Article:
    """An `Article` from pasted content (line endings normalised), within the size limit."""
    validate_article_size(len(text.encode("utf-8", "surrogatepass")))
    return make_article(normalize_newlines(validate_unicode(text, "article")), format=format, source=source)


def article_from_upload(filename: str, data: bytes) -> Article:
    """An `Article` from an uploaded .txt, .md or .html file (line endings normalised)."""
    suffix = PurePath(filename or "").suffix.lower()
    fmt = UPLOAD_FORMATS.get(suffix)
    if fmt is None:
        raise InputError(f"cannot read {filename!r}: upload a .txt, .md or .html file")
    validate_article_size(len(data))
    return make_article(normalize_newlines(decode(data)), format=fmt, source=filename)


def validate_title(title: str) -> str:
    """The title, stripped; `InputError` if empty or too long."""
    title = validate_unicode(" ".join((title or "").split()), "title")
    if not title:
        raise InputError("the title is empty")
    if len(title) > MAX_TITLE_CHARS:
        raise InputError(f"the title has {len(title):,} characters; the limit is {MAX_TITLE_CHARS}")
    return title


def validate_url(url: str | None) -> str | None:
    """An http(s) URL, stripped, or None when empty."""
    url = validate_unicode((url or "").strip(), "source URL")
    if not url:
        return None
    if len(url) > MAX_URL_CHARS:
        raise InputError(f"the source URL has {len(url):,} characters; the limit is {MAX_URL_CHARS:,}")
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(f"the source URL must start with http:// or https://, got {url[:80]!r}")
    return url


def claims_from_lines(text: str) -> list[tuple[str | None, str]]:
    """One claim per non-blank line, without ids."""
    return [(None, line.strip()) for line in (text or "").splitlines() if line.strip()]


def claims_from_csv(data: bytes | str) -> list[tuple[str | None, str]]:
    """Claims from a CSV in the batch format: a `claim` column and an optional `id` column."""
    text = decode(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = reader.fieldnames
        if not columns:
            raise InputError("the claims CSV is empty (no header row)")
        if "claim" not in columns:
            raise InputError(f"the claims CSV has no 'claim' column; its header has: {', '.join(columns)}")
        out: list[tuple[str | None, str]] = []
        for row in reader:
            if len(out) > MAX_CLAIMS:
                break
            claim = (row.get("claim") or "").strip()
            ext = (row.get("id") or "").strip() or None
            if claim:
                out.append((ext, claim))
    except csv.Error as e:
        raise InputError(f"the claims CSV is malformed near line {reader.line_num}: {e}") from None
    return out


def validate_claims(claims: Iterable[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    """Validated claims; `InputError` naming the first bad one, `TooLargeError` over the batch limit."""
    out: list[tuple[str | None, str]] = []
    for n, (ext, text) in enumerate(claims, 1):
        if n > MAX_CLAIMS:
            raise TooLargeError(f"too many claims: the limit is {MAX_CLAIMS:,} per article; split the batch")
        try:
            text = validate_unicode(validate_claim(text), "claim")
            if ext is not None:
                validate_unicode(ext, "claim id")
        except InputError as e:
            raise InputError(f"claim {n}: {e}") from None
        if ext is not None and len(ext) > MAX_EXT_ID_CHARS:
            raise InputError(f"claim {n}: the id has {len(ext)} characters; the limit is {MAX_EXT_ID_CHARS}")
        out.append((ext, text))
    if not out:
        raise InputError("there are no claims: give at least one (one per line, or a CSV with a 'claim' column)")
    return out
