"""Doer checks (verifier.details.doers): the passage gives the claim's action to another person."""

from __future__ import annotations

import pytest

from verifier.decision import DecisionRule
from verifier.details import check_details
from verifier.labels import Label
from verifier.verdict import Passage

GOVERNOR = ("Regional governor Tomas Verhallen declared a state of emergency on Tuesday and asked the "
            "national government for help.")
UNION = ("Piet Anselm, leader of the firefighters' union, said crews had been working 16-hour shifts. "
         "\"We warned in May that we did not have enough people for the summer,\" he said.")


def doers(claim, passage, context=""):
    return [(c.claim_text, c.passage_text, c.outcome) for c in check_details(claim, passage, context=context)
            if c.kind == "doer"]


@pytest.mark.parametrize("claim, passage, subject, doer", [
    ("Lena Dravic declared a state of emergency on Tuesday.", GOVERNOR, "Lena Dravic", "Tomas Verhallen"),
    # after an apposition, and by "he said" for the person named last
    ("Tomas Verhallen said the fire service had warned in May that it did not have enough people for the summer.",
     UNION, "Tomas Verhallen", "Piet Anselm"),
    ("Anna Brix has opened the new bridge.", "Mayor Jonas Weller opened the new bridge on Friday.", "Anna Brix",
     "Mayor Jonas Weller"),
])
def test_another_person_doing_what_the_claim_says_is_a_mismatch(claim, passage, subject, doer):
    assert doers(claim, passage) == [(subject, doer, "mismatch")]
    [check] = [c for c in check_details(claim, passage, offset=7) if c.kind == "doer"]
    assert claim[check.claim_start:check.claim_end] == subject
    assert passage[check.passage_start - 7:check.passage_end - 7] == doer


@pytest.mark.parametrize("claim, passage, context", [
    # the claim's subject is named in the passage, or just before it ("She said")
    ("Tomas Verhallen declared a state of emergency on Tuesday.", GOVERNOR, ""),
    ("Lena Dravic said about 40% of the perimeter was under control.",
     "She said about 40% of the perimeter was under control.", "Lena Dravic, head of the agency, spoke first."),
    # another verb, another statement, or the other person did not do it
    ("Lena Dravic asked the national government for money.", GOVERNOR.replace("asked", "told"), ""),
    ("Lena Dravic declared the fire under control.", GOVERNOR, ""),
    ("Lena Dravic declared a state of emergency on Tuesday.",
     "Regional governor Tomas Verhallen did not declare a state of emergency on Tuesday.", ""),
    # the claim does not open with a person's name
    ("The governor declared a state of emergency on Tuesday.", GOVERNOR, ""),
])
def test_no_doer_mismatch_when_the_subject_is_there_or_the_statement_differs(claim, passage, context):
    assert doers(claim, passage, context) == []


SURE_S = {Label.SUPPORTED: 0.97, Label.CONTRADICTED: 0.01, Label.NOT_MENTIONED: 0.02}
SURE_C = {Label.SUPPORTED: 0.02, Label.CONTRADICTED: 0.80, Label.NOT_MENTIONED: 0.18}


@pytest.mark.parametrize("claim, passage, probs", [
    # the model reads another speaker's words as support
    ("Tomas Verhallen said the fire service had warned in May that it did not have enough people for the summer.",
     UNION, SURE_S),
    # the model's contradiction stands although the claim's subject is not named (see rule.lacks_subject)
    ("Lena Dravic declared a state of emergency on Tuesday.", GOVERNOR, SURE_C),
])
def test_a_doer_mismatch_makes_the_verdict_contradicted(claim, passage, probs):
    p = Passage(passage, 0, len(passage), (0,), 0.8, probs)
    v = DecisionRule().decide(claim, [p], passage)
    assert v.label is Label.CONTRADICTED
    assert [c.explanation for c in v.checks if c.kind == "doer"] == [
        (f"doer: claim {claim.split(' said')[0].split(' declared')[0]}, article "
        f"{'Piet Anselm' if p.text is UNION else 'Tomas Verhallen'} (mismatch)")]


def test_a_doer_named_before_the_passage_points_into_the_article():
    article = ("Piet Anselm, leader of the firefighters' union, said crews were tired. \"We warned in May that we did "
               "not have enough people for the summer,\" he said. Tomas Verhallen rejected the criticism.")
    start = article.index('"We warned')
    passage = article[start:]
    claim = "Tomas Verhallen said the fire service had warned in May that it did not have enough people for the summer."
    [check] = [c for c in check_details(claim, passage, start, context=article[:start]) if c.kind == "doer"]
    assert (check.outcome, check.claim_text, check.passage_text) == ("mismatch", "Tomas Verhallen", "Piet Anselm")
    assert article[check.passage_start:check.passage_end] == "Piet Anselm"
