"""Share checks (verifier.details.shares): 'the majority of X were Y' against counts of X and Y."""

from __future__ import annotations

import pytest
from fakes import FakeEmbedder, FakeNLI

from verifier import Verifier
from verifier.details import check_details
from verifier.details.shares import shares
from verifier.labels import Label

COUNTS = "Russian forces confirmed the evacuation of 3,154 people, including 1,428 children, to safety."


@pytest.mark.parametrize("claim, part, whole, low, high", [
    ("Children made up the majority of the people evacuated.", "child", "person", 0.5, 1.0),
    ("Most of the 200 people killed were soldiers.", "soldier", "person", 0.5, 1.0),
    ("Women were a minority of the voters.", "woman", "voter", 0.0, 0.5),
    ("Less than half of the residents were farmers.", "farmer", "resident", 0.0, 0.5),
])
def test_a_claimed_share_is_an_interval_of_part_over_whole(claim, part, whole, low, high):
    [s] = shares(claim)
    assert (s.part, s.whole, s.low, s.high) == (part, whole, low, high)


def test_no_share_without_a_part_and_a_whole():
    assert shares("Most people were evacuated.") == []  # no 'of': not a share of a counted group
    assert shares("A majority of lawmakers voted for the bill.") == []


@pytest.mark.parametrize("claim, outcome", [
    ("Children made up the majority of the people evacuated.", "mismatch"),  # 1,428 of 3,154
    ("Most of the people evacuated were children.", "mismatch"),
    ("Children made up a minority of the people evacuated.", "match"),
])
def test_the_passage_counts_decide(claim, outcome):
    [check] = [c for c in check_details(claim, COUNTS, offset=10) if c.kind == "share"]
    assert check.outcome == outcome
    assert COUNTS[check.passage_start - 10:check.passage_end - 10] == check.passage_text == (
        "3,154 people, including 1,428 children")
    assert claim[check.claim_start:check.claim_end] == check.claim_text


def test_counts_in_different_sentences_or_of_other_nouns_are_not_compared():
    claim = "Children made up the majority of the people evacuated."
    assert [c for c in check_details(claim, "3,154 people were evacuated. Later 1,428 children came.")
            if c.kind == "share"] == []
    assert [c for c in check_details(claim, "3,154 people, including 1,428 soldiers, left.") if c.kind == "share"] == []


def test_a_share_the_counts_rule_out_contradicts_the_claim():
    article = "Talks began on Monday.\n" + COUNTS + "\n"
    claim = "Children made up the majority of the people evacuated by Russian forces."
    v = Verifier(nli=FakeNLI(), embedder=FakeEmbedder()).verify(claim, article)
    assert v.label is Label.CONTRADICTED
    [bad] = [c for c in v.checks if c.outcome == "mismatch"]
    assert bad.kind == "share"
    assert article[bad.passage_start:bad.passage_end] == "3,154 people, including 1,428 children"
