import numpy as np
import pytest
from fakes import save_tiny_nli

from verifier import nli as nli_module
from verifier.errors import ModelError
from verifier.labels import Label, parse_label
from verifier.nli import CrossEncoderNLI, label_columns, resolve_precision


@pytest.mark.parametrize(
    "id2label, expected",
    [
        ({0: "entailment", 1: "neutral", 2: "contradiction"}, [0, 2, 1]),
        ({0: "contradiction", 1: "entailment", 2: "neutral"}, [1, 0, 2]),
        ({"0": "CONTRADICTION", "1": "NEUTRAL", "2": "ENTAILMENT"}, [2, 0, 1]),
        ({0: "supported", 1: "contradicted", 2: "not_mentioned"}, [0, 1, 2]),
    ],
)
def test_label_columns_follow_id2label(id2label, expected):
    assert label_columns(id2label) == expected


@pytest.mark.parametrize(
    "id2label, message",
    [
        ({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, "cannot be mapped"),
        ({0: "entailment", 1: "not_entailment"}, "cannot be mapped"),
        ({0: "entailment", 1: "neutral"}, "no output for contradicted"),
        ({0: "entailment", 1: "neutral", 2: "contradiction", 3: "refutes"}, "two outputs"),
    ],
)
def test_unmappable_labels_are_refused(id2label, message):
    with pytest.raises(ModelError, match=message):
        label_columns(id2label)


def test_parse_label_aliases():
    assert parse_label("Entailment") is Label.SUPPORTED
    assert parse_label("NOT ENOUGH INFO") is Label.NOT_MENTIONED
    assert parse_label("not_mentioned") is Label.NOT_MENTIONED
    with pytest.raises(ValueError):
        parse_label("maybe")


def test_cross_encoder_reorders_columns_by_config(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    save_tiny_nli(a, {0: "entailment", 1: "neutral", 2: "contradiction"})
    save_tiny_nli(b, {0: "contradiction", 1: "entailment", 2: "neutral"})
    pairs = [("The sky is blue.", "The sky has a colour."), ("A.", "B.")]
    pa = CrossEncoderNLI(a).predict(pairs)
    pb = CrossEncoderNLI(b).predict(pairs)
    assert pa.shape == (2, 3)
    np.testing.assert_allclose(pa.sum(1), 1.0, rtol=1e-5)
    # bias = output index: 'contradiction' is the largest output in a, 'neutral' in b
    assert pa[0].argmax() == 1  # contradicted column
    assert pb[0].argmax() == 2  # not_mentioned column


def test_cross_encoder_refuses_two_way_model(tmp_path):
    save_tiny_nli(tmp_path / "m", {0: "entailment", 1: "not_entailment"})
    with pytest.raises(ModelError, match="cannot be mapped"):
        CrossEncoderNLI(tmp_path / "m")


def test_missing_model_path_is_a_model_error(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_MODEL", str(tmp_path / "absent"))
    with pytest.raises(ModelError, match="VERIFIER_MODEL names .*absent, which does not exist"):
        CrossEncoderNLI()
    monkeypatch.delenv("VERIFIER_MODEL")
    from verifier import nli

    monkeypatch.setattr(nli, "MODELS_DIR", tmp_path / "no-checkout")
    monkeypatch.setattr(nli, "PACKAGED_MODELS_DIR", tmp_path / "no-package")
    with pytest.raises(ModelError, match="default NLI model is missing at .*no-checkout.*reinstall verifier"):
        CrossEncoderNLI()
    with pytest.raises(ModelError, match="no model folder at"):
        CrossEncoderNLI(tmp_path / "also-absent")


@pytest.mark.parametrize("native, expected", [(True, "bf16"), (False, "fp32")])
def test_auto_precision_is_bf16_only_where_computed_natively(monkeypatch, native, expected):
    monkeypatch.setattr(nli_module, "native_bf16", lambda device: native)
    assert resolve_precision("auto", "cpu") == expected
    assert resolve_precision("fp32", "cpu") == "fp32"
    assert resolve_precision("int8", "cpu") == "int8"


def test_bad_precisions_are_refused_before_loading(tmp_path):
    with pytest.raises(ValueError, match="precision must be one of"):
        CrossEncoderNLI(tmp_path / "absent", precision="fp8")
    with pytest.raises(ValueError, match="int8 runs on the CPU only"):
        CrossEncoderNLI(tmp_path / "absent", device="cuda", precision="int8")


@pytest.mark.parametrize("precision", ["fp32", "bf16", "int8"])
def test_each_precision_loads_and_gives_probabilities(tmp_path, precision):
    import torch

    save_tiny_nli(tmp_path / "m", {0: "entailment", 1: "neutral", 2: "contradiction"})
    nli = CrossEncoderNLI(tmp_path / "m", precision=precision)
    assert nli.precision == precision
    dtypes = {p.dtype for p in nli.model.parameters()}
    assert (torch.bfloat16 in dtypes) == (precision == "bf16")
    probs = nli.predict([("The sky is blue.", "The sky has a colour."), ("A.", "B.")])
    assert probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(1), 1.0, rtol=1e-3)
    assert (probs.argmax(1) == 1).all()  # contradicted: the largest bias, whatever the precision


def test_pairs_longer_than_the_token_budget_fit(tiny_nli_dir):
    """A claim under the 2,000-character limit can exceed the model's 256 tokens on its own."""
    from verifier.nli import CrossEncoderNLI

    nli = CrossEncoderNLI(tiny_nli_dir, precision="fp32")
    claim = "The minister said the talks would continue next week in the capital. " * 27  # ~1,900 characters
    assert len(nli.tokenizer(claim)["input_ids"]) > nli.max_length
    probs = nli.predict([("A short passage.", claim), ("A long passage. " * 300, claim), ("Short.", "Short.")])
    assert probs.shape == (3, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
