"""Tiny deterministic fakes that satisfy the Embedder and NLIModel protocols."""

from __future__ import annotations

import hashlib
import re

import numpy as np

_WORD = re.compile(r"[a-z0-9][a-z0-9,.%:]*[a-z0-9%]|[a-z0-9]")
_NEGATIONS = {"not", "no", "never", "didn't", "wasn't", "isn't", "n't"}


def words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


class FakeEmbedder:
    """Hashed bag-of-words vectors: similar wording, similar vector."""

    dim = 256

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in words(t):
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


class FakeNLI:
    """Word overlap as entailment; a negation in the claim but not in the passage flips it to contradiction."""

    def __init__(self) -> None:
        self.calls = 0

    def predict(self, pairs):
        self.calls += 1
        rows = []
        for premise, hypothesis in pairs:
            p, h = words(premise), words(hypothesis)
            overlap = len(p & h) / max(1, len(h))
            negated = bool((_NEGATIONS & h) - p)
            if overlap >= 0.8:
                rows.append([0.05, 0.9, 0.05] if negated else [0.9, 0.05, 0.05])
            else:
                rows.append([0.1 * overlap, 0.05, 1 - 0.1 * overlap - 0.05])
        return np.array(rows, dtype=np.float32).reshape(-1, 3)
