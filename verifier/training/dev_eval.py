"""Evaluate an NLI model (pair sets) and the whole Verifier (article sets) on the dev sets.

    verifier dev-eval --model PATH [--sets a,b] [--limit N] [--json out.json] [--markdown out.md]

Pair sets are scored by the NLI model alone: the predicted label is the argmax of its three
probabilities. Article sets are scored by `Verifier.verify_many` (retrieval + NLI + decision rule)
with the claims of one article sent together. Two-way sets (any pair whose labels are
"contradicted or not mentioned") are scored supported vs not_supported: such a pair is right
whenever the prediction is not "supported", and the confusion matrix is over
{supported, not_supported}.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from verifier.errors import InputError
from verifier.labels import LABELS, Label
from verifier.metrics import classification_report
from verifier.training.dev_sets import ALL_SETS, CONTRAST_SETS, DEV_SETS, TWO_WAY_SETS, set_kind
from verifier.training.nli_data import Pair
from verifier.training.paths import data_dir

log = logging.getLogger(__name__)

THREE_WAY_LABELS: list[str] = [lab.value for lab in LABELS]
NOT_SUPPORTED = "not_supported"
TWO_WAY_LABELS: list[str] = [Label.SUPPORTED.value, NOT_SUPPORTED]

_LOG_EVERY_S = 30.0


def sample_pairs(pairs: Sequence[Pair], max_pairs: int | None, seed: int = 0) -> list[Pair]:
    """At most `max_pairs` pairs, drawn deterministically (same seed, same pairs), in file order."""
    pairs = list(pairs)
    if max_pairs is None or max_pairs >= len(pairs):
        return pairs
    if max_pairs < 0:
        raise ValueError(f"max_pairs must be >= 0, got {max_pairs}")
    keep = sorted(random.Random(seed).sample(range(len(pairs)), max_pairs))
    return [pairs[i] for i in keep]


def _is_two_way(pairs: Sequence[Pair], two_way: bool | None) -> bool:
    auto = any(p.two_way for p in pairs)
    if two_way is None:
        return auto
    if auto and not two_way:
        raise ValueError("two-way pairs (contradicted or not_mentioned) cannot be scored three-way")
    return two_way


def _gold(pair: Pair, two_way: bool) -> str:
    if two_way:
        return Label.SUPPORTED.value if pair.labels == (Label.SUPPORTED,) else NOT_SUPPORTED
    return pair.labels[0].value


def _pred(label: str, two_way: bool) -> str:
    if two_way:
        return Label.SUPPORTED.value if label == Label.SUPPORTED.value else NOT_SUPPORTED
    return label


def _report(gold: list[str], pred: list[str], two_way: bool, **extra: Any) -> dict[str, Any]:
    report = classification_report(gold, pred, TWO_WAY_LABELS if two_way else THREE_WAY_LABELS)
    report["two_way"] = two_way
    report.update(extra)
    return report


def label_report(pairs: Sequence[Pair], labels: Sequence[str], *, two_way: bool | None = None) -> dict[str, Any]:
    """`classification_report` of predicted `labels` (one per pair) against the pairs' gold labels.

    Two-way (supported vs not_supported) when `two_way`, or when None and any pair is two-way.
    """
    binary = _is_two_way(pairs, two_way)
    return _report([_gold(p, binary) for p in pairs], [_pred(str(x), binary) for x in labels], binary)


def nli_report(
    nli: Any,
    pairs: Sequence[Pair],
    max_pairs: int | None = None,
    *,
    two_way: bool | None = None,
    seed: int = 0,
    chunk_size: int = 512,
) -> dict[str, Any]:
    """Score (premise, hypothesis) pairs with an NLI model (`predict` -> probs in LABELS order).

    Args:
        nli: anything with `predict(list[(premise, hypothesis)]) -> array (n, 3)`.
        pairs: the pairs to score.
        max_pairs: score a deterministic sample of at most this many pairs.
        two_way: score supported vs not_supported; None: when any pair is two-way.
        seed: seed of the sample.
        chunk_size: pairs per `predict` call (progress is logged between calls).

    Returns:
        `verifier.metrics.classification_report` plus `two_way`.
    """
    pairs = sample_pairs(pairs, max_pairs, seed)
    binary = _is_two_way(pairs, two_way)
    gold = [_gold(p, binary) for p in pairs]
    pred: list[str] = []
    last = start = time.monotonic()
    for k in range(0, len(pairs), chunk_size):
        batch = pairs[k : k + chunk_size]
        probs = np.asarray(nli.predict([(p.premise, p.hypothesis) for p in batch]), dtype=np.float64)
        if probs.shape != (len(batch), len(LABELS)):
            raise ValueError(f"predict returned shape {probs.shape}, expected {(len(batch), len(LABELS))}")
        pred.extend(_pred(LABELS[int(i)].value, binary) for i in probs.argmax(axis=1))
        if time.monotonic() - last >= _LOG_EVERY_S:
            last = time.monotonic()
            log.info("NLI: %d / %d pairs (%.0f s)", len(pred), len(pairs), last - start)
    return _report(gold, pred, binary)


def pipeline_report(
    verifier: Any,
    pairs: Sequence[Pair],
    max_pairs: int | None = None,
    *,
    two_way: bool | None = None,
    seed: int = 0,
    claims_per_call: int = 32,
) -> dict[str, Any]:
    """Score claim-vs-article pairs (`Pair.premise` is the article) with `verifier.verify_many`.

    The claims of one article always go in the same call, so its sentence index is built once;
    several small articles share a call (up to `claims_per_call` claims) so the NLI model gets
    full batches. A claim or article the verifier refuses (`InputError`) is left out and counted
    in the report's `skipped`.
    """
    pairs = sample_pairs(pairs, max_pairs, seed)
    binary = _is_two_way(pairs, two_way)
    by_article: dict[str, list[int]] = {}
    for i, p in enumerate(pairs):
        by_article.setdefault(p.premise, []).append(i)

    calls: list[list[int]] = [[]]
    for members in by_article.values():
        if calls[-1] and len(calls[-1]) + len(members) > claims_per_call:
            calls.append([])
        calls[-1].extend(members)

    predicted: dict[int, str] = {}
    skipped = 0
    last = start = time.monotonic()
    for members in calls:
        if not members:
            continue
        try:
            verdicts = verifier.verify_many([pairs[i].hypothesis for i in members], [pairs[i].premise for i in members])
            results = list(zip(members, verdicts))
        except InputError:
            results = []
            for i in members:  # find the offending item(s); keep the rest
                try:
                    results.append((i, verifier.verify_many([pairs[i].hypothesis], pairs[i].premise)[0]))
                except InputError as e:
                    skipped += 1
                    log.warning("skipped a claim the verifier refused: %s", e)
        for i, verdict in results:
            predicted[i] = _pred(Label(verdict.label).value, binary)
        if time.monotonic() - last >= _LOG_EVERY_S:
            last = time.monotonic()
            log.info("verifier: %d / %d claims (%.0f s)", len(predicted), len(pairs), last - start)
    done = sorted(predicted)
    return _report([_gold(pairs[i], binary) for i in done], [predicted[i] for i in done], binary, skipped=skipped)


# --- command line -----------------------------------------------------------------------------


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def to_markdown(results: dict[str, dict[str, Any]], title: str | None = None) -> str:
    """A summary table (set, kind, n, accuracy, macro-F1, seconds) and each set's confusion matrix."""
    lines = [f"# {title}", ""] if title else []
    lines += ["| set | kind | n | accuracy | macro-F1 | seconds |", "|---|---|---:|---:|---:|---:|"]
    for name, r in results.items():
        kind = r["kind"] + (", two-way" if r["two_way"] else "")
        lines.append(f"| {name} | {kind} | {r['n']} | {_fmt(r['accuracy'])} | {_fmt(r['macro_f1'])} "
                     f"| {r['seconds']:.1f} |")
    for name, r in results.items():
        labels = r["labels"]
        lines += ["", f"### {name}", ""]
        note = f"n={r['n']} of {r['total']}"
        if r.get("skipped"):
            note += f", {r['skipped']} skipped"
        lines += [note, ""]
        lines.append("| gold \\ pred | " + " | ".join(labels) + " | recall | F1 |")
        lines.append("|---|" + "---:|" * (len(labels) + 2))
        for g in labels:
            row = [str(r["confusion"][g][p]) for p in labels]
            stats = r["per_label"][g]
            lines.append(f"| {g} | " + " | ".join(row) + f" | {_fmt(stats['recall'])} | {_fmt(stats['f1'])} |")
        precisions = " | ".join(_fmt(r["per_label"][p]["precision"]) for p in labels)
        lines.append(f"| precision | {precisions} | | |")
    return "\n".join(lines) + "\n"


