"""`verifier batch --engine ray`: the same rows, ids, labels and errors as the local engine.

A local Ray (2 CPUs, no dashboard, no usage stats) is started once for the module; its
workers build the fake verifier (tests/fakes.py, reachable through PYTHONPATH).
"""

from __future__ import annotations

import csv
import functools
import json
import os
from pathlib import Path

import pytest
from fakes import make_fake_verifier

from verifier.article import make_article
from verifier.batch import run_batch
from verifier.batch_ray import RayEngineError, run_batch_ray
from verifier.errors import InputError

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")
pytest.importorskip("ray.data", reason="Ray Data is not installed: pip install -e '.[ray]'")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FAKE = make_fake_verifier
CLAIMS = [
    "Russian forces confirmed the evacuation of 3,154 people, including 1,428 children.",
    "The UN Security Council met in New York.",
    "Azerbaijan and Armenia signed a peace treaty in Paris.",
    "Russian forces never confirmed the evacuation of 3,154 people, including 1,428 children.",
]


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    path = os.pathsep.join([str(ROOT), str(TESTS), os.environ.get("PYTHONPATH", "")])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False,
             runtime_env={"env_vars": {"PYTHONPATH": path, "HF_HUB_OFFLINE": "1"}})
    yield
    ray.shutdown()


def write_csv(path: Path, rows: list[list[str]], header: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def read_out(path: Path) -> dict[str, dict]:
    """Output rows by id (each id must appear once), values as text, from CSV, JSONL or Parquet parts."""
    if path.is_dir():
        rows = [r for part in sorted(path.glob("*.parquet")) for r in pq.read_table(part).to_pylist()]
    elif path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    else:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    by_id = {str(r["id"]): {k: ("" if v is None else str(v)) for k, v in r.items()} for r in rows}
    assert len(by_id) == len(rows), "an id was written twice"
    return by_id


@pytest.fixture
def mixed_input(tmp_path: Path, seed_text: str) -> Path:
    """Good rows, a blank id, an empty claim, an over-long claim, a row article, a missing article file."""
    (tmp_path / "art.txt").write_text("Paris is the capital of France. It rains often.", encoding="utf-8")
    rows = [[f"r{k}", claim, "", ""] for k, claim in enumerate(CLAIMS * 5)]
    rows += [["", CLAIMS[0], "", ""], ["empty", "", "", ""], ["long", "x" * 3000, "", ""],
             ["own", "Paris is the capital of France.", "", "art.txt"], ["gone", "A claim.", "", "missing.txt"],
             ["inline", "Berlin is big.", "Berlin is big. It has a river.", ""]]
    inp = tmp_path / "in.csv"
    write_csv(inp, rows, ["id", "claim", "article", "article_path"])
    return inp


def test_same_rows_as_the_local_engine_csv_and_jsonl(tmp_path, mixed_input, seed_text):
    article = make_article(seed_text)
    run_batch(FAKE(), mixed_input, tmp_path / "local.csv", default_article=article, chunk_size=4)
    local = read_out(tmp_path / "local.csv")
    for name in ("ray.csv", "ray.jsonl"):
        summary = run_batch_ray(FAKE, mixed_input, tmp_path / name, default_article=article, chunk_size=4, workers=2)
        assert read_out(tmp_path / name) == local
        assert summary.rows == len(local) and summary.errors == 3
    assert local["21"]["label"] == "supported"  # the blank id got its row number, as locally
    assert "claim is empty" in local["empty"]["error"] and "not found" in local["gone"]["error"]
    assert local["own"]["evidence"] == "Paris is the capital of France."
    assert {local[f"r{k}"]["label"] for k in range(4)} == {"supported", "not_mentioned", "contradicted"}


def test_malformed_jsonl_lines_are_row_errors(tmp_path, seed_text):
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "a", "claim": CLAIMS[0]}) + "\n{broken\n[1]\n"
                   + json.dumps({"id": "b", "claim": CLAIMS[1], "tags": ["x", 1]}) + "\n", encoding="utf-8")
    article = make_article(seed_text)
    run_batch(FAKE(), inp, tmp_path / "local.jsonl", default_article=article)
    run_batch_ray(FAKE, inp, tmp_path / "ray.jsonl", default_article=article)
    ray_rows = read_out(tmp_path / "ray.jsonl")
    assert ray_rows == read_out(tmp_path / "local.jsonl")
    assert "not valid JSON" in ray_rows["2"]["error"] and "not a JSON object" in ray_rows["3"]["error"]


