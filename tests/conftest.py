"""Shared fixtures: offline mode, tiny deterministic fake models, the sample article."""

from __future__ import annotations

import os
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest
from fakes import FakeEmbedder, FakeNLI, make_fake_verifier

ROOT = Path(__file__).resolve().parents[1]
SEED_ARTICLE = ROOT / "seeds" / "karabakh_ceasefire_2023.txt"

@pytest.fixture(scope="session")
def tiny_nli_dir(tmp_path_factory):
    """A tiny real Hugging Face NLI model folder (see `fakes.save_tiny_nli`)."""
    from fakes import save_tiny_nli

    return save_tiny_nli(tmp_path_factory.mktemp("tiny-nli"))


@pytest.fixture
def fake_model_loading(monkeypatch):
    """The fakes behind the loading path a user's default takes: `Verifier(...)` builds them
    where it would build the real NLI model and embedder. Returns the list of the NLI models'
    constructor arguments and the Verifier options, one dict per Verifier built."""
    from verifier import pipeline

    made: list[dict] = []
    real_init = pipeline.Verifier.__init__

    class RecordingNLI(FakeNLI):
        def __init__(self, model_name_or_path=None, *, precision="auto", **kwargs):
            super().__init__()
            made.append({"model": model_name_or_path, "precision": precision})

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        made[-1].update(top_k=self.top_k, score_all=self.score_all, rule=self.rule)

    monkeypatch.setattr(pipeline, "CrossEncoderNLI", RecordingNLI)
    monkeypatch.setattr(pipeline, "MiniLMEmbedder", FakeEmbedder)
    monkeypatch.setattr(pipeline.Verifier, "__init__", init)
    return made


@pytest.fixture
def fake_verifier():
    """A `Verifier` on `FakeNLI` and `FakeEmbedder`."""
    return make_fake_verifier()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")
