"""`build_news_pairs`: retrieved and contrast pairs written to one JSONL file."""

from __future__ import annotations

import json
import logging
import random
import time
from collections import Counter, defaultdict
from pathlib import Path

from verifier.training.news_pairs.docs import make_doc
from verifier.training.news_pairs.kinds import contrast_pairs
from verifier.training.news_pairs.retrieved import load_sets, retrieved_pairs

log = logging.getLogger(__name__)


def _drop_conflicts(rows: list[dict]) -> list[dict]:
    labels: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        labels[(r["premise"], r["hypothesis"])].add(r["labels"][0])
    return [r for r in rows if len(labels[(r["premise"], r["hypothesis"])]) == 1]


def build_news_pairs(data_dir: Path, out_path: Path, seed: int = 13, per_label: int = 4000, unrelated: int = 3000,
                     fnc_words: int = 330_000, arc_words: int = 150_000, max_body_words: int = 1500,
                     per_doc: int = 3, retrieved: bool = True, embedder=None, threads: int = 1) -> dict[str, int]:
    """Write retrieved and contrast pairs to `out_path` (JSONL); return counts per source, per
    label and per source/label ("source/label"), plus a few "stat:" entries (bodies indexed, seconds).

    `fnc_words` / `arc_words` cap the body words embedded for retrieval (about 1,200 words a second
    on one CPU thread); contrast pairs use every train body (ARC: bodies of train stances only)."""
    t0 = time.time()
    data_dir, out_path = Path(data_dir), Path(out_path)
    sets = load_sets(data_dir)
    seen: set[tuple[str, str]] = set()
    stats: dict[str, int] = {}
    rows: list[dict] = []
    if retrieved:
        if embedder is None:
            import torch

            torch.set_num_threads(threads)
            from verifier.retrieval import MiniLMEmbedder

            embedder = MiniLMEmbedder()
        rows += retrieved_pairs(sets, embedder, seed, unrelated, {"fnc1": fnc_words, "arc": arc_words},
                                max_body_words, seen, stats)
    stats["seconds_retrieval"] = round(time.time() - t0)
    t1 = time.time()
    docs = []
    for ns in sets:
        used = sorted({b for _, b, _ in ns.stances}, key=lambda b: int(b) if b.isdigit() else b)
        docs += [make_doc(f"{ns.name}/{b}", ns.bodies[b]) for b in used]
    log.info("split %d bodies for contrast pairs (%.0fs)", len(docs), time.time() - t1)
    rows += contrast_pairs(docs, per_label, seed, per_doc, seen)
    stats["seconds_contrast"] = round(time.time() - t1)
    rows = _drop_conflicts(rows)
    random.Random(f"{seed}:shuffle").shuffle(rows)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: Counter[str] = Counter()
    for r in rows:
        counts[r["source"]] += 1
        counts[r["labels"][0]] += 1
        counts[f"{r['source']}/{r['labels'][0]}"] += 1
    counts["total"] = len(rows)
    stats["seconds_total"] = round(time.time() - t0)
    result = dict(sorted(counts.items()))
    result.update({f"stat:{k}": v for k, v in stats.items()})
    return result