def test_resume_after_a_cut_off_run(tmp_path, mixed_input, seed_text):
    article = make_article(seed_text)
    run_batch(FAKE(), mixed_input, tmp_path / "local.jsonl", default_article=article)
    local = read_out(tmp_path / "local.jsonl")
    lines = (tmp_path / "local.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    out = tmp_path / "ray.jsonl"
    out.write_text("".join(lines[:7]) + lines[7][:40], encoding="utf-8")  # killed while writing row 8
    summary = run_batch_ray(FAKE, mixed_input, out, default_article=article, resume=True, chunk_size=5)
    assert summary.skipped == 7 and summary.rows == len(local) - 7
    assert read_out(out) == local


def test_parquet_in_and_a_folder_of_parquet_out_with_resume(tmp_path, mixed_input, seed_text):
    article = make_article(seed_text)
    run_batch(FAKE(), mixed_input, tmp_path / "local.csv", default_article=article)
    local = read_out(tmp_path / "local.csv")
    with mixed_input.open(encoding="utf-8", newline="") as f:
        table = pa.Table.from_pylist(list(csv.DictReader(f)))
    pq.write_table(table.slice(0, 10), tmp_path / "in.parquet")
    out = tmp_path / "out.parquet"
    run_batch_ray(FAKE, tmp_path / "in.parquet", out, default_article=article, chunk_size=3)
    assert len(read_out(out)) == 10
    (out / "part-x.parquet.tmp").write_bytes(b"PAR1 cut off")  # a part whose write was interrupted
    with pytest.raises(InputError, match="--resume"):
        run_batch_ray(FAKE, tmp_path / "in.parquet", out, default_article=article)
    pq.write_table(table, tmp_path / "in.parquet")  # the input grew: resume does the rest
    summary = run_batch_ray(FAKE, tmp_path / "in.parquet", out, default_article=article, resume=True, chunk_size=3)
    assert summary.skipped == 10 and not list(out.glob("*.tmp"))
    got = read_out(out)
    assert got.keys() == local.keys()
    for rid, row in local.items():  # typed Parquet columns read back as the CSV's text
        assert got[rid]["label"] == row["label"] and got[rid]["error"] == row["error"], rid
        assert got[rid]["evidence"] == row["evidence"]
        assert got[rid]["evidence_start"] == row["evidence_start"]
        if row["confidence"]:
            assert float(got[rid]["confidence"]) == float(row["confidence"])


def test_a_verifier_that_cannot_be_built_fails_the_job_with_its_reason(tmp_path):
    from verifier.errors import ModelError

    inp = tmp_path / "in.csv"
    write_csv(inp, [["1", CLAIMS[0]]], ["id", "claim"])
    with pytest.raises(RayEngineError, match="no model at nowhere"):
        run_batch_ray(functools.partial(_broken, ModelError), inp, tmp_path / "out.csv")


def _broken(error: type[Exception]) -> None:
    raise error("no model at nowhere")


def test_cli_checks_its_input_before_ray_and_reports_a_failed_job(tmp_path):
    from typer.testing import CliRunner

    from verifier import cli

    runner = CliRunner()
    r = runner.invoke(cli.app, ["batch", str(tmp_path / "none.csv"), "-o", str(tmp_path / "o.csv"), "--engine", "ray"])
    assert r.exit_code == 2 and "input file not found" in r.output
    inp = tmp_path / "in.csv"
    write_csv(inp, [["1", CLAIMS[0]]], ["id", "claim"])
    r = runner.invoke(cli.app, ["batch", str(inp), "-o", str(tmp_path / "o.csv"), "--engine", "ray", "--no-progress",
                                "--model", str(tmp_path / "no-such-model"), "--article", str(ROOT / "seeds" /
                                                                                   "karabakh_ceasefire_2023.txt")])
    assert r.exit_code == 1, r.output
    assert "error: the Ray job failed:" in r.output and "no-such-model" in r.output


@pytest.mark.model
def test_cli_on_the_real_model_matches_the_local_engine(tmp_path):
    from typer.testing import CliRunner

    from verifier import cli

    inp = tmp_path / "in.csv"
    write_csv(inp, [[str(k), c] for k, c in enumerate(CLAIMS)], ["id", "claim"])
    article = str(ROOT / "seeds" / "karabakh_ceasefire_2023.txt")
    runner = CliRunner()
    for engine in ("local", "ray"):
        r = runner.invoke(cli.app, ["batch", str(inp), "-o", str(tmp_path / f"{engine}.csv"), "--article", article,
                                    "--engine", engine, "--workers", "1", "--no-progress"])
        assert r.exit_code == 0, r.output
        assert "4 rows in" in r.output
    assert read_out(tmp_path / "ray.csv") == read_out(tmp_path / "local.csv")
