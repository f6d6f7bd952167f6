"""The training code end to end on a tiny sample: a few steps, resume, export, load."""

import json
from pathlib import Path

import pytest
import torch

from verifier.labels import Label
from verifier.nli import CrossEncoderNLI
from verifier.training.train import TrainConfig, _batches, export, set_loss, train

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"training data not found at {DATA}")


def test_set_loss_treats_two_way_not_entailed_as_either_label():
    logits = torch.tensor([[0.0, 2.0, 2.0], [0.0, 2.0, 2.0]])
    one = torch.tensor([[False, True, False], [False, True, False]])
    either = torch.tensor([[False, True, True], [False, True, True]])
    assert set_loss(logits, either) < set_loss(logits, one)
    # a single allowed label is plain cross-entropy
    expected = torch.nn.functional.cross_entropy(logits, torch.tensor([1, 1]))
    assert torch.isclose(set_loss(logits, one), expected)


def test_batches_cover_every_pair_once_and_bucket_lengths():
    lengths = [(i * 37) % 101 for i in range(1000)]
    batches = _batches(lengths, 32, seed=1)
    flat = sorted(i for b in batches for i in b)
    assert flat == list(range(1000))
    spreads = [max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches if len(b) == 32]
    assert sum(spreads) / len(spreads) < 10  # sorted within chunks: little padding
    assert _batches(lengths, 32, seed=1) == batches


@needs_data
def test_train_resume_export_and_load(tmp_path):
    run = tmp_path / "run"
    cfg = TrainConfig(run_dir=str(run), data_dir=str(DATA), sets=["sick", "rte"], caps={"sick": 48, "rte": 16},
                      max_steps=2, batch_size=8, eval_every=1, checkpoint_every=1, dev_pairs=16, threads=1,
                      keep_snapshots=True)
    best = train(cfg)
    # a snapshot at every dev evaluation, for comparing checkpoints through the whole pipeline later
    assert sorted(p.name for p in run.glob("step-*")) == ["step-1", "step-2"]
    assert (run / "step-1" / "model.safetensors").is_file()
    state = torch.load(run / "checkpoint.pt", weights_only=False)
    assert state["step"] == 2
    history = [json.loads(line) for line in (run / "history.jsonl").read_text().splitlines()]
    assert history[-1]["step"] == 2 and 0.0 <= history[-1]["dev_acc"] <= 1.0

    # more steps on the same run folder resume from the checkpoint instead of starting over
    saved = json.loads((run / "config.json").read_text())
    saved["max_steps"] = 4
    (run / "config.json").write_text(json.dumps(saved))
    train(TrainConfig(**saved))
    assert torch.load(run / "checkpoint.pt", weights_only=False)["step"] == 4
    # the last weights are kept next to the best ones
    final = torch.load(run / "checkpoint.pt", weights_only=False)["model"]
    from safetensors.torch import load_file

    kept = load_file(run / "final" / "model.safetensors")
    assert kept and set(kept) <= set(final)
    assert all(torch.equal(kept[k], final[k]) for k in kept)

    out = export(best, tmp_path / "model")
    config = json.loads((out / "config.json").read_text())
    assert config["id2label"] == {"0": "supported", "1": "contradicted", "2": "not_mentioned"}
    nli = CrossEncoderNLI(out)
    probs = nli.predict([("A man is playing a guitar.", "A man plays music.")])
    assert probs.shape == (1, 3) and abs(float(probs.sum()) - 1.0) < 1e-4
    assert [Label(config["id2label"][str(i)]) for i in range(3)] == [Label.SUPPORTED, Label.CONTRADICTED,
                                                                     Label.NOT_MENTIONED]


@needs_data
def test_train_command_exports_the_last_weights(tmp_path):
    from safetensors.torch import load_file
    from typer.testing import CliRunner

    from verifier.cli import app

    recipe = tmp_path / "recipe.json"
    recipe.write_text(json.dumps({"run_dir": str(tmp_path / "run"), "data_dir": str(DATA), "sets": ["sick"],
                                  "caps": {"sick": 16}, "max_steps": 2, "batch_size": 8, "eval_every": 1,
                                  "checkpoint_every": 1, "dev_pairs": 8, "threads": 1}))
    out = tmp_path / "model"
    result = CliRunner().invoke(app, ["train", str(recipe), "--export", str(out), "--last"])
    assert result.exit_code == 0, result.output
    exported = load_file(out / "model.safetensors")
    last = load_file(tmp_path / "run" / "final" / "model.safetensors")
    assert exported.keys() == last.keys()
    assert all(torch.equal(exported[k], last[k].half()) for k in exported if exported[k].is_floating_point())
    assert json.loads((out / "config.json").read_text())["id2label"]["0"] == "supported"


