"""Contrast sets: the rewrites on hand-written sentences, and the sets built from tiny rulings."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from verifier.errors import InputError
from verifier.labels import Label
from verifier.training import dev_eval
from verifier.training.contrast_sets import GENERATORS, approximate, build, paraphrase, ruling_docs, swap_roles
from verifier.training.dev_sets import ALL_SETS, CONTRAST_SETS, DEV_SETS, set_kind
from verifier.training.news_pairs import make_doc
from verifier.training.nli_data import NOT_ENTAILED

S, C, N = Label.SUPPORTED, Label.CONTRADICTED, Label.NOT_MENTIONED

RULING = [
    "The senator said the bill would cost taxpayers about $3 billion over the next ten years.",
    "In 2018, the state reported that 50,000 residents had lost their health insurance coverage.",
    "At one point, Schiff asked Taylor why it was important for the country to protect its allies.",
    "The governor was elected in 2014 after a long campaign against the incumbent mayor of the city.",
    "According to the report, the crowd was estimated at 50,000 people on the first day of the protest.",
    "Critics say the program has not reduced the number of uninsured children in the state at all.",
    "The agency has approved the new vaccine for adults over the age of 65 in the whole country.",
    "Officials purchased 1,200 new buses for the city transit system during the last budget year.",
]


def test_swap_roles_exchanges_names_around_an_asymmetric_verb_only():
    swapped = swap_roles("At one point, Schiff asked Taylor why it mattered.")
    assert swapped == "At one point, Taylor asked Schiff why it mattered."
    assert swap_roles("In the end, Smith was defeated by Jones in the primary.") == (
        "In the end, Jones was defeated by Smith in the primary.")
    assert swap_roles("Yesterday Smith met Jones in Boston.") is None  # symmetric: the swap is entailed
    assert swap_roles("Yesterday Smith and Jones spoke.") is None
    assert swap_roles("In a tweet, Trump thanked California's firefighters.") is None  # a possessive, not a role


def test_approximate_numbers_keep_or_change_the_value():
    rng = random.Random(0)
    s = "The crowd was estimated at 50,000 people."
    same = approximate(s, rng, different=False)
    assert same in {f"The crowd was {w} 50,000 people." for w in ("about", "around", "roughly", "approximately")}
    other = approximate(s, rng, different=True)
    assert other and "50,000" not in other and other.startswith("The crowd was ")
    assert approximate("He won in 2014.", rng, different=False) is None  # years are not quantities
    assert approximate("At least 500 people came.", rng, different=False) is None  # a bound, not an estimate
    assert approximate("It sank on Sept. 25 near the coast.", rng, different=False) is None  # a date


def test_paraphrase_rewords_and_keeps_the_content_words():
    rng = random.Random(1)
    assert paraphrase("According to the report, the crowd was large.", rng) in {
        "The crowd was large, according to the report.", "According to the report, the crowd was big."}
    assert paraphrase("In 2018, the state lost coverage.", random.Random(0)) == "The state lost coverage in 2018."
    assert paraphrase("The program did not work.", rng) == "The program didn't work."
    assert paraphrase("Plain words here.", rng) is None


def _docs():
    return [make_doc("politihop/1", " ".join(RULING)), make_doc("politihop/2", " ".join(reversed(RULING)))]


@pytest.mark.parametrize("name", list(GENERATORS))
def test_build_is_deterministic_and_labels_each_set_as_documented(name):
    pairs = build(name, _docs(), n=20, seed=3)
    assert pairs == build(name, _docs(), n=20, seed=3)
    assert all(p.source == name and p.premise != p.hypothesis for p in pairs)
    expected = {"contrast-negation": {(C,)}, "contrast-roles": {NOT_ENTAILED}, "contrast-numbers": {(S,), (C,)},
                "contrast-unmentioned": {(N,)}, "contrast-paraphrase": {(S,)}}[name]
    assert pairs and {p.labels for p in pairs} <= expected
    # ruling text as written: in the premise, or the claim for a negated passage
    assert all(any(s in p.premise or s == p.hypothesis for s in RULING) for p in pairs)


def test_negation_goes_both_ways():
    pairs = build("contrast-negation", _docs(), n=6, seed=0)
    negated_claim = [p for p in pairs if p.hypothesis not in RULING]
    negated_passage = [p for p in pairs if p.hypothesis in RULING]
    assert negated_claim and negated_passage
    for p in negated_passage:  # the passage holds the negated sentence instead of the claim
        assert p.hypothesis not in p.premise and any(" not " in s or "n't" in s for s in p.premise.split(". "))


def test_registry_and_dev_eval_names(tmp_path):
    assert set(CONTRAST_SETS) == set(GENERATORS)
    assert not set(CONTRAST_SETS) & set(DEV_SETS) and set(ALL_SETS) == set(DEV_SETS) | set(CONTRAST_SETS)
    assert all(set_kind(n) == "pair" for n in CONTRAST_SETS)
    assert dev_eval.set_names("xnli-en,contrast") == ["xnli-en", *CONTRAST_SETS]
    assert dev_eval.set_names(None) == list(DEV_SETS)
    with pytest.raises(InputError, match="unknown dev set"):
        dev_eval.set_names("xnli-en,nope")


def test_rulings_reader_and_command(tmp_path):
    from typer.testing import CliRunner

    from verifier.cli import app

    rows = [{"article_id": "7", "ruling": json.dumps(RULING)}, {"article_id": "7", "ruling": json.dumps(RULING)},
            {"article_id": "8", "ruling": json.dumps(list(reversed(RULING)))}]
    path = tmp_path / "train" / "politihop" / "train.tsv"
    path.parent.mkdir(parents=True)
    header = "article_id\tstatement\truling\n"
    path.write_text(header + "".join(f"{r['article_id']}\tx\t{r['ruling']}\n" for r in rows), encoding="utf-8")
    docs = ruling_docs(tmp_path)
    assert [d.doc_id for d in docs] == ["politihop/7", "politihop/8"]  # one doc per article
    pairs = list(CONTRAST_SETS["contrast-negation"](tmp_path))
    assert pairs == build("contrast-negation", docs)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["contrast-sets", str(out), "--data-dir", str(tmp_path), "--per-set", "5",
                                      "--sets", "contrast-negation,contrast-paraphrase"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)
    assert counts == {"contrast-negation": 5, "contrast-paraphrase": len(build("contrast-paraphrase", docs, n=5))}
    rows = [json.loads(line) for line in (out / "contrast-negation.jsonl").read_text().splitlines()]
    assert [(r["premise"], r["hypothesis"], r["labels"]) for r in rows] == [
        (p.premise, p.hypothesis, [x.value for x in p.labels]) for p in build("contrast-negation", docs, n=5)]


def _news_root(tmp_path: Path) -> Path:
    """A tiny FNC-1 / ARC tree in the real file layout, every body the same ruling text."""

    t = tmp_path / "train"
    for folder, bodies, stances in (("fnc-1", "train_bodies.csv",
                                     ("train_stances_part1.csv", "train_stances_part2.csv")),
                                    ("arc", "arc_bodies.csv", ("arc_stances_train.csv",))):
        (t / folder).mkdir(parents=True)
        with (t / folder / bodies).open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["Body ID", "articleBody"])
            for b in range(12):
                w.writerow([str(b), " ".join(RULING[b % 3 :] + RULING[: b % 3])])
        for name in stances:
            with (t / folder / name).open("w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["Headline", "Body ID", "Stance"])
                w.writerow(["A headline", "0", "agree"])
    return tmp_path


def test_training_pairs_come_from_the_other_half_of_the_news_bodies(tmp_path):
    from verifier.training.contrast_sets import TRAINING_KINDS, news_docs, training_pairs

    root = _news_root(tmp_path)
    eval_ids = {d.doc_id for d in news_docs(root, 0)}
    train_ids = {d.doc_id for d in news_docs(root, 1)}
    assert eval_ids and train_ids and not eval_ids & train_ids
    assert len(eval_ids | train_ids) == 24
    pairs = training_pairs(root, per_kind=5)
    assert pairs == training_pairs(root, per_kind=5)
    assert {p.source for p in pairs} <= {k.replace("contrast-", "contrast-train-") for k in TRAINING_KINDS}
    assert {"contrast-train-negation", "contrast-train-paraphrase"} <= {p.source for p in pairs}
