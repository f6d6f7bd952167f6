"""`Verifier`: retrieval, NLI and the decision rule, put together."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from verifier.article import Article, as_article
from verifier.compound import combine, split_claim
from verifier.decision import DecisionRule
from verifier.errors import InputError
from verifier.labels import LABELS, Label
from verifier.nli import CrossEncoderNLI, NLIModel
from verifier.retrieval import ArticleIndex, Embedder, Hit, MiniLMEmbedder
from verifier.verdict import Passage, Verdict

MAX_CLAIM_CHARS = 2000
DEFAULT_TOP_K = 5  # candidate passages per claim sent to the NLI model


def validate_claim(claim: str) -> str:
    """The claim, stripped; `InputError` if it is empty or too long."""
    if not isinstance(claim, str):
        raise InputError(f"a claim must be text, got {type(claim).__name__}")
    text = " ".join(claim.split())
    if not text:
        raise InputError("the claim is empty")
    if len(text) > MAX_CLAIM_CHARS:
        raise InputError(f"the claim has {len(text):,} characters; the limit is {MAX_CLAIM_CHARS:,}")
    return text


class Verifier:
    """Checks claims against articles: finds the passage that bears on each claim and labels it.

    Args:
        model_name_or_path: NLI model (local folder or Hub id); None for the project's model.
        nli: a ready NLI model (anything with `predict`); overrides `model_name_or_path`.
        embedder: a ready sentence embedder; None loads all-MiniLM-L6-v2 from its PyPI package.
        rule: decision thresholds.
        top_k: candidate passages per claim sent to the NLI model.
        max_window: longest run of adjacent sentences considered as one passage.
        dense_weight: weight of embedding similarity against BM25 in retrieval.
        cache_size: articles whose index is kept, so that an article is embedded once.
        precision: NLI model precision: 'auto' (bf16 where the CPU or GPU computes it natively,
            else fp32), 'fp32', 'bf16' or 'int8' (CPU).
        score_all: score all `top_k` passages of every claim. By default passages are scored
            shortest first (single sentences, then runs of 2, then 3), and a claim stops at the
            first length where its passages settle it (`DecisionRule.is_settled`: one is over a
            threshold and relevant enough, or the model is sure none bears on the claim): the
            decision rule sees only the passages scored.
        diverse: keep only candidate passages that add a sentence to those ranked above them
            (`ArticleIndex.search`), so the `top_k` cover more of the article (off: measured
            better gold-evidence recall but no better verdicts).
        split_compound: check a compound claim ("A moved 2,000 people, among them 300 children";
            "A did X and B did Y") part by part and combine the verdicts (`verifier.compound`).
        trim: when a run of sentences decides a claim, score it without its first and without its
            last sentence, and show the shorter run when it decides the claim the same way (same
            verdict and detail checks, P(label) within `rule.shortest_margin` of the run's):
            a sentence that adds nothing to the decision is not shown as evidence.
        headline: score a passage that contradicts the claim again after the article's headline
            (its first line, when it reads as one: `retrieval.headline_of`) when the headline gives
            a word of the claim the passage lacks, and keep that reading when it no longer
            contradicts, so that "the bridge" in a passage is the bridge the headline names; and
            score a passage that lacks only claim words the headline gives after the headline
            from the start ("No deaths have been reported." under a wildfire headline); offsets
            and evidence stay the passage's.

    Example:
        >>> v = Verifier()
        >>> verdict = v.verify("More than 3,000 people were evacuated.", article_text)
        >>> verdict.label, verdict.passage.text
    """

    def __init__(
        self,
        model_name_or_path: str | Path | None = None,
        *,
        nli: NLIModel | None = None,
        embedder: Embedder | None = None,
        rule: DecisionRule | None = None,
        top_k: int = DEFAULT_TOP_K,
        max_window: int = 3,
        dense_weight: float = 0.7,
        cache_size: int = 16,
        precision: str = "auto",
        score_all: bool = False,
        split_compound: bool = True,
        diverse: bool = False,
        trim: bool = True,
        headline: bool = True,
    ):
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        if max_window < 1:
            raise ValueError(f"max_window must be at least 1, got {max_window}")
        self.nli = nli if nli is not None else CrossEncoderNLI(model_name_or_path, precision=precision)
        self.embedder = embedder if embedder is not None else MiniLMEmbedder()
        self.rule = rule or DecisionRule()
        self.top_k = top_k
        self.max_window = max_window
        self.dense_weight = dense_weight
        self.cache_size = cache_size
        self.score_all = score_all
        self.split_compound = split_compound
        self.diverse = diverse
        self.trim = trim
        self.headline = headline
        self._indexes: OrderedDict[str, ArticleIndex] = OrderedDict()

    def index(self, article: str | Article) -> ArticleIndex:
        """The article's sentence index, built once and cached by content."""
        art = as_article(article)
        key = hashlib.sha1(art.text.encode("utf-8", "surrogatepass")).hexdigest()
        hit = self._indexes.get(key)
        if hit is not None:
            self._indexes.move_to_end(key)
            return hit
        built = ArticleIndex(art, self.embedder, self.max_window)
        self._indexes[key] = built
        while len(self._indexes) > self.cache_size:
            self._indexes.popitem(last=False)
        return built

    def verify(self, claim: str, article: str | Article) -> Verdict:
        """Check one claim against one article."""
        return self.verify_many([claim], article)[0]

    def verify_many(self, claims: Iterable[str], articles: str | Article | Sequence[str | Article]) -> list[Verdict]:
        """Check many claims, against one article or one article per claim, in batches.

        Raises:
            InputError: a claim is empty or too long, or an article is unusable.
        """
        claim_list = [validate_claim(c) for c in claims]
        indexes = self._claim_indexes(claim_list, articles)
        split = [split_claim(c) if self.split_compound else [c] for c in claim_list]
        flat = [part for parts in split for part in parts]
        flat_indexes = [idx for parts, idx in zip(split, indexes) for _ in parts]
        scored = self._score(flat, flat_indexes)
        if self.trim:
            scored = self._trimmed(flat, scored, flat_indexes)
        decided = iter([self.rule.decide(part, passages, idx.article.text)
                        for part, passages, idx in zip(flat, scored, flat_indexes)])
        return [combine(claim, [next(decided) for _ in parts]) for claim, parts in zip(claim_list, split)]

    def score_passages(
        self, claims: Sequence[str], articles: str | Article | Sequence[str | Article]
    ) -> list[list[Passage]]:
        """The scored passages of each claim, in retrieval order (best first), each with its NLI
        probabilities: all `top_k` with `score_all`, else those read before the claim was decided.

        This is what the decision rule sees; `verify_many` is this plus trimming (`trim`) and
        `rule.decide`.
        """
        claim_list = [validate_claim(c) for c in claims]
        return self._score(claim_list, self._claim_indexes(claim_list, articles))

    def _claim_indexes(self, claim_list: list[str],
                       articles: str | Article | Sequence[str | Article]) -> list[ArticleIndex]:
        """Each claim's article index."""
        if isinstance(articles, (str, Article)):
            return [self.index(articles)] * len(claim_list)
        per_claim = list(articles)
        if len(per_claim) != len(claim_list):
            raise InputError(f"{len(claim_list)} claims but {len(per_claim)} articles")
        return [self.index(a) for a in per_claim]

    def _score(self, claim_list: list[str], indexes: list[ArticleIndex]) -> list[list[Passage]]:
        if not claim_list:
            return []
        hits_per_claim = self._retrieve(claim_list, indexes)

        # Score passages shortest first: all claims' single sentences in one NLI call, then the
        # 2-sentence windows of the claims still undecided, and so on (one call per length).
        scored: list[dict[int, Passage]] = [{} for _ in claim_list]
        lengths = sorted({_length(h) for hits in hits_per_claim for h in hits})
        stages = [lengths] if self.score_all else [[n] for n in lengths]
        undecided = list(range(len(claim_list)))
        for stage in stages:
            todo = [(i, j, indexes[i].text(h.candidate)) for i in undecided
                    for j, h in enumerate(hits_per_claim[i]) if _length(h) in stage]
            slot: dict[tuple[str, str], int] = {}
            where: dict[tuple[str, str], tuple[ArticleIndex, int]] = {}
            for i, j, text in todo:
                key = (text, claim_list[i])
                slot.setdefault(key, len(slot))
                where.setdefault(key, (indexes[i], hits_per_claim[i][j].candidate.start))
            if not slot:
                continue
            probs = self._predict([(*where[key], *key) for key in slot])
            for i, j, text in todo:
                h = hits_per_claim[i][j]
                c = h.candidate
                row = probs[slot[(text, claim_list[i])]]
                scored[i][j] = Passage(
                    text=text, start=c.start, end=c.end, sentences=tuple(range(c.first, c.last + 1)),
                    retrieval_score=h.score, probabilities=_probabilities(row),
                )
            if not self.score_all:
                undecided = [i for i in undecided if not self.rule.is_settled(scored[i].values())]
        return [[found[j] for j in sorted(found)] for found in scored]

    def _trimmed(self, claims: list[str], scored: list[list[Passage]],
                 indexes: list[ArticleIndex]) -> list[list[Passage]]:
        """Each claim's passages plus the shorter runs that decide it as its deciding run does
        (see `trim`); one NLI call per round, a round per sentence dropped."""
        scored = [list(ps) for ps in scored]
        active: list[int] = list(range(len(scored)))  # claims whose passages changed in the last round
        for _ in range(self.max_window - 1):
            todo: list[tuple[int, Label, Passage, Passage]] = []  # claim, label, run, shorter run
            for i in active:
                passages = scored[i]
                model = self.rule.decide_by_model(claims[i], passages)
                run = model.passage
                if model.label is Label.NOT_MENTIONED or run is None or len(run.sentences) < 2:
                    continue
                have = {(p.start, p.end) for p in passages}
                first, last = run.sentences[0], run.sentences[-1]
                for a, b in ((first + 1, last), (first, last - 1)):
                    sub = indexes[i].passage(a, b, run.retrieval_score)
                    if (sub.start, sub.end) not in have:
                        todo.append((i, model.label, run, sub))
            if not todo:
                break
            probs = self._predict([(indexes[i], sub.start, sub.text, claims[i]) for i, _, _, sub in todo])
            found: dict[int, list[Passage]] = {}
            active = []
            for (i, label, run, sub), row in zip(todo, probs):
                sub = replace(sub, probabilities=_probabilities(row))
                floor = max(self.rule.threshold(label), run.probabilities[label] - self.rule.shortest_margin)
                if sub.probabilities[label] >= floor:
                    found.setdefault(i, []).append(sub)
            for i, subs in found.items():
                article = indexes[i].article.text
                before = self.rule.decide(claims[i], scored[i], article)
                after = self.rule.decide(claims[i], scored[i] + subs, article)
                if after.label is before.label and _outcomes(after) == _outcomes(before):
                    scored[i] += subs  # the same verdict, and each claim detail still found
                    active.append(i)
        return scored

    def _predict(self, items: list[tuple[ArticleIndex, int, str, str]]) -> np.ndarray:
        """NLI probabilities of (index, passage start, passage text, claim) items. With `headline`, a
        passage that contradicts the claim is scored again after the article's headline when the
        headline gives a word of the claim the passage lacks (`ArticleIndex.premise`), and that
        reading is kept when it no longer contradicts: the model took "the bridge" for another one.
        A passage that lacks only claim words the headline gives ("No deaths have been reported."
        for "No deaths have been reported from the wildfire") is read after the headline at once."""
        if not self.headline:
            return self.nli.predict([(text, claim) for _, _, text, claim in items])
        # A passage that lacks only words the headline gives is read after the headline.
        premises = [index.premise(start, text, claim, complete=True) for index, start, text, claim in items]
        probs = self.nli.predict([(premise, claim) for premise, (_, _, _, claim) in zip(premises, items)])
        column = LABELS.index(Label.CONTRADICTED)
        again = [(k, premise) for k, (index, start, text, claim) in enumerate(items)
                 if premises[k] == text and probs[k][column] >= self.rule.contradict_threshold
                 and (premise := index.premise(start, text, claim)) != text]
        if again:
            rows = self.nli.predict([(premise, items[k][3]) for k, premise in again])
            for (k, _), row in zip(again, rows):
                if row[column] < self.rule.contradict_threshold:
                    probs[k] = row
        return probs

    def _retrieve(self, claim_list: list[str], indexes: list[ArticleIndex]) -> list[list[Hit]]:
        """Each claim's `top_k` candidates; claims of the same article are searched together."""
        vectors = self.embedder.encode(claim_list)
        hits_per_claim: list[list[Hit]] = [[] for _ in claim_list]
        groups: dict[int, list[int]] = {}
        for i, idx in enumerate(indexes):
            groups.setdefault(id(idx), []).append(i)
        for members in groups.values():
            idx = indexes[members[0]]
            found = idx.search([claim_list[i] for i in members], vectors[members], self.top_k, self.dense_weight,
                             self.diverse)
            for i, hits in zip(members, found):
                hits_per_claim[i] = hits
        return hits_per_claim


def _probabilities(row: Sequence[float]) -> dict[Label, float]:
    """An NLI output row as {label: probability}."""
    return {lab: float(row[k]) for k, lab in enumerate(LABELS)}


def _outcomes(verdict: Verdict) -> list[tuple[str, int, str]]:
    """What the detail checks found for each claim detail."""
    return sorted((c.kind, c.claim_start, c.outcome) for c in verdict.checks)


def _length(hit: Hit) -> int:
    """Sentences in the hit's passage."""
    return hit.candidate.last - hit.candidate.first + 1
