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


NLI_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}


def save_tiny_nli(path, id2label=None):
    """A tiny random BERT classifier saved as a Hugging Face model folder, with the real tokenizer.

    It loads through the same path as any model a user names (`--model PATH`, `VERIFIER_MODEL`).
    Its classifier is zeroed with biases 0, 1, 2, so its output depends on the label order
    only: with `NLI_LABELS` every pair is 'contradiction' at 0.67.
    """
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from verifier.retrieval import default_embedder_path

    id2label = id2label or NLI_LABELS
    tok = AutoTokenizer.from_pretrained(default_embedder_path())
    config = BertConfig(vocab_size=tok.vocab_size, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, num_labels=len(id2label), id2label=id2label,
                        label2id={v: k for k, v in id2label.items()})
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.arange(len(id2label), dtype=torch.float32))
    model.save_pretrained(path)
    tok.save_pretrained(path)
    return path
