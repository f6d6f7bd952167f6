"""Role checks (verifier.details.roles): which party a noun belongs to, claim against passage."""

from __future__ import annotations

from fakes import FakeEmbedder, FakeNLI

from verifier import Verifier
from verifier.decision import DecisionRule
from verifier.details import check_details
from verifier.details.roles import MEETING_PLACE, compare, sides
from verifier.labels import Label


def ties(text):
    return {(s.head, s.party) for s in sides(text)}


def test_the_three_shapes_tie_a_noun_to_a_party():
    assert ("defea", "armen") in ties("The war ended with Armenia's defeat.")
    assert ("defea", "azerb") in ties("The war ended in defeat for Azerbaijan.")
    assert ("soldi", "russi") in ties("Russian soldiers were killed.")
    # a title passes its party on: the adviser is the president's, the president Azerbaijan's
    assert ("advis", "azerb") in ties("Azerbaijani President's Advisor Hikmet Hajiyev spoke.")
    assert ("advis", "armen") in ties("Hajiyev is an adviser to the Armenian prime minister.")


def test_a_meeting_place_only_in_a_sentence_about_a_meeting_and_never_a_month():
    assert (MEETING_PLACE, "yevla") in ties("The talks will be held in the city of Yevlakh.")
    assert (MEETING_PLACE, "yevla") in ties("In Yevlakh, the two sides met for talks.")
    assert not [s for s in sides("Prices rose in Yerevan.") if s.head == MEETING_PLACE]
    assert not [s for s in sides("The talks were held in January.") if s.head == MEETING_PLACE]


def test_same_party_in_another_shape_matches_and_another_party_does_not():
    [(_, _, same)] = compare("The war ended in defeat for Armenia.", "The war ended with Armenia's defeat.")
    assert same
    [(c, p, same)] = compare("The war ended in defeat for Azerbaijan.", "The war ended with Armenia's defeat.")
    assert not same and (c.head, c.party, p.party) == ("defea", "azerb", "armen")
    # 'Karabakh' and 'Nagorno-Karabakh' are one party
    assert all(same for *_, same in compare("Karabakh's leaders agreed.", "Nagorno-Karabakh's leaders agreed."))
    # a noun the passage does not tie to anyone is not compared
    assert compare("The war ended in defeat for Azerbaijan.", "The war ended in a defeat.") == []


def test_a_role_mismatch_is_a_check_with_both_spans():
    claim = "The war ended in defeat for Azerbaijan."
    passage = "Fighting stopped. The war ended with Armenia's defeat."
    [check] = [c for c in check_details(claim, passage, offset=100) if c.kind == "role"]
    assert check.outcome == "mismatch"
    assert claim[check.claim_start:check.claim_end] == check.claim_text == "defeat for Azerbaijan"
    assert passage[check.passage_start - 100:check.passage_end - 100] == check.passage_text == "Armenia's defeat"
    assert check.explanation == "role: claim defeat for Azerbaijan, article Armenia's defeat (mismatch)"


def test_a_different_party_in_a_sentence_about_something_else_is_no_mismatch():
    claim = "The war ended in defeat for Azerbaijan."
    passage = "Fans celebrated the football team after Armenia's defeat in Paris on Sunday evening."
    assert [c for c in check_details(claim, passage) if c.kind == "role"] == []


def test_a_swapped_party_turns_the_models_support_into_a_contradiction():
    article = "Peace talks began on Monday.\nIn 2020 the war ended with Armenia's defeat and Azerbaijan's victory.\n"
    claim = "In 2020 the war ended with Azerbaijan's defeat."
    plain = Verifier(nli=FakeNLI(), embedder=FakeEmbedder(), rule=DecisionRule(check_details=False))
    assert plain.verify(claim, article).label is Label.SUPPORTED  # the fake model reads every word as support
    v = Verifier(nli=FakeNLI(), embedder=FakeEmbedder()).verify(claim, article)
    assert v.label is Label.CONTRADICTED
    [bad] = [c for c in v.checks if c.outcome == "mismatch"]
    assert (bad.kind, bad.claim_text, article[bad.passage_start:bad.passage_end]) == (
        "role", "Azerbaijan's defeat", "Armenia's defeat")
    right = Verifier(nli=FakeNLI(), embedder=FakeEmbedder()).verify("In 2020 the war ended with Armenia's defeat.",
                                                                      article)
    assert right.label is Label.SUPPORTED
    assert [c.outcome for c in right.checks if c.kind == "role"] == ["match"]


def test_the_meeting_place_of_the_issue_vienna_against_geneva():
    claim = "The foreign ministers held their talks in Vienna."
    passage = "The foreign ministers held their talks in Geneva on Monday."
    assert [(c.kind, c.outcome, c.passage_text) for c in check_details(claim, passage) if c.kind == "role"] == [
        ("role", "mismatch", "in Geneva")]
    assert [c.outcome for c in check_details(claim, "The talks were in Vienna.") if c.kind == "role"] == ["match"]
