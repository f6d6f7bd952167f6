"""Kind generators: each yields (premise, hypothesis) pairs for one (doc, sentence index); `contrast_pairs`."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator

from verifier.labels import Label
from verifier.training.news_pairs.dates import swap_date
from verifier.training.news_pairs.directions import swap_direction
from verifier.training.news_pairs.docs import Doc, _eligible
from verifier.training.news_pairs.entities import swap_entity
from verifier.training.news_pairs.negation import has_negation, negate, remove_negation
from verifier.training.news_pairs.not_mentioned import add_detail, overlap
from verifier.training.news_pairs.numbers import swap_number
from verifier.training.news_pairs.rewrites import bound_rewrite, drop_clause, light_rewrite
from verifier.training.news_pairs.text import MAX_PAIR_WORDS, _clean, word_count

Gen = Callable[[Doc, int, random.Random], list[tuple[str, str]]]


def _window(doc: Doc, i: int, rng: random.Random, budget: int = MAX_PAIR_WORDS, sizes=(2, 3)) -> str | None:
    """A window of 2-3 adjacent sentences containing sentence `i`, at most `budget` words."""
    n = len(doc.sentences)
    options = [s for s in sizes if s <= n]
    rng.shuffle(options)
    for size in options:
        first = rng.randint(max(0, i - size + 1), min(i, n - size))
        text = " ".join(doc.sentences[first : first + size])
        if word_count(text) <= budget:
            return text
    return None


def k_number(doc, i, rng):
    s = doc.sentences[i]
    h = swap_number(s, doc.numbers, rng)
    return [(s, h)] if h else []


def k_date(doc, i, rng):
    s = doc.sentences[i]
    h = swap_date(s, doc.text, rng)
    return [(s, h)] if h else []


def k_entity(doc, i, rng):
    s = doc.sentences[i]
    h = swap_entity(s, doc.entities, rng, doc.text)
    return [(s, h)] if h else []


def k_direction(doc, i, rng):
    s = doc.sentences[i]
    h = swap_direction(s, rng)
    return [(s, h)] if h else []


def negated(doc: Doc, i: int, rng: random.Random) -> str | None:
    """Sentence `i` negated (`negate`); None when it already holds a negation or none can be inserted."""
    s = doc.sentences[i]
    return None if has_negation(s) else negate(s, rng)


def k_negation(doc, i, rng):
    h = negated(doc, i, rng)
    return [(doc.sentences[i], h)] if h else []


def k_negation_removed(doc, i, rng):
    s = doc.sentences[i]
    h = remove_negation(s)
    return [(s, h)] if h else []


def k_negation_copy(doc, i, rng):
    """The negated sentence as (part of) the premise and, lightly rewritten, as the hypothesis."""
    neg = negated(doc, i, rng)
    if not neg:
        return []
    premise = neg
    if rng.random() < 0.5:
        swapped = Doc(doc.doc_id, doc.text, doc.sentences[:i] + [neg] + doc.sentences[i + 1 :])
        premise = _window(swapped, i, rng, MAX_PAIR_WORDS - word_count(neg)) or neg
    hyp = neg
    if rng.random() < 0.5 and (d := drop_clause(neg, rng)) and has_negation(d):
        hyp = d
    return [(premise, hyp)]


def k_format(doc, i, rng):
    s = doc.sentences[i]
    h = bound_rewrite(s, rng)
    return [(s, h)] if h else []


def k_clause(doc, i, rng):
    s = doc.sentences[i]
    h = drop_clause(s, rng)
    return [(s, h)] if h else []


def k_window(doc, i, rng):
    s = doc.sentences[i]
    hyp, _how = light_rewrite(s, rng)
    premise = _window(doc, i, rng, MAX_PAIR_WORDS - word_count(hyp))
    if not premise:
        return []
    return [(premise, hyp)]


def k_hard_negative(doc, i, rng):
    """Sentence i against the 1-2 sentence window (not containing it) that shares the most words
    with it, provided a good part of the sentence's content is new to that window."""
    s = doc.sentences[i]
    n = len(doc.sentences)
    if n < 4:
        return []
    hyp_words = doc.content[i]
    if len(hyp_words) < 4:
        return []
    best, best_score = None, 0.0
    for size in (1, 2):
        for a in range(n - size + 1):
            if a <= i < a + size:
                continue
            idx = range(a, a + size)
            if any(doc.sentences[j] == s for j in idx):
                continue
            prem_words = set().union(*(doc.content[j] for j in idx))
            novel = hyp_words - prem_words
            if len(novel) < 3 or len(novel) < 0.4 * len(hyp_words):
                continue
            shared = len(hyp_words & prem_words)
            if shared < 2:
                continue
            score = overlap(hyp_words, prem_words) + (0.02 if size == 2 else 0.0)
            if score > best_score:
                best, best_score = (a, size), score
    if best is None:
        return []
    a, size = best
    premise = " ".join(doc.sentences[a : a + size])

    return [(premise, s)]


