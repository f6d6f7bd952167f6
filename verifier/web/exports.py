"""Exports of an article's checks: CSV, JSON, schema.org ClaimReview JSON-LD and an HTML report.

Every format carries both the model's verdict and the review that stands. JSON nests the
library's `Verdict.to_dict()`; CSV uses the batch command's result columns.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from enum import Enum
from typing import Any

from verifier.batch import result_columns
from verifier.labels import LABELS, Label
from verifier.web.highlight import evidence_spans, highlight
from verifier.web.records import ArticleRecord, Claim, ReviewAction
from verifier.web.rendering import LABEL_NAMES, render


class ExportFormat(str, Enum):
    """What an article's checks can be exported as."""

    CSV = "csv"
    JSON = "json"
    CLAIMREVIEW = "claimreview"
    HTML = "html"

    def __str__(self) -> str:
        return self.value


# Each export format's media type and file extension.
EXPORT_FORMATS: dict[ExportFormat, tuple[str, str]] = {
    ExportFormat.CSV: ("text/csv; charset=utf-8", "csv"),
    ExportFormat.JSON: ("application/json", "json"),
    ExportFormat.CLAIMREVIEW: ("application/ld+json", "jsonld"),
    ExportFormat.HTML: ("text/html; charset=utf-8", "html"),
}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REVIEW_COLUMNS = ["final_label", "review_status", "reviewer", "reviewed_at", "review_note", "review_passage_start",
                  "review_passage_end"]

# ClaimReview ratings: what the article says about the claim, on a 1-3 scale.
_RATING = {Label.SUPPORTED: 3, Label.NOT_MENTIONED: 2, Label.CONTRADICTED: 1}
_RATING_TEXT = {Label.SUPPORTED: "Supported by the article", Label.NOT_MENTIONED: "Not mentioned in the article",
                Label.CONTRADICTED: "Contradicted by the article"}


def _review_columns(c: Claim) -> dict[str, Any]:
    r = c.review
    return {
        "final_label": c.label.value if c.label else "",
        "review_status": (("changed" if r.action == ReviewAction.CHANGE else "confirmed") if r else "unreviewed"),
        "reviewer": r.reviewer if r else "",
        "reviewed_at": r.created_at if r else "",
        "review_note": r.note if r else "",
        "review_passage_start": r.passage[0] if r and r.passage else "",
        "review_passage_end": r.passage[1] if r and r.passage else "",
    }


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first), prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value


def to_csv(article: ArticleRecord, claims: list[Claim], formulas: bool = False) -> str:
    """One row per claim: id, claim, the batch result columns, then the review.

    Text cells that a spreadsheet would read as formulas are neutralised (`neutralise`)
    unless `formulas` is True (for programs that want the exact text).
    """
    buf = io.StringIO()
    writer: csv.DictWriter | None = None
    for c in claims:
        row = {"id": c.ext_id or str(c.id), "claim": c.text, **result_columns(c.verdict, c.error or "")}
        row |= _review_columns(c)
        if not formulas:
            row = {k: neutralise(v) for k, v in row.items()}
        if writer is None:
            writer = csv.DictWriter(buf, list(row), lineterminator="\n")
            writer.writeheader()
        writer.writerow(row)
    if writer is None:
        buf.write(",".join(["id", "claim", *result_columns(None), *REVIEW_COLUMNS]) + "\n")
    return buf.getvalue()


def to_json(article: ArticleRecord, claims: list[Claim]) -> str:
    """The article and every claim with its verdict (`Verdict.to_dict()`) and review history."""
    data = {"article": article.to_dict(with_text=True), "claims": [c.to_dict() for c in claims]}
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_claimreview(article: ArticleRecord, claims: list[Claim], publisher: str = "verifier",
                   unreviewed: bool = False) -> str:
    """schema.org ClaimReview objects (JSON-LD `@graph`), one per reviewed claim (or, with `unreviewed`,
    per checked claim). `<`, `>` and `&` are written as JSON escapes, so the export can be pasted
    into a `<script type="application/ld+json">` block whatever the claims and title contain."""
    graph = []
    for c in claims:
        if c.label is None or (c.review is None and not unreviewed):
            continue
        review = c.review
        item: dict[str, Any] = {
            "@type": "ClaimReview",
            "claimReviewed": c.text,
            "datePublished": (review.created_at if review else article.created_at)[:10],
            "author": {"@type": "Person" if review else "Organization",
                       "name": review.reviewer if review else publisher},
            "reviewRating": {
                "@type": "Rating", "ratingValue": _RATING[c.label], "bestRating": 3, "worstRating": 1,
                "alternateName": _RATING_TEXT[c.label],
            },
            "itemReviewed": {
                "@type": "Claim",
                "appearance": {"@type": "CreativeWork", "headline": article.title,
                               **({"url": article.source_url} if article.source_url else {})},
            },
        }
        span = c.evidence_span()
        if span is not None and span[2]:
            item["reviewBody"] = article.text[span[0]:span[1]]
        elif review is not None and review.note and c.overridden:
            item["reviewBody"] = review.note
        if article.source_url:
            item["url"] = article.source_url
        graph.append(item)
    text = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, indent=2)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def to_html(article: ArticleRecord, claims: list[Claim]) -> str:
    """A standalone, printable report: the article with highlighted evidence and every verdict."""
    counts = Counter(c.label for c in claims if c.label)
    summary = [(LABEL_NAMES[lab.value], counts.get(lab, 0), lab.value) for lab in LABELS]
    numbers = {c.id: n for n, c in enumerate(claims, 1)}
    return render("report.html", article=article, claims=claims, summary=summary, numbers=numbers,
                  article_html=highlight(article.text, evidence_spans(claims), numbers),
                  reviewed=sum(1 for c in claims if c.review))


def export(fmt: ExportFormat | str, article: ArticleRecord, claims: list[Claim], unreviewed: bool = False,
           formulas: bool = False) -> str:
    """The export in format `fmt`; see `to_claimreview` and `to_csv` for the options."""
    fmt = ExportFormat(fmt)
    if fmt == ExportFormat.CLAIMREVIEW:
        return to_claimreview(article, claims, unreviewed=unreviewed)
    if fmt == ExportFormat.CSV:
        return to_csv(article, claims, formulas=formulas)
    return {ExportFormat.JSON: to_json, ExportFormat.HTML: to_html}[fmt](article, claims)
