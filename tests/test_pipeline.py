import numpy as np
import pytest
from fakes import FakeEmbedder, FakeNLI

from verifier import InputError, Label, Verifier, make_article
from verifier.decision import DecisionRule


def test_supported_claim_finds_its_sentence(fake_verifier, seed_text):
    v = fake_verifier.verify("Russian forces confirmed the evacuation of 3,154 people, including 1,428 children.",
                             seed_text)
    assert v.label is Label.SUPPORTED
    assert "3,154 people" in v.passage.text
    assert seed_text[v.passage.start : v.passage.end] == v.passage.text
    assert v.passage.is_evidence


def test_negated_claim_is_contradicted(fake_verifier, seed_text):
    v = fake_verifier.verify(
        "Russian peacekeeping forces never confirmed that no violation of the ceasefire was recorded.", seed_text)
    assert v.label is Label.CONTRADICTED
    assert "no violation" in v.passage.text


def test_unrelated_claim_is_not_mentioned_with_closest_passage(fake_verifier, seed_text):
    v = fake_verifier.verify("The UN Security Council met in New York.", seed_text)
    assert v.label is Label.NOT_MENTIONED
    assert v.passage is not None and not v.passage.is_evidence
    assert seed_text[v.passage.start : v.passage.end] == v.passage.text


def test_offsets_hold_for_every_passage_and_windows_span_sentences(fake_verifier, seed_text):
    claims = ["Aliyev announced in a speech that his country had re-extended its sovereignty over Karabakh.",
              "The ceasefire took effect at 13:00.", "Demonstrators gathered outside the headquarters in Yerevan."]
    for v in fake_verifier.verify_many(claims, seed_text):
        for p in v.evidence:
            assert seed_text[p.start : p.end] == p.text
            assert list(p.sentences) == list(range(p.sentences[0], p.sentences[-1] + 1))
    index = fake_verifier.index(seed_text)
    assert {c.last - c.first + 1 for c in index.candidates} == {1, 2, 3}


def test_offsets_hold_for_html_against_shown_text(fake_verifier):
    article = make_article(
        "<html><body><p>The talks were held in Yevlakh on Thursday.</p><p>Nobody signed.</p></body></html>")
    v = fake_verifier.verify("The talks were held in Yevlakh on Thursday.", article)
    assert article.text[v.passage.start : v.passage.end] == v.passage.text
    assert v.passage.text == "The talks were held in Yevlakh on Thursday."


def test_article_is_embedded_once_for_many_claims(seed_text):
    class CountingEmbedder(FakeEmbedder):
        calls = 0

        def encode(self, texts):
            CountingEmbedder.calls += 1
            return super().encode(texts)

    verifier = Verifier(nli=FakeNLI(), embedder=CountingEmbedder())
    verifier.verify_many(["claim one about Baku", "claim two about Yerevan"], seed_text)
    verifier.verify("claim three about Stepanakert", seed_text)
    # one call for the article's sentences, then one per verify_many call for the claims
    assert CountingEmbedder.calls == 3


class RecordingNLI(FakeNLI):
    def __init__(self):
        super().__init__()
        self.batches = []

    def predict(self, pairs):
        self.batches.append(list(pairs))
        return super().predict(pairs)


def test_one_nli_call_per_batch_when_scoring_all(seed_text):
    nli = FakeNLI()
    verifier = Verifier(nli=nli, embedder=FakeEmbedder(), top_k=4, score_all=True)
    verdicts = verifier.verify_many([f"claim {i} about the ceasefire" for i in range(10)], seed_text)
    assert len(verdicts) == 10 and nli.calls == 1


