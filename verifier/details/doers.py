"""Doers: who did what the claim says its subject did.

"Lena Dravic declared a state of emergency on Tuesday" against "Regional governor Tomas Verhallen
declared a state of emergency on Tuesday"; "Tomas Verhallen said the fire service had warned in
May ..." against '"We warned in May ...," he said' after "Piet Anselm, leader of the firefighters'
union, said ...". The NLI model reads the first pair as unrelated (the claim's person is not in
the passage) and the second as support. The claim opens with a person's name (two or more
capitalised words) and a verb; when a passage sentence holding `negation.SAME_STATEMENT` of the
claim's other content words does not name that person and gives the same verb (by stem) to
another named person, that person did it instead.

Shapes read: "<Name> <verb>", "<Name>, <apposition>, <verb>", one or two words between the name
and the verb ("Tomas Verhallen also declared", "Tomas Verhallen has declared"), and "he/she
<verb>" for the person named last before it.
"""

from __future__ import annotations

import re

from verifier.details.negation import same_statement, sentence_words, words

_NAME = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)+"
# The claim's subject: a name that opens the claim (after an optional "The").
_SUBJECT = re.compile(rf"(?:The\s+)?(?P<name>{_NAME})\s+(?P<rest>.*)", re.DOTALL)
_AUXILIARIES = frozenset(["has", "had", "have", "was", "were", "is", "are", "will", "would", "did", "also",
                          "then", "later", "again", "been"])
_PERSON = re.compile(_NAME)
# What may stand between a doer and its verb: an apposition set off by commas, then up to two words.
_BETWEEN = re.compile(r"(?:\s*,[^,.;]{1,100},)?\s+(?:[a-z]+\s+){0,2}$")
_NEGATED = re.compile(r"(?:\bnot|\bnever|n't)\s+(?:[a-z]+\s+)?$")
_PRONOUN = re.compile(r"\b(?:he|she|He|She)\s+(?:[a-z]+\s+)?$")


def _verb(rest: str) -> tuple[int, int] | None:
    """Span in `rest` of the claim's verb: its first lower-case word, after auxiliaries."""
    for m in re.finditer(r"[A-Za-z]+", rest):
        w = m.group(0)
        if not w.islower():
            return None
        if w not in _AUXILIARIES:
            return m.start(), m.end()
    return None


def _last_parts(name: str) -> set[str]:
    """The name's last word, cut to 6 letters as `align.stems` cuts words ("Verhallen" -> "verhal")."""
    return {t.lower()[:6] for t in re.findall(r"[A-Z][a-z]+", name)[-1:]}


def compare(claim: str, passage: str, sentences: list[tuple[int, int]],
            context: str = "") -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(claim subject span, doer span) where a passage sentence that holds the claim's statement
    and does not name the claim's subject gives the claim's verb to another named person. The doer
    span is in the passage, or before it (negative: in `context`, the text just before the passage)
    when a pronoun ("he said") refers to a person named there."""
    m = _SUBJECT.fullmatch(claim)
    if not m:
        return []
    surname = _last_parts(m.group("name"))
    rest_at = m.start("rest")
    verb_span = _verb(m.group("rest"))
    if verb_span is None:
        return []
    verb_start, verb_end = rest_at + verb_span[0], rest_at + verb_span[1]
    from verifier.retrieval import stemmer  # as in negation: retrieval imports the pipeline's package

    stem = stemmer().stemWord
    verb = stem(claim[verb_start:verb_end].lower())
    claim_words = words(claim)
    subject_stems = {w.stem for w in claim_words if w.end <= m.end("name")}
    others = {w.stem for w in claim_words} - subject_stems - {verb}
    subject = (m.start("name"), m.end("name"))
    for (_theirs, found), (a, b) in zip(sentence_words(passage, tuple(sentences)), sentences):
        if not same_statement(others, found) or _names(passage[a:b], surname):
            continue
        for v in re.finditer(r"[A-Za-z]+", passage[a:b]):
            if stem(v.group(0).lower()) != verb:
                continue
            before = passage[a:a + v.start()]
            if _NEGATED.search(before):
                continue
            if (between := _BETWEEN.search(before)) is not None:
                doer = list(_PERSON.finditer(before[:between.start()]))
                if doer and doer[-1].end() == between.start():
                    return [(subject, (a + doer[-1].start(), a + doer[-1].end()))]
            if _PRONOUN.search(before):
                text = context + passage[:a + v.start()]
                named = list(_PERSON.finditer(text))
                if named and not _names(named[-1].group(0), surname):
                    shift = len(context)
                    return [(subject, (named[-1].start() - shift, named[-1].end() - shift))]
    return []


def _names(text: str, surname: set[str]) -> bool:
    """Whether `text` has a word cut like the claim subject's surname."""
    return bool(surname & {w.lower()[:6] for w in re.findall(r"[A-Za-z]+", text)})
