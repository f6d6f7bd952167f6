"""Retrieval and shown evidence against gold evidence: Check-COVID dev (SUPPORT/REFUTE) and WiCE
dev (supported and partially supported claims), the samples `verifier dev-eval --limit 300` scores.

    python benchmarks/evidence_recall.py [--diverse] [--no-trim] [--limit 300] [--model DIR]

For each claim with gold sentences: is one of them inside one of the top-5 retrieved passages
(retrieval alone), does the passage the verdict shows overlap one (the whole pipeline,
`Verifier.verify_many`, as `verifier batch` runs it), and what share of the shown passage's
sentences are gold (precision, over verdicts that show a passage) and how many sentences it has.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from pathlib import Path

from verifier.pipeline import Verifier
from verifier.training.dev_eval import sample_pairs
from verifier.training.dev_sets import _META_TITLE, DEV_SETS
from verifier.training.paths import data_dir
from verifier.verdict import Passage

ROOT = Path(__file__).resolve().parents[1]


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


def _gold_sentences(p: Passage, spans: list[tuple[int, int]], sentences: list) -> tuple[int, int]:
    """(gold sentences, sentences) of the passage."""
    mine = [sentences[i] for i in p.sentences]
    return sum(any(a < s.end and s.start < b for a, b in spans) for s in mine), len(mine)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--diverse", action="store_true", help="diverse candidates (Verifier(diverse=True))")
    ap.add_argument("--no-trim", action="store_true", help="show deciding runs untrimmed (Verifier(trim=False))")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--model", default=str(ROOT / "models" / "nli-minilm-l6"))
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    root = data_dir()
    verifier = Verifier(args.model, diverse=args.diverse, trim=not args.no_trim)
    print("| set | claims with gold | gold in top 5 | shown passage overlaps gold | shown sentences gold "
          "| sentences shown |")
    print("|---|---|---|---|---|---|")
    for name in ("check-covid-abstract", "wice-strict"):
        pairs = list(DEV_SETS[name](root))
        items = [(p, g) for p, g in sample_pairs(list(zip(pairs, gold(root, name))), args.limit) if g]  # type: ignore[arg-type]
        verdicts = []
        for k in range(0, len(items), 32):
            chunk = [p for p, _ in items[k:k + 32]]
            verdicts += verifier.verify_many([p.hypothesis for p in chunk], [p.premise for p in chunk])
        top5 = shown = gold_sents = shown_sents = 0
        for (pair, spans), v in zip(items, verdicts):
            index = verifier.index(pair.premise)
            hits = index.search([pair.hypothesis], verifier.embedder.encode([pair.hypothesis]), 5,
                                verifier.dense_weight, verifier.diverse)[0]
            top5 += any(a < h.candidate.end and h.candidate.start < b for h in hits for a, b in spans)
            for p in v.evidence[:1]:
                shown += _overlaps(p, spans)
                g, n = _gold_sentences(p, spans, index.sentences)
                gold_sents, shown_sents = gold_sents + g, shown_sents + n
        n = len(items)
        with_passage = sum(bool(v.evidence) for v in verdicts)
        print(f"| {name} | {n} | {top5 / n:.3f} | {shown / n:.3f} | {gold_sents / max(1, shown_sents):.3f} "
              f"| {shown_sents / max(1, with_passage):.2f} |")


if __name__ == "__main__":
    main()
