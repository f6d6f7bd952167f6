"""Detail checks as a user sees them: the verdict, `check` output, JSON and the batch column."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import SEED_ARTICLE
from fakes import FakeEmbedder, FakeNLI
from typer.testing import CliRunner

from verifier import Verifier, cli
from verifier.labels import Label
from verifier.verdict import Verdict

WRONG_NUMBER = "Russian forces confirmed the evacuation of 31,540 people, including 1,428 children."
RIGHT_NUMBER = "Russian forces confirmed the evacuation of 3,154 people, including 1,428 children."


@pytest.fixture(autouse=True)
def fake_models(monkeypatch):
    def make(model, top_k, support, contradict, precision, score_all, min_relevance):
        return Verifier(nli=FakeNLI(), embedder=FakeEmbedder(), top_k=top_k, score_all=score_all)

    monkeypatch.setattr(cli, "_make_verifier", make)


def test_a_wrong_number_turns_the_models_support_into_a_contradiction(fake_verifier, seed_text):
    plain = Verifier(nli=FakeNLI(), embedder=FakeEmbedder(), rule=type(fake_verifier.rule)(check_details=False))
    assert plain.verify(WRONG_NUMBER, seed_text).label is Label.SUPPORTED  # the fake model misses it
    v = fake_verifier.verify(WRONG_NUMBER, seed_text)
    assert v.label is Label.CONTRADICTED
    assert seed_text[v.passage.start:v.passage.end] == v.passage.text
    bad = [c for c in v.checks if c.outcome == "mismatch"]
    assert [c.explanation for c in bad] == ["number: claim 31,540 people, article 3,154 people (mismatch)"]
    assert seed_text[bad[0].passage_start:bad[0].passage_end] == "3,154 people"
    assert Verdict.from_dict(json.loads(json.dumps(v.to_dict()))).checks == v.checks


def test_check_prints_the_checks_and_json_has_them():
    r = CliRunner().invoke(cli.app, ["check", WRONG_NUMBER, "--article", str(SEED_ARTICLE)])
    assert r.exit_code == 0, r.output
    assert "CONTRADICTED" in r.output
    assert "check mismatch: number: claim 31,540 people, article 3,154 people" in r.output
    r = CliRunner().invoke(cli.app, ["check", RIGHT_NUMBER, "--article", str(SEED_ARTICLE), "--json"])
    data = json.loads(r.stdout)
    assert {c["outcome"] for c in data["checks"]} == {"match"}
    assert "number: claim 1,428 children, article 1,428 children" in [c["explanation"] for c in data["checks"]]


def test_batch_writes_a_checks_column(tmp_path):
    src = tmp_path / "claims.csv"
    src.write_text(f"id,claim\n1,\"{WRONG_NUMBER}\"\n2,\"{RIGHT_NUMBER}\"\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    r = CliRunner().invoke(cli.app, ["batch", str(src), "-o", str(out), "-a", str(SEED_ARTICLE), "--no-progress"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["label"] == "contradicted" and "(mismatch)" in rows[0]["checks"]
    assert rows[1]["label"] == "supported" and "mismatch" not in rows[1]["checks"]


def test_a_weak_contradiction_with_every_number_matching_becomes_support():
    from verifier.decision import DecisionRule
    from verifier.verdict import Passage

    text = "The separatists said at least 200 people died."
    probs = {Label.SUPPORTED: 0.27, Label.CONTRADICTED: 0.6, Label.NOT_MENTIONED: 0.13}
    p = Passage(text, 0, len(text), (0,), 0.8, probs)
    claim = "The separatists said no fewer than 200 people died."
    assert DecisionRule(check_details=False).decide(claim, [p], text).label is Label.CONTRADICTED
    v = DecisionRule().decide(claim, [p], text)
    assert v.label is Label.SUPPORTED and v.needs_review  # the checks overrode the model
    strong = Passage(text, 0, len(text), (0,), 0.8, {Label.SUPPORTED: 0.05, Label.CONTRADICTED: 0.9,
                                                      Label.NOT_MENTIONED: 0.05})
    assert DecisionRule().decide(claim, [strong], text).label is Label.CONTRADICTED


def test_missing_details_of_blocking_kinds_keep_a_passage_from_supporting(monkeypatch):
    import verifier.details.rule as rule_module
    from verifier.decision import DecisionRule
    from verifier.verdict import Passage

    article = "Talks were held on Monday. Talks were held in Geneva on Monday."
    sure, other = {Label.SUPPORTED: 0.9, Label.CONTRADICTED: 0.05, Label.NOT_MENTIONED: 0.05}, \
        {Label.SUPPORTED: 0.7, Label.CONTRADICTED: 0.1, Label.NOT_MENTIONED: 0.2}
    first = Passage(article[:26], 0, 26, (0,), 0.8, sure)
    second = Passage(article[27:], 27, len(article), (1,), 0.7, other)
    claim = "Talks were held in Geneva on Monday."
    assert DecisionRule().decide(claim, [first, second], article).passage is first  # default: no blocking
    monkeypatch.setattr(rule_module, "BLOCK_SUPPORT", frozenset({"name"}))
    v = DecisionRule().decide(claim, [first, second], article)
    assert v.label is Label.SUPPORTED and v.passage.start == 27  # the passage that names Geneva
    assert DecisionRule().decide(claim, [first], article).label is Label.NOT_MENTIONED


SURE_C = {Label.SUPPORTED: 0.05, Label.CONTRADICTED: 0.85, Label.NOT_MENTIONED: 0.1}


@pytest.mark.parametrize("claim, article, label", [
    # the passage is about someone else: the article does not report what the claim's subject did
    ("Jonas Weller visited the exhibition centre on Sunday.",
     "Elena Sorin met the mayors at the exhibition centre on Sunday.", Label.NOT_MENTIONED),
    ("The Red Cross set up the shelter at the exhibition centre.",
     "Volunteers set up a shelter for 400 people at the exhibition centre.", Label.NOT_MENTIONED),
    # the passage names the subject, or names it just before: the model's contradiction stands
    ("Jonas Weller visited the exhibition centre on Sunday.",
     "Jonas Weller stayed in Lenhold on Sunday.", Label.CONTRADICTED),
    ("Jonas Weller visited the exhibition centre on Sunday.",
     "Jonas Weller spoke first. He stayed in Lenhold on Sunday.", Label.CONTRADICTED),
    # another holder of the claim's title is a contradiction (a matched role)
    ("Jonas Weller is the mayor of Lenhold.", "Anna Brix is the mayor of Lenhold.", Label.CONTRADICTED),
    # a subject that is not a name of two capitalised words, or a name further into the claim
    ("Volunteers set up the shelter at the exhibition centre.",
     "The Red Cross set up a shelter at the school.", Label.CONTRADICTED),
    ("On Sunday the mayors met Jonas Weller at the exhibition centre.",
     "On Sunday the mayors met Elena Sorin at the fire station.", Label.CONTRADICTED),
])
def test_a_passage_that_does_not_name_the_claims_subject_cannot_contradict(claim, article, label):
    from verifier.decision import DecisionRule
    from verifier.verdict import Passage

    start = article.rfind(". ") + 2 if ". " in article else 0
    p = Passage(article[start:], start, len(article), (0,), 0.8, SURE_C)
    assert DecisionRule(check_details=False).decide(claim, [p], article).label is Label.CONTRADICTED
    v = DecisionRule().decide(claim, [p], article)
    assert v.label is label
    if label is Label.NOT_MENTIONED:
        assert v.needs_review and not v.passage.is_evidence  # the checks overrode the model


@pytest.mark.parametrize("passage, outcome, label", [
    # the date is of another party's event: not comparable, and the model's contradiction cannot stand
    ("The bridge has been maintained since 2011 by a private company, Brannock Civil Works.",
     "not_comparable", Label.NOT_MENTIONED),
    # the subject is named: the same slot, a mismatch
    ("Gregor Halloway has led Brannock Civil Works since 2011.", "mismatch", Label.CONTRADICTED),
])
def test_a_date_of_a_passage_that_does_not_name_the_subject_is_not_comparable(passage, outcome, label):
    from verifier.decision import DecisionRule
    from verifier.verdict import Passage

    claim = "Gregor Halloway has led Brannock Civil Works since 2015."
    v = DecisionRule().decide(claim, [Passage(passage, 0, len(passage), (0,), 0.8, SURE_C)], passage)
    assert [c.outcome for c in v.checks if c.kind == "date"] == [outcome]
    assert v.label is label


LEAD = ("A wildfire that broke out in the hills north of Orvante on Monday afternoon had burned about 6,800 "
        "hectares, forcing some 4,200 people to leave their homes.")


@pytest.mark.parametrize("claim, passage, kind, outcome, label", [
    # a claim about another event: the article's event's details are not comparable with it
    ("Another wildfire broke out near Orvante on Tuesday.", LEAD, "weekday", "not_comparable", Label.NOT_MENTIONED),
    ("A second wildfire forced 400 people to leave their homes.", LEAD, "quantity", "not_comparable",
     Label.NOT_MENTIONED),
    ("The 2017 fire in the hills north of Orvante forced 400 people to leave their homes.", LEAD, "quantity",
     "not_comparable", Label.NOT_MENTIONED),
    # the claim's year is the passage's: the same event, a mismatch
    ("The 2017 fire in the hills forced 400 people to leave their homes.",
     "In 2017 a fire in the hills forced 4,200 people to leave their homes.", "quantity", "mismatch",
     Label.CONTRADICTED),
    # the article's own event
    ("A wildfire broke out north of Orvante on Tuesday.", LEAD, "weekday", "mismatch", Label.CONTRADICTED),
])
def test_details_of_another_event_are_not_comparable(claim, passage, kind, outcome, label):
    from verifier.decision import DecisionRule
    from verifier.verdict import Passage

    probs = {Label.SUPPORTED: 0.3, Label.CONTRADICTED: 0.1, Label.NOT_MENTIONED: 0.6}
    v = DecisionRule().decide(claim, [Passage(passage, 0, len(passage), (0,), 0.8, probs)], passage)
    assert [c.outcome for c in v.checks if c.kind == kind] == [outcome]
    assert v.label is label