def test_passages_are_scored_shortest_first_and_decided_claims_stop(seed_text):
    supported = "Russian forces confirmed the evacuation of 3,154 people, including 1,428 children."
    unrelated = "The UN Security Council met in New York."
    nli = RecordingNLI()
    verifier = Verifier(nli=nli, embedder=FakeEmbedder(), top_k=5)
    found = verifier.score_passages([supported, unrelated], seed_text)
    index = verifier.index(seed_text)
    # one call per passage length, each for all claims still undecided
    assert len(nli.batches) == len({len(p.sentences) for p in found[1]}) > 1
    assert {h for _, h in nli.batches[0]} == {supported, unrelated}
    assert all(h == unrelated for batch in nli.batches[1:] for _, h in batch)
    length = {index.text(c): c.last - c.first + 1 for c in index.candidates}
    per_call = [{length[premise] for premise, _ in batch} for batch in nli.batches]
    assert all(len(lengths) == 1 for lengths in per_call)  # one passage length per call...
    assert [min(x) for x in per_call] == sorted(min(x) for x in per_call)  # ...shortest first
    # the supported claim was decided by a single sentence: no window was scored for it
    assert found[0] and all(len(p.sentences) == 1 for p in found[0])
    assert any(p.probabilities[Label.SUPPORTED] >= 0.5 for p in found[0])
    # the undecided claim had all its top_k passages scored, in retrieval order
    assert len(found[1]) == 5
    scores = [p.retrieval_score for p in found[1]]
    assert scores == sorted(scores, reverse=True)
    everything = Verifier(nli=FakeNLI(), embedder=FakeEmbedder(), top_k=5, score_all=True).score_passages(
        [supported], seed_text)
    assert len(everything[0]) == 5 and any(len(p.sentences) > 1 for p in everything[0])
    assert verifier.verify(supported, seed_text).label is Label.SUPPORTED


def test_default_reads_what_the_rule_replays_from_all_passages(seed_text):
    claims = ["Russian forces confirmed the evacuation of 3,154 people, including 1,428 children.",
              "Russian peacekeeping forces never confirmed that no violation of the ceasefire was recorded.",
              "The UN Security Council met in New York.", "Pashinyan spoke in Yerevan about the army."]
    lazy = Verifier(nli=FakeNLI(), embedder=FakeEmbedder()).score_passages(claims, seed_text)
    full = Verifier(nli=FakeNLI(), embedder=FakeEmbedder(), score_all=True).score_passages(claims, seed_text)
    replayed = [DecisionRule().shortest_first(ps) for ps in full]
    span = lambda ps: sorted((p.start, p.end) for p in ps)
    assert [span(ps) for ps in lazy] == [span(ps) for ps in replayed]
    assert any(len(a) < len(b) for a, b in zip(lazy, full))


def test_unrelated_passages_cannot_support_even_when_the_nli_model_says_so(seed_text):
    class Credulous:
        def predict(self, pairs):
            return np.tile(np.array([0.9, 0.05, 0.05], dtype=np.float32), (len(pairs), 1))

    verifier = Verifier(nli=Credulous(), embedder=FakeEmbedder())
    related, unrelated = verifier.verify_many(
        ["Russian forces confirmed the evacuation of 3,154 people.", "Football is popular in Brazil."], seed_text)
    assert related.label is Label.SUPPORTED
    assert unrelated.label is Label.NOT_MENTIONED and unrelated.probabilities[Label.NOT_MENTIONED] == 1.0
    lax = DecisionRule(min_relevance=0.0, check_details=False)
    assert Verifier(nli=Credulous(), embedder=FakeEmbedder(), rule=lax).verify(
        "Football is popular in Brazil.", seed_text).label is Label.SUPPORTED
    # The detail checks show why: no passage names Brazil.
    checked = Verifier(nli=Credulous(), embedder=FakeEmbedder(), rule=DecisionRule(min_relevance=0.0)).verify(
        "Football is popular in Brazil.", seed_text)
    assert "name: claim Brazil, not in the passage" in [c.explanation for c in checked.checks]


def test_claims_against_their_own_articles(fake_verifier):
    arts = ["Paris is in France. It rains.", "Berlin is in Germany. It snows."]
    vs = fake_verifier.verify_many(["Berlin is in Germany.", "Paris is in France."], [arts[1], arts[0]])
    assert [v.passage.text for v in vs] == ["Berlin is in Germany.", "Paris is in France."]


def test_bad_input(fake_verifier, seed_text):
    with pytest.raises(InputError, match="claim is empty"):
        fake_verifier.verify("   ", seed_text)
    with pytest.raises(InputError, match="limit"):
        fake_verifier.verify("x" * 3000, seed_text)
    with pytest.raises(InputError, match="article is empty"):
        fake_verifier.verify("A claim.", "   ")
    with pytest.raises(InputError, match="2 claims but 1 articles"):
        fake_verifier.verify_many(["a", "b"], [seed_text])
    with pytest.raises(ValueError):
        Verifier(nli=FakeNLI(), embedder=FakeEmbedder(), top_k=0)


def test_thresholds_reach_the_rule(seed_text):
    strict = Verifier(nli=FakeNLI(), embedder=FakeEmbedder(), rule=DecisionRule(support_threshold=0.95))
    v = strict.verify("Russian forces confirmed the evacuation of 3,154 people, including 1,428 children.", seed_text)
    assert v.label is Label.NOT_MENTIONED
