"""A built wheel carries the default model: installed outside the source tree, it checks a claim
offline (what `pip install verifier` or `pip install git+URL` gives a user)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SEED_ARTICLE


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(ROOT),
                    "-w", str(tmp / "dist")], check=True, capture_output=True, timeout=600)
    (wheel,) = (tmp / "dist").glob("verifier-*.whl")
    target = tmp / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, timeout=600)
    return wheel, target


def test_wheel_holds_the_model_and_the_web_files(installed_wheel):
    wheel, _ = installed_wheel
    names = set(zipfile.ZipFile(wheel).namelist())
    model = "verifier/_models/nli-minilm-l6/"
    assert {model + "model.safetensors", model + "config.json", model + "tokenizer.json", model + "README.md"} <= names
    assert "verifier/py.typed" in names and any(n.startswith("verifier/web/templates/") for n in names)
    assert not any(n.startswith(("tests/", "models/", "claims/")) for n in names)


@pytest.mark.model
def test_installed_wheel_checks_a_claim_offline(installed_wheel, tmp_path):
    _, target = installed_wheel
    env = {k: v for k, v in os.environ.items() if k not in {"VERIFIER_MODEL", "PYTHONPATH"}}
    env.update(PYTHONPATH=str(target), HF_HUB_OFFLINE="1")
    code = ("import sys, verifier, verifier.nli as n; print(verifier.__file__); print(n.default_model_path()); "
            "from verifier.cli import app; sys.argv = ['verifier'] + sys.argv[1:]; app()")
    r = subprocess.run([sys.executable, "-c", code, "check", "Russian forces confirmed the evacuation of 3,154 people.",
                        "--article", str(SEED_ARTICLE), "--json"],
                       check=False, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    package, model, *rest = r.stdout.splitlines()
    assert Path(package).is_relative_to(target) and Path(model).is_relative_to(target)
    verdict = json.loads("\n".join(rest))
    assert verdict["label"] == "supported"
    assert "3,154 people" in verdict["evidence"][0]["text"]
