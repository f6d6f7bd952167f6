"""Compound claims (verifier.compound): conservative splits and the combination rule."""

from __future__ import annotations

import pytest

from verifier.compound import combine, split_claim
from verifier.labels import Label
from verifier.verdict import Passage, Verdict

S, C, N = Label.SUPPORTED, Label.CONTRADICTED, Label.NOT_MENTIONED


@pytest.mark.parametrize("claim, parts", [
    ("The agency moved more than 2,000 people, among them over 300 children.",
     ["The agency moved more than 2,000 people.", "The agency moved over 300 children."]),
    ("Pashinyan said Armenia took no part, and Aliyev said the war was over.",
     ["Pashinyan said Armenia took no part.", "Aliyev said the war was over."]),
    ("More than 3,000 people were evacuated, among them about 1,400 children.",  # the quantity is the subject
     ["More than 3,000 people were evacuated.", "About 1,400 children were evacuated."]),
    ("The storm killed 12 people in Texas, including three children.",  # words after the quantity stay
     ["The storm killed 12 people in Texas.", "The storm killed three children in Texas."]),
    ("About 120 people died in the floods, of whom 30 children.",
     ["About 120 people died in the floods.", "30 children died in the floods."]),
    ("The price rose by 5% and fell 3% later.", ["The price rose by 5%.", "The price fell 3% later."]),
    ("Workers returned on Wednesday, and supermarkets reported shortages of fruit.",  # a plural noun subject
     ["Workers returned on Wednesday.", "Supermarkets reported shortages of fruit."]),
    ("In 1954, the United States Supreme Court ruled on the case and declared that schools must desegregate.",
     ["In 1954, the United States Supreme Court ruled on the case.",
      "In 1954, the United States Supreme Court declared that schools must desegregate."]),
])
def test_splits(claim, parts):
    assert split_claim(claim) == parts


@pytest.mark.parametrize("claim", [
    "Azerbaijan and Armenia fought two wars.",  # a joint subject, not two statements
    "The agreement provides for the dissolution and full disarmament of the army.",  # no second verb
    "The agency moved 2,000 people, including children who were ill.",  # the tail is not a quantity
    "More than 2,000 people, among them over 300 children.",  # no verb: the part would have none
    "2,000 people in the city, among them 300 children.",  # no verb after the quantity subject
    "She reached the top ten in 1998 after Clijsters and Henin turned professional.",  # no comma: one statement
    "He is the publisher of Media Play News, one of five trades and the only one dedicated to film.",
    "In 2013, White recorded and produced an album.",  # the first verb's object is shared
    "The firm produced shoes, and hats made in Italy.",  # a plural noun and a participle: a noun phrase
    "The agency counted 12 deaths, and cases reported by hospitals.",
])
def test_no_split_that_leaves_a_part_without_subject_or_verb(claim):
    assert split_claim(claim) == [claim]


def verdict(label, start, confidence=0.9):
    p = Passage(f"p{start}", start, start + 2, (start,), 0.5, {S: 0.3, C: 0.3, N: 0.4}, label is not N)
    return Verdict(f"part {start}", label, confidence, {S: 0.3, C: 0.3, N: 0.4}, (p,))


def test_any_part_contradicted_contradicts():
    v = combine("claim", [verdict(S, 0), verdict(C, 3, 0.7), verdict(N, 6)])
    assert v.label is C and v.passage.start == 3 and v.confidence == 0.7 and len(v.parts) == 3


def test_all_parts_supported_supports_with_each_parts_evidence():
    v = combine("claim", [verdict(S, 0, 0.9), verdict(S, 3, 0.6)])
    assert v.label is S and v.confidence == 0.6
    assert [p.start for p in v.evidence] == [0, 3]


def test_otherwise_not_mentioned():
    v = combine("claim", [verdict(S, 0), verdict(N, 3)])
    assert v.label is N and v.passage.start == 3 and not v.passage.is_evidence


def test_a_split_claim_through_the_verifier(fake_verifier, seed_text):
    claim = "Russian forces confirmed the evacuation of 3,154 people, including 14,280 children."
    v = fake_verifier.verify(claim, seed_text)
    assert [p.claim for p in v.parts] == ["Russian forces confirmed the evacuation of 3,154 people.",
                                          "Russian forces confirmed the evacuation of 14,280 children."]
    assert [p.label for p in v.parts] == [S, C]
    assert v.label is C
    for part in (v, *v.parts):
        for e in part.evidence:
            assert seed_text[e.start:e.end] == e.text
    bad = [c for c in v.checks if c.outcome == "mismatch"]
    assert bad and claim[bad[0].claim_start:bad[0].claim_end] == "14,280 children"
    whole = fake_verifier.verify("Russian forces confirmed the evacuation of 3,154 people, including 1,428 children.",
                                 seed_text)
    assert whole.label is S and [p.label for p in whole.parts] == [S, S]


def test_a_split_whose_quantity_is_the_subject_keeps_claim_offsets(fake_verifier, seed_text):
    claim = "More than 3,000 people were evacuated, among them about 1,400 children."
    v = fake_verifier.verify(claim, seed_text)
    assert [p.claim for p in v.parts] == ["More than 3,000 people were evacuated.",
                                          "About 1,400 children were evacuated."]
    assert v.checks, "the parts' number checks are carried by the whole verdict"
    for c in v.checks:
        assert claim[c.claim_start:c.claim_end] == c.claim_text
    assert {c.claim_text for c in v.checks if c.kind == "quantity"} >= {"about 1,400 children"}
