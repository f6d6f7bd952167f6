"""Training-set readers for the sets added in issue 12, on tiny fixture files in the real formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.labels import Label
from verifier.training.averitec import answer_text, evidence_passage
from verifier.training.nli_data import READERS, read_sets

S, C, N = Label.SUPPORTED, Label.CONTRADICTED, Label.NOT_MENTIONED
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

_NP_HEADER = "index\tpromptID\tpairID\tgenre\tnull\tnull\tnull\tnull\tsentence1\tsentence2\tlabel1\tgold_label\n"


def _np_row(i: int, premise: str, hypothesis: str, label: str) -> str:
    return f"{i}\tbase_1.00{i}\tbase_1.00{i}x\twikipedia\t\t\t\t\t{premise}\t{hypothesis}\t{label}\t{label}\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    t = tmp_path / "train"
    _write(t / "new-protocols" / "base_train.tsv", _NP_HEADER
           + _np_row(1, "In 1812 cargo moved through Rome.", " In 1812 cargo moved through Rome for the 5th time.",
                     "neutral")
           + "2\tbase_2\tbase_2e\twikipedia\t\t\t\t\tA stray\ttab row.\tHypothesis.\tentailment\tentailment\n"
           + _np_row(3, "Tin Machine acted as a democratic unit.", "Tin Machine was democratic.", "entailment"))
    _write(t / "new-protocols" / "edit_premise_train.tsv", _NP_HEADER
           + _np_row(1, "She is surprised there by Albert.", "She knew Albert was there.", "contradiction"))
    _write(t / "new-protocols" / "edit_other_train.tsv", _NP_HEADER)
    _write(t / "new-protocols" / "contrast_train.tsv", _NP_HEADER
           + _np_row(1, "A cradle is a wrestling move.", "A cradle is not a move.", "contradiction"))
    ling = [{"AnonId": 1, "label": "entailment", "premise": "I passed out.", "hypothesis": "I fainted."},
            {"AnonId": 2, "label": "neutral", "premise": "I passed out.", "hypothesis": "I was drunk."}]
    _write(t / "lingnli" / "train_round1_LitL.jsonl", "\n".join(json.dumps(r) for r in ling) + "\n")
    _write(t / "lingnli" / "train_round2_LotS.jsonl", json.dumps(
        {"label": "contradiction", "premise": "It rained.", "hypothesis": "It was dry."}) + "\n\n")
    _write(t / "mnli-dev" / "val.jsonl", json.dumps(
        {"hypothesis": "Everyone likes the benefits ", "idx": 0, "label": "neutral",
         "premise": "The new rights are nice enough"}) + "\n")
    _write(t / "snli-train-sample" / "train.tsv",
           "1\t1\tA toddler in a dress walking away.\tThe kid is going to a dance\n"
           "3\t3\tA traditional wedding is taking place .\tPeople are getting married\n"
           "2\t2\tA man walks .\tA man sleeps\n")
    _write(t / "snli-train-sample" / "test.tsv", "9\t9\tUnknown label.\tSkipped\n")
    averitec = [
        {"claim": "Hunter Biden had no experience in the energy sector.", "label": "Supported",
         "questions": [{"question": "Did Hunter Biden have experience in the energy sector?",
                        "answers": [{"answer": "No", "answer_type": "Boolean",
                                     "boolean_explanation": "His career history does not include energy companies"}]}]},
        {"claim": "The CLAT 2020 will not be held on September 7.", "label": "Refuted",
         "questions": [{"question": "Was the CLAT 2020 postponed?",
                        "answers": [{"answer": "No", "answer_type": "Abstractive"},
                                    {"answer": "The notification\n announcing the postponement was fake.",
                                     "answer_type": "Extractive"}]}]},
        {"claim": "A claim nobody could check.", "label": "Not Enough Evidence",
         "questions": [{"question": "Who said it?", "answers": [
             {"answer": "No answer could be found.", "answer_type": "Unanswerable"},
             {"answer": "The speaker spoke at a rally in Ohio in May 2020.", "answer_type": "Extractive"}]}]},
        {"claim": "A cherry-picked claim.", "label": "Conflicting Evidence/Cherrypicking",
         "questions": [{"question": "Q?", "answers": [{"answer": "Some text here.", "answer_type": "Extractive"}]}]},
        {"claim": "Only unanswerable evidence.", "label": "Refuted",
         "questions": [{"question": "Q?", "answers": [{"answer": "None.", "answer_type": "Unanswerable"}]}]},
    ]
    _write(t / "averitec" / "train.json", json.dumps(averitec))
    return tmp_path


def test_new_protocols_reads_every_protocol_and_skips_rows_that_do_not_parse(root):
    pairs = list(READERS["new-protocols"](root))
    assert [(p.premise, p.hypothesis, p.labels) for p in pairs] == [
        ("In 1812 cargo moved through Rome.", "In 1812 cargo moved through Rome for the 5th time.", (N,)),
        ("Tin Machine acted as a democratic unit.", "Tin Machine was democratic.", (S,)),
        ("She is surprised there by Albert.", "She knew Albert was there.", (C,)),
        ("A cradle is a wrestling move.", "A cradle is not a move.", (C,)),
    ]
    assert {p.source for p in pairs} == {"new-protocols"}


def test_lingnli_reads_every_round_file(root):
    pairs = list(READERS["lingnli"](root))
    assert [(p.hypothesis, p.labels) for p in pairs] == [("I fainted.", (S,)), ("I was drunk.", (N,)),
                                                         ("It was dry.", (C,))]


def test_mnli_dev_and_snli_sample_labels(root):
    (m,) = READERS["mnli-dev"](root)
    assert (m.premise, m.hypothesis, m.labels, m.source) == (
        "The new rights are nice enough", "Everyone likes the benefits", (N,), "mnli-dev")
    snli = list(READERS["snli-train-sample"](root))
    # 1 = neutral, 2 = contradiction, 3 = entailment; unknown labels skipped; SNLI tokenisation undone
    assert [(p.premise, p.labels) for p in snli] == [
        ("A toddler in a dress walking away.", (N,)), ("A traditional wedding is taking place.", (S,)),
        ("A man walks.", (C,))]


def test_averitec_pairs_use_the_evidence_as_premise_and_the_claim_as_hypothesis(root):
    pairs = list(READERS["averitec"](root))
    assert [(p.premise, p.hypothesis, p.labels) for p in pairs] == [
        ("His career history does not include energy companies.",
         "Hunter Biden had no experience in the energy sector.", (S,)),
        ("Was the CLAT 2020 postponed? No. The notification announcing the postponement was fake.",
         "The CLAT 2020 will not be held on September 7.", (C,)),
        ("The speaker spoke at a rally in Ohio in May 2020.", "A claim nobody could check.", (N,)),
    ]  # Conflicting is left out, and so is a claim with no answerable evidence


def test_evidence_passage_keeps_whole_answers_within_the_word_budget():
    long = " ".join(["word"] * 30) + "."
    questions = [{"question": "Q1?", "answers": [{"answer": long, "answer_type": "Extractive"}] * 3}]
    assert evidence_passage(questions, max_words=70) == " ".join([long] * 2)
    assert len(evidence_passage(questions, max_words=10).split()) == 10  # a too-long first answer is cut
    assert answer_text("Q?", {"answer": "Yes", "answer_type": "Boolean"}) == "Q? Yes."
    assert evidence_passage([]) == ""


def test_read_sets_knows_the_new_names(root):
    names = ["new-protocols", "lingnli", "mnli-dev", "snli-train-sample", "averitec"]
    assert len(read_sets(root, names)) == 4 + 3 + 1 + 3 + 3
    with pytest.raises(ValueError, match="unknown training set"):
        read_sets(root, ["nope"])


@pytest.mark.skipif(not (DATA / "train" / "averitec").is_dir(), reason="shared data not found")
def test_real_files_give_the_documented_sizes():
    sizes = {name: sum(1 for _ in READERS[name](DATA)) for name in
             ("new-protocols", "lingnli", "mnli-dev", "snli-train-sample", "averitec")}
    # new-protocols: 4 x 8,500 less 3 rows with stray tabs; averitec: 3,068 less 195 conflicting, 1 empty
    assert sizes == {"new-protocols": 33997, "lingnli": 44983, "mnli-dev": 9815, "snli-train-sample": 20000,
                     "averitec": 2872}
