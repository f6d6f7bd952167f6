"""Dev-set readers on the real files in ../shared/data, and `verifier.training.dev_eval` on fake models."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from verifier.errors import InputError
from verifier.labels import LABELS, Label
from verifier.training import dev_eval
from verifier.training.dev_eval import nli_report, pipeline_report, sample_pairs, to_markdown
from verifier.training.dev_sets import ARTICLE_SETS, DEV_SETS, PAIR_SETS, TWO_WAY_SETS, set_kind, xnli
from verifier.training.nli_data import NOT_ENTAILED, Pair

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

S, C, N = Label.SUPPORTED, Label.CONTRADICTED, Label.NOT_MENTIONED

# Pairs each reader should give (the file's rows, less the skipped labels / rows).
EXPECTED = {
    "xnli-en": 2490,
    "xnli-en-unselected": 1690,  # less the 800 training uses for model selection
    "cad-snli": 3000,
    "conjnli": 623,
    "rte": 277,
    "covidfact-rte": 419,
    "scifact-rte": 209,
    "healthver": 1917,
    "check-covid": 207,
    "politihop": 119,  # 141 rows less 22 half-true
    "arc": 3559,
    "wice": 158,  # 349 claims less 191 partially_supported
    "wice-strict": 349,
    "check-covid-abstract": 139,  # 207 claims less 68 NOTENOUGHINFO
}


@pytest.fixture(scope="module")
def data_root() -> Path:
    if not (DATA / "dev").is_dir():
        pytest.skip(f"no data folder at {DATA}")
    return DATA


@pytest.fixture(scope="module")
def dev_pairs(data_root):
    cache: dict[str, list[Pair]] = {}

    def get(name: str) -> list[Pair]:
        if name not in cache:
            cache[name] = list(DEV_SETS[name](data_root))
        return cache[name]

    return get


def test_registry():
    assert set(EXPECTED) == set(DEV_SETS)
    assert not set(PAIR_SETS) & set(ARTICLE_SETS)
    assert {**PAIR_SETS, **ARTICLE_SETS} == DEV_SETS
    assert {"arc", "wice"} <= set(ARTICLE_SETS)
    assert TWO_WAY_SETS <= set(DEV_SETS)
    assert set_kind("rte") == "pair" and set_kind("wice") == "article"
    with pytest.raises(KeyError):
        set_kind("nope")


@pytest.mark.parametrize("name", list(EXPECTED))
def test_reader(name, dev_pairs):
    pairs = dev_pairs(name)
    assert EXPECTED[name] * 0.95 <= len(pairs) <= EXPECTED[name]
    valid = {(S,), (C,), (N,), NOT_ENTAILED}
    for p in pairs:
        assert isinstance(p, Pair)
        assert p.premise.strip() and p.hypothesis.strip()
        assert p.labels in valid
        assert p.source == name
    seen = {p.labels for p in pairs}
    if name in TWO_WAY_SETS:
        assert seen == {(S,), NOT_ENTAILED}
    else:
        assert NOT_ENTAILED not in seen
        assert (S,) in seen and (C,) in seen


def test_xnli_unchanged(data_root):
    pairs = list(xnli(data_root))
    assert len(pairs) == 2490
    assert {p.labels for p in pairs} == {(S,), (C,), (N,)}
    assert sum(p.labels == (S,) for p in pairs) == 830


def test_xnli_unselected_is_xnli_without_the_selection_pairs(data_root):
    from verifier.training.train import selection_pairs

    selected = {(p.premise, p.hypothesis) for p in selection_pairs(str(data_root), 800)}
    rest = {(p.premise, p.hypothesis) for p in DEV_SETS["xnli-en-unselected"](data_root)}
    everything = {(p.premise, p.hypothesis) for p in xnli(data_root)}
    assert len(selected) == 800
    assert not selected & rest
    assert selected | rest == everything


def test_article_sets_hold_whole_articles(dev_pairs):
    for name in ARTICLE_SETS:
        pairs = dev_pairs(name)
        premise = statistics.median(len(p.premise) for p in pairs)
        assert premise > 3 * statistics.median(len(p.hypothesis) for p in pairs)
    wice = dev_pairs("wice")
    assert statistics.median(p.premise.count("\n") for p in wice) > 30  # one line per page sentence
    assert not any(p.premise.startswith("(meta data)") for p in wice)
    # Check-COVID: the article version holds the whole abstract, the pair version only evidence.
    assert statistics.median(len(p.premise) for p in dev_pairs("check-covid-abstract")) > 2 * statistics.median(
        len(p.premise) for p in dev_pairs("check-covid")
    )


def test_two_way_reader_details(dev_pairs):
    assert sum(p.two_way for p in dev_pairs("rte")) == 131
    assert sum(p.two_way for p in dev_pairs("covidfact-rte")) == 289
    assert sum(p.two_way for p in dev_pairs("scifact-rte")) == 71
    assert sum(p.two_way for p in dev_pairs("wice")) == 43
    assert sum(p.two_way for p in dev_pairs("wice-strict")) == 234


def test_ambiguous_labels(dev_pairs):
    politihop = dev_pairs("politihop")
    assert {p.labels for p in politihop} == {(S,), (C,)}
    assert sum(p.labels == (C,) for p in politihop) == 98
    assert not any(p.hypothesis.startswith(("Says ", '"', "“")) for p in politihop)
    arc = dev_pairs("arc")
    assert sum(p.labels == (N,) for p in arc) == 2674 + 179  # unrelated + discuss
    healthver = dev_pairs("healthver")
    assert [sum(p.labels == (x,) for p in healthver) for x in (S, C, N)] == [533, 391, 993]
    assert {p.labels for p in dev_pairs("check-covid-abstract")} == {(S,), (C,)}


# --- evaluation with fake models ----------------------------------------------------------------


class FixedNLI:
    """Returns the probability row given for each hypothesis (columns in LABELS order)."""

    def __init__(self, rows: dict[str, list[float]]):
        self.rows = rows
        self.calls = 0

    def predict(self, pairs):
        self.calls += 1
        return np.array([self.rows[h] for _, h in pairs], dtype=np.float32).reshape(-1, len(LABELS))


PS = [0.7, 0.2, 0.1]  # argmax supported
PC = [0.2, 0.5, 0.3]  # argmax contradicted
PN = [0.3, 0.1, 0.6]  # argmax not_mentioned


def _pairs(*items: tuple[str, tuple[Label, ...]]) -> list[Pair]:
    return [Pair("premise", h, labels, "test") for h, labels in items]


def test_evaluate_nli_three_way():
    nli = FixedNLI({"h1": PS, "h2": PN, "h3": PN, "h4": PC, "h5": PS})
    pairs = _pairs(("h1", (S,)), ("h2", (C,)), ("h3", (N,)), ("h4", (C,)), ("h5", (N,)))
    r = nli_report(nli, pairs)
    assert r["two_way"] is False
    assert r["n"] == 5
    assert r["accuracy"] == pytest.approx(3 / 5)
    assert r["labels"] == ["supported", "contradicted", "not_mentioned"]
    assert r["confusion"]["contradicted"] == {"supported": 0, "contradicted": 1, "not_mentioned": 1}
    assert r["confusion"]["not_mentioned"] == {"supported": 1, "contradicted": 0, "not_mentioned": 1}
    assert r["per_label"]["supported"]["precision"] == pytest.approx(0.5)


def test_evaluate_nli_two_way():
    nli = FixedNLI({"h1": PS, "h2": PC, "h3": PC, "h4": PN, "h5": PS})
    # supported->supported ok; supported->contradicted wrong; not entailed->contradicted ok;
    # not entailed->not_mentioned ok; not entailed->supported wrong.
    pairs = _pairs(("h1", (S,)), ("h2", (S,)), ("h3", NOT_ENTAILED), ("h4", NOT_ENTAILED), ("h5", NOT_ENTAILED))
    r = nli_report(nli, pairs)
    assert r["two_way"] is True
    assert r["accuracy"] == pytest.approx(3 / 5)
    assert r["labels"] == ["supported", "not_supported"]
    assert r["confusion"] == {"supported": {"supported": 1, "not_supported": 1},
                              "not_supported": {"supported": 1, "not_supported": 2}}
    assert r["macro_f1"] == pytest.approx((0.5 + 2 / 3) / 2)


def test_evaluate_nli_mixed_list_is_scored_two_way():
    nli = FixedNLI({"h1": PN, "h2": PS, "h3": PC})
    # a three-way contradicted pair predicted not_mentioned is "not supported": right in two-way scoring
    pairs = _pairs(("h1", (C,)), ("h2", NOT_ENTAILED), ("h3", (S,)))
    r = nli_report(nli, pairs)
    assert r["two_way"] is True
    assert r["accuracy"] == pytest.approx(1 / 3)
    assert r["confusion"]["not_supported"] == {"supported": 1, "not_supported": 1}
    with pytest.raises(ValueError):
        nli_report(nli, pairs, two_way=False)
    # a three-way list can be forced to two-way scoring
    r3 = nli_report(FixedNLI({"h1": PN}), _pairs(("h1", (C,))), two_way=True)
    assert r3["accuracy"] == 1.0


def test_evaluate_nli_sampling_and_chunks():
    rows = {f"h{i}": (PS if i % 3 == 0 else PN) for i in range(50)}
    pairs = _pairs(*((f"h{i}", (S,) if i % 2 == 0 else (N,)) for i in range(50)))
    full = nli_report(FixedNLI(rows), pairs)
    nli = FixedNLI(rows)
    assert nli_report(nli, pairs, chunk_size=7) == full
    assert nli.calls == 8
    a = nli_report(FixedNLI(rows), pairs, max_pairs=20)
    b = nli_report(FixedNLI(rows), pairs, max_pairs=20)
    assert a == b and a["n"] == 20
    assert sample_pairs(pairs, 20) == sample_pairs(pairs, 20)
    assert sample_pairs(pairs, 20, seed=1) != sample_pairs(pairs, 20)
    assert sample_pairs(pairs, 100) == pairs
    assert nli_report(FixedNLI(rows), [])["n"] == 0


@dataclass
class _Verdict:
    label: Label


class FakeVerifier:
    """verify_many answers from a claim->label table and records each call's articles."""

    def __init__(self, answers: dict[str, Label]):
        self.answers = answers
        self.calls: list[list[str]] = []

    def verify_many(self, claims, articles):
        claims = list(claims)
        arts = [articles] * len(claims) if isinstance(articles, str) else list(articles)
        if "bad" in claims:
            raise InputError("refused")
        self.calls.append(arts)
        return [_Verdict(self.answers[c]) for c in claims]


