"""Polarity: a word the claim states and the passage negates, or the other way round.

"Pashinyan said Armenia helped draft the agreement" against "Pashinyan confirmed that his country
did not participate in drafting the agreement"; "Peskov cast doubt on whether ..." against "Peskov
said that there is no doubt that ...". An NLI model this small reads such a pair as support: every
word of the claim is in the passage. Rules, not a parser: a negator ("not", "n't", "never", "no",
"without", "nor") negates the first content word after it in its clause, and the word after a
following "in" or "to" ("did not participate in drafting").
Words are compared by their Snowball stem, so "drafting" meets "draft".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"[A-Za-z]+(?=n['’]t\b)|n['’]t\b|[A-Za-z][A-Za-z-]*|[,;:()\"“”]|\d[\d,.]*")
_NEGATORS = frozenset(["not", "n't", "n’t", "never", "no", "without", "nor"])
# After a negator, these make it a bound or a contrast, not a denial ("no fewer than", "not only").
_NOT_DENIALS = frozenset(["only", "just", "merely", "more", "less", "fewer", "least", "than", "later", "earlier",
                          "sooner", "until", "till", "before", "after", "far", "yet", "necessarily", "exactly",
                          "quite", "all", "every"])
# Words between a negator and what it negates ("did not even try", "has never been").
_SKIP = frozenset(["the", "a", "an", "be", "been", "being", "even", "have", "has", "had", "any", "ever", "also",
                   "so", "too", "very", "really", "yet", "to", "its", "their", "his", "her", "our", "such",
                   "immediately", "directly", "officially", "publicly", "formally"])
_CLAUSE_END = frozenset([",", ";", ":", "(", ")", '"', "“", "”", "but", "and", "or", "which", "that", "who",
                         "because", "while", "although", "though", "whereas", "if"])
_STOP = frozenset(["the", "a", "an", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or", "but",
                   "that", "this", "these", "those", "is", "are", "was", "were", "be", "been", "being", "has", "have",
                   "had", "it", "its", "his", "her", "their", "they", "he", "she", "we", "as", "than", "then", "said",
                   "says", "say", "would", "will", "could", "should", "did", "do", "does", "also", "into", "there",
                   "here", "which", "who", "whom", "whose", "what", "can", "may", "might", "must", "i", "you", "our",
                   "one", "any", "some", "all", "so", "very", "more", "most", "only", "about", "over", "such",
                   *_NEGATORS, "even", "ever", "yet", "whether", "if", "when", "while", "after", "before"])
# Share of the claim's other content words the passage sentence must hold: the same statement.
SAME_STATEMENT = 0.5


@dataclass(frozen=True)
class Word:
    """A content word, its stem, and whether a negator negates it; text[start:end] is the word, from
    its negator on when negated ("not participate in drafting")."""

    stem: str
    start: int
    end: int
    negated: bool


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[Word, ...]:
    """The content words of `text`, each marked negated or not (cached: the claims of one article
    meet the same sentences again and again)."""
    tokens = list(_TOKEN.finditer(text))
    lower = [t.group(0).lower() for t in tokens]
    negated: dict[int, int] = {}  # token index -> index of its negator
    for i, tok in enumerate(lower):
        if tok not in _NEGATORS:
            continue
        if i + 1 < len(lower) and lower[i + 1] in _NOT_DENIALS:
            continue
        k = i + 1
        while k < len(lower) and lower[k] in _SKIP:
            k += 1
        if k >= len(lower) or lower[k] in _CLAUSE_END or lower[k] in _STOP or not lower[k][0].isalpha():
            continue
        negated[k] = i
        if k + 2 < len(lower) and lower[k + 1] in ("in", "to") and lower[k + 2] not in _STOP | _CLAUSE_END:
            negated[k + 2] = i  # "did not participate in drafting", "did not agree to withdraw"
    from verifier.retrieval import stemmer  # BM25's stemmer; imported here, as retrieval imports the pipeline's package

    stem = stemmer().stemWord
    return tuple(Word(stem(tok), tokens[negated[i]].start() if i in negated else t.start(), t.end(), i in negated)
                 for i, (t, tok) in enumerate(zip(tokens, lower))
                 if tok[0].isalpha() and tok not in _STOP and len(tok) > 1)


Sentence = tuple[tuple[Word, ...], frozenset[str]]  # a sentence's content words and their stems


@lru_cache(maxsize=1024)
def sentence_words(passage: str, sentences: tuple[tuple[int, int], ...]) -> tuple[Sentence, ...]:
    """For each passage sentence (`sentences`: their spans), its content words with offsets into
    the passage, and their stems (cached: every claim of an article meets the same passages)."""
    out = []
    for a, b in sentences:
        theirs = tuple(Word(w.stem, w.start + a, w.end + a, w.negated) for w in words(passage[a:b]))
        out.append((theirs, frozenset(w.stem for w in theirs)))
    return tuple(out)


def same_statement(others: set[str], found: frozenset[str]) -> bool:
    """Whether a sentence with stems `found` holds `SAME_STATEMENT` of the claim's other words `others`."""
    return len(others & found) >= SAME_STATEMENT * max(1, len(others))


def compare(claim: str, passage: str, sentences: list[tuple[int, int]]) -> list[tuple[Word, Word]]:
    """(claim word, passage word) pairs of one stem where one side negates the word and the other
    side negates nothing at all, in a passage sentence (`sentences`: their spans) holding at least
    `SAME_STATEMENT` of the claim's other content words. Two statements that each negate something
    ("took no part in drafting" / "did not participate in drafting") are left to the model, and so
    is a sentence stating the opposite of a claim word: "was not found alive" says "was found dead"."""
    from verifier.details.opposites import holds_opposite  # opposites builds on this module

    ours = words(claim)
    stems = {w.stem for w in ours}
    claim_negates = any(w.negated for w in ours)
    out = []
    for theirs, found in sentence_words(passage, tuple(sentences)):
        passage_negates = any(w.negated for w in theirs)
        if claim_negates == passage_negates or holds_opposite(stems, found):
            continue
        flipped = [(c, p) for c in ours for p in theirs if c.stem == p.stem and c.negated != p.negated]
        for c, p in flipped:
            if same_statement(stems - {c.stem}, found):
                out.append((c, p))
                break
    return out
