"""Detail extraction and checks (verifier.details): one test per kind and per outcome."""

from __future__ import annotations

import math

import pytest

from verifier.details import check_details, extract
from verifier.details.align import MATCH, MISMATCH, MISSING, NOT_COMPARABLE, Check


def only(text, kind):
    found = [d for d in extract(text) if d.kind == kind]
    assert len(found) == 1, found
    return found[0]


def outcomes(claim, passage, kind=None):
    return [c.outcome for c in check_details(claim, passage) if kind is None or c.kind == kind]


@pytest.mark.parametrize("text, low, high, key", [
    ("They moved more than 2,000 people.", 2000, math.inf, "person"),
    ("At least 120 children were hurt.", 120, math.inf, "child"),
    ("fewer than 30 people came", -math.inf, 30, "person"),
    ("up to 40 trucks", -math.inf, 40, "truck"),
    ("about 1,400 children", 1190, 1610, "child"),
    ("nearly 300 kilometres away", 255, 300, "km"),
    ("2.5 million people", 2.5e6 * 0.95, 2.5e6 * 1.05, "person"),
    ("twenty-five soldiers", 25, 25, "soldier"),
    ("a fortnight later", 336, 336, "duration"),
    ("three days", 72, 72, "duration"),
    ("a 58-year-old farmer", 58, 58, "year-old"),
    ("the driver, aged 34, was", 34, 34, "year-old"),
    ("He is 71 years old.", 71, 71, "year-old"),
    ("up to 50,000 euros to each family", -math.inf, 50000, "€ each"),
    ("20 litres per person", 20, 20, "litre each"),
])
def test_quantities_are_intervals_with_their_noun(text, low, high, key):
    q = only(text, "quantity")
    assert q.key == key
    assert q.low == pytest.approx(low, rel=1e-6, abs=1e-6) and q.high == pytest.approx(high, rel=1e-6, abs=1e-6)
    assert text[q.start:q.end] == q.surface


def test_bare_numbers_and_adjectives_before_the_noun():
    assert [d for d in extract("In 2020, page 3 was torn.") if d.kind == "quantity"] == []
    assert only("About 100 Azerbaijani soldiers were killed.", "quantity").key == "soldier"


def test_dates_times_weekdays_directions_and_names():
    text = "On Monday, 3 March 2021, at 14:30 GMT, talks began in Geneva, 20 km north of the capital."
    assert only(text, "date").parts == (2021, 3, 3)
    assert only("since May 2019", "date").parts == (2019, 5, 0)
    assert only("September 20-2023", "date").parts == (2023, 9, 20)
    t = only(text, "time")
    assert (t.low, t.key) == (14 * 60 + 30, "GMT")
    assert only(text, "weekday").low == 0
    d = only(text, "direction")
    assert d.key == "capita" and d.parts[0] == 1
    assert "Geneva" in [x.surface for x in extract(text) if x.kind == "name"]


@pytest.mark.parametrize("claim, passage, expected", [
    ("more than 2,000 people were moved", "2,480 people were moved", MATCH),
    ("24,800 people were moved", "2,480 people were moved", MISMATCH),
    ("fewer than 30 people died", "at least 120 people died", MISMATCH),
    ("about 100 people died", "more than 50 people died", NOT_COMPARABLE),
    ("12 trucks arrived", "300 people arrived", MISSING),
    ("police detained a 48-year-old farmer", "police detained a 58-year-old farmer", MISMATCH),
    # an amount for each family is not the fund's total
    ("the fund will pay up to 50,000 euros to each family", "a 15 million euro fund for families", MISSING),
    ("the operation lasted roughly one day", "the operation ended after 24 hours", MATCH),
    ("the operation lasted about a week", "the operation ended after 24 hours", MISMATCH),
])
def test_quantity_checks(claim, passage, expected):
    assert outcomes(claim, passage, "quantity") == [expected]


