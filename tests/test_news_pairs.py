"""The rule-based news pair generators: each perturbation on small hand-written sentences.

No model is loaded: the end-to-end test uses the hashed bag-of-words FakeEmbedder.
"""

from __future__ import annotations

import csv
import json
import random
import re

import pytest
from fakes import FakeEmbedder

from verifier.labels import Label
from verifier.training import news_pairs as npairs
from verifier.training.news_pairs import (
    KINDS,
    Doc,
    Entity,
    add_detail,
    bound_rewrite,
    build_news_pairs,
    contrast_pairs,
    drop_clause,
    find_dates,
    find_details,
    find_entities,
    find_numbers,
    k_hard_negative,
    k_negation_copy,
    k_number,
    make_doc,
    negate,
    remove_negation,
    swap_date,
    swap_direction,
    swap_entity,
    swap_number,
)
from verifier.training.news_pairs.docs import _eligible
from verifier.training.news_pairs.entities import _nested

SEEDS = range(12)


def rngs():
    return [random.Random(s) for s in SEEDS]


def value(text: str) -> float:
    return float(text.replace(",", ""))


# ---- numbers -----------------------------------------------------------------------------------


def test_find_numbers_reads_formats_and_skips_non_quantities():
    nums = find_numbers("About 3,154 homes, 13.5% of the town and $2.5 million were lost on Flight 17.")
    assert [(n.text, n.value, n.percent, n.currency) for n in nums] == [
        ("3,154", 3154.0, False, ""), ("13.5", 13.5, True, ""), ("2.5", 2.5, False, "$"), ("17", 17.0, False, ""),
    ]
    assert find_numbers("COVID-19 hit on 9/11 at 10:30 when a 45-year-old man left.") == []


def test_number_swap_uses_another_number_from_the_same_article_and_is_contradicted():
    sentence = "The fire destroyed 3,154 homes in the county."
    article_numbers = ["3,154", "1,200", "2014"]  # 2014 is a year: never used as a count
    for rng in rngs():
        out = swap_number(sentence, article_numbers, rng)
        assert out == "The fire destroyed 1,200 homes in the county."
    doc = Doc("t/1", sentence, [sentence], numbers=article_numbers)
    [(premise, hyp)] = k_number(doc, 0, random.Random(0))
    assert premise == sentence and hyp != sentence
    assert KINDS["news-number-swap"][0] is Label.CONTRADICTED


def test_number_swap_keeps_percent_with_percent():
    sentence = "Unemployment rose to 13.5% last year."
    for rng in rngs():
        out = swap_number(sentence, ["13.5%", "400", "7.2%"], rng)
        assert out == "Unemployment rose to 7.2% last year."


def test_number_swap_scales_when_the_article_has_no_other_number():
    sentence = "Police arrested 12 people after the match."
    for rng in rngs():
        out = swap_number(sentence, ["12"], rng)
        assert out is not None
        [new] = [n for n in find_numbers(out)]
        assert new.value != 12 and re.fullmatch(r"\d+", new.text)
        assert out.replace(new.text, "12") == sentence


def test_number_swap_skips_years_hedges_and_identifiers():
    assert swap_number("At least 40 people died in 2014.", ["7", "300"], random.Random(0)) is None
    assert swap_number("The crash of Flight 370 shocked the world.", ["7", "300"], random.Random(0)) is None


# ---- dates -------------------------------------------------------------------------------------


def test_date_swap_weekday_month_and_year():
    article = "The ship sank on Monday. Rescuers arrived on Tuesday. It was built in 2001 and refitted in 2012."
    for rng in rngs():
        assert swap_date("The ship sank on Monday, officials said.", article, rng) == \
            "The ship sank on Tuesday, officials said."
        assert swap_date("The ship was refitted in 2012.", article, rng) == "The ship was refitted in 2001."
        out = swap_date("The vote was held on March 5 in the capital.", article, rng)
        month = re.search(r"on (\w+) 5", out).group(1)
        assert month in npairs.MONTHS and month != "March"


def test_may_as_a_verb_is_not_a_date():
    assert find_dates("He may leave the party, and they march on.") == []
    assert [d.text for d in find_dates("The law passed in May and took effect on May 3.")] == ["May", "May"]
    assert swap_date("Officials may resign over the scandal.", "Nothing here.", random.Random(0)) is None


# ---- entities ----------------------------------------------------------------------------------


def test_entities_skip_the_sentence_start_titles_and_possessives():
    ents = find_entities("The meeting in Paris ended when President Obama's aide stayed in Berlin.")
    assert [(e.text, e.kind) for e in ents] == [("Paris", "place"), ("Obama", "person"), ("Berlin", "place")]
    assert find_entities("Paris is calm today.") == []


