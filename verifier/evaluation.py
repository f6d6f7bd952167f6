"""Scoring verdicts against gold labels in a claims file (the `verifier eval` command)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from verifier.article import Article
from verifier.batch import ArticleSource, same_file, verify_rows
from verifier.errors import InputError
from verifier.labels import LABELS, parse_label
from verifier.metrics import calibration_report, classification_report, review_report
from verifier.protocols import ClaimVerifier
from verifier.tables import ROW_ERROR, RowWriter, read_rows


def _gold_rows(path: Path):
    for number, row in enumerate(read_rows(path), 1):
        if ROW_ERROR in row:
            yield row  # verify_rows reports it as that row's error
            continue
        if "label" not in row:
            raise InputError(f"{path}: missing column 'label' (the gold label) in row {number}")
        try:
            gold = parse_label(str(row["label"]))
        except ValueError:
            raise InputError(
                f"{path}: row {number} has label {row['label']!r}; use supported, contradicted or not_mentioned"
            ) from None
        yield {**row, "gold": gold.value}


def evaluate_file(
    verifier: ClaimVerifier, path: str | Path, *, default_article: Article | None = None,
    output: str | Path | None = None,
) -> dict[str, Any]:
    """Verify every row of a labelled file and return accuracy, macro-F1, per-label scores, the confusion
    matrix, `calibration` (expected calibration error, accuracy of the most confident 25/50/75/100%)
    and `review` (how many verdicts `needs_review` flags, their accuracy and the rest's, and how
    many of the wrong verdicts it flags).

    Rows that fail (bad claim, missing article) are counted in `errors`, not scored.
    """
    p = Path(path)
    if output is not None and same_file(p, output):
        raise InputError("the output file must differ from the input file (it holds the gold labels)")
    gold: list[str] = []
    pred: list[str] = []
    confidence: list[float] = []
    flagged: list[bool] = []
    errors = 0
    writer = RowWriter(output) if output else None
    try:
        for row in verify_rows(verifier, _gold_rows(p), articles=ArticleSource(default_article, p.parent)):
            if writer is not None:
                writer.write(row)
            if row["error"]:
                errors += 1
                continue
            gold.append(row["gold"])
            pred.append(row["label"])
            confidence.append(float(row["confidence"]))
            flagged.append(row["needs_review"] == "yes")
    finally:
        if writer is not None:
            writer.close()
    report = classification_report(gold, pred, [label.value for label in LABELS])
    report["errors"] = errors
    right = [g == p for g, p in zip(gold, pred)]
    report["calibration"] = calibration_report(confidence, right)
    report["review"] = review_report(flagged, right)
    return report
