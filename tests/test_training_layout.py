"""The model factory (verifier/training/) apart from the checker: imports, the data folder, the commands."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from verifier.cli import app
from verifier.errors import InputError
from verifier.training import paths

TRAINING = Path(__file__).resolve().parents[1] / "verifier" / "training"


def test_importing_the_cli_imports_no_training_module():
    code = "import sys, verifier.cli; print(sorted(m for m in sys.modules if m.startswith('verifier.training')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == []


def test_running_a_runtime_command_imports_no_training_module(tmp_path):
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom verifier.cli import app\n"
            "r = CliRunner().invoke(app, ['check', '--help'])\nassert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in sys.modules if m.startswith('verifier.training')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_no_training_module_is_over_500_lines():
    sizes = {str(p.relative_to(TRAINING)): len(p.read_text().splitlines()) for p in TRAINING.rglob("*.py")}
    assert sizes and max(sizes.values()) <= 500, sizes


def test_data_dir_order_is_option_environment_recipe_default(tmp_path, monkeypatch):
    option, env, recipe = (tmp_path / n for n in ("option", "env", "recipe"))
    for p in (option, env, recipe):
        p.mkdir()
    monkeypatch.setenv(paths.DATA_ENV, str(env))
    assert paths.data_dir(option, recipe) == option
    assert paths.data_dir(None, recipe) == env
    monkeypatch.delenv(paths.DATA_ENV)
    assert paths.data_dir(None, str(recipe)) == recipe
    monkeypatch.setattr(paths, "DEFAULT_DATA_DIR", option)
    assert paths.data_dir() == option


def test_a_missing_data_dir_is_an_input_error_that_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "nope"))
    with pytest.raises(InputError, match=r"^data folder not found: .*nope; pass --data-dir or set VERIFIER_DATA$"):
        paths.data_dir(None, tmp_path)  # the environment wins over the recipe


@pytest.mark.parametrize("command", [["news-pairs", "out.jsonl"], ["contrast-sets", "out"],
                                     ["dev-eval", "--model", "m"], ["train", "RECIPE"]])
def test_training_commands_exit_2_with_one_line_on_a_missing_data_dir(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if command[0] == "train":
        recipe = tmp_path / "recipe.json"
        recipe.write_text(json.dumps({"run_dir": str(tmp_path / "run"), "data_dir": str(tmp_path / "from-recipe")}))
        command = ["train", str(recipe)]
    monkeypatch.delenv(paths.DATA_ENV, raising=False)
    result = CliRunner().invoke(app, [*command, "--data-dir", str(tmp_path / "missing")])
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"error: data folder not found: {tmp_path / 'missing'}; "
                             "pass --data-dir or set VERIFIER_DATA\n")
    assert not (tmp_path / "run").exists() and not (tmp_path / "out").exists()


def _defaults(name: str) -> dict[str, object]:
    group = typer.main.get_group(app)
    command = group.get_command(typer.Context(group), name)
    assert command is not None
    return {p.name: p.default for p in command.params if p.name}


def test_command_defaults_are_the_library_defaults():
    from verifier.training.contrast_sets import PER_SET, SEED
    from verifier.training.dev_eval import DevEvalOptions
    from verifier.training.news_pairs import build_news_pairs

    contrast = _defaults("contrast-sets")
    assert (contrast["per_set"], contrast["seed"]) == (PER_SET, SEED)
    news = _defaults("news-pairs")
    for name, param in inspect.signature(build_news_pairs).parameters.items():
        if name in news and param.default is not inspect.Parameter.empty:
            assert news[name] == param.default, name
    dev = _defaults("dev-eval")
    options = DevEvalOptions(model="m")
    for name in ("limit", "seed", "device", "threads", "batch_size", "max_length", "top_k", "max_window", "score_all"):
        assert dev[name] == getattr(options, name), name
    assert dev["precision"] == options.precision