def k_added_detail(doc, i, rng):
    s = doc.sentences[i]
    pool = [d for j, ds in enumerate(doc.details_by_sentence) if j != i for d in ds]
    h = add_detail(s, pool, rng)
    return [(s, h)] if h else []


KINDS: dict[str, tuple[Label, Gen]] = {
    "news-number-swap": (Label.CONTRADICTED, k_number),
    "news-date-swap": (Label.CONTRADICTED, k_date),
    "news-entity-swap": (Label.CONTRADICTED, k_entity),
    "news-direction-swap": (Label.CONTRADICTED, k_direction),
    "news-negation": (Label.CONTRADICTED, k_negation),
    "news-negation-removed": (Label.CONTRADICTED, k_negation_removed),
    "news-negation-copy": (Label.SUPPORTED, k_negation_copy),
    "news-format": (Label.SUPPORTED, k_format),
    "news-clause-drop": (Label.SUPPORTED, k_clause),
    "news-window": (Label.SUPPORTED, k_window),
    "news-hard-negative": (Label.NOT_MENTIONED, k_hard_negative),
    "news-added-detail": (Label.NOT_MENTIONED, k_added_detail),
}


def _kind_stream(kind: str, gen: Gen, items: list[tuple[Doc, int]], seed: int,
                 per_doc: int) -> Iterator[tuple[str, str, str]]:
    rng = random.Random(f"{seed}:{kind}")
    order = list(range(len(items)))
    rng.shuffle(order)
    used: Counter[str] = Counter()
    for k in order:
        doc, i = items[k]
        if used[doc.doc_id] >= per_doc:
            continue
        for premise, hyp in gen(doc, i, rng):
            premise, hyp = _clean(premise), _clean(hyp)
            # a copy is the point of negation-copy; everywhere else the text must have changed
            if word_count(premise) + word_count(hyp) > MAX_PAIR_WORDS:
                continue
            if premise and hyp and (hyp != premise or kind == "news-negation-copy"):
                used[doc.doc_id] += 1
                yield premise, hyp, doc.doc_id


def contrast_pairs(docs: list[Doc], per_label: int, seed: int, per_doc: int = 3,
                   seen: set[tuple[str, str]] | None = None) -> list[dict]:
    """Round-robin over the kinds of each label until `per_label` pairs (kinds that run out leave
    their share to the others); the negation-copy quota follows the negation count so that an
    inserted "not" is as often supported as contradicted."""
    seen = seen if seen is not None else set()
    items = [(d, i) for d in docs for i, s in enumerate(d.sentences) if _eligible(s)]
    rows: list[dict] = []
    by_label: dict[Label, list[str]] = defaultdict(list)
    for kind, (label, _) in KINDS.items():
        by_label[label].append(kind)
    streams = {kind: _kind_stream(kind, gen, items, seed, per_doc) for kind, (_, gen) in KINDS.items()}
    counts: Counter[str] = Counter()

    def pull(kind: str) -> bool:
        for premise, hyp, doc_id in streams[kind]:
            key = (premise, hyp)
            if key in seen:
                continue
            seen.add(key)
            rows.append({"premise": premise, "hypothesis": hyp, "labels": [KINDS[kind][0].value],
                         "source": kind, "doc": doc_id})
            counts[kind] += 1
            return True
        return False

    order = [Label.CONTRADICTED, Label.SUPPORTED, Label.NOT_MENTIONED]
    for label in order:
        kinds = [k for k in by_label[label] if k != "news-negation-copy"]
        total = per_label
        if label == Label.SUPPORTED:
            target = counts["news-negation"]
            while counts["news-negation-copy"] < target and pull("news-negation-copy"):
                pass
            total -= counts["news-negation-copy"]
        alive = list(kinds)
        made = 0
        while made < total and alive:
            for kind in list(alive):
                if made >= total:
                    break
                if pull(kind):
                    made += 1
                else:
                    alive.remove(kind)
    return rows
