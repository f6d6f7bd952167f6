"""Claims per second of the local batch engine and the Ray engine, on the same input and model.

    python benchmarks/engines.py [--claims 400] [--workers N] [--address ADDRESS] [--model PATH] [--chunk-size 64]

The claims are the labelled claims in claims/karabakh.csv, cycled, each made unique with a
suffix "(n)", against the sample article. One run of each engine; both times are wall time
from the start (model loading included: in this process for the local engine, in every actor
for Ray) to the last row written. Ray's own start (`ray.init`) is timed apart. Without
`--address` a local Ray is started with one CPU per worker.
"""

from __future__ import annotations

import argparse
import csv
import functools
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "seeds" / "karabakh_ceasefire_2023.txt"
CLAIMS = ROOT / "claims" / "karabakh.csv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=400)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="Ray actors (default: CPU count)")
    ap.add_argument("--address", default=None, help="Ray cluster to join (default: a local Ray)")
    ap.add_argument("--model", default=None)
    ap.add_argument("--chunk-size", type=int, default=64)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

    import ray

    from verifier import Verifier
    from verifier.article import read_article
    from verifier.batch import run_batch
    from verifier.batch_ray import run_batch_ray

    with CLAIMS.open(encoding="utf-8") as f:
        base = [row["claim"] for row in csv.DictReader(f)]
    article = read_article(ARTICLE)
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "claims.csv"
        with inp.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "claim"])
            for i in range(args.claims):
                w.writerow([i, f"{base[i % len(base)]} ({i})"])

        t = time.perf_counter()
        verifier = Verifier(args.model)
        local = run_batch(verifier, inp, Path(tmp) / "local.csv", default_article=article, chunk_size=args.chunk_size)
        local_wall = time.perf_counter() - t
        del verifier
        print(f"local: {local.rows} claims in {local_wall:.1f} s ({local.rows / local_wall:.1f} claims/s; "
              f"{local.claims_per_second:.1f} claims/s once the model is loaded), {os.cpu_count()} CPUs")

        t = time.perf_counter()
        if args.address:
            ray.init(address=args.address, include_dashboard=False, log_to_driver=False)
        else:
            ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
        started = time.perf_counter() - t
        t = time.perf_counter()
        factory = functools.partial(Verifier, args.model)
        remote = run_batch_ray(factory, inp, Path(tmp) / "ray.csv", default_article=article,
                               chunk_size=args.chunk_size, workers=args.workers)
        ray_wall = time.perf_counter() - t
        ray.shutdown()
        print(f"ray:   {remote.rows} claims in {ray_wall:.1f} s ({remote.rows / ray_wall:.1f} claims/s), "
              f"{args.workers} actors; ray.init took {started:.1f} s more")
        print(f"ray / local: {(remote.rows / ray_wall) / (local.rows / local_wall):.2f}x")


if __name__ == "__main__":
    main()
