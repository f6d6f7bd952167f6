"""Tally checks (verifier.details.tallies): a vote count the passage gives to the other side. The
pipeline test on fakes is in test_opposites.py."""

from __future__ import annotations

import pytest

from verifier.details import check_details
from verifier.details.tallies import AGAINST, FOR, counts

ACCEPTED = "Members of the union voted 2,316 to 874 on Tuesday evening to accept a new contract."


def tallies(claim, passage):
    return [(c.claim_text, c.passage_text, c.outcome) for c in check_details(claim, passage) if c.kind == "tally"]


@pytest.mark.parametrize("text, expected", [
    (ACCEPTED, [(2316, FOR), (874, AGAINST)]),
    ("The union vote was 874 in favour of the contract and 2,316 against.", [(874, FOR), (2316, AGAINST)]),
    ("The motion was defeated by 300 votes to 250.", [(300, AGAINST), (250, FOR)]),  # a rejection: first is against
    ("Lawmakers voted 61-38 to reject the bill.", [(61, AGAINST), (38, FOR)]),
    ("In a 5-4 vote, the court upheld the law.", [(5, FOR), (4, AGAINST)]),
    ("About 1,200 members voted to accept the offer, while 300 voted against.", [(1200, FOR), (300, AGAINST)]),
    ("The referendum passed with 60 percent to 40 percent.", [(60, FOR), (40, AGAINST)]),
    # no vote in the sentence: a range, not a tally
    ("The strike lasted 3 to 5 days.", []),
    ("Prices rose 2,316 to 874 points.", []),
])
def test_counts_read_both_shapes_with_their_sides(text, expected):
    assert [(c.value, c.side) for c in counts(text)] == expected


@pytest.mark.parametrize("claim, claim_texts", [
    ("The union vote was 874 in favour of the contract and 2,316 against.", ["874 in favour", "2,316 against"]),
    ("Members of the union voted 874 to 2,316 to accept the contract.", ["874 to 2,316"]),
    ("2,316 members voted against the contract.", ["2,316 members voted against"]),
])
def test_a_count_given_to_the_other_side_is_a_mismatch(claim, claim_texts):
    assert tallies(claim, ACCEPTED) == [(t, "2,316 to 874", "mismatch") for t in claim_texts]
    check = next(c for c in check_details(claim, ACCEPTED, offset=5) if c.kind == "tally")
    assert claim[check.claim_start:check.claim_end] == claim_texts[0]
    assert ACCEPTED[check.passage_start - 5:check.passage_end - 5] == "2,316 to 874"
    assert check.explanation == f"tally: claim {claim_texts[0]}, article 2,316 to 874 (mismatch)"


@pytest.mark.parametrize("claim, outcomes", [
    ("The union vote was 2,316 in favour of the contract and 874 against.", ["match", "match"]),
    ("The contract was accepted by 2,316 votes to 874.", ["match"]),
    ("874 members voted against the contract.", ["match"]),
    # counts the passage does not give, or a claim without a vote: no tally check
    ("The union vote was 900 in favour of the contract and 2,000 against.", []),
    ("The union has 2,316 members.", []),
])
def test_the_same_side_matches_and_other_counts_are_left_out(claim, outcomes):
    assert [o for _, _, o in tallies(claim, ACCEPTED)] == outcomes


def test_a_tally_is_not_a_quantity_of_against():
    # "2,316 against" used to be read as 2,316 of the noun "against", missing from any tally passage
    kinds = {c.kind for c in check_details("The vote was 874 in favour and 2,316 against.", ACCEPTED)}
    assert "quantity" not in kinds
