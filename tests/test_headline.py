"""The headline as context (Verifier(headline=True), the default): a passage that contradicts the
claim is read again after the article's headline when the headline gives a claim word the
passage lacks ("the bridge" / "the Marrow Bridge")."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeEmbedder, words

from verifier import Verifier
from verifier.labels import Label
from verifier.retrieval import headline_completes, headline_of, needs_headline
from verifier.sentences import split_sentences

ARTICLE = ("Marrow Bridge partly collapses in Valtenza\n"
           "Part of the bridge fell into the river on Tuesday.\n"
           "The four-lane bridge opened in 1979 and is 412 metres long.\n")


class NameBlindNLI:
    """Like the small model: one claim word the premise lacks reads as a contradiction; all there,
    support; more missing, not mentioned."""

    def __init__(self) -> None:
        self.premises: list[str] = []

    def predict(self, pairs):
        rows = []
        for premise, claim in pairs:
            self.premises.append(premise)
            missing = words(claim) - words(premise) - {"the", "a", "in"}
            rows.append([0.9, 0.05, 0.05] if not missing else [0.05, 0.9, 0.05] if len(missing) == 1
                        else [0.05, 0.05, 0.9])
        return np.array(rows, dtype=np.float32).reshape(-1, 3)


@pytest.mark.parametrize("text, headline", [
    (ARTICLE, "Marrow Bridge partly collapses in Valtenza"),
    ("Part of the bridge fell.\nThe bridge opened in 1979.\n", ""),  # a sentence, not a headline
    ("Bridge collapse - Valtenza News\nThe bridge opened in 1979.\n", ""),  # a web page title
    ("Marrow Bridge partly collapses\n", ""),  # nothing after it
    ("A very long first line " + "word " * 30 + "\nThe bridge opened in 1979.\n", ""),
])
def test_headline_of_takes_a_short_first_line_that_is_not_a_sentence(text, headline):
    assert headline_of(text, split_sentences(text)) == headline


def test_the_headline_is_needed_only_for_a_claim_word_the_passage_lacks():
    title = "Marrow Bridge partly collapses in Valtenza"
    assert needs_headline("The Marrow Bridge opened in 1979.", "The four-lane bridge opened in 1979.", title)
    assert not needs_headline("The bridge opened in 1979.", "The four-lane bridge opened in 1979.", title)
    assert not needs_headline("The Saint Anselm Bridge opened in 1979.", "The bridge opened in 1979.", title)


def test_a_contradiction_that_the_headline_explains_away_becomes_support():
    claim = "The Marrow Bridge opened in 1979."
    nli = NameBlindNLI()
    bare = Verifier(nli=nli, embedder=FakeEmbedder(), headline=False).verify(claim, ARTICLE)
    assert bare.label is Label.CONTRADICTED
    v = Verifier(nli=NameBlindNLI(), embedder=FakeEmbedder()).verify(claim, ARTICLE)
    assert v.label is Label.SUPPORTED
    assert v.passage.text == "The four-lane bridge opened in 1979 and is 412 metres long."  # offsets: the passage's
    assert ARTICLE[v.passage.start:v.passage.end] == v.passage.text


def test_a_contradiction_the_headline_does_not_explain_stands():
    nli = NameBlindNLI()
    v = Verifier(nli=nli, embedder=FakeEmbedder()).verify("The bridge opened in 1989.", ARTICLE)
    assert v.label is Label.CONTRADICTED
    assert not any(p.startswith("Marrow Bridge partly collapses in Valtenza. ") for p in nli.premises)


def test_the_headline_completes_a_passage_only_when_it_gives_every_word_the_passage_lacks():
    title = "Wildfire in Pellora hills forces 4,200 people from their homes"
    assert headline_completes("No deaths have been reported from the wildfire.", "No deaths have been reported.",
                              title)
    assert not headline_completes("No deaths have been reported from the wildfire in May.",
                                  "No deaths have been reported.", title)
    assert not headline_completes("No deaths have been reported.", "No deaths have been reported.", title)


def test_a_passage_the_headline_completes_is_read_after_it():
    article = ("Marrow Bridge partly collapses in Valtenza\n"
               "Rescuers searched the river all night.\nTraffic was diverted to the ring road.\n"
               "Schools stayed closed on Wednesday.\nThe four-lane bridge opened in 1979.\n")
    claim = "The Marrow Bridge in Valtenza opened in 1979."  # two words only the headline gives
    bare = Verifier(nli=NameBlindNLI(), embedder=FakeEmbedder(), headline=False).verify(claim, article)
    assert bare.label is Label.NOT_MENTIONED
    nli = NameBlindNLI()
    v = Verifier(nli=nli, embedder=FakeEmbedder()).verify(claim, article)
    assert v.label is Label.SUPPORTED
    assert "Marrow Bridge partly collapses in Valtenza. The four-lane bridge opened in 1979." in nli.premises
    assert v.passage.text == "The four-lane bridge opened in 1979."  # the evidence is the passage
    assert article[v.passage.start:v.passage.end] == v.passage.text
