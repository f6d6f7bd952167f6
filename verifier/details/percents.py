"""What a percentage is of: "Food prices were 9.4% higher ..., and rents in the capital rose 7.2%".

A percentage carries no noun of its own, so the unit ("%") does not tell two percentages of a
sentence apart: a claim that "Rents in the capital rose 9.4%" matched the food prices' 9.4%, and
"The central bank's inflation target is 3%" was contradicted by the rate rise's 4.75%. The claim's
percentage is of its head nouns (`heads`): the last common noun before the clause's first verb or
preposition ("Rents" in "Rents in the capital rose"), and the last common noun before the number
("rate" in "raised its main interest rate to"), or the noun of an "of" phrase after it ("40% of
the country's mortgages"). A passage percentage is of the words of its clause (`clause_words`):
from the last comma, semicolon, "and", "but" or "while" before it to the number, and a noun or an
"of" phrase after it ("the bank's 3% target"). Names are not heads ("Inflation in Keldor was"),
nor are words of change ("rose", "higher"); a clause with no noun of its own ("and by a further
4%") is read with the clause before it.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"[A-Za-z][A-Za-z-]*")
_CLAUSE_END = re.compile(r"[,;:()]|\b(?:and|but|while|whereas)\b|(?<=[.!?])\s")
_CHANGE = frozenset(
    ["rose", "rise", "rises", "risen", "rising", "fell", "fall", "falls", "fallen", "falling", "grew", "grow",
     "grows", "grown", "increased", "increase", "increases", "decreased", "decrease", "declined", "decline",
     "dropped", "drop", "drops", "climbed", "climb", "jumped", "jump", "slipped", "slid", "stood", "stands",
     "reached", "hit", "up", "down", "higher", "lower", "more", "less", "raised", "raise", "cut", "lowered",
     "was", "were", "is", "are", "be", "been", "has", "have", "had", "will", "would", "could", "percentage",
     "point", "points", "per", "cent", "percent", "about", "around", "nearly", "almost", "some", "than",
     "over", "under", "above", "below", "least", "most", "roughly", "exactly", "twice", "times", "further",
     "another", "additional", "extra", "other", "only", "just", "still", "also", "again"])
_FUNCTION = frozenset(
    ["the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "it", "they",
     "which", "who", "said", "says", "s"])
_PREPOSITIONS = frozenset(["in", "of", "among", "for", "at", "on", "to", "by", "from", "with", "across", "over"])


def _stem(word: str) -> str:
    return word.lower()[:6]  # as `verifier.details.align.stems`


def _clause_before(text: str, start: int) -> str:
    """The clause before `start`; with the one before it when it has no noun of its own, as in
    "... raises wages by 6% this year and by a further 4%" (the 4% is of wages too)."""
    head = text[:start]
    cut = 0
    for m in _CLAUSE_END.finditer(head):
        cut = m.end()
    if cut and not any(_is_noun(w) for w in _TOKEN.findall(head[cut:])):
        return _clause_before(text, cut - 1 if cut > 1 else 0) + head[cut:]
    return head[cut:]


def _of_phrase(text: str, end: int) -> list[str]:
    """Up to three words of an "of" phrase right after the number, else a noun right after it."""
    m = re.match(r"\s+of\s+((?:[\w'’-]+\s*){1,4})", text[end:])
    if m:
        out: list[str] = []
        for w in _TOKEN.findall(m.group(1)):
            low = w.lower()
            if low in _CHANGE or low in _PREPOSITIONS or (out and low in _FUNCTION and low != "s"):
                break
            if low not in _FUNCTION:
                out.append(w)
        return out
    m = re.match(r"\s+([a-z][a-z-]+)", text[end:])
    if m and m.group(1) not in _CHANGE and m.group(1) not in _PREPOSITIONS and m.group(1) not in _FUNCTION:
        return [m.group(1)]
    return []


def _is_noun(word: str) -> bool:
    low = word.lower()
    return word[0].islower() and low not in _CHANGE and low not in _FUNCTION and low not in _PREPOSITIONS


@lru_cache(maxsize=4096)
def heads(claim: str, start: int, end: int) -> frozenset[str]:
    """The stems of the nouns the claim's percentage at `start:end` is of (empty: none found)."""
    after = [w for w in _of_phrase(claim, end) if w[0].islower()]
    if after:
        return frozenset({_stem(after[-1])})
    clause = _clause_before(claim, start)
    words = _TOKEN.findall(clause)
    if words and clause.strip() == claim[:start].strip():
        words[0] = words[0].lower()  # the claim's first word is capitalised as such, not as a name
    out = set()
    first = next((i for i, w in enumerate(words)
                  if w.lower() in _PREPOSITIONS or (w.lower() in _CHANGE and i > 0)), len(words))
    nouns = [w for w in words[:first] if _is_noun(w)]
    if nouns:
        out.add(_stem(nouns[-1]))
    nouns = [w for w in words if _is_noun(w)]
    if nouns:
        out.add(_stem(nouns[-1]))
    return frozenset(out)


def clause_words(passage: str, start: int, end: int) -> frozenset[str]:
    """The stems of the words a passage percentage at `start:end` can be of."""
    words = _TOKEN.findall(_clause_before(passage, start)) + _of_phrase(passage, end)
    return frozenset(_stem(w) for w in words)