def _load_nli(model: str, device: str | None, batch_size: int | None, max_length: int, precision: str = "auto") -> Any:
    from verifier.nli import CrossEncoderNLI

    return CrossEncoderNLI(model, device=device, batch_size=batch_size, max_length=max_length, precision=precision)


def _load_verifier(nli: Any, top_k: int = 5, max_window: int = 3, score_all: bool = False) -> Any:
    from verifier.pipeline import Verifier

    return Verifier(nli=nli, top_k=top_k, max_window=max_window, score_all=score_all)


@dataclass
class DevEvalOptions:
    """What `verifier dev-eval` evaluates and how (see its options)."""

    model: str
    names: list[str] = field(default_factory=lambda: list(DEV_SETS))
    limit: int | None = None
    seed: int = 0
    data: Path | None = None
    device: str | None = None
    threads: int | None = None
    batch_size: int | None = None
    max_length: int = 256
    precision: str = "auto"
    top_k: int = 5
    max_window: int = 3
    score_all: bool = False
    resolved_precision: str = ""


def set_names(sets: str | None) -> list[str]:
    """Comma-separated set names ('contrast': all contrast sets; empty: all dev sets); InputError on unknown."""
    names = [s.strip() for s in (sets or "").split(",") if s.strip()] or list(DEV_SETS)
    names = [m for n in names for m in (CONTRAST_SETS if n == "contrast" else [n])]
    unknown = [n for n in names if n not in ALL_SETS]
    if unknown:
        raise InputError(f"unknown dev set(s) {', '.join(unknown)}; known: {', '.join(ALL_SETS)}")
    return names