def test_quantity_mismatch_needs_a_sentence_about_the_same_thing():
    claim = "Rebuilding the collapsed section is expected to cost 60 million euros."
    other = "The work, budgeted at 4.6 million euros, had been due to begin in May."
    assert outcomes(claim, other, "quantity") == [NOT_COMPARABLE]
    same = "Rebuilding the collapsed section will cost 4.6 million euros, officials expect."
    assert outcomes(claim, same, "quantity") == [MISMATCH]


def test_weekday_mismatch_needs_the_same_event():
    same = "The meeting in Yevlakh between the two sides will take place on Thursday."
    assert outcomes("The meeting in Yevlakh between the two sides was set for Friday.", same, "weekday") == [MISMATCH]
    other = "Markets reopened on Thursday."
    claim = "The meeting in Yevlakh between the two sides was set for Friday."
    assert outcomes(claim, other, "weekday") == [NOT_COMPARABLE]
    assert outcomes("It began on a Tuesday.", "On Tuesday, it began.", "weekday") == [MATCH]


def test_time_date_direction_checks():
    passage = "A ceasefire took effect at 13:00 (09:00 GMT) on September 20, 2023, in Yevlakh, 295 km west of Baku."
    assert outcomes("The ceasefire took effect at 09:00 GMT.", passage, "time") == [MATCH]
    assert outcomes("The ceasefire took effect at 13:00 GMT.", passage, "time") == [MISMATCH]
    assert outcomes("The ceasefire took effect on September 20, 2023.", passage, "date") == [MATCH]
    assert outcomes("The ceasefire took effect on September 21, 2023.", passage, "date") == [MISMATCH]
    assert outcomes("Yevlakh is east of Baku.", passage, "direction") == [MISMATCH]
    assert outcomes("Yevlakh is west of Baku.", passage, "direction") == [MATCH]
    assert outcomes("Yevlakh is west of Ganja.", passage, "direction") == [MISSING]


def test_year_mismatch_with_the_same_preposition():
    assert outcomes("Peacekeepers have been stationed in the region since 2015.",
                    "These forces have been deployed since late 2020 in the region.", "date") == [MISMATCH]


def test_names_match_demonyms_and_pronoun_context():
    assert outcomes("Armenia said so.", "The Armenian side said so.", "name") == [MATCH]
    found = check_details("Talks were held in Vienna.", "Talks were held in Geneva.")
    vienna = [c for c in found if c.claim_text == "Vienna"]
    assert [c.outcome for c in vienna] == [MISSING]
    checks = check_details("Pashinyan is blamed.", "They blame him.", context="Critics of Pashinyan spoke.")
    assert [c.outcome for c in checks] == [MATCH] and "just before" in checks[0].explanation


def test_check_offsets_point_into_the_article_and_round_trip():
    article = "Intro. Russian forces confirmed the evacuation of 3,154 people, including 1,428 children."
    start = article.index("Russian")
    checks = check_details("About 1,400 children were evacuated by Russian forces.", article[start:], start)
    for c in checks:
        assert article[c.passage_start:c.passage_end] == c.passage_text
        assert Check.from_dict(c.to_dict()) == c
    number = next(c for c in checks if c.kind == "quantity")
    assert number.explanation == "number: claim About 1,400 children, article 1,428 children"


def test_a_bound_date_is_compared_only_with_the_same_bound():
    passage = "The virus was found in France in January 2020."
    assert outcomes("The virus was present in France as early as December 2019.", passage, "date") == [NOT_COMPARABLE]
    assert outcomes("The virus was found in France in December 2019.", passage, "date") == [MISMATCH]


RANDOM_WORDS = ("not no never n't the majority of most people children were made up in at talks Armenia's defeat "
                "for Azerbaijan Armenian 3,154 1,428 including , . ; “ ” who which did participate drafting Vienna "
                "meeting held on Monday 3 March 2021 14:30 GMT north of the capital")