def test_a_missing_init_model_is_one_line_and_exit_2(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from verifier.cli import app

    monkeypatch.chdir(tmp_path)
    recipe = tmp_path / "recipe.json"
    recipe.write_text(json.dumps({"run_dir": str(tmp_path / "run"), "data_dir": str(tmp_path), "sets": [],
                                  "init": "runs/phase4-shipped"}))
    result = CliRunner().invoke(app, ["train", str(recipe)])
    assert result.exit_code == 2, result.output
    assert result.stderr == ("error: the recipe's init model 'runs/phase4-shipped' is neither a model folder nor a "
                             "Hugging Face model that can be loaded here\n")
    assert not (tmp_path / "run").exists()  # no saved config to shadow the recipe once it is fixed


@needs_data
def test_bf16_autocast_training_keeps_fp32_weights_and_starts_from_an_fp16_model(tmp_path):
    from safetensors.torch import load_file

    shipped = Path(__file__).resolve().parents[1] / "models" / "nli-minilm-l6"
    assert next(iter(load_file(shipped / "model.safetensors").values())).dtype == torch.float16
    cfg = TrainConfig(run_dir=str(tmp_path / "run"), data_dir=str(DATA), init=str(shipped), sets=["sick"],
                      caps={"sick": 16}, max_steps=2, batch_size=8, eval_every=0, checkpoint_every=1, dev_pairs=0,
                      threads=1, precision="bf16")
    train(cfg)
    state = torch.load(tmp_path / "run" / "checkpoint.pt", weights_only=False)["model"]
    assert all(v.dtype == torch.float32 for v in state.values() if v.is_floating_point())
    before = load_file(shipped / "model.safetensors")
    key = "classifier.weight"
    # it trained (the weights moved), from the shipped weights (they moved only a little)
    assert not torch.equal(state[key].half(), before[key])
    assert torch.allclose(state[key], before[key].float(), atol=1e-2)


def test_unknown_precision_is_refused(tmp_path):
    with pytest.raises(ValueError, match="precision"):
        train(TrainConfig(run_dir=str(tmp_path / "run"), precision="fp8"))
    assert not (tmp_path / "run").exists()


@needs_data
def test_auto_precision_trains_in_bf16_only_where_the_cpu_computes_it(tmp_path, caplog, monkeypatch):
    import verifier.nli

    for native, expected in ((False, "fp32"), (True, "bf16")):
        monkeypatch.setattr(verifier.nli, "native_bf16", lambda device, native=native: native)
        cfg = TrainConfig(run_dir=str(tmp_path / expected), data_dir=str(DATA), sets=["sick"], caps={"sick": 8},
                          max_steps=1, batch_size=8, eval_every=0, checkpoint_every=1, dev_pairs=0, threads=1,
                          precision="auto")
        with caplog.at_level("INFO", logger="verifier.training.train"):
            train(cfg)
        assert f"precision {expected} (auto)" in caplog.text
        caplog.clear()


def test_contradictions_of_named_sources_teach_only_not_entailed(tmp_path, monkeypatch):
    from verifier.training.nli_data import NOT_ENTAILED
    from verifier.training.train import _load_pairs

    extra = tmp_path / "pairs.jsonl"
    rows = [("A man sleeps.", "A man runs.", "contradicted", "mnli-style"),
            ("A man sleeps.", "A man is awake.", "contradicted", "news-negation"),
            ("A man sleeps.", "A man rests.", "supported", "mnli-style"),
            ("A man sleeps.", "A man sleeps at home.", "not_mentioned", "mnli-style")]
    extra.write_text("".join(json.dumps({"premise": p, "hypothesis": h, "labels": [lab], "source": src}) + "\n"
                             for p, h, lab, src in rows))
    cfg = TrainConfig(run_dir=str(tmp_path / "run"), data_dir=str(tmp_path), sets=["rte"], extra_jsonl=[str(extra)],
                      contradiction_as_not_entailed=["mnli-style"])
    monkeypatch.setattr("verifier.training.train.read_sets", lambda root, names: [])
    pairs = {p.hypothesis: p.labels for p in _load_pairs(cfg)}
    assert pairs["A man runs."] == NOT_ENTAILED  # the named source's contradiction: either label
    assert pairs["A man is awake."] == (Label.CONTRADICTED,)  # other sources keep theirs
    assert pairs["A man rests."] == (Label.SUPPORTED,)
    assert pairs["A man sleeps at home."] == (Label.NOT_MENTIONED,)
