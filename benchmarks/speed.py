"""Speed and memory of the default setup on this machine.

Prints: claims per second for `verifier batch` on 1,000 claims against the sample article,
warm single-claim latency, cold `verifier check` wall time, peak memory (max RSS) of the
batch and check processes, and the NLI pairs and tokens scored per claim.

    python benchmarks/speed.py [--model PATH] [--claims 1000] [--precision auto|fp32|bf16|int8] [--score-all]

The 1,000 claims are the labelled claims in claims/karabakh.csv, cycled, each made unique
with a suffix "(n)" so that no (passage, claim) pair is scored twice.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from verifier.nli import PRECISIONS

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "seeds" / "karabakh_ceasefire_2023.txt"
CLAIMS = ROOT / "claims" / "karabakh.csv"


def run_measured(cmd: list[str]) -> tuple[float, int, str]:
    """Run a command; return wall seconds, peak RSS in MB, and stderr."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss // 1024, err


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--claims", type=int, default=1000)
    ap.add_argument("--precision", choices=PRECISIONS, default="auto")
    ap.add_argument("--score-all", action="store_true", help="score all top-k passages (no shortest-first stop)")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    exe = str(Path(sys.executable).with_name("verifier"))
    extra = (["--model", args.model] if args.model else []) + ["--precision", args.precision]
    extra += ["--score-all"] if args.score_all else []

    with CLAIMS.open(encoding="utf-8") as f:
        base = [row["claim"] for row in csv.DictReader(f)]
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "claims.csv", Path(tmp) / "out.csv"
        with inp.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "claim"])
            for i in range(args.claims):
                w.writerow([i, f"{base[i % len(base)]} ({i})"])
        wall, rss, err = run_measured([exe, "batch", str(inp), "--output", str(out), "--article", str(ARTICLE),
                                       "--no-progress", *extra])
        summary = err.strip().splitlines()[-1]
        print(f"batch: {args.claims} claims, {wall:.1f} s wall incl. start-up; {summary}")
        print(f"batch: peak memory {rss} MB")

    colds = []
    for _ in range(3):
        wall, rss_check, _ = run_measured([exe, "check", base[0], "--article", str(ARTICLE), *extra])
        colds.append(wall)
    print(f"cold check: {statistics.median(colds):.2f} s median of 3 (runs: {', '.join(f'{c:.2f}' for c in colds)}); "
          f"peak memory {rss_check} MB")

    from verifier import Verifier, read_article

    verifier = Verifier(args.model, precision=args.precision, score_all=args.score_all)
    print(f"NLI precision: {verifier.nli.precision} (asked: {args.precision})")
    article = read_article(ARTICLE)
    verifier.verify(base[0], article)  # warm up: article index and first forward pass
    times = []
    for claim in base:
        t = time.perf_counter()
        verifier.verify(claim, article)
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"warm single claim: median {1000 * statistics.median(times):.0f} ms, "
          f"p90 {1000 * times[int(0.9 * len(times))]:.0f} ms over {len(times)} claims")

    scored: list[tuple[str, str]] = []
    predict = verifier.nli.predict
    verifier.nli.predict = lambda pairs: scored.extend(pairs) or predict(pairs)  # type: ignore[method-assign]
    verifier.verify_many(base, article)
    tok = verifier.nli.tokenizer
    tokens = sum(len(tok(p, c, truncation="only_first", max_length=verifier.nli.max_length)["input_ids"])
                 for p, c in scored)
    print(f"NLI work: {len(scored) / len(base):.1f} pairs, {tokens / len(base):.0f} tokens per claim "
          f"over {len(base)} claims")


if __name__ == "__main__":
    main()
