"""Opposites: a word the claim states where the passage states its opposite.

"The missing firefighter was found dead" against "A firefighter who had been reported missing
was found alive"; "prices rose" against "prices fell"; "the ministry approved the plan" against
"the ministry rejected the plan". The NLI model reads many such pairs as support: all the other
words match. A short list of opposites that news uses for the same slot, compared by Snowball
stem. Neither the claim nor the passage sentence may negate anything ("was not found alive"
against "was found dead" is left to the model), and the sentence must hold
`negation.SAME_STATEMENT` of the claim's other content words and not the claim's word itself; a
claim that states both sides ("shut for 19 hours before reopening") is not contradicted by either.
"""

from __future__ import annotations

from functools import lru_cache

from verifier.details.negation import Word, same_statement, sentence_words, words

# Each pair: two groups of word forms that state opposites of each other.
PAIRS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("alive", "survived", "survive", "survives", "survivor", "survivors"), ("dead", "died", "killed", "die", "dies")),
    (("rise", "rises", "rose", "risen", "rising"), ("fall", "falls", "fell", "fallen", "falling")),
    (("increase", "increased", "increases", "increasing"), ("decrease", "decreased", "decreases", "decreasing")),
    (("grew", "grow", "grows", "growing"), ("shrank", "shrink", "shrinks", "shrinking", "shrunk")),
    (("won", "win", "wins", "winning"), ("lost", "lose", "loses", "losing")),
    (("accepted", "accept", "accepts", "accepting"), ("rejected", "reject", "rejects", "rejecting", "refused",
                                                      "refuse", "refuses")),
    (("approved", "approve", "approves", "approving"), ("rejected", "reject", "rejects", "rejecting")),
    (("confirmed", "confirm", "confirms", "confirming"), ("denied", "deny", "denies", "denying")),
    (("supported", "supports", "backed"), ("opposed", "opposes", "opposing", "against")),
    (("opened", "reopened"), ("closed", "shut")),
    (("higher",), ("lower",)),
    (("above",), ("below",)),
    (("raised", "raise", "raises"), ("lowered", "lower", "lowers", "cut")),
    (("imposed", "impose", "imposes"), ("lifted", "lift", "lifts")),
    (("allowed", "allow", "allows", "permitted"), ("banned", "ban", "bans", "prohibited", "forbade", "forbidden")),
    (("succeeded", "succeed", "succeeds", "successful"), ("failed", "fail", "fails", "unsuccessful")),
    (("guilty",), ("innocent",)),
    (("legal",), ("illegal",)),
    (("agreed", "agree", "agrees"), ("disagreed", "disagree", "disagrees", "refused")),
    (("upstream",), ("downstream",)),
    (("leads", "leading"), ("trails", "trailing", "trailed")),
    (("strengthened", "strengthens", "strengthen"), ("weakened", "weakens", "weaken")),
    # parts of a day ("on Wednesday morning" / "on Wednesday evening"); evening and night may be one time
    (("morning",), ("afternoon", "evening", "night")),
    (("afternoon",), ("evening", "night")),
)


@lru_cache(maxsize=1)
def _opposites() -> dict[str, frozenset[str]]:
    """Stem -> the stems of its opposites."""
    from verifier.retrieval import stemmer  # as in negation: retrieval imports the pipeline's package

    stem = stemmer().stemWord
    out: dict[str, set[str]] = {}
    for left, right in PAIRS:
        a, b = {stem(w) for w in left}, {stem(w) for w in right}
        for s in a:
            out.setdefault(s, set()).update(b)
        for s in b:
            out.setdefault(s, set()).update(a)
    return {k: frozenset(v - {k}) for k, v in out.items()}


def holds_opposite(stems: set[str] | frozenset[str], found: frozenset[str]) -> bool:
    """Whether a sentence with stems `found` states the opposite of one of `stems` (and not that word)."""
    table = _opposites()
    return any(s in table and s not in found and table[s] & found for s in stems)


def compare(claim: str, passage: str, sentences: list[tuple[int, int]]) -> list[tuple[Word, Word]]:
    """(claim word, passage word) pairs where the passage sentence (`sentences`: their spans) states
    the opposite of a claim word, neither side negating anything, the sentence lacking the claim's
    word and holding at least `negation.SAME_STATEMENT` of the claim's other content words."""
    table = _opposites()
    claim_words = words(claim)
    if any(w.negated for w in claim_words):
        return []  # "was not found alive" against "was found dead": left to the model
    ours = [w for w in claim_words if w.stem in table]
    if not ours:
        return []
    stems = {w.stem for w in claim_words}
    out = []
    for theirs, found in sentence_words(passage, tuple(sentences)):
        if any(w.negated for w in theirs):
            continue
        for c in ours:
            hit = None if c.stem in found else next(
                (p for p in theirs if p.stem in table[c.stem] and p.stem not in stems), None)
            if hit and same_statement(stems - {c.stem}, found):
                out.append((c, hit))
                break
    return out
