"""Training pairs from the news articles of FNC-1 and ARC (`../shared/data/train`).

Two families of pairs, written as JSONL rows `{"premise", "hypothesis", "labels", "source", "doc"}`
that `TrainConfig.extra_jsonl` reads:

1. Retrieved pairs (`fnc1-retrieved`, `arc-retrieved`): each headline is matched to the best
   passage (a sentence or two adjacent sentences) of its body with the project's own retrieval
   (`ArticleIndex` + MiniLM), and the stance becomes the label: agree -> supported,
   disagree -> contradicted, discuss / unrelated -> not_mentioned. This is the setting the model
   meets at inference time: a claim against a retrieved passage.
2. Contrast pairs (`news-<kind>`): minimal, rule-based edits of single article sentences.
   - contradicted: number, date, named-entity and direction-word swaps; negation inserted after
     the first auxiliary; an existing negation removed.
   - supported: numbers rewritten as bounds they satisfy ("3,154" -> "more than 3,000"); a clause
     dropped; a 2-3 sentence window containing the sentence; the negated sentence against itself
     (so that an inserted "not" is not a shortcut for "contradicted").
   - not_mentioned: a same-article sentence against a high-overlap window that does not contain
     it; the sentence with a time / place / attribution phrase from elsewhere in the article added.

The text functions (`swap_number`, `negate`, ...) are pure and take an explicit `random.Random`;
only `build_news_pairs` loads the embedder. Everything is deterministic for a given seed.

    verifier news-pairs runs/news_pairs.jsonl --data-dir ../shared/data

One module per section: `text`, `numbers`, `dates`, `entities` (and their word lists),
`directions`, `negation`, `rewrites` (supported), `not_mentioned`, `docs`, `kinds` (the
generators and `contrast_pairs`), `retrieved` (headline pairs) and `build` (`build_news_pairs`).
"""

from __future__ import annotations

from verifier.training.news_pairs.build import build_news_pairs
from verifier.training.news_pairs.dates import find_dates, swap_date
from verifier.training.news_pairs.directions import swap_direction
from verifier.training.news_pairs.docs import Doc, make_doc
from verifier.training.news_pairs.entities import Entity, entity_class, find_entities, swap_entity
from verifier.training.news_pairs.kinds import (
    KINDS,
    contrast_pairs,
    k_hard_negative,
    k_negation_copy,
    k_number,
    negated,
)
from verifier.training.news_pairs.negation import negate, remove_negation
from verifier.training.news_pairs.not_mentioned import add_detail, find_details
from verifier.training.news_pairs.numbers import MONTHS, find_numbers, swap_number
from verifier.training.news_pairs.retrieved import load_sets, retrieved_pairs
from verifier.training.news_pairs.rewrites import bound_rewrite, drop_clause
from verifier.training.news_pairs.text import MAX_PAIR_WORDS, content_words, word_count, words

__all__ = [
    "KINDS",
    "MAX_PAIR_WORDS",
    "MONTHS",
    "Doc",
    "Entity",
    "add_detail",
    "bound_rewrite",
    "build_news_pairs",
    "content_words",
    "contrast_pairs",
    "drop_clause",
    "entity_class",
    "find_dates",
    "find_details",
    "find_entities",
    "find_numbers",
    "k_hard_negative",
    "k_negation_copy",
    "k_number",
    "load_sets",
    "make_doc",
    "negate",
    "negated",
    "remove_negation",
    "retrieved_pairs",
    "swap_date",
    "swap_direction",
    "swap_entity",
    "swap_number",
    "word_count",
    "words",
]
