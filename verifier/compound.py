"""Compound claims: splitting a claim that joins checkable statements, and combining the verdicts.

The split is conservative: it is made only where both parts keep a subject and a verb.

- "The agency moved more than 2,000 people, among them over 300 children" ->
  "The agency moved more than 2,000 people" + "The agency moved over 300 children"; the tail's
  quantity takes the place of the head's last one, so "More than 3,000 people were evacuated,
  among them about 1,400 children" -> ... + "About 1,400 children were evacuated"
  (also "including", "of whom", "of them").
- "A said X, and B did Y" / "A said X; B did Y" -> the two clauses, when the second starts with
  a subject (a name, a pronoun, "the ..." or a plural noun such as "supermarkets") followed
  within a few words by a verb (a plural noun: by a past-tense verb at once); without the comma,
  "X happened after A and B turned professional" is one statement.
- "A rose 5% and fell 3%" (a shared subject) -> "A rose 5%" + "A fell 3%", when both sides start
  with a past-tense verb.

Combination (`combine`): any part contradicted -> contradicted; all supported -> supported;
otherwise not mentioned. The verdict lists the parts with their own evidence.
"""

from __future__ import annotations

import re
from dataclasses import replace

from verifier.details.align import Check
from verifier.details.extract import extract
from verifier.labels import Label
from verifier.verdict import Verdict

_AMONG = re.compile(r",\s+(?:among them|including|of whom|of them|among whom)\s+", re.IGNORECASE)
_AND = re.compile(r"(?P<comma>,|;)?\s+(?:and|but|while)\s+|;\s+")
_VERB = re.compile(
    r"^(?:is|are|was|were|has|have|had|will|would|can|could|said|says|did|does|do|made|took|gave|went|came|"
    r"began|won|lost|left|met|held|rose|fell|killed|died|fled|[a-z]{3,}ed)$"
)
_SUBJECT_START = re.compile(r"^(?:he|she|it|they|we|i|the|its|his|her|their|this|that|[A-Z][\w-]*)$")
_PREPOSITIONS = frozenset(["in", "by", "at", "from", "to", "on", "for", "with", "during", "since", "after"])
_PAST = re.compile(r"^(?:[a-z]{3,}ed|rose|fell|made|took|gave|went|came|began|won|lost|left|met|held|said)$")


def _words(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"[\w'’-]+", text))


def _verb_at(words: list[re.Match[str]], limit: int = 8) -> int:
    """Index of the first verb-like word after the first, within `limit` words; -1 if none."""
    for i, w in enumerate(words[:limit]):
        if i > 0 and w.group(0)[0].islower() and _VERB.match(w.group(0)):
            return i
    return -1


def _is_clause(text: str, verb_within: int = 8) -> bool:
    words = _words(text)
    return len(words) >= 3 and bool(_SUBJECT_START.match(words[0].group(0))) and _verb_at(words, verb_within) > 0


def _plural_subject(text: str) -> bool:
    """Whether a clause opens with a plural noun and a past-tense verb: "supermarkets reported ..."
    (not "hats made in Italy" or "cases reported by the agency": a participle and a preposition)."""
    words = [w.group(0) for w in _words(text)]
    if len(words) < 3 or not words[0].islower() or len(words[0]) <= 3 or not words[0].endswith("s"):
        return False
    participle = (words[1].endswith("ed") or words[1] == "made") and words[2] in _PREPOSITIONS
    return not words[0].endswith("ss") and bool(_PAST.match(words[1])) and not participle


