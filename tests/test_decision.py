import pytest

from verifier.decision import DecisionRule
from verifier.labels import Label
from verifier.verdict import Passage, Verdict

# The rule as the model alone decides it; calibration (tests/test_calibration.py) rescales confidence.
S, C, N = Label.SUPPORTED, Label.CONTRADICTED, Label.NOT_MENTIONED


def passage(s, c, n, score=0.5, start=0):
    return Passage(f"p{start}", start, start + 2, (start,), score, {S: s, C: c, N: n})


def test_strong_contradiction_beats_weaker_entailments():
    ps = [passage(0.7, 0.1, 0.2, start=0), passage(0.65, 0.1, 0.25, start=3), passage(0.05, 0.9, 0.05, start=6)]
    v = DecisionRule(calibrate=False).decide("claim", ps)
    assert v.label == C
    assert v.passage.start == 6
    assert v.confidence == pytest.approx(0.9)


def test_weak_contradiction_loses_to_strong_entailment():
    v = DecisionRule(calibrate=False).decide("claim", [passage(0.95, 0.02, 0.03, start=0),
                                                       passage(0.2, 0.55, 0.25, start=3)])
    assert v.label == S
    assert v.passage.start == 0


def test_tie_goes_to_contradiction():
    v = DecisionRule(calibrate=False).decide("claim", [passage(0.8, 0.1, 0.1, start=0),
                                                       passage(0.1, 0.8, 0.1, start=3)])
    assert v.label == C


def test_below_thresholds_is_not_mentioned_with_closest_passage():
    ps = [passage(0.3, 0.2, 0.5, score=0.9, start=0), passage(0.4, 0.1, 0.5, score=0.2, start=3)]
    v = DecisionRule(calibrate=False).decide("claim", ps)
    assert v.label == N
    assert v.passage.start == 0 and not v.passage.is_evidence
    assert v.probabilities[S] == pytest.approx(0.4)
    assert v.probabilities[C] == pytest.approx(0.2)
    assert sum(v.probabilities.values()) == pytest.approx(1.0)
    assert v.confidence == pytest.approx(0.4)


def test_thresholds_are_configurable():
    ps = [passage(0.6, 0.1, 0.3)]
    assert DecisionRule(calibrate=False).decide("c", ps).label == S
    assert DecisionRule(calibrate=False, support_threshold=0.7).decide("c", ps).label == N


def test_evidence_lists_agreeing_passages_strongest_first():
    ps = [passage(0.6, 0.1, 0.3, start=0), passage(0.9, 0.05, 0.05, start=3), passage(0.7, 0.1, 0.2, start=6),
          passage(0.2, 0.1, 0.7, start=9)]
    v = DecisionRule(calibrate=False, max_evidence=2).decide("c", ps)
    assert [p.start for p in v.evidence] == [3, 6]


def test_no_passages_and_bad_settings():
    assert DecisionRule(calibrate=False).decide("c", []).label == N
    with pytest.raises(ValueError):
        DecisionRule(calibrate=False, support_threshold=0)
    with pytest.raises(ValueError):
        DecisionRule(calibrate=False, max_evidence=0)


def test_verdict_round_trips_through_dict():
    v = DecisionRule(calibrate=False).decide("claim", [passage(0.9, 0.05, 0.05)])
    again = Verdict.from_dict(v.to_dict())
    assert again.label == v.label and again.passage.start == v.passage.start
    assert again.to_dict() == v.to_dict()


def test_shortest_passage_about_as_sure_as_the_best_decides():
    window = Passage("a b c", 0, 5, (0, 1, 2), 0.9, {S: 0.93, C: 0.02, N: 0.05})
    sentence = Passage("b", 2, 3, (1,), 0.8, {S: 0.90, C: 0.05, N: 0.05})
    weaker = Passage("c", 4, 5, (2,), 0.7, {S: 0.70, C: 0.05, N: 0.25})
    v = DecisionRule(calibrate=False).decide("claim", [window, sentence, weaker])
    assert v.label == S and v.passage is sentence
    assert v.confidence == pytest.approx(0.90)
    assert [p.start for p in v.evidence] == [2, 4]  # the window holds the sentence: not listed again
    assert DecisionRule(calibrate=False, shortest_margin=0.0).decide("claim", [window, sentence]).passage is window


def test_is_decisive_uses_each_threshold():
    rule = DecisionRule(calibrate=False, support_threshold=0.6, contradict_threshold=0.8)
    assert rule.is_decisive(passage(0.65, 0.1, 0.25))
    assert not rule.is_decisive(passage(0.55, 0.1, 0.35))
    assert rule.is_decisive(passage(0.1, 0.85, 0.05))
    assert not rule.is_decisive(passage(0.1, 0.75, 0.15))


