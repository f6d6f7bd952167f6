"""How detail checks change the model's verdict (applied by `DecisionRule.decide`).

- A supporting passage that gives a different detail (or lacks one of a kind in
  `BLOCK_SUPPORT`) cannot support the claim: the next supporting passage that passes is used;
  else a mismatch in the deciding passage makes the verdict `contradicted` (a missing detail:
  `not_mentioned`).
- A weak contradiction (<= `WEAK_CONTRADICTION`) from a passage whose numbers, dates, times and
  directions all match the claim's becomes support: the model misread a number.
- A number, date or time of a passage that does not name the claim's subject (`lacks_subject`)
  is not comparable with the claim's: it belongs to someone else's event; so are those and the
  weekdays and directions of a passage when the claim is about another event (`other_event`).
- A contradicting passage that lacks a detail of a kind in `BLOCK_CONTRADICTION`, or that does
  not name the claim's subject (`lacks_subject`), and has no mismatch cannot contradict: the
  next contradicting passage is used, else `not_mentioned`.
- When the model finds nothing, or no passage can contradict, a relevant passage with a
  mismatched detail contradicts the claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from verifier.details.align import MATCH, MISMATCH, MISSING, NOT_COMPARABLE, Check, check_details
from verifier.details.extract import claim_details as details_of
from verifier.labels import Label
from verifier.verdict import Passage, Verdict

# Article text before a passage searched for a name the passage refers to by a pronoun.
CONTEXT_CHARS = 400
# Kinds of missing detail that keep a passage from supporting / contradicting. Empty: measured on
# train-side pairs, blocking costs more than it gains (Check-COVID train abstracts call COVID-19
# "SARS-CoV-2" and paraphrase numbers: 0.660 -> 0.193 right with names and numbers blocking,
# 0.573 with numbers alone); a missing detail flags the verdict for review instead.
BLOCK_SUPPORT: frozenset[str] = frozenset()
BLOCK_CONTRADICTION: frozenset[str] = frozenset()
# A contradiction no stronger than this, from a passage whose numbers, dates and times all match
# the claim's, is taken for the model misreading a number ("no fewer than 200" / "at least 200")
# and becomes the support of that passage; None: never.
WEAK_CONTRADICTION: float | None = 0.65
_NUMERIC = frozenset({"quantity", "date", "time", "direction"})
# Details of an event: in a passage that does not name the claim's subject (`lacks_subject`), a
# different number, date or time is another party's ("Gregor Halloway has led Brannock Civil Works
# since 2015" / "maintained since 2011 by a private company, Brannock Civil Works"), not comparable.
_OF_AN_EVENT = frozenset({"quantity", "date", "time"})
# A claim's subject, for `lacks_subject`: a name of two or more capitalised words that opens the
# claim, after an optional "The" ("Jonas Weller visited ...", "The Red Cross set up ...").
_SUBJECT = re.compile(r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")
_BEFORE_SUBJECT = re.compile(r"(?:The\s+)?")
# A claim about another event than the article's: "Another wildfire broke out near the coast on
# Tuesday", "A second ship ...", or one its opening year names ("The 2017 fire in Pellora killed four
# people") when the passage does not give that year. Its numbers, dates, times, weekdays and
# directions are not comparable with the passage's: they are the other event's.
_ANOTHER = re.compile(r"(?:Another|A\s+(?:second|third|separate|further|different))\b")
_YEAR_SUBJECT = re.compile(r"(?:The|A|An)\s+(?:[a-z]+\s+)?(?P<year>1[5-9]\d{2}|20\d{2})\s+[a-z]")
_OF_ANOTHER_EVENT = _OF_AN_EVENT | {"weekday", "direction"}


def has(checks: Sequence[Check], outcome: str, kinds: frozenset[str] | None = None) -> bool:
    """Whether some check has `outcome` (and, if given, one of `kinds`)."""
    return any(c.outcome == outcome and (kinds is None or c.kind in kinds) for c in checks)


def lacks_subject(claim: str, checks: Sequence[Check]) -> bool:
    """Whether the passage neither names the claim's subject nor gives it just before (a `name`
    check missing), and ties no role as the claim does: it is then about someone else, and the
    model's contradiction is a claim the article does not report ("Jonas Weller visited the
    exhibition centre on Sunday" against "Sorin met the mayors at the exhibition centre"). A
    matched role keeps it: "Jonas Weller is the mayor of Lenhold" against another mayor of Lenhold."""
    return not has(checks, MATCH, frozenset({"role"})) and any(
        c.kind == "name" and c.outcome == MISSING and _SUBJECT.fullmatch(c.claim_text)
        and _BEFORE_SUBJECT.fullmatch(claim[:c.claim_start]) for c in checks)


def other_event(claim: str, checks: Sequence[Check]) -> bool:
    """Whether the claim is about another event than the passage (`_ANOTHER`, `_YEAR_SUBJECT`)."""
    if _ANOTHER.match(claim):
        return True
    year = _YEAR_SUBJECT.match(claim)
    return year is not None and not any(c.kind == "date" and c.claim_start == year.start("year")
                                        and c.outcome == MATCH for c in checks)


class Thresholds(Protocol):
    """What of the decision rule the checks use (`DecisionRule` has it)."""

    @property
    def support_threshold(self) -> float: ...

    @property
    def contradict_threshold(self) -> float: ...

    def is_relevant(self, passage: Passage) -> bool: ...


def apply_checks(verdict: Verdict, passages: Sequence[Passage], rule: Thresholds,
                 article: str | None = None) -> Verdict:
    """The verdict after the detail checks of the module docstring, carrying the checks of its passage."""
    claim_details = details_of(verdict.claim, article)
    lead = verdict.passage
    if lead is None:
        return verdict  # a claim without details still gets its role and negation checks
    cache: dict[int, tuple[Check, ...]] = {}

    def checks(p: Passage) -> tuple[Check, ...]:
        if id(p) not in cache:
            context = article[max(0, p.start - CONTEXT_CHARS):p.start] if article else ""
            found = check_details(verdict.claim, p.text, p.start, context=context, claim_details=claim_details)
            kinds = (_OF_ANOTHER_EVENT if other_event(verdict.claim, found)
                     else _OF_AN_EVENT if lacks_subject(verdict.claim, found) else frozenset())
            found = [replace(c, outcome=NOT_COMPARABLE) if c.kind in kinds and c.outcome == MISMATCH else c
                     for c in found]
            cache[id(p)] = tuple(found)
        return cache[id(p)]

    def labelled(label: Label, p: Passage, is_evidence: bool = True) -> Verdict:
        shown = p if p.is_evidence == is_evidence else replace(p, is_evidence=is_evidence)
        probs = dict(p.probabilities)
        confidence = probs.get(label, 0.0)
        if label is Label.CONTRADICTED and has(checks(p), MISMATCH):
            confidence = 1.0 - probs.get(Label.NOT_MENTIONED, 0.0)  # the model: the passage bears on the claim
        return Verdict(verdict.claim, label, confidence, probs, (shown,), checks(p))

    def backers(label: Label, threshold: float) -> list[Passage]:
        """The lead, then the other relevant passages over the label's threshold, strongest first."""
        others = [p for p in passages if p is not lead and rule.is_relevant(p)
                  and p.probabilities.get(label, 0.0) >= threshold]
        return [lead, *sorted(others, key=lambda p: -p.probabilities.get(label, 0.0))]

    if verdict.label is Label.SUPPORTED:
        for p in backers(Label.SUPPORTED, rule.support_threshold):
            if not has(checks(p), MISMATCH) and not has(checks(p), MISSING, BLOCK_SUPPORT):
                return replace(verdict, checks=checks(p)) if p is lead else labelled(Label.SUPPORTED, p)
        if has(checks(lead), MISMATCH):
            return labelled(Label.CONTRADICTED, lead)
        return labelled(Label.NOT_MENTIONED, lead, is_evidence=False)
    if verdict.label is Label.CONTRADICTED:
        lc = checks(lead)
        numeric = [c for c in lc if c.kind in _NUMERIC]
        if (WEAK_CONTRADICTION is not None and verdict.confidence <= WEAK_CONTRADICTION and numeric
                and all(c.outcome == MATCH for c in numeric) and not has(lc, MISSING)):
            return labelled(Label.SUPPORTED, lead)
        for p in backers(Label.CONTRADICTED, rule.contradict_threshold):
            if has(checks(p), MISMATCH) or not (has(checks(p), MISSING, BLOCK_CONTRADICTION)
                                                or lacks_subject(verdict.claim, checks(p))):
                return replace(verdict, checks=checks(p)) if p is lead else labelled(Label.CONTRADICTED, p)
    for p in sorted((p for p in passages if rule.is_relevant(p)), key=lambda p: -p.retrieval_score):
        if has(checks(p), MISMATCH):
            return labelled(Label.CONTRADICTED, p)
    if verdict.label is Label.CONTRADICTED:  # no passage could contradict
        return labelled(Label.NOT_MENTIONED, lead, is_evidence=False)
    return replace(verdict, checks=checks(lead))
