"""`verifier interpolate`: (1 - W) * A + W * B in weight space, as a loadable model folder."""

from __future__ import annotations

import json

import pytest
import torch
from fakes import save_tiny_nli
from safetensors.torch import load_file, save_file
from typer.testing import CliRunner

from verifier.cli import app
from verifier.errors import InputError
from verifier.nli import CrossEncoderNLI
from verifier.training.interpolate import interpolate


@pytest.fixture(scope="module")
def two_models(tmp_path_factory):
    """A tiny model and a copy whose classifier biases are 10x and whose other tensors are shifted by 1."""
    a = save_tiny_nli(tmp_path_factory.mktemp("a"))
    b = save_tiny_nli(tmp_path_factory.mktemp("b"))
    weights = load_file(str(b / "model.safetensors"))
    for name, t in weights.items():
        if t.is_floating_point():
            weights[name] = t * 10 if name == "classifier.bias" else t + 1
    save_file(weights, str(b / "model.safetensors"), metadata={"format": "pt"})
    return a, b


def test_every_float_tensor_is_the_weighted_mean(two_models, tmp_path):
    a, b = two_models
    out = interpolate(a, b, 0.25, tmp_path / "mix")
    wa, wb, mixed = (load_file(str(p / "model.safetensors")) for p in (a, b, out))
    assert mixed.keys() == wa.keys()
    for name, t in mixed.items():
        assert t.dtype == (torch.float16 if wa[name].is_floating_point() else wa[name].dtype)
        if t.is_floating_point():
            want = (0.75 * wa[name].float() + 0.25 * wb[name].float()).half()
            assert torch.equal(t, want), name
    assert mixed["classifier.bias"].tolist() == pytest.approx([0.0, 3.25, 6.5], abs=1e-2)


def test_the_interpolated_folder_loads_as_an_nli_model_and_its_output_moves_with_the_weight(two_models, tmp_path):
    a, b = two_models
    probs = []
    for w in (0.0, 0.5, 1.0):
        out = interpolate(a, b, w, tmp_path / f"w{w}")
        config = json.loads((out / "config.json").read_text())
        assert (out / "tokenizer.json").is_file() and config["id2label"] and config["dtype"] == "float16"
        model = CrossEncoderNLI(out, device="cpu", precision="fp32")
        probs.append(float(model.predict([("The sky is blue.", "The sky is blue.")])[0][1]))  # contradicted
    assert probs == sorted(probs)
    assert probs[0] == pytest.approx(0.665, abs=0.01)  # biases 0, 1, 2
    assert probs[2] > 0.99  # biases 0, 10, 20


def test_models_of_different_shapes_are_refused(two_models, tmp_path):
    a, _ = two_models
    other = tmp_path / "other"
    other.mkdir()
    save_file({"classifier.bias": torch.zeros(2)}, str(other / "model.safetensors"))
    with pytest.raises(InputError, match="different architectures"):
        interpolate(a, other, 0.5, tmp_path / "out")


def test_cli_writes_the_model_and_refuses_a_weight_outside_0_1(two_models, tmp_path):
    a, b = two_models
    ok = CliRunner().invoke(app, ["interpolate", str(a), str(b), "--weight", "0.5", "--out", str(tmp_path / "m")])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "m" / "model.safetensors").is_file()
    bad = CliRunner().invoke(app, ["interpolate", str(a), str(b), "--weight", "1.5", "--out", str(tmp_path / "n")])
    assert bad.exit_code == 2 and not (tmp_path / "n").exists()
    missing = CliRunner().invoke(app, ["interpolate", str(a), str(tmp_path), "--out", str(tmp_path / "k")])
    assert missing.exit_code == 2 and missing.stderr.startswith("error: ") and "model.safetensors" in missing.stderr


def test_the_output_may_be_model_a_itself_and_keeps_its_card(two_models, tmp_path):
    import shutil

    a, b = two_models
    shipped = tmp_path / "shipped"
    shutil.copytree(a, shipped)
    (shipped / "README.md").write_text("card", encoding="utf-8")
    before = load_file(str(shipped / "model.safetensors"))["classifier.bias"].float()
    interpolate(shipped, b, 0.5, shipped)
    after = load_file(str(shipped / "model.safetensors"))["classifier.bias"].float()
    assert after.tolist() == pytest.approx((before * 5.5).tolist(), abs=1e-2)  # (b + 10 b) / 2
    assert (shipped / "README.md").read_text(encoding="utf-8") == "card"
    assert not (shipped / "model.safetensors.tmp").exists()
