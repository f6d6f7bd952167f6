"""Ranks: a superlative the claim and the passage rank differently.

"Halvik is the country's largest port" against "Halvik is the country's second-largest port";
"the third-busiest airport" against "the busiest airport". The NLI model reads such a pair as
support: every other word matches. A superlative alone ranks first; an ordinal before it
("second-largest", "second largest", "third biggest") gives its rank. The passage sentence must
hold the same superlative at another rank, not at the claim's, and `negation.SAME_STATEMENT` of
the claim's other content words; neither side may negate anything ("is not the largest" agrees
with "second-largest").
"""

from __future__ import annotations

import re

from verifier.details.negation import Word, same_statement, sentence_words, words

SUPERLATIVES = frozenset([
    "largest", "biggest", "busiest", "highest", "lowest", "oldest", "tallest", "longest", "smallest", "richest",
    "poorest", "deadliest", "worst", "best", "greatest", "strongest", "fastest", "heaviest", "hottest",
    "coldest", "wettest", "driest",
])
ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
            "tenth": 10, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
# An optional ordinal, then a superlative, ending where the word ends: "largest", "second largest",
# "second-largest" (one word to the tokenizer).
_RANKED = re.compile(rf"(?:(?P<ord>{'|'.join(ORDINALS)})[\s-]+)?(?P<sup>{'|'.join(SUPERLATIVES)})$", re.IGNORECASE)


def _ranks(text: str, found: tuple[Word, ...]) -> list[tuple[str, int, Word]]:
    """(superlative, rank, word) for each superlative among `found`, the words of `text`; the
    word's span grows to take in an ordinal before it ("second largest")."""
    out = []
    for w in found:
        m = _RANKED.search(text, max(0, w.start - 10), w.end)
        if m and w.start in (m.start(), m.start("sup")):  # the whole word, or the word after its ordinal
            rank = ORDINALS[m.group("ord").lower()] if m.group("ord") else 1
            out.append((m.group("sup").lower(), rank, Word(w.stem, m.start(), w.end, w.negated)))
    return out


def compare(claim: str, passage: str, sentences: list[tuple[int, int]]) -> list[tuple[Word, Word]]:
    """(claim words, passage words) pairs where the passage sentence (`sentences`: their spans) ranks
    a superlative of the claim otherwise ("largest" / "second-largest"), never at the claim's rank,
    and holds at least `negation.SAME_STATEMENT` of the claim's other content words."""
    claim_words = words(claim)
    ours = _ranks(claim, claim_words)
    if not ours or any(w.negated for w in claim_words):
        return []
    others = [{w.stem for w in claim_words if not (c.start <= w.start < c.end)} for _, _, c in ours]
    out = []
    for theirs, found in sentence_words(passage, tuple(sentences)):
        if any(w.negated for w in theirs):
            continue
        ranked = _ranks(passage, theirs)
        for (sup, rank, c), rest in zip(ours, others):
            same = [(r, p) for s, r, p in ranked if s == sup]
            if same and all(r != rank for r, _ in same) and same_statement(rest, found):
                out.append((c, same[0][1]))
                break
    return out
