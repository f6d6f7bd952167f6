"""Rank checks (verifier.details.ranks): a superlative the passage ranks otherwise. The pipeline
test on fakes is in test_opposites.py."""

from __future__ import annotations

import pytest

from verifier.details import check_details


def ranks(claim, passage):
    return [(c.claim_text, c.passage_text, c.outcome) for c in check_details(claim, passage) if c.kind == "rank"]


@pytest.mark.parametrize("claim, passage, claim_text, passage_text", [
    ("The Port of Halvik is the country's largest port.",
     "The Port of Halvik is the country's second-largest port, handling 28 million tonnes.", "largest",
     "second-largest"),
    ("Dorvik airport is the second busiest in the region.", "Dorvik airport is the busiest in the region.",
     "second busiest", "busiest"),
    ("Kaldon is the third-richest province.", "Kaldon is the second richest province after the capital.",
     "third-richest", "second richest"),
])
def test_another_rank_of_the_same_superlative_is_a_mismatch(claim, passage, claim_text, passage_text):
    assert ranks(claim, passage) == [(claim_text, passage_text, "mismatch")]
    [check] = [c for c in check_details(claim, passage, offset=3) if c.kind == "rank"]
    assert claim[check.claim_start:check.claim_end] == claim_text
    assert passage[check.passage_start - 3:check.passage_end - 3] == passage_text


@pytest.mark.parametrize("claim, passage", [
    # the same rank, written another way
    ("Halvik is the country's second largest port.", "Halvik is the country's second-largest port."),
    # a negation on either side: "not the largest" agrees with "second-largest"
    ("Halvik is not the country's largest port.", "Halvik is the country's second-largest port."),
    # another superlative, or the same one in a sentence about something else
    ("Halvik is the country's oldest port.", "Halvik is the country's second-largest port."),
    ("Halvik is the country's largest port.", "Brenholm has the second-largest car factory in the north."),
    # the passage ranks it both ways: left to the model
    ("Halvik is the largest port.", "Halvik is the largest port by area and the second-largest port by cargo."),
])
def test_no_mismatch_for_the_same_rank_a_negation_or_another_statement(claim, passage):
    assert ranks(claim, passage) == []