def run(args: DevEvalOptions) -> dict[str, dict[str, Any]]:
    """Evaluate `args.model` on `args.names`; one report per set (with set, kind, total, seconds)."""
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    root = data_dir(args.data)
    nli = _load_nli(args.model, args.device, args.batch_size, args.max_length, args.precision)
    args.resolved_precision = str(getattr(nli, "precision", args.precision))
    verifier = None
    results: dict[str, dict[str, Any]] = {}
    for name in args.names:
        kind = set_kind(name)
        pairs = list(ALL_SETS[name](root))
        sample = sample_pairs(pairs, args.limit, args.seed)
        log.info("%s (%s): %d pairs, evaluating %d", name, kind, len(pairs), len(sample))
        start = time.monotonic()
        two_way = True if name in TWO_WAY_SETS else None
        if kind == "article":
            if verifier is None:
                verifier = _load_verifier(nli, args.top_k, args.max_window, args.score_all)
            report = pipeline_report(verifier, sample, two_way=two_way)
        else:
            report = nli_report(nli, sample, two_way=two_way)
        seconds = time.monotonic() - start
        results[name] = {"set": name, "kind": kind, "total": len(pairs), "seconds": seconds, **report}
        log.info("%s: accuracy %.3f, macro-F1 %.3f, n %d, %.1f s", name, report["accuracy"],
                 report["macro_f1"], report["n"], seconds)
    return results


def title(args: DevEvalOptions) -> str:
    """The heading of the markdown report."""
    return (f"Dev evaluation of {args.model} ({args.resolved_precision}; article sets: top-{args.top_k}, "
            f"windows up to {args.max_window} sentences, "
            f"{'all scored' if args.score_all else 'shortest first'})"
            + (f" (at most {args.limit} pairs per set)" if args.limit else ""))


def meta(args: DevEvalOptions, seconds: float) -> dict[str, Any]:
    """The `meta` entry of the JSON report."""
    return {"model": str(args.model), "precision": args.resolved_precision, "top_k": args.top_k,
            "max_window": args.max_window, "score_all": args.score_all, "limit": args.limit, "seed": args.seed,
            "seconds": seconds}


if __name__ == "__main__":
    from verifier.training.commands import run_command

    run_command("dev-eval")
