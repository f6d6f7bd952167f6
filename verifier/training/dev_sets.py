"""Readers for the held-out sets in `../shared/data/dev` (evaluation and model selection only).

Every reader takes the data folder (the one holding `train/` and `dev/`) and yields `Pair`s, as
the training readers in `verifier.training.nli_data` do. Two kinds of set:

- **pair sets** (`PAIR_SETS`): the premise is a short passage (a sentence, a few gold evidence
  sentences, an abstract's evidence); scored by the NLI model on (premise, claim) directly.
- **article sets** (`ARTICLE_SETS`): the premise is a whole article (`Pair.premise` holds its full
  text, line breaks kept); scored by the whole `Verifier` (retrieval + NLI + decision rule).

Two-way sets (`TWO_WAY_SETS`) only tell "supported" from "not supported": their negative pairs
carry `labels == NOT_ENTAILED` (contradicted or not mentioned) and they are scored supported vs
not supported.

Label decisions for the ambiguous cases:

- **politihop**: PolitiFact's annotated label false -> contradicted, true -> supported;
  **half-true is skipped** (part of the claim holds and part does not: none of our labels fits).
  The premise is the annotated evidence chain (sentence ids into the ruling, 0-based: the train
  file uses id 0 and never id == len(ruling); one pair per chain, so a claim with several chains
  gives several pairs). A leading "Says " is dropped from
  the statement.
- **wice**: supported -> supported, not_supported -> not supported (two-way: WiCE does not say
  whether the article contradicts the claim or is silent); **partially_supported is skipped**.
  **wice-strict** keeps every claim and counts partially_supported as not supported (the article
  does not support the whole claim), so it measures over-claiming on near misses.
- **arc**: agree -> supported, disagree -> contradicted, discuss and unrelated -> not_mentioned
  (as in the data README). The "article" is the user comment the headline is paired with.
- **check-covid** (pair set): the claim against its gold evidence sentences; NOTENOUGHINFO ->
  not_mentioned (its "evidence" is the closest, non-deciding sentence). **check-covid-abstract**
  (article set): the SUPPORT / REFUTE claims against the title and whole abstract;
  **NOTENOUGHINFO is skipped** there, because every such claim repeats, word for word, a supported
  or refuted claim about the same abstract.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from verifier.tables import allow_big_cells
from verifier.training.nli_data import Pair, _csv, _jsonl, _pair, _tsv, check_covid
from verifier.training.paths import data_dir

Reader = Callable[[Path], Iterator[Pair]]

_XNLI = {"0": "entailment", "1": "neutral", "2": "contradiction"}


def xnli(root: Path) -> Iterator[Pair]:
    """XNLI-en validation: 2,490 MNLI-style pairs, three-way."""
    for row in _tsv(root / "dev" / "xnli-en" / "validation.tsv"):
        if pair := _pair(row["premise"], row["hypothesis"], _XNLI.get(row["label"], ""), "xnli-en"):
            yield pair


SELECTION_PAIRS = 800
"""XNLI-en pairs that training (`TrainConfig.dev_pairs`) uses to pick the best checkpoint."""


def xnli_split(root: Path, n: int = SELECTION_PAIRS, seed: int = 0) -> tuple[list[Pair], list[Pair]]:
    """XNLI-en shuffled with `seed` and cut in two: the first `n` pairs (model selection), the rest."""
    pairs = list(xnli(root))
    random.Random(seed).shuffle(pairs)
    return pairs[:n], pairs[n:]


def xnli_unselected(root: Path) -> Iterator[Pair]:
    """XNLI-en without the pairs training uses for model selection: 1,690 pairs never looked at."""
    for pair in xnli_split(root)[1]:
        yield dataclasses.replace(pair, source="xnli-en-unselected")


def cad_snli(root: Path) -> Iterator[Pair]:
    """Counterfactually-augmented SNLI dev + test: 3,000 minimal-edit pairs, three-way."""
    for split in ("dev", "test"):
        for row in _tsv(root / "dev" / "cad-snli" / f"{split}.tsv"):
            if pair := _pair(row["sentence1"], row["sentence2"], row["gold_label"], "cad-snli"):
                yield pair


def conjnli(root: Path) -> Iterator[Pair]:
    """ConjNLI dev: 623 pairs about conjunctions, three-way."""
    for row in _tsv(root / "dev" / "conjnli" / "conj_dev.tsv"):
        if pair := _pair(row["Premise"], row["Hypothesis"], row["Label"], "conjnli"):
            yield pair


def rte(root: Path) -> Iterator[Pair]:
    """GLUE RTE dev: 277 news pairs, two-way (0 = entailment, 1 = not entailed)."""
    for row in _tsv(root / "dev" / "rte" / "dev.tsv"):
        label = {"0": "entailment", "1": "not_entailment"}.get(row["label"].strip(), "")
        if pair := _pair(row["sentence1"], row["sentence2"], label, "rte"):
            yield pair


def _rte_style(rel: str, hypothesis_col: str, name: str) -> Reader:
    """COVID-Fact / SciFact RTE files: `sentence1` evidence, claim column, `entailment` label."""

    def read(root: Path) -> Iterator[Pair]:
        for row in _tsv(root / "dev" / rel):
            if pair := _pair(row["sentence1"] or "", row[hypothesis_col] or "", row["entailment"] or "", name):
                yield pair

    read.__name__ = name.replace("-", "_")
    read.__doc__ = f"{name} dev: evidence vs claim, two-way (entailment / not_entailment)."
    return read


# The dev files name their columns differently from the training files (`label` -> `entailment`),
# and the claim column is `Sentence2` in COVID-Fact but `sentence2` in SciFact.
covidfact = _rte_style("covidfact-rte/dev.tsv", "Sentence2", "covidfact-rte")
scifact = _rte_style("scifact-rte/dev.tsv", "sentence2", "scifact-rte")


def healthver(root: Path) -> Iterator[Pair]:
    """HealthVer dev: 1,917 evidence-claim pairs; Supports / Refutes / Neutral."""
    for row in _csv(root / "dev" / "healthver" / "healthver_dev.csv"):
        if pair := _pair(row["evidence"] or "", row["claim"] or "", row["label"] or "", "healthver"):
            yield pair


def check_covid_dev(root: Path) -> Iterator[Pair]:
    """Check-COVID dev: 207 news claims against their gold evidence sentences, three-way."""
    yield from check_covid(root, split="dev")


def check_covid_abstract(root: Path) -> Iterator[Pair]:
    """Check-COVID dev SUPPORT / REFUTE claims against the title and whole abstract (article set).

    NOTENOUGHINFO claims are skipped: each repeats the text of a supported or refuted claim about
    the same abstract (it is "not enough info" only relative to one other sentence), so against
    the whole abstract its label would be wrong.
    """
    corpus = {row["cord_id"]: row for row in _jsonl(root / "train" / "check-covid" / "corpus.json")}
    for row in _jsonl(root / "dev" / "check-covid" / "dev.json"):
        doc = corpus.get(row["cord_id"])
        if not doc or row["label"] not in ("SUPPORT", "REFUTE"):
            continue
        abstract = " ".join(s.strip() for s in doc["abstract"] if s.strip())
        article = "\n".join(x for x in ((doc.get("title") or "").strip(), abstract) if x)
        if pair := _article_pair(article, row["claim"], row["label"], "check-covid-abstract"):
            yield pair


_QUOTES = "\"“”'‘’ "


def _statement(text: str) -> str:
    """A PolitiFact statement as a plain claim: CSV-doubled quotes undone, outer quotes and 'Says ' dropped."""
    text = re.sub(r'"{2,}', '"', text).strip(_QUOTES)
    if text.startswith("Says "):
        text = text[5:].strip(_QUOTES)
        text = text[:1].upper() + text[1:]
    # Stripping the outer quotes may have taken the closing quote of an inner quotation.
    if text.count('"') % 2:
        text += '"'
    for opening, closing in (("“", "”"), ("‘", "’")):
        if text.count(opening) > text.count(closing):
            text += closing
    return text


_POLITIHOP = {"false": "contradiction", "true": "entailment"}  # half-true: skipped


def politihop(root: Path) -> Iterator[Pair]:
    """PolitiHop valid: statements vs their annotated evidence chain from the ruling (see module doc)."""
    for row in _tsv_quoted(root / "dev" / "politihop" / "valid.tsv"):
        label = _POLITIHOP.get((row["annotated_label"] or "").strip().lower())
        if label is None:
            continue
        ruling = json.loads(row["ruling"])
        chains = json.loads(row["annotated_evidence"] or "{}")
        ids = sorted({int(x) for chain in chains.values() for item in chain for x in re.findall(r"\d+", str(item))})
        sents = [ruling[i] for i in ids if 0 <= i < len(ruling)]
        if pair := _pair(" ".join(sents), _statement(row["statement"] or ""), label, "politihop"):
            yield pair


def _tsv_quoted(path: Path) -> Iterator[dict[str, str]]:
    """A TSV whose fields use CSV quoting (PolitiHop: JSON lists inside quoted fields)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        allow_big_cells()
        yield from csv.DictReader(f, delimiter="\t")


