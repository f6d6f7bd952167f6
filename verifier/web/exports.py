"""Exports of an article's checks: CSV, JSON, schema.org ClaimReview JSON-LD and an HTML report.

Every format carries both the model's verdict and the review that stands. JSON nests the
library's `Verdict.to_dict()`; CSV uses the batch command's result columns.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

from verifier.batch import result_columns
from verifier.labels import LABELS, Label
from verifier.web.highlight import evidence_spans, highlight
from verifier.web.rendering import LABEL_NAMES, render
from verifier.web.store import ArticleRecord, Claim

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "claimreview": ("application/ld+json", "jsonld"),
    "html": ("text/html; charset=utf-8", "html"),
}

REVIEW_COLUMNS = ["final_label", "review_status", "reviewer", "reviewed_at", "review_note"]

# ClaimReview ratings: what the article says about the claim, on a 1-3 scale.
_RATING = {Label.SUPPORTED: 3, Label.NOT_MENTIONED: 2, Label.CONTRADICTED: 1}
_RATING_TEXT = {Label.SUPPORTED: "Supported by the article", Label.NOT_MENTIONED: "Not mentioned in the article",
                Label.CONTRADICTED: "Contradicted by the article"}


def _review_columns(c: Claim) -> dict[str, Any]:
    r = c.review
    return {
        "final_label": c.label.value if c.label else "",
        "review_status": (("changed" if r.action == "change" else "confirmed") if r else "unreviewed"),
        "reviewer": r.reviewer if r else "",
        "reviewed_at": r.created_at if r else "",
        "review_note": r.note if r else "",
    }


def to_csv(article: ArticleRecord, claims: list[Claim]) -> str:
    """One row per claim: id, claim, the batch result columns, then the review."""
    buf = io.StringIO()
    writer: csv.DictWriter | None = None
    for c in claims:
        row = {"id": c.ext_id or str(c.id), "claim": c.text, **result_columns(c.verdict, c.error or "")}
        row |= _review_columns(c)
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


def to_claimreview(article: ArticleRecord, claims: list[Claim], publisher: str = "verifier") -> str:
    """schema.org ClaimReview objects (JSON-LD `@graph`), one per checked claim."""
    graph = []
    for c in claims:
        if c.label is None:
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
        if c.verdict and c.verdict.passage:
            item["reviewBody"] = c.verdict.passage.text
        if article.source_url:
            item["url"] = article.source_url
        graph.append(item)
    return json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, indent=2)


def to_html(article: ArticleRecord, claims: list[Claim]) -> str:
    """A standalone, printable report: the article with highlighted evidence and every verdict."""
    counts = Counter(c.label for c in claims if c.label)
    summary = [(LABEL_NAMES[lab.value], counts.get(lab, 0), lab.value) for lab in LABELS]
    return render("report.html", article=article, claims=claims, summary=summary,
                  article_html=highlight(article.text, evidence_spans(claims)),
                  reviewed=sum(1 for c in claims if c.review))


def export(fmt: str, article: ArticleRecord, claims: list[Claim]) -> str:
    """The export in format `fmt` (a key of `FORMATS`)."""
    return {"csv": to_csv, "json": to_json, "claimreview": to_claimreview, "html": to_html}[fmt](article, claims)