def test_entity_swap_replaces_a_place_with_another_place_of_the_article():
    article_ents = find_entities("Talks were held in Geneva and in Vienna, Smith said.")
    for rng in rngs():
        out = swap_entity("The plane landed safely in Paris after the flight.", article_ents, rng)
        assert out in {"The plane landed safely in Geneva after the flight.",
                       "The plane landed safely in Vienna after the flight."}


def test_entity_swap_never_uses_a_name_sharing_a_word():
    ents = [Entity(0, 11, "Kim Jong-un", "person"), Entity(0, 3, "Kim", "person")]
    assert swap_entity("The report said Kim said nothing.", ents, random.Random(0)) is None


# ---- direction words ---------------------------------------------------------------------------


def test_direction_swap():
    assert swap_direction("Prices rose 5% in March.", random.Random(0)) == "Prices fell 5% in March."
    assert swap_direction("There was an increase in arrests.", random.Random(0)) == "There was a decrease in arrests."
    assert swap_direction("Shares were up 4% on Friday.", random.Random(0)) == "Shares were down 4% on Friday."
    assert swap_direction("They set up a fund.", random.Random(0)) is None  # "up" only before a number
    assert swap_direction("Prices did not rise.", random.Random(0)) is None  # negated: not rise / not fall agree


# ---- negation ----------------------------------------------------------------------------------


def test_negate_after_the_first_auxiliary():
    for rng in rngs():
        assert negate("The suspect was arrested on Friday.", rng) == "The suspect was not arrested on Friday."
        assert negate("She did go to the meeting.", rng) == "She did not go to the meeting."
        assert negate("The company has sold its shares.", rng) == "The company has not sold its shares."
        assert negate("The company can sell its shares.", rng) in {"The company cannot sell its shares.",
                                                                   "The company can no longer sell its shares."}
    assert negate("He had surgery in June.", random.Random(0)) is None  # "had" is the main verb
    assert negate("They have to leave.", random.Random(0)) is None
    assert negate("Was the suspect arrested?", random.Random(0)) is None


def test_remove_negation():
    assert remove_negation("The minister did not resign.") == "The minister did resign."
    assert remove_negation("He wasn't there on Monday.") == "He was there on Monday."
    assert remove_negation("There is no evidence of fraud.") == "There is evidence of fraud."
    assert remove_negation("Police cannot confirm the report.") == "Police can confirm the report."
    assert remove_negation("She no longer works for the company.") == "She works for the company."
    assert remove_negation("This is not only about money.") is None  # idiom
    assert remove_negation("He may not run again.") is None  # "may" is not the opposite of "may not"
    assert remove_negation("He did not say he would not run.") is None  # two negations
    assert remove_negation("Nobody saw the attack.") is None


def test_negation_copy_is_supported_and_keeps_the_negation():
    sentences = ["Officials met on Monday.", "The suspect was arrested on Friday.", "The trial starts soon."]
    doc = Doc("t/2", " ".join(sentences), sentences)
    assert KINDS["news-negation-copy"][0] is Label.SUPPORTED and KINDS["news-negation"][0] is Label.CONTRADICTED
    for rng in rngs():
        [(premise, hyp)] = k_negation_copy(doc, 1, rng)
        assert "not" in hyp.split() and hyp.rstrip(".") in premise
        assert "The suspect was arrested" not in premise


# ---- supported rewrites ------------------------------------------------------------------------

_BOUND = re.compile(r"(more than|over|about|nearly|almost|at least) \$?([\d,]+)( percent|%)?")


def _check_bound(original: float, text: str) -> None:
    m = _BOUND.search(text)
    assert m, text
    word, r = m.group(1), value(m.group(2))
    if word in ("more than", "over"):
        assert r < original
    elif word in ("nearly", "almost"):
        assert original < r <= original * 1.05
    elif word == "about":
        assert abs(r - original) <= 0.05 * original
    else:
        assert r == original


def test_bound_rewrite_gives_a_bound_the_number_satisfies():
    seen = set()
    for rng in rngs():
        out = bound_rewrite("The fire destroyed 3,154 homes in the county.", rng)
        assert out.startswith("The fire destroyed ") and out.endswith(" homes in the county.")
        _check_bound(3154, out)
        seen.add(out)
        pct = bound_rewrite("Turnout fell by 13.5% in the north.", rng)
        _check_bound(13.5, pct)
        assert "13.5" not in pct
    assert "The fire destroyed more than 3,000 homes in the county." in seen
    out = bound_rewrite("The project cost $45 million.", random.Random(3))
    assert "$" in out and "million" in out
    _check_bound(45, out)


