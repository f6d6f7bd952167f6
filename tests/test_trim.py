"""Trimming (`Verifier(trim=True)`, the default): a sentence of the deciding run that adds nothing
to the decision is not shown as evidence; a sentence that holds a claim detail is kept."""

import numpy as np
from fakes import FakeEmbedder

from verifier import Label, Verifier


class NeedsFloodAndHomes:
    """Supports a claim when the passage says both that the river flooded and that 300 homes were damaged."""

    def __init__(self):
        self.pairs = []

    def predict(self, pairs):
        self.pairs += list(pairs)
        return np.array([[0.9, 0.02, 0.08] if "flooded" in p and "300 homes" in p else [0.05, 0.05, 0.9]
                         for p, _ in pairs], dtype=np.float32).reshape(-1, 3)


def verifier(**kw):
    # top_k=1: the 3-sentence window that shares the most words with the claim is all the model reads
    return Verifier(nli=NeedsFloodAndHomes(), embedder=FakeEmbedder(), top_k=1, **kw)


ARTICLE = ("The river flooded the town of Brill. Officials said 300 homes were damaged. "
           "Weather was calm elsewhere in the region.")
CLAIM = "The river flooded Brill, officials said 300 homes were damaged while weather was calm in the region."


def test_a_sentence_that_adds_nothing_is_trimmed():
    untrimmed = verifier(trim=False).verify(CLAIM, ARTICLE)
    assert untrimmed.label is Label.SUPPORTED and len(untrimmed.passage.sentences) == 3
    v = verifier().verify(CLAIM, ARTICLE)
    assert v.label is Label.SUPPORTED
    assert v.passage.text == "The river flooded the town of Brill. Officials said 300 homes were damaged."
    assert ARTICLE[v.passage.start:v.passage.end] == v.passage.text
    assert v.passage.sentences == (0, 1)


def test_no_trim_below_the_deciding_sentences():
    nli = NeedsFloodAndHomes()
    v = Verifier(nli=nli, embedder=FakeEmbedder(), top_k=1).verify(CLAIM, ARTICLE)
    assert v.passage.sentences == (0, 1)  # each sentence alone is not enough, so both stay
    assert ("The river flooded the town of Brill.", CLAIM) in nli.pairs


def test_a_sentence_holding_a_claim_detail_is_kept():
    article = "The river flooded the town of Brill. Officials said 300 homes were damaged. It happened on Monday."
    claim = "The river flooded Brill on Monday, officials said 300 homes were damaged, it happened."
    v = verifier().verify(claim, article)
    # without the last sentence the model still supports, but the passage no longer gives "Monday"
    assert v.label is Label.SUPPORTED and v.passage.sentences == (0, 1, 2)
    assert any(c.kind == "weekday" and c.outcome == "match" for c in v.checks)


def test_not_mentioned_is_not_trimmed():
    nli = NeedsFloodAndHomes()
    v = Verifier(nli=nli, embedder=FakeEmbedder(), top_k=1).verify("Weather was calm in the region.", ARTICLE)
    assert v.label is Label.NOT_MENTIONED and len(nli.pairs) == 1
