"""Fit the confidence combiner, and report calibration on the dev samples.

    python benchmarks/calibration.py --fit [--per-set 150]     # prints COEFFICIENTS for verifier/calibration.py
    python benchmarks/calibration.py                           # ECE and accuracy at coverage, dev samples + claims/
    python benchmarks/calibration.py --crossfit                # the same, each half scored by a fit on the other

Fitted on train-side pairs (ARC train comments, train/arc; Check-COVID train abstracts,
SUPPORT/REFUTE, train/check-covid; both read like their dev article sets), on the fit half of
each dev sample (a claim is in the fit half when the CRC-32 of its text is even; the issue allows
"a held-apart part of the dev sets") and, since session 12, on the news claim sets in claims/
(six since session 15). The report gives each dev set's held-out half (never fitted on) beside the whole
sample, and each claim set as scored by the same fit without that set (leave one set out). The dev samples
are those of `verifier dev-eval --limit 300`. Each claim's top-5 passages are scored once (cached
in --cache) and the decision rule is replayed as the pipeline reads them (shortest first).
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import pickle
import random
import zlib
from pathlib import Path

from verifier.calibration import calibrated, features, fit, probability
from verifier.decision import DecisionRule
from verifier.details.rule import apply_checks
from verifier.metrics import calibration_report
from verifier.pipeline import Verifier
from verifier.training.dev_eval import _gold, _pred, sample_pairs
from verifier.training.dev_sets import DEV_SETS, TWO_WAY_SETS, _article_pair
from verifier.training.nli_data import Pair, _csv, _jsonl
from verifier.training.paths import data_dir

DEV = ["arc", "wice-strict", "check-covid-abstract"]
ROOT = Path(__file__).resolve().parents[1]


def train_pairs(root: Path, per_set: int) -> dict[str, list[Pair]]:
    """Train-side claim-vs-article pairs: ARC train and Check-COVID train abstracts."""
    bodies = {r["Body ID"].strip(): r["articleBody"] for r in _csv(root / "train" / "arc" / "arc_bodies.csv")}
    arc = [p for r in _csv(root / "train" / "arc" / "arc_stances_train.csv")
           if (b := bodies.get(r["Body ID"].strip()))
           and (p := _article_pair(b, r["Headline"], r["Stance"], "arc-train"))]
    corpus = {r["cord_id"]: r for r in _jsonl(root / "train" / "check-covid" / "corpus.json")}
    covid = []
    for r in _jsonl(root / "train" / "check-covid" / "train.json"):
        doc = corpus.get(r["cord_id"])
        if doc and r["label"] in ("SUPPORT", "REFUTE"):
            text = "\n".join(x for x in ((doc.get("title") or "").strip(),
                                         " ".join(s.strip() for s in doc["abstract"] if s.strip())) if x)
            if p := _article_pair(text, r["claim"], r["label"], "check-covid-train"):
                covid.append(p)
    rng = random.Random(0)
    return {"arc-train": rng.sample(arc, min(per_set, len(arc))),
            "check-covid-train": rng.sample(covid, min(per_set, len(covid)))}


def fit_half(pair: Pair) -> bool:
    """Whether a dev claim is in the half the combiner may be fitted on."""
    return zlib.crc32(pair.hypothesis.encode("utf-8")) % 2 == 0


# The labelled news claim sets (claims/, each on one sample article), fitted on since session 12;
# each is reported as scored by a fit that leaves it out.
CLAIM_SETS = {"karabakh": "karabakh_ceasefire_2023", "dorvik": "dorvik_floods_2026", "halvik": "halvik_strike_2026",
              "marrow": "marrow_bridge_2026", "keldor": "keldor_rates_2026", "pellora": "pellora_wildfire_2026"}


def claim_set(name: str) -> list[Pair]:
    text = (ROOT / "seeds" / f"{CLAIM_SETS[name]}.txt").read_text(encoding="utf-8")
    rows = csv.DictReader((ROOT / "claims" / f"{name}.csv").open(encoding="utf-8"))
    return [p for r in rows if (p := _article_pair(text, r["claim"], r["label"], name))]


def scored(verifier: Verifier | None, name: str, pairs: list[Pair], cache: dict) -> list:
    if name not in cache:
        assert verifier is not None
        out = []
        for k in range(0, len(pairs), 32):
            chunk = pairs[k:k + 32]
            out.extend(verifier.score_passages([p.hypothesis for p in chunk], [p.premise for p in chunk]))
        cache[name] = out
    return cache[name]


def replay(name: str, pairs: list[Pair], passages: list) -> tuple[list[list[float]], list[bool], list[float]]:
    """Features, correctness and current confidence of each claim's verdict."""
    rule = DecisionRule()
    two_way = name in TWO_WAY_SETS
    rows, correct, conf = [], [], []
    for pair, ps in zip(pairs, passages):
        read = rule.shortest_first(ps)
        model = rule.decide_by_model(pair.hypothesis, read)
        final = apply_checks(model, read, rule, pair.premise)
        rows.append(features(model, final))
        correct.append(_pred(final.label.value, two_way) == _gold(pair, two_way))
        conf.append(calibrated(model, final))
    return rows, correct, conf