def _article_pair(article: str, claim: str, label: str, source: str) -> Pair | None:
    """A claim-vs-article pair: the article keeps its line breaks; the claim is cleaned as usual."""
    article = "\n".join(line.strip() for line in article.splitlines() if line.strip())
    if not article:
        return None
    # `_pair` cleans the claim and parses the label; the article must not be flattened by it.
    parsed = _pair(".", claim, label, source)
    return Pair(article, parsed.hypothesis, parsed.labels, source) if parsed else None


def arc(root: Path) -> Iterator[Pair]:
    """ARC test: 3,559 claims (headlines) vs the user comment they are paired with (article set)."""
    bodies = {row["Body ID"].strip(): row["articleBody"] for row in _csv(root / "train" / "arc" / "arc_bodies.csv")}
    for row in _csv(root / "dev" / "arc" / "arc_stances_test.csv"):
        body = bodies.get(row["Body ID"].strip())
        if body is None:
            continue
        if pair := _article_pair(body, row["Headline"], row["Stance"], "arc"):
            yield pair


_META_TITLE = re.compile(r"^\(meta data\)\s*TITLE:\s*")


def _wice(root: Path, partial: str | None, source: str) -> Iterator[Pair]:
    for row in _jsonl(root / "dev" / "wice" / "entailment_retrieval_claim_dev.jsonl"):
        label = {"supported": "entailment", "not_supported": "not_entailment"}.get(row["label"], partial)
        if label is None:
            continue
        article = "\n".join(_META_TITLE.sub("", s) for s in row["evidence"])
        if pair := _article_pair(article, row["claim"], label, source):
            yield pair