def test_shortest_first_stops_at_the_first_decisive_length():
    def at(s, n, start):
        return Passage(f"p{start}", start, start + 2, tuple(range(start, start + n)), 0.5, {S: s, C: 0.1, N: 0.9 - s})

    one, two, three = at(0.2, 1, 0), at(0.7, 2, 5), at(0.9, 3, 9)
    assert DecisionRule(calibrate=False).shortest_first([three, one, two]) == [one, two]
    assert DecisionRule(calibrate=False, support_threshold=0.8).shortest_first([three, one, two]) == [one, two, three]
    assert DecisionRule(calibrate=False).shortest_first([at(0.6, 1, 0), three]) == [at(0.6, 1, 0)]


def test_a_claim_no_passage_bears_on_is_settled_before_the_windows():
    def at(s, c, n, start):
        return Passage(f"p{start}", start, start + 2, tuple(range(start, start + n)), 0.5, {S: s, C: c, N: 1 - s - c})

    sure, unsure, window = at(0.01, 0.01, 1, 0), at(0.02, 0.02, 1, 3), at(0.9, 0.05, 2, 5)
    rule = DecisionRule(calibrate=False)
    assert rule.is_settled([sure]) and not rule.is_settled([sure, unsure]) and not rule.is_settled([])
    assert rule.shortest_first([window, sure]) == [sure]  # P(S) + P(C) 0.02 < 0.03: the window is not read
    assert rule.shortest_first([window, sure, unsure]) == [sure, unsure, window]
    assert DecisionRule(calibrate=False, settled_below=0.0).shortest_first([window, sure]) == [sure, window]
    with pytest.raises(ValueError):
        DecisionRule(settled_below=1.0)


def test_passages_under_min_relevance_cannot_decide():
    far = passage(0.9, 0.05, 0.05, score=0.1)
    near = passage(0.2, 0.1, 0.7, score=0.6, start=4)
    v = DecisionRule(calibrate=False).decide("x", [far, near])
    assert v.label is N and v.passage.start == near.start and not v.passage.is_evidence
    assert v.probabilities[S] == pytest.approx(0.2)  # from the relevant passage only
    assert not DecisionRule(calibrate=False).is_decisive(far)
    assert DecisionRule(calibrate=False, min_relevance=0.0).is_decisive(far)
    assert DecisionRule(calibrate=False, min_relevance=0.05).decide("x", [far, near]).label is S
    only_far = DecisionRule(calibrate=False).decide("x", [far])
    assert only_far.label is N and only_far.confidence == 1.0
    contra_far = passage(0.05, 0.9, 0.05, score=0.1)
    support_near = passage(0.6, 0.1, 0.3, score=0.6, start=4)
    assert DecisionRule(calibrate=False).decide("x", [contra_far, support_near]).label is S
    with pytest.raises(ValueError, match="min_relevance"):
        DecisionRule(calibrate=False, min_relevance=1.0)


def test_evidence_leaves_out_runs_that_repeat_a_listed_passage():
    def run(sentences, s):
        return Passage("p", sentences[0] * 10, sentences[-1] * 10 + 5, tuple(sentences), 0.5,
                       {S: s, C: 0.05, N: 0.95 - s})
    ps = [run((1,), 0.87), run((0, 1), 0.9), run((1, 2), 0.85), run((4,), 0.7), run((4, 5), 0.6)]
    v = DecisionRule(calibrate=False, max_evidence=3).decide("c", ps)
    # the lone sentence decides (within the margin of the best); its windows hold it, so the next is (4,)
    assert [p.sentences for p in v.evidence] == [(1,), (4,)]


def test_not_mentioned_shows_the_passage_the_model_came_nearest_to_deciding_on():
    ps = [passage(0.1, 0.1, 0.8, score=0.9, start=0), passage(0.45, 0.1, 0.45, score=0.5, start=3),
          passage(0.4, 0.4, 0.2, score=0.1, start=6)]  # nearer still, but too far from the claim to count
    v = DecisionRule(calibrate=False).decide("claim", ps)
    assert v.label == N and v.passage.start == 3 and not v.passage.is_evidence
    unrelated = [passage(0.1, 0.1, 0.8, score=0.15, start=0), passage(0.3, 0.3, 0.4, score=0.1, start=3)]
    assert DecisionRule(calibrate=False).decide("claim", unrelated).passage.start == 0  # none counts: retrieval's first


def test_not_mentioned_prefers_the_shorter_of_two_about_as_near():
    window = Passage("a b", 0, 5, (0, 1), 0.6, {S: 0.46, C: 0.02, N: 0.52})
    sentence = Passage("b", 3, 5, (1,), 0.5, {S: 0.44, C: 0.01, N: 0.55})
    v = DecisionRule(calibrate=False).decide("claim", [window, sentence])
    assert v.label == N and v.passage is not None and v.passage.start == 3
