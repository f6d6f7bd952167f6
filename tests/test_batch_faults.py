"""A batch loses nothing, whatever happens to the process: kill -9 mid-run, a record cut in
half by the crash, then `--resume`: every input id exactly once, and a damaged output refused."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEED_ARTICLE

from verifier.article import make_article
from verifier.batch import run_batch
from verifier.errors import InputError
from verifier.tables import OutputCorrupt, recover_output

CLAIMS = [
    "Russian forces confirmed the evacuation of 3,154 people, including 1,428 children.",
    'The talks, "held in Yevlakh",\nlasted three hours.',
    "Azerbaijan announced the start of what it called anti-terrorist measures.",
    "Élan, naïve café: the ceasefire took effect at 13:00 local time.",
    "Peacekeepers recorded violations of the ceasefire.",
    "More than 10,000 people were evacuated.",
]


def ids_of(path: Path) -> list[str]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            return [row["id"] for row in csv.DictReader(f)]
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def write_input(path: Path, claims: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "claim"])
        w.writerows([str(i), c] for i, c in enumerate(claims, 1))


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_resume_after_a_cut_at_any_byte_of_the_last_records(tmp_path, fake_verifier, seed_text, suffix):
    """Cut the output at every byte of its last two records: resume gives back the same file."""
    inp, full = tmp_path / "in.csv", tmp_path / f"full{suffix}"
    write_input(inp, CLAIMS)
    article = make_article(seed_text)
    run_batch(fake_verifier, inp, full, default_article=article)
    whole = full.read_bytes()
    ends = [i + 1 for i, b in enumerate(whole) if b == ord("\n")]
    if suffix == ".csv":  # the claim with a newline inside quotes spans two lines: not a record end
        ends = [e for e in ends if whole[:e].count(b'"') % 2 == 0]
    record_ends = ends[-3:]  # ends of the third-last, second-last and last records
    out = tmp_path / f"out{suffix}"
    for cut in range(record_ends[0], len(whole)):
        out.write_bytes(whole[:cut])
        done = recover_output(out)
        kept = max(e for e in record_ends if e <= cut)
        assert out.read_bytes() == whole[:kept], cut
        assert done == set(ids_of(out)), cut
        summary = run_batch(fake_verifier, inp, out, default_article=article, resume=True)
        assert out.read_bytes() == whole, cut
        assert summary.skipped == len(done)


@pytest.mark.parametrize("suffix, line", [(".csv", 6), (".jsonl", 3)])
def test_damage_before_the_end_is_refused(tmp_path, fake_verifier, seed_text, suffix, line):
    inp, out = tmp_path / "in.csv", tmp_path / f"out{suffix}"
    write_input(inp, CLAIMS)
    run_batch(fake_verifier, inp, out, default_article=make_article(seed_text))
    lines = out.read_bytes().split(b"\n")
    lines[line] = lines[line][: len(lines[line]) // 2]  # a one-line record cut short, complete ones after it
    out.write_bytes(b"\n".join(lines))
    before = out.read_bytes()
    with pytest.raises(OutputCorrupt, match="damaged before its end"):
        recover_output(out)
    assert out.read_bytes() == before  # nothing is cut on a guess
    with pytest.raises(InputError, match="damaged before its end"):
        run_batch(fake_verifier, inp, out, default_article=make_article(seed_text), resume=True)


def test_resume_into_a_file_without_ids_is_refused(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("claim,label\nx,supported\n", encoding="utf-8")
    with pytest.raises(OutputCorrupt, match="has no 'id' column"):
        recover_output(out)


def _verifier_command() -> list[str]:
    script = Path(sys.executable).with_name("verifier")
    return [str(script)] if script.exists() else [sys.executable, "-m", "verifier.cli"]


def test_kill_9_mid_batch_then_resume(tmp_path, tiny_nli_dir):
    """The real command, a real (tiny) model through VERIFIER_MODEL, SIGKILL, a half line, --resume."""
    n = 2000
    claims = [f"{CLAIMS[i % len(CLAIMS)]} (number {i})" for i in range(n)]
    claims[7] = "A claim of about 1,600 characters that no model can take whole: " + "words and more words " * 75
    inp, out = tmp_path / "claims.csv", tmp_path / "out.csv"
    write_input(inp, claims)
    env = {**os.environ, "VERIFIER_MODEL": str(tiny_nli_dir), "HF_HUB_OFFLINE": "1"}
    cmd = [*_verifier_command(), "batch", str(inp), "--output", str(out), "--article", str(SEED_ARTICLE),
           "--chunk-size", "50"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.stat().st_size > 0 and len(ids_of(out)) >= 300:
            break
        time.sleep(0.05)
    assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read().decode()[-2000:]}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    data = out.read_bytes()
    last_start = data.rstrip(b"\n").rfind(b"\n") + 1
    out.write_bytes(data[: last_start + (len(data) - last_start) // 2])  # the last record cut in half
    written = len(ids_of(out)) - 1
    assert 250 <= written < n
    r = subprocess.run([*cmd, "--resume"], check=False, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    ids = ids_of(out)
    assert sorted(ids, key=int) == [str(i) for i in range(1, n + 1)]  # every id exactly once
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert all(row["error"] == "" and row["label"] for row in rows), [r for r in rows if r["error"]][:2]
    assert f"skipped {written}" in r.stderr
