"""Streaming check: push a million rows through `verifier batch`'s machinery (reading, chunking,
writing, resume) with a stub verifier in place of the models, and print the process's memory.

Prints RSS after 10k, 100k and 1M rows (it should stay flat: rows are streamed, not held), rows
per second, and the cost of `--resume` on the finished output (it reads every id written).

    python benchmarks/stream.py [--rows 1000000] [--format csv|jsonl]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

from verifier.batch import run_batch
from verifier.labels import Label
from verifier.verdict import Passage, Verdict

CHECKPOINTS = (10_000, 100_000, 1_000_000)


def rss_mb() -> float:
    """Resident set size now, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class StubVerifier:
    """Answers every claim with one fixed verdict: only the batch machinery does work."""

    def __init__(self) -> None:
        self.passage = Passage("The passage.", 0, 12, (0,), 0.5, {Label.SUPPORTED: 0.9})

    def verify(self, claim: str, article: object) -> Verdict:
        return self.verify_many([claim], article)[0]

    def verify_many(self, claims: list[str], articles: object) -> list[Verdict]:
        return [Verdict(c, Label.SUPPORTED, 0.9, {Label.SUPPORTED: 0.9}, (self.passage,)) for c in claims]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--format", choices=["csv", "jsonl"], default="csv", help="output format")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "claims.csv", Path(tmp) / f"out.{args.format}"
        with inp.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "claim", "article"])
            for i in range(args.rows):
                w.writerow([f"c{i}", f"Claim number {i} says that the council met on Monday.", "The passage."])
        print(f"input: {args.rows:,} rows, {inp.stat().st_size / 1e6:.0f} MB; RSS before the run {rss_mb():.0f} MB")
        seen = 0
        start = time.perf_counter()

        def on_row(_row: dict) -> None:
            nonlocal seen
            seen += 1
            if seen in CHECKPOINTS or seen == args.rows:
                print(f"  {seen:>9,} rows  RSS {rss_mb():6.0f} MB  {seen / (time.perf_counter() - start):,.0f} rows/s",
                      flush=True)

        summary = run_batch(StubVerifier(), inp, out, on_row=on_row)
        print(f"done: {summary.rows:,} rows in {summary.seconds:.1f}s; output {out.stat().st_size / 1e6:.0f} MB")
        t = time.perf_counter()
        again = run_batch(StubVerifier(), inp, out, resume=True)
        print(f"--resume on the finished output: skipped {again.skipped:,} rows in {time.perf_counter() - t:.1f}s; "
              f"RSS {rss_mb():.0f} MB (the set of done ids)")


if __name__ == "__main__":
    main()