def test_bound_rewrite_skips_years_identifiers_hedges_and_negations():
    rng = random.Random(0)
    assert bound_rewrite("The box was buried in the capitol in 1795.", rng) is None
    assert bound_rewrite("The crash of Flight 370 killed everyone aboard.", rng) is None
    assert bound_rewrite("At least 40 people died in the flood.", rng) is None
    assert bound_rewrite("No more than 40 people died in the flood.", rng) is None
    assert bound_rewrite("The charger refills it in 20 minutes.", rng) is None  # a duration, not a count


def test_drop_clause():
    rng = random.Random(0)
    assert drop_clause("The plane was shot down over eastern Ukraine, officials said on Thursday.", rng) == \
        "The plane was shot down over eastern Ukraine."
    assert drop_clause("On Tuesday, the newspaper reported that Kim had surgery.", rng) == \
        "The newspaper reported that Kim had surgery."
    assert drop_clause("Kim, who has not been seen for weeks, is recovering from surgery.", rng) == \
        "Kim is recovering from surgery."
    assert drop_clause("If the talks fail, the government will call new elections.", rng) is None
    assert drop_clause("Troops will withdraw from the town by Friday, unless the rebels attack.", rng) is None


# ---- not mentioned -----------------------------------------------------------------------------


def test_find_details():
    text = "Kim had surgery in Pyongyang on Tuesday, according to the Chosun Ilbo. Fans in the Arab world cheered."
    assert find_details(text) == [("time", "on Tuesday"), ("place", "in Pyongyang"),
                                  ("attribution", "according to the Chosun Ilbo")]


def test_added_detail_appends_a_detail_of_a_kind_the_sentence_lacks():
    details = [("time", "on Monday"), ("place", "in Italy")]
    outs = {add_detail("The ship sank near the coast.", details, rng) for rng in rngs()}
    assert outs == {"The ship sank near the coast on Monday.", "The ship sank near the coast in Italy."}
    # already dated: only the place can be added (a second date would contradict, not add)
    for rng in rngs():
        assert add_detail("The ship sank last week.", details, rng) == "The ship sank last week in Italy."
    assert add_detail('He said "it sank."', details, random.Random(0)) is None


def test_hard_negative_is_a_same_article_sentence_absent_from_a_high_overlap_window():
    text = (
        "The storm hit the coastal town of Leeds on Monday. "
        "Rescue teams evacuated residents from flooded homes near the harbour. "
        "The mayor said the town would need months to rebuild. "
        "Rescue teams also found three fishermen missing since the storm hit the harbour. "
        "Schools will stay closed this week."
    )
    doc = make_doc("t/3", text)
    assert len(doc.sentences) == 5
    [(premise, hyp)] = k_hard_negative(doc, 3, random.Random(0))
    assert hyp == doc.sentences[3] and hyp not in premise
    assert {"rescue", "team", "harbour"} <= npairs.content_words(premise)
    assert KINDS["news-hard-negative"][0] is Label.NOT_MENTIONED


# ---- assembling --------------------------------------------------------------------------------

_BODY = (
    "Police arrested 12 people after clashes in Leeds on Monday, officials said. "
    "The protest drew 3,154 people, up 20% from last year, according to the city council. "
    "Mayor Smith said the march was peaceful until the evening.\n\n"
    "Shops were damaged and 7 officers were injured in the centre of Leeds. "
    "Organisers had not expected violence, Smith said on Tuesday. "
    "The council will meet in March to review the rules for protests in the city."
)


def test_contrast_pairs_are_deterministic_deduplicated_and_labelled_by_kind():
    docs = [make_doc("t/1", _BODY), make_doc("t/2", _BODY.replace("Leeds", "York").replace("Smith", "Jones"))]
    a = contrast_pairs(docs, per_label=30, seed=5, per_doc=10)
    b = contrast_pairs(docs, per_label=30, seed=5, per_doc=10)
    assert a == b and a
    keys = [(r["premise"], r["hypothesis"]) for r in a]
    assert len(keys) == len(set(keys))
    for r in a:
        assert r["labels"] == [KINDS[r["source"]][0].value]
        if r["source"] != "news-negation-copy":
            assert r["premise"] != r["hypothesis"]
    sources = {r["source"] for r in a}
    assert {"news-number-swap", "news-negation", "news-format", "news-window"} <= sources