def wice(root: Path) -> Iterator[Pair]:
    """WiCE dev: claims vs the whole cited web page; supported vs not_supported (partial skipped)."""
    yield from _wice(root, None, "wice")


def wice_strict(root: Path) -> Iterator[Pair]:
    """WiCE dev, all 349 claims: partially_supported counts as not supported."""
    yield from _wice(root, "not_entailment", "wice-strict")


PAIR_SETS: dict[str, Reader] = {
    "xnli-en": xnli,
    "xnli-en-unselected": xnli_unselected,
    "cad-snli": cad_snli,
    "conjnli": conjnli,
    "rte": rte,
    "covidfact-rte": covidfact,
    "scifact-rte": scifact,
    "healthver": healthver,
    "check-covid": check_covid_dev,
    "politihop": politihop,
}

ARTICLE_SETS: dict[str, Reader] = {
    "arc": arc,
    "wice": wice,
    "wice-strict": wice_strict,
    "check-covid-abstract": check_covid_abstract,
}

DEV_SETS: dict[str, Reader] = {**PAIR_SETS, **ARTICLE_SETS}


def _contrast(name: str) -> Reader:
    def read(root: Path) -> Iterator[Pair]:
        from verifier.training.contrast_sets import build, source_docs

        yield from build(name, source_docs(name, Path(root)))

    read.__name__ = name.replace("-", "_")
    return read


CONTRAST_SETS: dict[str, Reader] = {
    name: _contrast(name)
    for name in ("contrast-negation", "contrast-roles", "contrast-numbers", "contrast-unmentioned",
                 "contrast-paraphrase")
}
"""Rule-built pair sets for the NLI mistakes news exposes (`verifier.training.contrast_sets`), from train-side
text; not part of the default `DEV_SETS` (`--sets contrast` in dev_eval names them all)."""

ALL_SETS: dict[str, Reader] = {**DEV_SETS, **CONTRAST_SETS}

TWO_WAY_SETS: frozenset[str] = frozenset({"rte", "covidfact-rte", "scifact-rte", "wice", "wice-strict"})


def set_kind(name: str) -> str:
    """'pair' or 'article'; `KeyError` for an unknown set."""
    if name in PAIR_SETS or name in CONTRAST_SETS:
        return "pair"
    if name in ARTICLE_SETS:
        return "article"
    raise KeyError(f"unknown dev set {name!r}; known: {', '.join(ALL_SETS)}")


def read_dev_set(name: str, root: Path | None = None) -> list[Pair]:
    """All pairs of one dev set from the data folder `root` (default: `paths.data_dir()`)."""
    set_kind(name)
    return list(ALL_SETS[name](data_dir(root)))

