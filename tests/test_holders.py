"""Holder checks (verifier.details.holders): a title the passage gives to another person."""

from __future__ import annotations

import pytest
from fakes import FakeEmbedder, FakeNLI

from verifier import Verifier
from verifier.decision import DecisionRule
from verifier.details import check_details
from verifier.details.holders import holders
from verifier.labels import Label


def checks(claim, passage, context=""):
    return [(c.claim_text, c.passage_text, c.outcome) for c in check_details(claim, passage, context=context)
            if c.kind == "holder"]


@pytest.mark.parametrize("text, expected", [
    ("Nordhaven's chief executive, Pieter Vandaal, said the company had not changed.",
     ("Pieter Vandaal", "chief executive", "Nordhaven")),
    ("Its general secretary, Maria Oksanen, said the deal was fair.", ("Maria Oksanen", "general secretary", "")),
    ("The transport minister, Lukas Ferren, called both sides to talks.", ("Lukas Ferren", "transport minister", "")),
    ("Jonas Weller, the mayor of Lenhold, said the river had peaked.", ("Jonas Weller", "mayor", "Lenhold")),
    ("Anna Brix is the mayor of Lenhold.", ("Anna Brix", "mayor", "Lenhold")),
    ("Prime Minister Elena Sorin visited Dorvik on Monday.", ("Elena Sorin", "prime minister", "")),
])
def test_holders_read_the_shapes_news_uses(text, expected):
    [h] = holders(text)
    assert (h.name, h.title, h.org) == expected


UNION = "The union had demanded a 12% increase. "
SECRETARY = "Its general secretary, Maria Oksanen, said the deal was fair."


def test_another_holder_of_the_same_title_is_a_mismatch_and_the_same_one_a_match():
    claim = "Pieter Vandaal is the general secretary of the Coastal Transport Union."
    assert checks(claim, SECRETARY, context=UNION) == [(claim[:-1], "Its general secretary, Maria Oksanen", "mismatch")]
    same = "Maria Oksanen is the general secretary of the Coastal Transport Union."
    assert checks(same, SECRETARY, context=UNION) == [(same[:-1], "Its general secretary, Maria Oksanen", "match")]


@pytest.mark.parametrize("claim, passage, context", [
    # "Its" with no word of the claim's organisation just before: maybe another organisation's
    ("Pieter Vandaal is the general secretary of the Coastal Transport Union.", SECRETARY, "Ships waited. "),
    # a capitalised title with no organisation: maybe another country's president
    ("Vladimir Putin is the president of Russia.", "President Barack Obama spoke to him.", "Russia said. "),
    # another organisation named
    ("Jonas Weller is the mayor of Lenhold.", "Anna Brix, the mayor of Dorvik, said the river had peaked.", ""),
    # another title
    ("Pieter Vandaal is the general secretary of the union.", "Its chief executive, Maria Oksanen, said so.", UNION),
    ("Pieter Vandaal is the secretary of the union.", SECRETARY, UNION),
])
def test_no_holder_check_for_another_organisation_or_title(claim, passage, context):
    assert checks(claim, passage, context) == []


def test_another_holder_turns_the_models_silence_into_a_contradiction():
    article = "The union had demanded a 12% increase.\nIts general secretary, Maria Oksanen, said the deal was fair.\n"
    claim = "Pieter Vandaal is the general secretary of the union."
    plain = Verifier(nli=FakeNLI(), embedder=FakeEmbedder(), rule=DecisionRule(check_details=False))
    assert plain.verify(claim, article).label is Label.NOT_MENTIONED
    v = Verifier(nli=FakeNLI(), embedder=FakeEmbedder()).verify(claim, article)
    assert v.label is Label.CONTRADICTED
    [bad] = [c for c in v.checks if c.outcome == "mismatch"]
    assert bad.kind == "holder" and article[bad.passage_start:bad.passage_end] == "Its general secretary, Maria Oksanen"
    assert bad.explanation == ("holder: claim Pieter Vandaal is the general secretary, "
                               "article Its general secretary, Maria Oksanen (mismatch)")
