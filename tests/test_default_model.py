"""The shipped default NLI model, for real: loads offline, maps its labels, and is accurate enough."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT, SEED_ARTICLE
from typer.testing import CliRunner

from verifier import Label, Verifier, cli, read_article
from verifier.evaluation import evaluate_file
from verifier.nli import CrossEncoderNLI, default_model_path

pytestmark = pytest.mark.model

# Measured accuracy of the shipped model on claims/karabakh.csv is in the README; the floor
# sits a little below it so that a regression fails while retraining noise does not.
# claims set, its article, the floor (measured: README)
CLAIM_SETS = [("karabakh.csv", "karabakh_ceasefire_2023.txt", 0.7),  # measured 0.820
              ("dorvik.csv", "dorvik_floods_2026.txt", 0.65),  # measured 0.814
              ("halvik.csv", "halvik_strike_2026.txt", 0.75),  # measured 0.833 first, 0.950 now
              ("marrow.csv", "marrow_bridge_2026.txt", 0.6),  # measured 0.583 first, 0.767 now
              ("keldor.csv", "keldor_rates_2026.txt", 0.6),  # measured 0.633 first, 0.683 now
              ("pellora.csv", "pellora_wildfire_2026.txt", 0.65)]  # measured 0.700 first, 0.850 now
PAIR_ACCURACY_FLOOR = 0.8
XNLI_UNSELECTED_FLOOR = 0.7  # measured 0.720 (model card)


@pytest.fixture(scope="session")
def verifier():
    return Verifier()


def test_default_model_ships_with_a_complete_label_map():
    path = default_model_path()
    assert path.is_relative_to(ROOT / "models")
    config = json.loads((path / "config.json").read_text())
    assert {config["id2label"][str(i)] for i in range(3)} == {"supported", "contradicted", "not_mentioned"}
    for name in ("tokenizer.json", "README.md"):
        assert (path / name).is_file()
    assert sum(f.stat().st_size for f in path.iterdir()) < 50 * 1024 * 1024


def test_default_model_scores_clear_pairs():
    nli = CrossEncoderNLI()
    pairs = [
        ("Russian forces confirmed the evacuation of 3,154 people, including 1,428 children.",
         "Russian forces evacuated more than 3,000 people."),
        ("Russian peacekeeping forces confirmed that no violation of the ceasefire was recorded.",
         "Russian peacekeepers reported violations of the ceasefire."),
        ("A man is playing a guitar on stage.", "A woman is sleeping at home."),
        ("The talks will be held on Thursday in the city of Yevlakh.", "The talks will be held in Yevlakh."),
        ("The meeting ended without an agreement.", "The meeting ended with an agreement."),
    ]
    expected = [Label.SUPPORTED, Label.CONTRADICTED, Label.CONTRADICTED, Label.SUPPORTED, Label.CONTRADICTED]
    probs = nli.predict(pairs)
    labels = [list(Label)[i] for i in probs.argmax(1)]
    hits = sum(a == b for a, b in zip(labels, expected))
    assert hits / len(expected) >= PAIR_ACCURACY_FLOOR, list(zip(labels, expected))


@pytest.mark.parametrize("claims, seed, floor", CLAIM_SETS)
def test_accuracy_floor_on_labelled_claims(verifier, tmp_path, claims, seed, floor):
    article = read_article(ROOT / "seeds" / seed)
    out = tmp_path / "predictions.jsonl"
    report = evaluate_file(verifier, ROOT / "claims" / claims, default_article=article, output=out)
    assert report["errors"] == 0
    assert report["n"] >= 60
    assert report["accuracy"] >= floor, report
    # every verdict's evidence is the article text at its offsets
    for line in out.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert article.text[row["evidence_start"] : row["evidence_end"]] == row["evidence"]


def test_evidence_offsets_hold_for_real_verdicts(verifier):
    article = read_article(SEED_ARTICLE)
    for verdict in verifier.verify_many(
        ["The ceasefire took effect at 13:00 local time.", "The UN Security Council met.",
         "Aliyev spoke on Wednesday."],
        article,
    ):
        assert verdict.evidence
        for p in verdict.evidence:
            assert article.text[p.start : p.end] == p.text


def test_accuracy_floor_on_xnli_pairs_never_used_for_selection():
    from verifier.errors import InputError
    from verifier.training.dev_eval import nli_report
    from verifier.training.dev_sets import read_dev_set
    from verifier.training.paths import data_dir

    try:
        root = data_dir()
    except InputError:
        root = None
    if root is None or not (root / "dev" / "xnli-en").is_dir():
        pytest.skip("no dev data (pass VERIFIER_DATA or keep it beside the repository)")
    report = nli_report(CrossEncoderNLI(), read_dev_set("xnli-en-unselected", root))
    assert report["n"] == 1690
    assert report["accuracy"] >= XNLI_UNSELECTED_FLOOR, report["accuracy"]


def test_claims_unrelated_to_the_article_are_not_mentioned(verifier):
    # Without the rule's relevance floor the shipped model called "x" supported (0.58) and
    # "The sky is blue." contradicted (0.72) on passages that retrieval scored under 0.1.
    claims = ["x", "The", "asdf qwerty", "The sky is blue.", "Football is popular in Brazil."]
    verdicts = verifier.verify_many(claims, read_article(SEED_ARTICLE))
    assert [v.label for v in verdicts] == [Label.NOT_MENTIONED] * len(claims)


@pytest.mark.parametrize("claims, seed, floor", CLAIM_SETS)
def test_the_readme_eval_command_as_typed(claims, seed, floor, monkeypatch):
    """`verifier eval claims/X.csv --article seeds/Y.txt`, from the repository root, as the README has it."""
    monkeypatch.chdir(ROOT)
    r = CliRunner().invoke(cli.app, ["eval", f"claims/{claims}", "--article", f"seeds/{seed}"])
    assert r.exit_code == 0, r.output
    accuracy = float(re.search(r"^accuracy ([\d.]+)", r.output, re.MULTILINE).group(1))
    assert accuracy >= floor
    assert "expected calibration error" in r.output
