"""Retrieved headline pairs: each FNC-1 / ARC headline against the best passage of its body."""

from __future__ import annotations

import csv
import logging
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from verifier.labels import Label
from verifier.tables import allow_big_cells
from verifier.training.news_pairs.docs import _split
from verifier.training.news_pairs.text import _clean, word_count

log = logging.getLogger(__name__)


STANCE_LABEL = {
    "agree": Label.SUPPORTED,
    "disagree": Label.CONTRADICTED,
    "discuss": Label.NOT_MENTIONED,
    "unrelated": Label.NOT_MENTIONED,
}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        allow_big_cells()
        return list(csv.DictReader(f))


@dataclass
class NewsSet:
    name: str  # fnc1 / arc
    bodies: dict[str, str]
    stances: list[tuple[str, str, str]]  # (headline, body id, stance)


def load_sets(data_dir: Path) -> list[NewsSet]:
    """FNC-1 (both parts of the train stances) and ARC train stances with their bodies."""
    train = data_dir / "train"
    out = []
    for name, folder, bodies_file, stance_files in (
        ("fnc1", "fnc-1", "train_bodies.csv", ("train_stances_part1.csv", "train_stances_part2.csv")),
        ("arc", "arc", "arc_bodies.csv", ("arc_stances_train.csv",)),
    ):
        bodies = {r["Body ID"]: r["articleBody"] for r in _read_csv(train / folder / bodies_file)}
        stances = []
        seen = set()
        for f in stance_files:
            for r in _read_csv(train / folder / f):
                key = (_clean(r["Headline"]), r["Body ID"], r["Stance"].strip().lower())
                if key[0] and key[1] in bodies and key[2] in STANCE_LABEL and key not in seen:
                    seen.add(key)
                    stances.append(key)
        out.append(NewsSet(name, bodies, stances))
    return out


def select_bodies(ns: NewsSet, word_budget: int, max_body_words: int, seed: int) -> list[str]:
    """Bodies to index for retrieval, within a word budget (embedding is the cost). Bodies with a
    'disagree' pair come first (the rarest label), then the rest in a seeded shuffle; for ARC,
    where every related pair has its own body, stances take turns so the labels stay balanced."""
    rng = random.Random(f"{seed}:bodies:{ns.name}")
    related: dict[str, Counter[str]] = defaultdict(Counter)
    for _, bid, stance in ns.stances:
        if stance != "unrelated":
            related[bid][stance] += 1
    ids = sorted(related, key=lambda b: int(b) if b.isdigit() else b)
    rng.shuffle(ids)
    ids = [b for b in ids if word_count(ns.bodies[b]) <= max_body_words]
    if ns.name == "arc":
        queues = {s: [b for b in ids if related[b][s]] for s in ("disagree", "agree", "discuss")}
        ordered, taken = [], set()
        while any(queues.values()):
            for q in queues.values():
                while q and q[0] in taken:
                    q.pop(0)
                if q:
                    taken.add(q[0])
                    ordered.append(q.pop(0))
    else:
        ordered = [b for b in ids if related[b]["disagree"]] + [b for b in ids if not related[b]["disagree"]]
    chosen, used = [], 0
    for b in ordered:
        w = word_count(ns.bodies[b])
        if used + w > word_budget:
            continue
        chosen.append(b)
        used += w
    return chosen


class CachedEmbedder:
    """Wraps an embedder with a text -> vector cache, so that all sentences of all bodies are
    encoded in one length-sorted pass (less padding) and an index build is a lookup."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.cache: dict[str, np.ndarray] = {}

    def prefill(self, texts: list[str], chunk: int = 4096) -> None:
        todo = sorted({t for t in texts if t not in self.cache})
        t0 = time.time()
        for k in range(0, len(todo), chunk):
            part = todo[k : k + chunk]
            for t, v in zip(part, self.inner.encode(part)):
                self.cache[t] = v
            log.info("embedded %d / %d sentences (%.0fs)", min(k + chunk, len(todo)), len(todo), time.time() - t0)

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            for t, v in zip(missing, self.inner.encode(missing)):
                self.cache[t] = v
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def retrieved_pairs(sets: list[NewsSet], embedder, seed: int, unrelated: int, word_budgets: dict[str, int],
                    max_body_words: int, seen: set[tuple[str, str]], stats: dict) -> list[dict]:
    from verifier.article import make_article
    from verifier.errors import InputError
    from verifier.retrieval import ArticleIndex

    cached = CachedEmbedder(embedder)
    rows: list[dict] = []
    for ns in sets:
        bodies = select_bodies(ns, word_budgets[ns.name], max_body_words, seed)
        chosen = set(bodies)
        rel = [p for p in ns.stances if p[1] in chosen and p[2] != "unrelated"]
        unrel = [p for p in ns.stances if p[1] in chosen and p[2] == "unrelated"]
        rng = random.Random(f"{seed}:unrelated:{ns.name}")
        rng.shuffle(unrel)
        pairs = rel + unrel[:unrelated]
        stats[f"{ns.name}_bodies_indexed"] = len(bodies)
        stats[f"{ns.name}_bodies_total_related"] = len({p[1] for p in ns.stances if p[2] != "unrelated"})
        stats[f"{ns.name}_body_words_indexed"] = sum(word_count(ns.bodies[b]) for b in bodies)
        stats[f"{ns.name}_unrelated_available"] = len(unrel)
        t0 = time.time()
        sentences = [s for b in bodies for s in _split(ns.bodies[b])]
        cached.prefill(sentences + sorted({p[0] for p in pairs}))
        log.info("%s: %d bodies, %d sentences, %d pairs embedded in %.0fs", ns.name, len(bodies), len(sentences),
                 len(pairs), time.time() - t0)
        by_body: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for h, b, s in pairs:
            by_body[b].append((h, s))
        for b in bodies:
            if b not in by_body:
                continue
            try:
                index = ArticleIndex(make_article(ns.bodies[b], format="text"), cached, max_window=2)
            except InputError as e:  # an empty body
                log.warning("skipping body %s/%s: %s", ns.name, b, e)
                continue
            heads = [h for h, _ in by_body[b]]
            hits = index.search(heads, cached.encode(heads), top_k=1)
            for (h, stance), hit in zip(by_body[b], hits):
                if not hit:
                    continue
                passage = _clean(index.text(hit[0].candidate))
                key = (passage, h)
                if not passage or key in seen:
                    continue
                seen.add(key)
                rows.append({"premise": passage, "hypothesis": h, "labels": [STANCE_LABEL[stance].value],
                             "source": f"{ns.name}-retrieved", "doc": f"{ns.name}/{b}", "stance": stance})
        log.info("%s: retrieval done (%.0fs)", ns.name, time.time() - t0)
    return rows