def _split_among(claim: str) -> list[str] | None:
    m = _AMONG.search(claim)
    if not m:
        return None
    head, tail = claim[: m.start()], claim[m.end():].rstrip(" .")
    quantities = [d for d in extract(head) if d.kind == "quantity"]
    tail_q = [d for d in extract(tail) if d.kind == "quantity"]
    if not quantities or len(tail_q) != 1 or (tail_q[0].start, tail_q[0].end) != (0, len(tail)):
        return None
    q = quantities[-1]  # the tail's quantity takes its place: "X moved 2,000 people" -> "X moved 300 children"
    after = [w.group(0) for w in _words(head[q.end:])[:4]]
    if not (_is_clause(head) or (q.start == 0 and any(_VERB.match(w) for w in after))):
        return None  # the quantity is the subject when it opens the claim ("3,000 people were ...")
    part = head[: q.start] + tail + head[q.end:]
    if q.start == 0:  # "More than 3,000 people were evacuated" -> "About 1,400 children were evacuated"
        part = part[0].upper() + part[1:]
    return [head.rstrip(" .") + ".", part.rstrip(" .") + "."]


def _split_and(claim: str) -> list[str] | None:
    body = claim.rstrip(" .")
    for m in _AND.finditer(body):
        left, right = body[: m.start()], body[m.end():]
        if not _is_clause(left):
            continue
        if (m.group("comma") or m.group(0).startswith(";")) and (_is_clause(right, verb_within=4)
                                                                 or _plural_subject(right)):
            return [left + ".", right[0].upper() + right[1:] + "."]
        lw, rw = _words(left), _words(right)
        v = _verb_at(lw)
        if (len(rw) >= 2 and len(lw) - v >= 3  # each verb keeps its own object: "recorded and produced X" stays
                and _PAST.match(lw[v].group(0)) and _PAST.match(rw[0].group(0))):
            return [left + ".", f"{left[: lw[v].start()].rstrip()} {right}."]
    return None


def split_claim(claim: str) -> list[str]:
    """The claim's parts (the claim alone when it is not split)."""
    parts = _split_among(claim) or _split_and(claim)
    return parts if parts and all(p.strip(" .") for p in parts) else [claim]


def _in_claim(claim: str, checks: tuple[Check, ...]) -> tuple[Check, ...]:
    """The parts' checks with offsets and text in the whole claim (a part's text is cut from it,
    with a capital letter added where a part starts with the claim's quantity)."""
    out = []
    for c in checks:
        at = claim.find(c.claim_text)
        if at < 0:
            at = claim.lower().find(c.claim_text.lower())
        if at < 0:
            out.append(replace(c, claim_start=-1, claim_end=-1))  # not expected: parts are cut from the claim
            continue
        end = at + len(c.claim_text)
        out.append(replace(c, claim_start=at, claim_end=end, claim_text=claim[at:end]))
    return tuple(dict.fromkeys(out))


def combine(claim: str, parts: list[Verdict]) -> Verdict:
    """One verdict for a split claim: any part contradicted -> contradicted (its evidence); all
    supported -> supported (the parts' evidence, the least sure part's confidence); otherwise not
    mentioned (the first such part's closest passage)."""
    if len(parts) == 1:
        return parts[0]
    contradicted = [v for v in parts if v.label is Label.CONTRADICTED]
    if contradicted:
        lead = max(contradicted, key=lambda v: v.confidence)
        return Verdict(claim, lead.label, lead.confidence, dict(lead.probabilities), lead.evidence,
                       _in_claim(claim, lead.checks), parts=tuple(parts),
                       needs_review=any(v.needs_review for v in parts))
    if all(v.label is Label.SUPPORTED for v in parts):
        weakest = min(parts, key=lambda v: v.confidence)
        evidence = tuple({(p.start, p.end): p for v in parts for p in v.evidence[:1]}.values())
        checks = _in_claim(claim, tuple(c for v in parts for c in v.checks))
        return Verdict(claim, Label.SUPPORTED, weakest.confidence, dict(weakest.probabilities), evidence, checks,
                       parts=tuple(parts), needs_review=any(v.needs_review for v in parts))
    lead = next(v for v in parts if v.label is Label.NOT_MENTIONED)
    return Verdict(claim, lead.label, lead.confidence, dict(lead.probabilities), lead.evidence,
                   _in_claim(claim, lead.checks), parts=tuple(parts), needs_review=any(v.needs_review for v in parts))
