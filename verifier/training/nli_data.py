"""Readers for the public NLI and fact-checking sets in `../shared/data`, as training pairs.

Every reader yields `Pair`s whose `labels` hold the labels a pair may have: one label for a
three-way set, and `(contradicted, not_mentioned)` for the "not entailed" side of a two-way set,
which the training loss treats as "either of these".
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from verifier.labels import Label, parse_label
from verifier.tables import allow_big_cells
from verifier.training.averitec import LABELS as AVERITEC_LABELS
from verifier.training.averitec import evidence_passage

NOT_ENTAILED: tuple[Label, ...] = (Label.CONTRADICTED, Label.NOT_MENTIONED)


@dataclass(frozen=True)
class Pair:
    """One (premise, hypothesis) training or evaluation pair."""

    premise: str
    hypothesis: str
    labels: tuple[Label, ...]
    source: str

    @property
    def two_way(self) -> bool:
        """True for the 'not entailed' side of a two-way set."""
        return len(self.labels) > 1


_DETOKENISE = [(re.compile(r" ([.,;:!?'])"), r"\1"), (re.compile(r" n't"), "n't"), (re.compile(r"\s+"), " ")]


def _clean(text: str) -> str:
    text = text.strip()
    for pattern, repl in _DETOKENISE:
        text = pattern.sub(repl, text)
    return text


def _pair(premise: str, hypothesis: str, label: str, source: str) -> Pair | None:
    premise, hypothesis = _clean(premise), _clean(hypothesis)
    if not premise or not hypothesis or not label.strip():
        return None
    key = label.strip().lower()
    if key in {"not_entailment", "not entailment", "1_two_way"}:
        return Pair(premise, hypothesis, NOT_ENTAILED, source)
    try:
        return Pair(premise, hypothesis, (parse_label(key),), source)
    except ValueError:
        return None


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        allow_big_cells()
        yield from csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def _csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        allow_big_cells()
        yield from csv.DictReader(f)


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def snli(root: Path) -> Iterator[Pair]:
    for split in ("dev", "test"):
        d = root / "train" / "snli"
        lines = zip(
            (d / f"s1.{split}").read_text(encoding="utf-8").splitlines(),
            (d / f"s2.{split}").read_text(encoding="utf-8").splitlines(),
            (d / f"labels.{split}").read_text(encoding="utf-8").splitlines(),
        )
        for p, h, y in lines:
            if pair := _pair(p, h, y, "snli"):
                yield pair


def _tsv_set(rel: str, p: str, h: str, y: str, name: str) -> Callable[[Path], Iterator[Pair]]:
    def read(root: Path) -> Iterator[Pair]:
        for row in _tsv(root / rel):
            if pair := _pair(row[p] or "", row[h] or "", row[y] or "", name):
                yield pair

    read.__name__ = name
    return read


taxinli = _tsv_set("train/taxinli/taxinli10k.tsv", "prem", "hyp", "label", "taxinli")
sick = _tsv_set("train/sick/SICK.txt", "sentence_A", "sentence_B", "entailment_judgment", "sick")
cad_snli = _tsv_set("train/cad-snli/train.tsv", "sentence1", "sentence2", "gold_label", "cad-snli")
conjnli = _tsv_set("train/conjnli/adversarial_train_15k.tsv", "Premise", "Hypothesis", "Label", "conjnli")
covidfact = _tsv_set("train/covidfact-rte/train.tsv", "sentence1", "Sentence2", "label", "covidfact-rte")
scifact = _tsv_set("train/scifact-rte/train.tsv", "sentence1", "sentence2", "entailment", "scifact-rte")

_ANLI = {"e": "entailment", "n": "neutral", "c": "contradiction"}


def anli(root: Path) -> Iterator[Pair]:
    for r in (1, 2, 3):
        for row in _csv(root / "train" / "anli" / f"r{r}_dev.csv"):
            if pair := _pair(row["context"], row["statement"], _ANLI.get(row["gold_label"], ""), "anli"):
                yield pair


def rte(root: Path) -> Iterator[Pair]:
    for row in _tsv(root / "train" / "rte" / "train.tsv"):
        label = {"0": "entailment", "1": "not_entailment"}.get(row["label"], "")
        if pair := _pair(row["sentence1"], row["sentence2"], label, "rte"):
            yield pair


def breaking_nli(root: Path) -> Iterator[Pair]:
    for row in _jsonl(root / "train" / "breaking-nli" / "dataset.jsonl"):
        if pair := _pair(row["sentence1"], row["sentence2"], row["gold_label"], "breaking-nli"):
            yield pair


def docnli(root: Path) -> Iterator[Pair]:
    d = root / "train" / "docnli-binary"
    for name in ("MNLI_dev.txt", "MNLI_test.txt", "FEVER-NLI_dev.txt", "FEVER-NLI_test.txt"):
        source = "docnli-" + name.split("_")[0].lower()
        with (d / name).open(encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3 and (pair := _pair(parts[1], parts[2], parts[0], source)):
                    yield pair


def check_covid(root: Path, split: str = "train") -> Iterator[Pair]:
    """Check-COVID claims against their gold evidence sentences from the abstract."""
    base = root / "train" / "check-covid"
    corpus = {row["cord_id"]: row for row in _jsonl(base / "corpus.json")}
    path = base / "train.json" if split == "train" else root / "dev" / "check-covid" / "dev.json"
    for row in _jsonl(path):
        doc = corpus.get(row["cord_id"])
        if not doc:
            continue
        sents = doc["abstract"]
        ids = sorted({e["sent_index"] for e in row.get("evidence_set") or [] if e["sent_index"] < len(sents)})
        if not ids:
            continue
        premise = " ".join(sents[i] for i in ids)
        if pair := _pair(premise, row["claim"], row["label"].replace("NOTENOUGHINFO", "neutral"), "check-covid"):
            yield pair


def new_protocols(root: Path) -> Iterator[Pair]:
    """Bowman et al. (2020) MNLI-style pairs on Wikipedia premises; rows with stray tabs are skipped.

    The `contrast` protocol has entailment / contradiction only (no neutral pairs)."""
    d = root / "train" / "new-protocols"
    for name in ("base", "edit_premise", "edit_other", "contrast"):
        with (d / f"{name}_train.tsv").open(encoding="utf-8") as f:
            next(f, None)  # header
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 12 and (pair := _pair(parts[8], parts[9], parts[11], "new-protocols")):
                    yield pair


def _jsonl_set(pattern: str, name: str, doc: str) -> Callable[[Path], Iterator[Pair]]:
    def read(root: Path) -> Iterator[Pair]:
        for path in sorted(root.glob(pattern)):
            for row in _jsonl(path):
                if pair := _pair(row["premise"], row["hypothesis"], row["label"], name):
                    yield pair

    read.__name__ = name.replace("-", "_")
    read.__doc__ = doc
    return read


lingnli = _jsonl_set("train/lingnli/train_*.jsonl", "lingnli",
                     "LingNLI (Parrish et al. 2021): new hypotheses for MNLI premises, every round and protocol.")
mnli_dev = _jsonl_set("train/mnli-dev/val.jsonl", "mnli-dev",
                      "MNLI dev-matched (trainable here: the project's MNLI-style dev set is XNLI-en).")


_SNLI_SAMPLE = {"1": "neutral", "2": "contradiction", "3": "entailment"}


def snli_train_sample(root: Path) -> Iterator[Pair]:
    """A sample of the SNLI train split: TSV without header, `label, label, premise, hypothesis`."""
    for split in ("train", "test"):
        with (root / "train" / "snli-train-sample" / f"{split}.tsv").open(encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 4 and (pair := _pair(parts[2], parts[3], _SNLI_SAMPLE.get(parts[0], ""),
                                                      "snli-train-sample")):
                    yield pair


def averitec(root: Path) -> Iterator[Pair]:
    """AVeriTeC claims against a passage built from their question-answer evidence (`verifier.training.averitec`)."""
    with (root / "train" / "averitec" / "train.json").open(encoding="utf-8") as f:
        rows = json.load(f)
    for row in rows:
        label = AVERITEC_LABELS.get(row.get("label") or "", "")
        if label and (pair := _pair(evidence_passage(row.get("questions") or []), row.get("claim") or "", label,
                                    "averitec")):
            yield pair


READERS: dict[str, Callable[[Path], Iterator[Pair]]] = {
    "snli": snli,
    "taxinli": taxinli,
    "sick": sick,
    "anli": anli,
    "cad-snli": cad_snli,
    "conjnli": conjnli,
    "breaking-nli": breaking_nli,
    "rte": rte,
    "docnli": docnli,
    "covidfact-rte": covidfact,
    "scifact-rte": scifact,
    "check-covid": check_covid,
    "new-protocols": new_protocols,
    "lingnli": lingnli,
    "mnli-dev": mnli_dev,
    "snli-train-sample": snli_train_sample,
    "averitec": averitec,
}


def read_sets(root: Path, names: list[str] | None = None) -> list[Pair]:
    """Read the named training sets (all by default) from the data folder `root`."""
    out: list[Pair] = []
    for name in names or list(READERS):
        if name not in READERS:
            raise ValueError(f"unknown training set {name!r}; known: {', '.join(READERS)}")
        out.extend(READERS[name](root))
    return out
