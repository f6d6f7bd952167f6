"""Articles split into sentences for the pair generators."""

from __future__ import annotations

from dataclasses import dataclass, field

from verifier.training.news_pairs.entities import Entity, find_entities
from verifier.training.news_pairs.not_mentioned import find_details
from verifier.training.news_pairs.numbers import find_numbers
from verifier.training.news_pairs.text import MAX_WORDS, MIN_WORDS, _clean, content_words, word_count, words


@dataclass
class Doc:
    """One article body split into sentences, with what the perturbations draw from."""

    doc_id: str
    text: str
    sentences: list[str]
    numbers: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)
    details_by_sentence: list[list[tuple[str, str]]] = field(default_factory=list)
    content: list[set[str]] = field(default_factory=list)


_SPLITS: dict[str, tuple[str, ...]] = {}


def _split(text: str) -> tuple[str, ...]:
    """`split_sentences` texts, memoised (retrieval and contrast pairs split the same bodies)."""
    if text not in _SPLITS:
        from verifier.sentences import split_sentences

        _SPLITS[text] = tuple(s.text for s in split_sentences(text))
    return _SPLITS[text]


def make_doc(doc_id: str, text: str) -> Doc:
    sents = [_clean(s) for s in _split(text)]
    sents = [s for s in sents if s]
    doc = Doc(doc_id, text, sents)
    doc.numbers = [n.text for s in sents for n in find_numbers(s)]
    doc.entities = [e for s in sents for e in find_entities(s)]
    doc.details_by_sentence = [find_details(s) for s in sents]
    doc.content = [content_words(s) for s in sents]
    return doc


_ENGLISH = frozenset("the of and to in is was that for with he she it they have has be are were by this from".split())  # noqa: SIM905


def _eligible(sentence: str) -> bool:
    n = word_count(sentence)
    if not (MIN_WORDS <= n <= MAX_WORDS):
        return False
    if len(_ENGLISH.intersection(w.lower() for w in words(sentence))) < 2:
        return False  # not English (a few French / Spanish bodies), or a fragment
    return not ("http" in sentence or sentence.count("@") > 1
                or sum(c.isalpha() for c in sentence) < 0.6 * len(sentence))