def test_every_check_span_is_exact_on_random_text():
    import random

    rng = random.Random(1)
    words = RANDOM_WORDS.split()
    for _ in range(300):
        claim = " ".join(rng.choice(words) for _ in range(rng.randint(1, 25)))
        passage = " ".join(rng.choice(words) for _ in range(rng.randint(0, 120)))
        for c in check_details(claim, passage, offset=7):
            assert claim[c.claim_start:c.claim_end] == c.claim_text
            if c.passage_start >= 0:
                assert passage[c.passage_start - 7:c.passage_end - 7] == c.passage_text


def test_a_claims_first_word_is_a_name_only_when_it_looks_like_one():
    from verifier.details.extract import claim_details

    article = "Officials in Geneva met Azerbaijan's envoy as drug use rose."

    def names(claim):
        return [d.surface for d in claim_details(claim, article) if d.kind == "name"]

    assert names("Scientists found traces in Geneva.") == ["Geneva"]  # a word the article does not have
    assert names("Drug addicts met in Geneva.") == ["Geneva"]  # the article writes it in lower case
    assert names("Azerbaijan sent an envoy.") == ["Azerbaijan"]  # the article names it
    assert names("COVID-19 spread in Geneva.") == ["COVID-19", "Geneva"]  # does not look like any word
    assert names("European Union officials met.") == ["European Union"]  # two capitalised words


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011"])
def test_a_unicode_hyphen_keeps_a_name_whole(hyphen):
    text = f"The number of COVID{hyphen}19 deaths in the U.S. rose."
    found = [(d.kind, d.surface) for d in extract(text)]
    assert ("name", f"COVID{hyphen}19") in found
    assert not any(kind == "quantity" for kind, _ in found)  # not "19 deaths"
    for d in extract(text):
        assert text[d.start:d.end] == d.surface


def test_a_part_of_a_counted_whole_is_a_quantity_of_the_same_noun():
    passage = ("Under the deal, the operator may introduce automated cranes at two of the port's five container "
               "terminals from next year.")
    found = [(d.surface, d.key, d.low) for d in extract(passage) if d.kind == "quantity"]
    assert ("two of the port's five container", "container", 2.0) in found
    assert ("five container", "container", 5.0) in found
    assert [c.outcome for c in check_details("Cranes may come to two container terminals.", passage)
            if c.kind == "quantity"] == [MATCH]
    assert [c.outcome for c in check_details("Cranes may come to three container terminals.", passage)
            if c.kind == "quantity"] == [MISMATCH]
    # a number word opening a sentence is a count, not a name
    assert [(d.kind, d.surface) for d in extract("Three of the 12 victims were children.")] == [
        ("quantity", "Three of the 12 victims"), ("quantity", "12 victims")]


@pytest.mark.parametrize("claim, expected", [
    # the claim's time is the earlier value's: a mismatch of the pairing
    ("About 40% of the fire's perimeter was under control on Tuesday evening.",
     [("Tuesday", "up from 15% on Tuesday evening")]),
    # number and time of one state, either state
    ("About 15% of the perimeter was under control on Tuesday evening.", []),
    ("About 40% of the fire's perimeter was under control on Wednesday.", []),
])
def test_a_number_and_a_time_of_different_states_are_an_earlier_mismatch(claim, expected):
    passage = ("On Wednesday she said about 40% of the fire's perimeter was under control, up from 15% on "
               "Tuesday evening.")
    found = [(c.claim_text, c.passage_text) for c in check_details(claim, passage) if c.kind == "earlier"]
    assert found == expected
    assert all(c.outcome == MISMATCH for c in check_details(claim, passage) if c.kind == "earlier")


def test_a_claim_that_gives_both_states_gets_no_earlier_check():
    passage = "She said about 40% of the perimeter was under control, up from 15% on Tuesday evening."
    claim = "The share of the perimeter under control rose from 15% on Tuesday evening to about 40%."
    assert [c for c in check_details(claim, passage) if c.kind == "earlier"] == []
