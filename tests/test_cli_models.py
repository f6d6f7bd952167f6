"""The CLI's real model loading (`_make_verifier`, no fakes): `--model`, `--precision`,
`VERIFIER_MODEL`, and exit code 1 when a model cannot be loaded."""

from __future__ import annotations

import json

import pytest
from conftest import SEED_ARTICLE
from fakes import save_tiny_nli
from typer.testing import CliRunner

from verifier import cli

CLAIM = "Russian forces confirmed the evacuation of 3,154 people."


def run(*args, env=None):
    r = CliRunner().invoke(cli.app, [str(a) for a in args], env=env)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r


@pytest.mark.parametrize("precision", ["fp32", "int8", "auto"])
def test_model_and_precision_options_load_that_model(tiny_nli_dir, precision):
    r = run("check", CLAIM, "--article", SEED_ARTICLE, "--model", tiny_nli_dir, "--precision", precision, "--json")
    assert r.exit_code == 0, r.output
    verdict = json.loads(r.stdout)
    # the tiny model calls every pair contradicted at 0.67 (see fakes.save_tiny_nli)
    assert verdict["label"] == "contradicted"
    assert verdict["probabilities"]["contradicted"] == pytest.approx(0.665, abs=0.01)


def test_verifier_model_variable_names_the_default(tiny_nli_dir):
    r = run("check", CLAIM, "--article", SEED_ARTICLE, "--json", env={"VERIFIER_MODEL": str(tiny_nli_dir)})
    assert r.exit_code == 0 and json.loads(r.stdout)["label"] == "contradicted"


def test_models_that_cannot_be_loaded_exit_1(tmp_path):
    two_way = save_tiny_nli(tmp_path / "two-way", {0: "entailment", 1: "not_entailment"})
    cases = [
        (tmp_path / "no-such-model", "no model folder at"),
        ("someorg/no-such-model", "cannot load NLI model 'someorg/no-such-model'"),  # offline, not cached
        (two_way, "cannot be mapped"),
    ]
    for model, fragment in cases:
        r = run("check", CLAIM, "--article", SEED_ARTICLE, "--model", model)
        assert r.exit_code == 1, r.output
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], r.stderr
    r = run("check", CLAIM, "--article", SEED_ARTICLE, env={"VERIFIER_MODEL": str(tmp_path / "gone")})
    assert r.exit_code == 1 and "VERIFIER_MODEL names" in r.stderr and "which does not exist" in r.stderr


def test_bad_precision_is_bad_input():
    r = run("check", CLAIM, "--article", SEED_ARTICLE, "--precision", "fp8")
    assert r.exit_code == 2 and "fp8" in r.stderr
