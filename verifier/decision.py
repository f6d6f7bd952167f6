"""The decision rule: how the NLI probabilities of a claim's passages become one verdict.

For each candidate passage the NLI model gives P(supported), P(contradicted), P(not_mentioned).

1. A passage *supports* the claim when its P(supported) >= `support_threshold`, and
   *contradicts* it when its P(contradicted) >= `contradict_threshold`. Only passages whose
   retrieval score is at least `min_relevance` count: an NLI model shown a passage that has
   nothing to do with the claim can still call it entailed or contradicted (with the shipped
   model, the claim "x" was "supported" at 0.58 and "The sky is blue." "contradicted" at 0.72
   by passages of the sample article that retrieval scored under 0.1).
2. If some passage contradicts and some passage supports, the stronger of the two best
   scores wins (contradiction on a tie). A strong contradiction is therefore never outvoted
   by a weaker entailment elsewhere, nor by many of them: passages do not vote, the strongest
   signal decides.
3. If only one side has a passage over its threshold, that side wins.
4. Otherwise the verdict is `not_mentioned`.

The verdict's probabilities are the deciding passage's NLI probabilities. For
`not_mentioned`, they are (best P(supported), best P(contradicted), the rest) over the
passages that count (all zero but the rest when none does), and the closest passage is
returned, marked as not evidence: of the passages that count, the one the model came nearest to
deciding on (highest P(supported) + P(contradicted); the shortest within `shortest_margin` of
it), else the one retrieval ranks first. Confidence is the verdict label's probability.
Evidence lists the deciding passage first, then up to `max_evidence - 1` other passages over
the same threshold, strongest first, leaving out a run that holds a listed passage or lies
inside one (the window around the deciding sentence repeats it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from verifier.calibration import calibrated, needs_review
from verifier.details.rule import apply_checks
from verifier.labels import Label
from verifier.verdict import Passage, Verdict


@dataclass(frozen=True)
class DecisionRule:
    """Thresholds of the decision rule (see the module docstring)."""

    support_threshold: float = 0.5
    contradict_threshold: float = 0.5
    max_evidence: int = 3
    shortest_margin: float = 0.05
    min_relevance: float = 0.2
    settled_below: float = 0.03
    check_details: bool = True
    calibrate: bool = True

    def __post_init__(self) -> None:
        for name in ("support_threshold", "contradict_threshold"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {value}")
        if not 0.0 <= self.shortest_margin < 1.0:
            raise ValueError(f"shortest_margin must be in [0, 1), got {self.shortest_margin}")
        if not 0.0 <= self.settled_below < 1.0:
            raise ValueError(f"settled_below must be in [0, 1), got {self.settled_below}")
        if not 0.0 <= self.min_relevance < 1.0:
            raise ValueError(f"min_relevance must be in [0, 1), got {self.min_relevance}")
        if self.max_evidence < 1:
            raise ValueError(f"max_evidence must be at least 1, got {self.max_evidence}")

    def threshold(self, label: Label) -> float:
        """The probability a passage needs for `label` (supported or contradicted)."""
        return self.support_threshold if label is Label.SUPPORTED else self.contradict_threshold

    def is_relevant(self, passage: Passage) -> bool:
        """Whether the passage's retrieval score lets it count (`min_relevance`)."""
        return passage.retrieval_score >= self.min_relevance

    def is_decisive(self, passage: Passage) -> bool:
        """Whether the passage alone passes the support or the contradiction threshold (and is
        relevant enough to count)."""
        probs = passage.probabilities
        return self.is_relevant(passage) and (
            probs.get(Label.SUPPORTED, 0.0) >= self.support_threshold
            or probs.get(Label.CONTRADICTED, 0.0) >= self.contradict_threshold
        )

    def is_settled(self, passages: Iterable[Passage]) -> bool:
        """Whether the passages scored so far settle the claim, so that longer ones need not be
        scored: one is decisive, or the model is sure that none bears on the claim (each has
        P(supported) + P(contradicted) under `settled_below`)."""
        passages = list(passages)
        return any(map(self.is_decisive, passages)) or (bool(passages) and all(
            p.probabilities.get(Label.SUPPORTED, 0.0) + p.probabilities.get(Label.CONTRADICTED, 0.0)
            < self.settled_below for p in passages))

    def shortest_first(self, passages: list[Passage]) -> list[Passage]:
        """Of fully scored passages, those `Verifier` reads by default: passage lengths in
        increasing order, up to the first length at which the passages read settle the claim."""
        read: list[Passage] = []
        for n in sorted({len(p.sentences) for p in passages}):
            read += [p for p in passages if len(p.sentences) == n]
            if self.is_settled(read):
                break
        return read

    def decide(self, claim: str, passages: list[Passage], article: str | None = None) -> Verdict:
        """Turn scored passages (each with `probabilities`) into a verdict.

        With `check_details`, the claim's numbers, dates, places and names are then checked
        against the deciding passage (`verifier.details.rule`); `article` is the text the
        passages come from (a name given just before a passage counts as given). With
        `calibrate`, the confidence is then P(right) (`verifier.calibration`) and `needs_review`
        is set.
        """
        model = self.decide_by_model(claim, passages)
        verdict = model
        if self.check_details:
            verdict = apply_checks(model, passages, self, article)
        if not self.calibrate:
            return verdict
        confidence = calibrated(model, verdict)
        return replace(verdict, confidence=confidence, needs_review=needs_review(model, verdict, confidence))

    def _closest(self, relevant: list[Passage]) -> Passage:
        """The passage a not-mentioned verdict shows: the shortest of those within `shortest_margin`
        of the highest P(supported) + P(contradicted), as for a deciding passage."""
        def bearing(x: Passage) -> float:
            return x.probabilities.get(Label.SUPPORTED, 0.0) + x.probabilities.get(Label.CONTRADICTED, 0.0)

        top = max(map(bearing, relevant))
        close = [x for x in relevant if bearing(x) >= top - self.shortest_margin]
        return min(close, key=lambda x: (len(x.sentences), -bearing(x), -x.retrieval_score))

    def decide_by_model(self, claim: str, passages: list[Passage]) -> Verdict:
        """The verdict from the NLI probabilities alone (steps 1-4 of the module docstring)."""
        if not passages:
            probs = {Label.SUPPORTED: 0.0, Label.CONTRADICTED: 0.0, Label.NOT_MENTIONED: 1.0}
            return Verdict(claim, Label.NOT_MENTIONED, 1.0, probs, ())

        def p(passage: Passage, label: Label) -> float:
            return passage.probabilities.get(label, 0.0)

        relevant = [x for x in passages if self.is_relevant(x)]
        best_s = max(relevant, key=lambda x: p(x, Label.SUPPORTED), default=None)
        best_c = max(relevant, key=lambda x: p(x, Label.CONTRADICTED), default=None)
        s = p(best_s, Label.SUPPORTED) if best_s else 0.0
        c = p(best_c, Label.CONTRADICTED) if best_c else 0.0
        strong_s, strong_c = s >= self.support_threshold, c >= self.contradict_threshold
        if strong_c and best_c and (not strong_s or c >= s):
            label, lead = Label.CONTRADICTED, best_c
        elif strong_s and best_s:
            label, lead = Label.SUPPORTED, best_s
        else:
            closest = self._closest(relevant) if relevant else max(passages, key=lambda x: x.retrieval_score)
            rest = max(0.0, 1.0 - s - c)
            total = s + c + rest
            probs = {Label.SUPPORTED: s / total, Label.CONTRADICTED: c / total, Label.NOT_MENTIONED: rest / total}
            shown = Passage(closest.text, closest.start, closest.end, closest.sentences,
                            closest.retrieval_score, closest.probabilities, is_evidence=False)
            return Verdict(claim, Label.NOT_MENTIONED, probs[Label.NOT_MENTIONED], probs, (shown,))
        threshold = self.threshold(label)
        # Prefer the shortest passage that is about as sure as the best one: a lone sentence
        # is clearer evidence than a 3-sentence window that merely contains it.
        peak = p(lead, label)
        close = [x for x in relevant if p(x, label) >= max(threshold, peak - self.shortest_margin)]
        lead = min(close, key=lambda x: (len(x.sentences), -p(x, label)))
        others = sorted(
            (x for x in relevant if x is not lead and p(x, label) >= threshold),
            key=lambda x: -p(x, label),
        )
        evidence = [lead]
        for x in others:  # a run that holds a listed passage, or lies inside one, repeats it
            if len(evidence) < self.max_evidence and not any(_nested(x, e) for e in evidence):
                evidence.append(x)
        return Verdict(claim, label, p(lead, label), dict(lead.probabilities), tuple(evidence))


def _nested(a: Passage, b: Passage) -> bool:
    """Whether one passage's sentences all lie in the other's."""
    sa, sb = set(a.sentences), set(b.sentences)
    return sa <= sb or sb <= sa
