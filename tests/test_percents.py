"""What a percentage is of (verifier.details.percents) and shares said as ratios ("four in ten")."""

from __future__ import annotations

import pytest

from verifier.details import check_details
from verifier.details.extract import extract

PRICES = ("Consumer prices rose 5.8% in the year to October, up from 5.1% in September and almost twice the "
          "bank's 3% target. Food prices were 9.4% higher than a year earlier, and rents in the capital rose 7.2%.")
HEADLINE = "Keldor central bank raises main rate to 4.75%, first rise in three years"


def percents(claim, passage):
    return [(c.outcome, c.passage_text) for c in check_details(claim, passage) if c.kind == "quantity"]


@pytest.mark.parametrize("claim, passage, expected", [
    # the percentage of the claim's noun, not the same figure of another noun in the sentence
    ("Rents in the capital rose 9.4% over the year.", PRICES, [("mismatch", "7.2%")]),
    ("Rents in the capital rose 7.2% over the year.", PRICES, [("match", "7.2%")]),
    ("Food prices rose by more than 9% over the year.", PRICES, [("match", "9.4%")]),
    ("The central bank's inflation target is 3%.", PRICES, [("match", "3%")]),
    # no percentage of the claim's noun: another percentage is not comparable ...
    ("The central bank's inflation target is 3%.", HEADLINE, [("not_comparable", "4.75%")]),
    ("Inflation in Keldor was 5.8% in the year to October.", HEADLINE, [("not_comparable", "4.75%")]),
    # ... but one of the same noun is
    ("The central bank raised its main interest rate to 5.25%.", HEADLINE, [("mismatch", "4.75%")]),
    # a clause without a noun of its own is read with the one before it
    ("Wages will rise by another 4% in 2027.", "The deal raises wages by 6% this year and by a further 4% in 2027.",
     [("match", "4%")]),
    ("Wages will rise by another 5% in 2027.", "The deal raises wages by 6% this year and by a further 4% in 2027.",
     [("mismatch", "6%")]),
])
def test_a_percentage_is_compared_with_the_percentage_of_the_same_noun(claim, passage, expected):
    assert percents(claim, passage) == expected


@pytest.mark.parametrize("text, surface, low, high", [
    ("About four in ten mortgages have variable rates.", "About four in ten", 34.0, 46.0),
    ("One in five children was hurt.", "One in five", 17.0, 23.0),
    ("more than one in three households", "more than one in three", 100 / 3, float("inf")),
    ("one out of every five voters", "one out of every five", 17.0, 23.0),
])
def test_ratios_are_read_as_percentages(text, surface, low, high):
    (d,) = [d for d in extract(text) if d.kind == "quantity"]
    assert (d.surface, d.key) == (surface, "%")
    assert d.low == pytest.approx(low, abs=0.01) and d.high == pytest.approx(high)


@pytest.mark.parametrize("text", ["He scored 3 in 10 minutes.", "Three were killed in 2020.", "Four in 40 km."])
def test_numbers_that_are_not_ratios_are_left_alone(text):
    assert not [d for d in extract(text) if d.key == "%"]


def test_a_ratio_is_compared_with_a_percentage():
    passage = "About 40% of the country's mortgages have variable rates, according to the banking association."
    assert percents("About four in ten mortgages have variable rates.", passage) == [("match", "About 40%")]
    assert percents("Two in ten mortgages have variable rates.", passage) == [("mismatch", "About 40%")]