def test_evaluate_verifier_batches_by_article():
    pairs = [
        Pair("article A", "c1", (S,), "t"),
        Pair("article B", "c2", (C,), "t"),
        Pair("article A", "c3", (N,), "t"),
        Pair("article C", "c4", (N,), "t"),
    ]
    v = FakeVerifier({"c1": S, "c2": N, "c3": N, "c4": S})
    r = pipeline_report(v, pairs, claims_per_call=2)
    assert r["accuracy"] == pytest.approx(2 / 4)
    assert r["two_way"] is False and r["skipped"] == 0
    assert r["confusion"]["contradicted"]["not_mentioned"] == 1
    assert v.calls == [["article A", "article A"], ["article B", "article C"]]
    v1 = FakeVerifier({"c1": S, "c2": N, "c3": N, "c4": S})
    assert pipeline_report(v1, pairs) == r
    assert len(v1.calls) == 1


def test_evaluate_verifier_two_way_and_refused_claims():
    pairs = [
        Pair("article A", "c1", (S,), "t"),
        Pair("article A", "bad", NOT_ENTAILED, "t"),
        Pair("article B", "c2", NOT_ENTAILED, "t"),
        Pair("article B", "c3", NOT_ENTAILED, "t"),
    ]
    r = pipeline_report(FakeVerifier({"c1": S, "c2": C, "c3": S}), pairs)
    assert r["skipped"] == 1 and r["n"] == 3
    assert r["two_way"] is True
    assert r["accuracy"] == pytest.approx(2 / 3)
    assert r["confusion"] == {"supported": {"supported": 1, "not_supported": 0},
                              "not_supported": {"supported": 1, "not_supported": 1}}


