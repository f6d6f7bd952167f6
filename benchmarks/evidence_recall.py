"""Retrieval against gold evidence: Check-COVID dev (SUPPORT/REFUTE) and WiCE dev (supported and
partially supported claims), the samples `verifier dev-eval --limit 300` scores.

    python benchmarks/evidence_recall.py [--cache calibration_cache.pkl] [--diverse]

For each claim with gold sentences: is one of them inside one of the top-5 passages, and does the
passage the verdict shows overlap one? Scored passages are shared with benchmarks/calibration.py
(not with --diverse: diverse candidates, `Verifier(diverse=True)`, get their own cache file).
"""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path

from calibration import parse, scored  # benchmarks/calibration.py

from verifier.decision import DecisionRule
from verifier.pipeline import Verifier
from verifier.training.dev_eval import sample_pairs
from verifier.training.dev_sets import _META_TITLE, DEV_SETS
from verifier.training.paths import data_dir
from verifier.verdict import Passage


def _spans(article: str, sentences: list[str]) -> list[tuple[int, int]]:
    out = []
    for s in sentences:
        s = s.strip()
        at = article.find(s) if s else -1
        if at >= 0:
            out.append((at, at + len(s)))
    return out


def _overlaps(p: Passage, spans: list[tuple[int, int]]) -> bool:
    return any(a < p.end and p.start < b for a, b in spans)


def gold(root: Path, name: str) -> list[list[tuple[int, int]]]:
    """Gold evidence spans of each pair of the dev set `name`, in reader order."""
    pairs = list(DEV_SETS[name](root))
    out: list[list[tuple[int, int]]] = []
    if name == "check-covid-abstract":
        corpus = {json.loads(x)["cord_id"]: json.loads(x) for x in (root / "train/check-covid/corpus.json").open()}
        rows = [json.loads(x) for x in (root / "dev/check-covid/dev.json").open()]
        rows = [r for r in rows if r["label"] in ("SUPPORT", "REFUTE") and r["cord_id"] in corpus]
        for pair, r in zip(pairs, rows, strict=True):
            abstract = corpus[r["cord_id"]]["abstract"]
            out.append(_spans(pair.premise, [abstract[e["sent_index"]] for e in r["evidence_set"]
                                             if e["sent_index"] < len(abstract)]))
    else:
        rows = [json.loads(x) for x in (root / "dev/wice/entailment_retrieval_claim_dev.jsonl").open()]
        for pair, r in zip(pairs, rows, strict=True):
            ids = sorted({i for group in r["supporting_sentences"] for i in group})
            out.append(_spans(pair.premise, [_META_TITLE.sub("", r["evidence"][i]) for i in ids]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--diverse", action="store_true", help="diverse candidates (Verifier(diverse=True))")
    args, cache = parse(ap)
    if args.diverse and args.cache == Path("calibration_cache.pkl"):
        args.cache = Path("evidence_diverse_cache.pkl")
        cache = pickle.loads(args.cache.read_bytes()) if args.cache.exists() else {}
    root = data_dir()
    rule = DecisionRule()
    print("| set | claims with gold | gold in top 5 | shown passage overlaps gold |")
    print("|---|---|---|---|")
    for name in ("check-covid-abstract", "wice-strict"):
        pairs = list(DEV_SETS[name](root))
        items = sample_pairs(list(zip(pairs, gold(root, name))), args.limit)  # type: ignore[arg-type]
        sample = [p for p, _ in items]
        verifier = None if name in cache else Verifier(args.model, top_k=5, score_all=True, diverse=args.diverse)
        passages = scored(verifier, name, sample, cache)
        args.cache.write_bytes(pickle.dumps(cache))
        n = top5 = shown = 0
        for (pair, spans), ps in zip(items, passages):
            if not spans:
                continue
            n += 1
            top5 += any(_overlaps(p, spans) for p in ps)
            v = rule.decide(pair.hypothesis, rule.shortest_first(ps), pair.premise)
            shown += v.passage is not None and _overlaps(v.passage, spans)
        print(f"| {name} | {n} | {top5 / max(1, n):.3f} | {shown / max(1, n):.3f} |")


if __name__ == "__main__":
    main()
