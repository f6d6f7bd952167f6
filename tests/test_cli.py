import csv
import json

import pytest
from conftest import SEED_ARTICLE
from typer.testing import CliRunner

from verifier import cli

runner = CliRunner()
CLAIM = "Russian forces confirmed the evacuation of 3,154 people, including 1,428 children."


@pytest.fixture(autouse=True)
def made(fake_model_loading):
    return fake_model_loading


def invoke(*args, input=None):
    return runner.invoke(cli.app, list(args), input=input)


def test_check_shows_verdict_and_evidence_in_context():
    r = invoke("check", CLAIM, "--article", str(SEED_ARTICLE))
    assert r.exit_code == 0, r.output
    assert "SUPPORTED" in r.output
    assert "Russian forces confirmed the evacuation of 3,154 people" in r.output
    assert "evidence [" in r.output


def test_check_json_has_offsets_into_the_article(seed_text):
    r = invoke("check", CLAIM, "--article", str(SEED_ARTICLE), "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    ev = data["evidence"][0]
    assert data["label"] == "supported"
    assert seed_text[ev["start"] : ev["end"]] == ev["text"]
    assert set(data["probabilities"]) == {"supported", "contradicted", "not_mentioned"}


def test_check_reads_stdin_and_takes_several_claims():
    r = invoke("check", "Paris is in France.", "Rome is in Spain and it never rains.", "--article", "-", "--json",
               input="Paris is in France. Rome is in Italy.")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [d["label"] for d in data] == ["supported", "not_mentioned"]


def test_options_reach_the_verifier(made):
    from verifier.decision import DecisionRule

    assert invoke("check", CLAIM, "--article", str(SEED_ARTICLE)).exit_code == 0
    r = invoke("check", CLAIM, "--article", str(SEED_ARTICLE), "--score-all", "--top-k", "3", "--min-relevance", "0.5",
               "--model", "some/hub-model", "--precision", "int8", "--support-threshold", "0.6",
               "--contradict-threshold", "0.7")
    assert r.exit_code == 0, r.output
    assert made == [
        {"model": None, "precision": "auto", "top_k": 5, "score_all": False, "rule": DecisionRule()},
        {"model": "some/hub-model", "precision": "int8", "top_k": 3, "score_all": True,
         "rule": DecisionRule(support_threshold=0.6, contradict_threshold=0.7, min_relevance=0.5)},
    ]
    assert invoke("check", CLAIM, "--article", str(SEED_ARTICLE), "--min-relevance", "1.5").exit_code == 2


def test_fail_on_exit_code():
    r = invoke("check", CLAIM, "--article", str(SEED_ARTICLE), "--fail-on", "supported")
    assert r.exit_code == 3
    r = invoke("check", CLAIM, "--article", str(SEED_ARTICLE), "--fail-on", "contradicted")
    assert r.exit_code == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "  ", "--article", str(SEED_ARTICLE)], "claim is empty"),
        (["check", "A claim.", "--article", "no/such/file.txt"], "article file not found"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message):
    r = invoke(*args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_binary_article_exits_2(tmp_path):
    f = tmp_path / "img.png"
    f.write_bytes(b"\x89PNG\x00\x00")
    r = invoke("check", "A claim.", "--article", str(f))
    assert r.exit_code == 2 and "binary" in r.stderr


def test_batch_writes_output_and_summary(tmp_path, seed_text):
    inp, out = tmp_path / "claims.csv", tmp_path / "out.csv"
    inp.write_text(f'id,claim\nx1,"{CLAIM}"\nx2,\n', encoding="utf-8")
    r = invoke("batch", str(inp), "--output", str(out), "--article", str(SEED_ARTICLE), "--no-progress")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [row["label"] for row in rows] == ["supported", ""]
    assert "claim is empty" in rows[1]["error"]
    assert "2 rows" in r.stderr and "errors 1" in r.stderr and "claims/s" in r.stderr


def test_batch_resume_and_bad_header(tmp_path):
    inp, out = tmp_path / "claims.csv", tmp_path / "out.jsonl"
    inp.write_text(f'id,claim\n1,"{CLAIM}"\n2,"Baku is a city."\n', encoding="utf-8")
    assert invoke("batch", str(inp), "-o", str(out), "-a", str(SEED_ARTICLE), "--no-progress").exit_code == 0
    r = invoke("batch", str(inp), "-o", str(out), "-a", str(SEED_ARTICLE), "--resume", "--no-progress")
    assert r.exit_code == 0 and "skipped 2" in r.stderr
    assert len(out.read_text().splitlines()) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text\n1,x\n", encoding="utf-8")
    r = invoke("batch", str(bad), "-o", str(tmp_path / "o.csv"), "--no-progress")
    assert r.exit_code == 2 and "missing column 'claim'" in r.stderr


def test_eval_reports_metrics(tmp_path):
    inp = tmp_path / "gold.csv"
    inp.write_text(
        "claim,label\n"
        f'"{CLAIM}",supported\n'
        '"The UN Security Council met in New York.",not_mentioned\n'
        '"Russian peacekeeping forces never confirmed that no violation of the ceasefire was recorded.",supported\n',
        encoding="utf-8",
    )
    r = invoke("eval", str(inp), "--article", str(SEED_ARTICLE), "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["accuracy"] == pytest.approx(2 / 3)
    assert report["confusion"]["supported"]["contradicted"] == 1
    r = invoke("eval", str(inp), "--article", str(SEED_ARTICLE))
    assert r.exit_code == 0 and "accuracy" in r.stdout.lower()


def test_eval_rejects_bad_gold_label(tmp_path):
    inp = tmp_path / "gold.csv"
    inp.write_text('claim,label\n"A claim.",maybe\n', encoding="utf-8")
    r = invoke("eval", str(inp), "--article", str(SEED_ARTICLE))
    assert r.exit_code == 2 and "row 1 has label 'maybe'" in r.stderr
