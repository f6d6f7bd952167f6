"""Classification metrics in plain Python (no scikit-learn: it is slow to import).

`classification_report` returns a JSON-ready dict; `format_report` renders it as a text table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def classification_report(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-label precision / recall / F1 / support and the confusion matrix.

    Args:
        gold: the true label of each item.
        pred: the predicted label of each item, in the same order.
        labels: every label the task has, in display order. Macro-F1 averages over all of them,
            including a label that is never predicted (its precision is 0) or has no gold items.

    Returns:
        ``{"n", "accuracy", "macro_f1", "labels", "per_label": {label: {"precision", "recall",
        "f1", "support"}}, "confusion": {gold: {pred: count}}}``. Empty input gives n=0 and
        zeros everywhere (no division by zero).

    Raises:
        ValueError: `gold` and `pred` differ in length, `labels` is empty or repeats a label, or an
            item's label is not in `labels`.
    """
    labels = [str(x) for x in labels]
    if not labels:
        raise ValueError("labels is empty")
    if len(set(labels)) != len(labels):
        raise ValueError(f"labels repeat: {labels}")
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    known = set(labels)
    confusion: dict[str, dict[str, int]] = {g: {p: 0 for p in labels} for g in labels}
    correct = 0
    for g, p in zip(gold, pred):
        g, p = str(g), str(p)
        for value, side in ((g, "gold"), (p, "predicted")):
            if value not in known:
                raise ValueError(f"{side} label {value!r} is not one of {labels}")
        confusion[g][p] += 1
        correct += g == p

    per_label: dict[str, dict[str, float | int]] = {}
    for lab in labels:
        tp = confusion[lab][lab]
        support = sum(confusion[lab].values())
        predicted = sum(confusion[g][lab] for g in labels)
        precision, recall = _ratio(tp, predicted), _ratio(tp, support)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[lab] = {"precision": precision, "recall": recall, "f1": f1, "support": support}

    n = len(gold)
    return {
        "n": n,
        "accuracy": _ratio(correct, n),
        "macro_f1": sum(float(v["f1"]) for v in per_label.values()) / len(labels),
        "labels": labels,
        "per_label": per_label,
        "confusion": confusion,
    }


def format_report(report: dict[str, Any]) -> str:
    """A readable text table: per-label scores, accuracy / macro-F1 / n, then the confusion matrix."""
    labels: list[str] = list(report["labels"])
    width = max(12, *(len(x) for x in labels)) + 2
    lines = [f"{'label':<{width}}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for lab in labels:
        s = report["per_label"][lab]
        lines.append(f"{lab:<{width}}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>10.3f}{s['support']:>10d}")
    lines.append("")
    lines.append(f"accuracy {report['accuracy']:.3f}   macro-F1 {report['macro_f1']:.3f}   n {report['n']}")
    lines.append("")
    cell = max(8, *(len(x) + 1 for x in labels))
    corner = "gold \\ pred"
    lines.append(f"{corner:<{width}}" + "".join(f"{lab:>{cell}}" for lab in labels))
    for g in labels:
        lines.append(f"{g:<{width}}" + "".join(f"{report['confusion'][g][p]:>{cell}d}" for p in labels))
    if "calibration" in report:
        cal = report["calibration"]
        shares = "  ".join(f"{float(k):.0%} {v:.3f}" for k, v in cal["coverage"].items())
        lines += ["", f"expected calibration error {cal['ece']:.3f}", f"accuracy of the most confident: {shares}"]
    if "review" in report:
        r = report["review"]

        def acc(x: float | None) -> str:
            return "-" if x is None else f"{x:.3f}"

        lines.append(f"needs review: {r['flagged']} of {r['n']} flagged (accuracy {acc(r['accuracy_flagged'])}, "
                     f"not flagged {acc(r['accuracy_unflagged'])}); {r['wrong_flagged']} of {r['wrong']} wrong "
                     "verdicts flagged")
    return "\n".join(lines)


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """Expected calibration error: over equal-width confidence bins, the item-weighted mean of
    |accuracy - mean confidence|. 0 for empty input."""
    if len(confidences) != len(correct):
        raise ValueError(f"{len(confidences)} confidences but {len(correct)} outcomes")
    if bins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")
    sums: dict[int, list[float]] = {}
    for c, ok in zip(confidences, correct):
        b = min(bins - 1, max(0, int(float(c) * bins)))
        s = sums.setdefault(b, [0.0, 0.0, 0.0])
        s[0] += 1
        s[1] += float(c)
        s[2] += bool(ok)
    n = len(confidences)
    return sum(abs(s[2] - s[1]) for s in sums.values()) / n if n else 0.0


def accuracy_at_coverage(
    confidences: Sequence[float], correct: Sequence[bool], fractions: Sequence[float] = (0.25, 0.5, 0.75, 1.0)
) -> dict[str, float]:
    """Accuracy of the most confident `fraction` of items, for each fraction: {"0.25": acc, ...}.

    Ties in confidence keep input order; each share has at least one item (when there are any).
    """
    if len(confidences) != len(correct):
        raise ValueError(f"{len(confidences)} confidences but {len(correct)} outcomes")
    order = sorted(range(len(confidences)), key=lambda i: -float(confidences[i]))
    out = {}
    for f in fractions:
        if not 0.0 < f <= 1.0:
            raise ValueError(f"coverage fractions must be in (0, 1], got {f}")
        k = max(1, round(f * len(order))) if order else 0
        out[f"{f:g}"] = _ratio(sum(bool(correct[i]) for i in order[:k]), k)
    return out


def review_report(flagged: Sequence[bool], correct: Sequence[bool]) -> dict[str, Any]:
    """How well `needs_review` picks the verdicts to read first: ``{"flagged", "n", "accuracy_flagged",
    "accuracy_unflagged", "wrong", "wrong_flagged"}`` (accuracies None for an empty group)."""
    if len(flagged) != len(correct):
        raise ValueError(f"{len(flagged)} flags but {len(correct)} outcomes")
    marked = [ok for f, ok in zip(flagged, correct) if f]
    rest = [ok for f, ok in zip(flagged, correct) if not f]
    return {"flagged": len(marked), "n": len(flagged),
            "accuracy_flagged": sum(marked) / len(marked) if marked else None,
            "accuracy_unflagged": sum(rest) / len(rest) if rest else None,
            "wrong": len(marked) - sum(marked) + len(rest) - sum(rest), "wrong_flagged": len(marked) - sum(marked)}


def calibration_report(confidences: Sequence[float], correct: Sequence[bool]) -> dict[str, Any]:
    """``{"ece", "coverage": {"0.25": acc, "0.5": ..., "0.75": ..., "1": ...}}``."""
    return {"ece": expected_calibration_error(confidences, correct),
            "coverage": accuracy_at_coverage(confidences, correct)}
