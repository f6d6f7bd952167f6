"""Negation checks (verifier.details.negation): a word one side negates and the other states."""

from __future__ import annotations

import pytest
from fakes import FakeEmbedder, FakeNLI

from verifier import Verifier
from verifier.decision import DecisionRule
from verifier.details import check_details
from verifier.details.negation import words
from verifier.labels import Label


def negated(text):
    return [text[w.start:w.end] for w in words(text) if w.negated]


def test_a_negator_negates_the_next_content_word_and_one_after_in_or_to():
    assert negated("His country did not participate in drafting the agreement.") == [
        "not participate", "not participate in drafting"]
    assert negated("Yerevan hasn’t had an army there since 2021.") == ["n’t had an army"]
    assert negated("There is no doubt that it is an internal matter.") == ["no doubt"]
    assert negated("He has never even been to Baku.") == ["never even been to Baku"]  # filler words skipped
    # bounds and contrasts are no denial
    assert negated("No fewer than 200 people died, not only soldiers.") == []


@pytest.mark.parametrize("claim, passage, claim_text, passage_text", [
    ("Pashinyan said Armenia helped draft the ceasefire agreement.",
     "Pashinyan confirmed that his country did not participate in drafting the ceasefire agreement.",
     "draft", "not participate in drafting"),
    ("Peskov cast doubt on whether Karabakh is an internal matter for Azerbaijan.",
     "Peskov said that there is no doubt that Karabakh is an internal matter for Azerbaijan.",
     "doubt", "no doubt"),
    ("The peacekeepers recorded no violation of the ceasefire.",
     "The peacekeepers recorded several violations of the ceasefire on Monday.",
     "no violation", "violations"),
])
def test_one_side_negating_what_the_other_states_is_a_mismatch(claim, passage, claim_text, passage_text):
    [check] = [c for c in check_details(claim, passage) if c.kind == "negation"]
    assert check.outcome == "mismatch"
    assert (claim[check.claim_start:check.claim_end], passage[check.passage_start:check.passage_end]) == (
        claim_text, passage_text)


@pytest.mark.parametrize("claim, passage", [
    # both sides negate something: left to the model
    ("Pashinyan said his country took no part in drafting the agreement.",
     "Pashinyan said his country did not participate in drafting the agreement."),
    ("Armenia has had no army in the enclave since 2021.", "Yerevan hasn’t had an army in the enclave since 2021."),
    # a negated word in a sentence about something else
    ("The government carried out the reform.", "The government did not delay the reform."),
    ("Flights were suspended during the fighting.", "No doubt the fighting was fierce, residents said of the night."),
    # a bound, not a denial
    ("At least 200 people died.", "No fewer than 200 people died."),
    # a negation and an opposite say the same: "not found alive" is "found dead"
    ("The firefighter was not found alive.", "The firefighter was found dead on Sunday."),
    ("The firefighter was found dead.", "The firefighter was not found alive, police said."),
    ("Prices did not rise in March.", "Prices fell in March."),
])
def test_no_mismatch_when_both_negate_or_the_negated_word_is_not_the_claims(claim, passage):
    assert [c for c in check_details(claim, passage) if c.kind == "negation"] == []


def test_a_negated_passage_turns_the_models_support_into_a_contradiction():
    article = "Talks began on Monday.\nPashinyan confirmed that his country did not help draft the ceasefire text.\n"
    claim = "Pashinyan confirmed that his country helped draft the ceasefire text."
    plain = Verifier(nli=FakeNLI(), embedder=FakeEmbedder(), rule=DecisionRule(check_details=False))
    assert plain.verify(claim, article).label is Label.SUPPORTED  # the fake model reads every word as support
    v = Verifier(nli=FakeNLI(), embedder=FakeEmbedder()).verify(claim, article)
    assert v.label is Label.CONTRADICTED
    [bad] = [c for c in v.checks if c.outcome == "mismatch"]
    assert (bad.kind, article[bad.passage_start:bad.passage_end]) == ("negation", "not help")
    assert bad.explanation == "negation: claim helped, article not help (mismatch)"


def test_a_claim_without_numbers_dates_or_names_still_gets_its_negation_check():
    article = "Talks began on Monday.\nThe peacekeepers recorded no violation of the ceasefire.\n"
    claim = "Peacekeepers recorded violations of the ceasefire."
    v = Verifier(nli=FakeNLI(), embedder=FakeEmbedder()).verify(claim, article)
    assert v.label is Label.CONTRADICTED
    assert [(c.kind, c.passage_text) for c in v.checks] == [("negation", "no violation")]