def test_evaluate_verifier_with_the_real_pipeline(fake_verifier):
    article = "The river flooded the town on Monday.\nMore than 3,000 people were evacuated from their homes."
    pairs = [
        Pair(article, "More than 3,000 people were evacuated from their homes.", (S,), "t"),
        Pair(article, "The stadium hosted a concert on Friday night.", (N,), "t"),
    ]
    r = pipeline_report(fake_verifier, pairs)
    assert r["n"] == 2 and r["accuracy"] == 1.0


def test_dev_eval_command_writes_json_and_markdown(data_root, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from verifier.cli import app

    always_supported = type("AlwaysSupported", (), {"predict": lambda self, pairs: np.tile(PS, (len(pairs), 1))})()
    monkeypatch.setattr(dev_eval, "_load_nli", lambda *a, **k: always_supported)
    monkeypatch.setattr(dev_eval, "_load_verifier", lambda nli, *a: FakeVerifier(_AllSupported()))
    out_json, out_md = tmp_path / "r.json", tmp_path / "r.md"
    result = CliRunner().invoke(app, ["dev-eval", "--model", "fake", "--sets", "rte,conjnli,wice", "--limit", "20",
                                      "--data-dir", str(data_root), "--json", str(out_json), "--markdown", str(out_md)])
    assert result.exit_code == 0, result.output
    data = json.loads(out_json.read_text())
    sets = data["sets"]
    assert list(sets) == ["rte", "conjnli", "wice"]
    assert [sets[s]["n"] for s in sets] == [20, 20, 20]
    assert sets["rte"]["two_way"] is True and sets["conjnli"]["two_way"] is False
    assert sets["wice"]["kind"] == "article" and sets["rte"]["total"] == 277
    sample = sample_pairs(list(DEV_SETS["rte"](data_root)), 20)
    assert sets["rte"]["accuracy"] == pytest.approx(sum(not p.two_way for p in sample) / 20)
    printed = result.stdout
    assert printed == out_md.read_text()
    assert "| rte | pair, two-way | 20 |" in printed
    assert "| wice | article, two-way | 20 |" in printed
    assert "### conjnli" in printed
    bad = CliRunner().invoke(app, ["dev-eval", "--model", "fake", "--sets", "nope", "--data-dir", str(data_root)])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: unknown dev set(s) nope; known: ")


class _AllSupported(dict):
    def __missing__(self, key):
        return S


def test_to_markdown_confusion_table():
    r = nli_report(FixedNLI({"h1": PS, "h2": PC}), _pairs(("h1", (S,)), ("h2", (S,))))
    md = to_markdown({"x": {"set": "x", "kind": "pair", "total": 2, "seconds": 0.5, **r}})
    assert "| x | pair | 2 | 0.500 |" in md
    assert "| supported | 1 | 1 | 0 | 0.500 |" in md


def test_label_report_scores_three_way_and_two_way_pairs():
    from verifier.training.dev_eval import label_report

    three = [Pair("p", "h", (S,), "x"), Pair("p", "h", (C,), "x"), Pair("p", "h", (N,), "x")]
    report = label_report(three, ["supported", "not_mentioned", "not_mentioned"])
    assert report["accuracy"] == pytest.approx(2 / 3) and report["two_way"] is False
    two = [Pair("p", "h", (S,), "x"), Pair("p", "h", NOT_ENTAILED, "x")]
    report = label_report(two, ["contradicted", "contradicted"])
    assert report["accuracy"] == pytest.approx(0.5) and report["two_way"] is True
