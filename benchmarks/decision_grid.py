"""Choose the decision rule's settings on dev sets (never on claims/): top_k and thresholds.

Scores each claim's top 5 passages once with the NLI model, then replays the decision rule
for every setting in the grid and prints accuracy and macro-F1 per dev set. The replay reads
passages as `Verifier` does by default (shortest first, stopping at the first length where a
passage passes a threshold of the setting), or all of them with `--score-all`.

    python benchmarks/decision_grid.py [--model PATH] [--limit 300] [--precision auto|fp32|bf16|int8] [--score-all]
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os

from verifier.decision import DecisionRule
from verifier.nli import PRECISIONS
from verifier.pipeline import Verifier
from verifier.training.dev_eval import label_report, sample_pairs
from verifier.training.dev_sets import DEV_SETS, TWO_WAY_SETS
from verifier.training.paths import data_dir

SETS = ["arc", "wice-strict", "check-covid-abstract"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--data", default=None, help="data folder (default: $VERIFIER_DATA, else ../shared/data)")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--precision", choices=PRECISIONS, default="auto")
    ap.add_argument("--score-all", action="store_true", help="replay the rule on all top-k passages")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    verifier = Verifier(args.model, top_k=5, precision=args.precision, score_all=True)
    scored = {}
    for name in SETS:
        pairs = list(DEV_SETS[name](data_dir(args.data)))
        pairs = sample_pairs(pairs, args.limit)  # the samples `dev_eval --limit N` scores
        passages = []
        for k in range(0, len(pairs), 32):
            chunk = pairs[k : k + 32]
            passages.extend(verifier.score_passages([p.hypothesis for p in chunk], [p.premise for p in chunk]))
        scored[name] = (pairs, passages)
    print("| top_k | support | contradict | " + " | ".join(f"{n} acc | {n} F1" for n in SETS) + " | mean acc |")
    print("|" + "---|" * (4 + 2 * len(SETS)))
    rows = []
    for top_k, s, c in itertools.product([1, 2, 3, 4, 5], [0.4, 0.5, 0.6, 0.7], [0.4, 0.5, 0.6, 0.7, 0.8]):
        rule = DecisionRule(support_threshold=s, contradict_threshold=c)
        read = (lambda ps: ps) if args.score_all else rule.shortest_first
        cells, accs = [], []
        for name in SETS:
            pairs, passages = scored[name]
            labels = [rule.decide(pair.hypothesis, read(ps[:top_k])).label.value for pair, ps in zip(pairs, passages)]
            rep = label_report(pairs, labels, two_way=True if name in TWO_WAY_SETS else None)
            cells.append(f"{rep['accuracy']:.3f} | {rep['macro_f1']:.3f}")
            accs.append(rep["accuracy"])
        mean = sum(accs) / len(accs)
        rows.append((mean, f"| {top_k} | {s} | {c} | " + " | ".join(cells) + f" | {mean:.3f} |"))
    for _, line in sorted(rows, reverse=True)[:15]:
        print(line)
    print("\ncurrent default (top_k 5, 0.5, 0.5):")
    print(next(line for _, line in rows if line.startswith("| 5 | 0.5 | 0.5 |")))


if __name__ == "__main__":
    main()