def _write_csv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def test_build_news_pairs_end_to_end_with_a_fake_embedder(tmp_path):
    data = tmp_path / "data"
    body2 = ("Officials denied that the bridge had collapsed. "
             "Engineers inspected the bridge on Friday and found it safe.")
    _write_csv(data / "train/fnc-1/train_bodies.csv", ["Body ID", "articleBody"], [["1", _BODY], ["2", body2]])
    _write_csv(data / "train/fnc-1/train_stances_part1.csv", ["Headline", "Body ID", "Stance"], [
        ["Police arrest 12 after Leeds clashes", "1", "agree"],
        ["Bridge collapses into the river", "2", "disagree"],
        ["Bridge collapses into the river", "1", "unrelated"],
    ])
    _write_csv(data / "train/fnc-1/train_stances_part2.csv", ["Headline", "Body ID", "Stance"], [
        ["Leeds council to review protest rules", "1", "discuss"],
    ])
    _write_csv(data / "train/arc/arc_bodies.csv", ["Body ID", "articleBody"], [["9", body2]])
    _write_csv(data / "train/arc/arc_stances_train.csv", ["Headline", "Body ID", "Stance"], [
        ["The bridge is safe", "9", "agree"],
    ])
    out = tmp_path / "pairs.jsonl"
    counts = build_news_pairs(data, out, seed=1, per_label=20, unrelated=5, embedder=FakeEmbedder())
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert counts["total"] == len(rows)
    retrieved = {(r["hypothesis"], r["source"]): r for r in rows if r["source"].endswith("-retrieved")}
    agree = retrieved[("Police arrest 12 after Leeds clashes", "fnc1-retrieved")]
    assert agree["labels"] == ["supported"] and "arrested 12 people" in agree["premise"]
    assert retrieved[("Bridge collapses into the river", "fnc1-retrieved")]["labels"] in (["contradicted"],
                                                                                         ["not_mentioned"])
    assert retrieved[("Leeds council to review protest rules", "fnc1-retrieved")]["labels"] == ["not_mentioned"]
    assert retrieved[("The bridge is safe", "arc-retrieved")]["labels"] == ["supported"]
    for r in rows:  # what TrainConfig.extra_jsonl reads
        assert r["premise"] and r["hypothesis"] and r["source"]
        assert all(Label(x) in Label for x in r["labels"])


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_is_named_news_and_has_a_label(kind):
    label, gen = KINDS[kind]
    assert kind.startswith("news-") and isinstance(label, Label) and callable(gen)


def test_edge_cases_seen_in_the_generated_data():
    rng = random.Random(0)
    assert find_numbers("A 6'3' guard in the '90s.") == []  # heights and decades are not counts
    assert bound_rewrite("Angry iPhone 6 owners sent 200 letters.", rng) in {
        f"Angry iPhone 6 owners sent {w} {n} letters." for w in ("more than", "over") for n in (150, 190)
    }
    assert bound_rewrite("She was 20 years old at the time.", rng) is None
    assert negate("There is only one way out.", rng) is None  # "is not only" would not contradict it
    assert remove_negation("They didn't even show up.") is None
    assert remove_negation("It was spending to no useful end.") == "It was spending to a useful end."
    assert npairs.entity_class("Kobani") == "name" and npairs.entity_class("Iraqi") == "group"
    assert remove_negation("It is hard for those with no school-age children.") == \
        "It is hard for those with school-age children."
    assert bound_rewrite("Read 5 Reasons the Watch Is a Winner today.", rng) is None  # a title
    assert not _eligible("Les médecins ont redémarré son cœur, 48 minutes après qu’il s’est arrêté.")
    assert swap_number("The crates were delivered at 4 Times Square.", ["7", "12"], rng) is None
    for seed in SEEDS:
        assert swap_number("The panel had 11 men.", ["15.2", "9"], random.Random(seed)) == "The panel had 9 men."
    assert [e.text for e in find_entities("A hospital in the ISIS-held city of Mosul was closed.")] == ["Mosul"]
    assert [e.text for e in find_entities("He met Secretary of State William Galvin today.")] == ["William Galvin"]
    assert negate("He is also a selfless leader.", rng) is None
    assert [e.text for e in find_entities("Troops went into Sablale. We know that.")] == ["Sablale"]
    assert find_entities("The talks will resume in May.") == []
    ents = find_entities("He spoke in Ottawa, Canada, and later in Toronto and in Asia.")
    for seed in SEEDS:  # Canada contains Ottawa, Asia is a region: only Toronto contradicts
        out = swap_entity("The shooting happened in Ottawa on Wednesday.", ents, random.Random(seed),
                          "He spoke in Ottawa, Canada, and later in Toronto and in Asia.")
        assert out == "The shooting happened in Toronto on Wednesday."
    assert _nested("Canada", "Ottawa", "He spoke in Ottawa, Canada.")
    assert not _nested("Toronto", "Ottawa", "He spoke in Ottawa, Canada.")
    assert _nested("Iraq", "Mosul", "") and not _nested("Iraq", "Syria", "")
    # two places that are not countries: only the article's wording ("A in B") makes them nested
    assert _nested("Mosul", "Nineveh", "the city of Mosul in Nineveh") and not _nested("Mosul", "Nineveh", "")
    assert _nested("Aleppo", "Raqqa", "the Raqqa in Aleppo province")
    sentence = "It was written in Hebrew and in English by staff at the Post, in Gaza."
    assert find_details(sentence) == [("place", "in Gaza")]