def parse(ap: argparse.ArgumentParser) -> tuple[argparse.Namespace, dict]:
    """The options both benchmarks take (--limit, --model, --cache), parsed; and the cache."""
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--model", default=str(ROOT / "models" / "nli-minilm-l6"))
    ap.add_argument("--cache", type=Path, default=Path("calibration_cache.pkl"))
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return args, pickle.loads(args.cache.read_bytes()) if args.cache.exists() else {}


def _row(name: str, conf: list[float], correct: list[bool]) -> str:
    rep = calibration_report(conf, correct)
    cov = rep["coverage"]
    return (f"| {name} | {len(correct)} | {sum(correct) / len(correct):.3f} | {rep['ece']:.3f} | "
            f"{cov['0.25']:.3f} | {cov['0.5']:.3f} | {cov['0.75']:.3f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", action="store_true", help="fit on train-side pairs and the dev fit halves; print them")
    ap.add_argument("--crossfit", action="store_true",
                    help="report each dev half as scored by a fit on the train-side pairs and the other half")
    ap.add_argument("--per-set", type=int, default=150)
    args, cache = parse(ap)
    verifier = None
    root = data_dir()
    train = train_pairs(root, args.per_set)
    dev = {n: sample_pairs(list(DEV_SETS[n](root)), args.limit) for n in DEV}
    news = {n: claim_set(n) for n in CLAIM_SETS}
    sets = train | dev | news
    if any(n not in cache for n in sets):
        verifier = Verifier(args.model, top_k=5, score_all=True)
    results = {}
    for name, pairs in sets.items():
        passages = scored(verifier, name, pairs, cache)
        args.cache.write_bytes(pickle.dumps(cache))
        results[name] = replay(name, pairs, passages)
    halves = {n: [fit_half(p) for p in dev[n]] for n in DEV}

    def fitted(use: bool, leave_out: str = "") -> dict[str, float]:
        """The combiner fitted on the train-side pairs, the dev claims whose fit_half is `use` and
        the claim sets but `leave_out`."""
        x = [r for n in train for r in results[n][0]]
        y = [c for n in train for c in results[n][1]]
        for n in news:
            if n != leave_out:
                x += results[n][0]
                y += results[n][1]
        for n in DEV:
            rows, correct, _ = results[n]
            x += [r for r, h in zip(rows, halves[n]) if h == use]
            y += [c for c, h in zip(correct, halves[n]) if h == use]
        return fit(x, y)

    if args.fit:
        coef = fitted(True)
        n = (sum(len(results[k][1]) for k in [*train, *news]) + sum(sum(h) for h in halves.values()))
        print(f"COEFFICIENTS = {coef!r}  # n={n}")
        return
    print("| set | n | accuracy | ECE | most confident 25% | 50% | 75% |")
    print("|---|---|---|---|---|---|---|")
    other = {True: fitted(False), False: fitted(True)} if args.crossfit else {}
    for name in [*DEV, *news]:
        rows, correct, conf = results[name]
        if args.crossfit and name in DEV:
            conf = [probability(r, other[h]) for r, h in zip(rows, halves[name])]
        if name in news:  # never its own fit: the shipped fit less this set
            coef = fitted(True, leave_out=name)
            conf = [probability(r, coef) for r in rows]
            name = f"{name} (left out of the fit)"
        print(_row(name, conf, correct))
        if name in DEV and not args.crossfit:
            held = [i for i, h in enumerate(halves[name]) if not h]
            print(_row(f"{name} (held-out half)", [conf[i] for i in held], [correct[i] for i in held]))


if __name__ == "__main__":
    main()
