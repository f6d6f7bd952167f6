"""Shared fixtures: offline mode, tiny deterministic fake models, the sample article."""

from __future__ import annotations

import os
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest
from fakes import FakeEmbedder, FakeNLI

ROOT = Path(__file__).resolve().parents[1]
SEED_ARTICLE = ROOT / "seeds" / "karabakh_ceasefire_2023.txt"

@pytest.fixture
def fake_verifier():
    from verifier import Verifier

    return Verifier(nli=FakeNLI(), embedder=FakeEmbedder())


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")
