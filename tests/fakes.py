"""Tiny deterministic fakes for the model protocols (`NLIModel`, `Embedder`) and verifier
wrappers for the `ClaimVerifier` protocol; tests/test_fakes.py checks each against its protocol.

- `FakeEmbedder`, `FakeNLI`: word overlap, for the library tests (`make_fake_verifier`).
- `ContentWordEmbedder`, `ContentWordNLI`: overlap of content words, with number and negation
  clashes as contradictions, for the web tests (`make_web_verifier`).
- `RecordingVerifier`, `SlowVerifier`: wrap a verifier to record or slow down what it checks;
  `recording_verifier` is a `--verifier-factory` for `verifier serve` processes.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from verifier import Article, Verdict, Verifier
    from verifier.protocols import ClaimVerifier

_WORD = re.compile(r"[a-z0-9][a-z0-9,.%:]*[a-z0-9%]|[a-z0-9]")
_NEGATIONS = {"not", "no", "never", "didn't", "wasn't", "isn't", "n't"}


def words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


class FakeEmbedder:
    """Hashed bag-of-words vectors: similar wording, similar vector."""

    dim = 256

    @staticmethod
    def words(text: str) -> set[str]:
        return words(text)

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in self.words(t):
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


class FakeNLI:
    """Word overlap as entailment; a negation in the claim but not in the passage flips it to contradiction."""

    def __init__(self) -> None:
        self.calls = 0

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
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


def make_fake_verifier() -> Verifier:
    """A `Verifier` on `FakeNLI` and `FakeEmbedder`."""
    from verifier import Verifier

    return Verifier(nli=FakeNLI(), embedder=FakeEmbedder())


_CONTENT_WORD = re.compile(r"[a-z0-9]+(?:[.,:][0-9]+)*")
_STOP = {"the", "a", "an", "of", "in", "on", "to", "and", "that", "it", "its", "was", "were", "is", "by",
         "for", "with", "at", "as", "had", "has", "have", "their", "his", "her", "from", "be", "this"}
_CONTENT_NEGATIONS = {"not", "no", "never", "nobody", "none", "without"}


def content_words(text: str) -> set[str]:
    """Lower-cased words without stop words."""
    return {w for w in _CONTENT_WORD.findall(text.lower()) if w not in _STOP}


class ContentWordEmbedder(FakeEmbedder):
    """Hashed bag-of-content-words vectors (L2-normalised): similar wording, similar vector."""

    @staticmethod
    def words(text: str) -> set[str]:
        return content_words(text)


class ContentWordNLI:
    """Scores content-word overlap: a claim mostly covered by the passage is supported, unless it
    brings a number or a negation the passage lacks (then contradicted); little overlap is not mentioned."""

    def __init__(self) -> None:
        self.calls = 0

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        self.calls += 1
        rows = []
        for premise, hypothesis in pairs:
            p, h = content_words(premise), content_words(hypothesis)
            overlap = len(p & h) / max(1, len(h))
            new = h - p
            clash = any(w[0].isdigit() for w in new) or bool(_CONTENT_NEGATIONS & (h ^ p) & new)
            if overlap >= 0.5 and clash:
                rows.append([0.1, 0.55 + 0.4 * overlap, 0.35 - 0.4 * overlap + 0.1])
            elif overlap >= 0.6:
                rows.append([0.3 + 0.65 * overlap, 0.02, 0.68 - 0.65 * overlap])
            else:
                rows.append([0.6 * overlap, 0.05, 0.95 - 0.6 * overlap])
        return np.clip(np.array(rows, dtype=np.float32).reshape(-1, 3), 0.0, 1.0)


def make_web_verifier() -> Verifier:
    """A `Verifier` on `ContentWordNLI` and `ContentWordEmbedder` (also a `--verifier-factory`)."""
    from verifier import Verifier

    return Verifier(nli=ContentWordNLI(), embedder=ContentWordEmbedder())


class RecordingVerifier:
    """Wraps a verifier: waits for `gate` (if any), sleeps `delay`, verifies, then records the claims
    (in `checked`, and as `pid<TAB>claim` lines in the file `log`)."""

    def __init__(self, inner: ClaimVerifier, delay: float = 0.0, log: Path | None = None,
                 gate: threading.Event | None = None):
        self.inner, self.delay, self.log, self.gate = inner, delay, log, gate
        self.checked: list[str] = []
        self.entered = threading.Event()

    def verify_many(self, claims: Sequence[str], articles: str | Article | Sequence[str | Article]) -> list[Verdict]:
        self.entered.set()
        if self.gate is not None:
            self.gate.wait()
        time.sleep(self.delay)
        verdicts = self.inner.verify_many(claims, articles)
        self.checked.extend(claims)
        if self.log is not None:
            with self.log.open("a", encoding="utf-8") as f:
                f.write("".join(f"{os.getpid()}\t{c}\n" for c in claims))
        return verdicts

    def verify(self, claim: str, article: str | Article) -> Verdict:
        return self.verify_many([claim], article)[0]


def recording_verifier() -> RecordingVerifier:
    """The `--verifier-factory` of the multi-process web test: a `RecordingVerifier` on
    `make_fake_verifier`, configured by $VERIFIER_TEST_DELAY (seconds per chunk) and $VERIFIER_TEST_LOG."""
    return RecordingVerifier(make_fake_verifier(), delay=float(os.environ.get("VERIFIER_TEST_DELAY", "0")),
                             log=Path(os.environ["VERIFIER_TEST_LOG"]))


class SlowVerifier:
    """Wraps a verifier and sleeps `delay` seconds per call, so that a page shows the check in progress."""

    def __init__(self, inner: ClaimVerifier, delay: float = 0.3):
        self.inner, self.delay = inner, delay

    def verify_many(self, claims: Sequence[str], articles: str | Article | Sequence[str | Article]) -> list[Verdict]:
        time.sleep(self.delay)
        return self.inner.verify_many(claims, articles)

    def verify(self, claim: str, article: str | Article) -> Verdict:
        return self.verify_many([claim], article)[0]


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
                        label2id={v: k for k, v in id2label.items()})  # type: ignore[call-arg]
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.arange(len(id2label), dtype=torch.float32))
    model.save_pretrained(path)
    tok.save_pretrained(path)
    return path


if TYPE_CHECKING:  # mypy checks each fake against the protocol it stands in for (tests/fakes.py is in its files)
    from verifier.nli import NLIModel
    from verifier.retrieval import Embedder

    _nli: tuple[NLIModel, ...] = (FakeNLI(), ContentWordNLI())
    _embedders: tuple[Embedder, ...] = (FakeEmbedder(), ContentWordEmbedder())
    _verifiers: tuple[ClaimVerifier, ...] = (make_fake_verifier(), RecordingVerifier(make_fake_verifier()),
                                             SlowVerifier(make_fake_verifier()))
