"""Load check of the web API: many concurrent requests against one `verifier serve` process.

Starts `verifier serve` on 127.0.0.1 (a free port, a fresh SQLite database, fake models via
`--verifier-factory load_api:fake_verifier`), creates a user and token with `verifier users`,
then sends a bounded, mixed workload with httpx (async) and checks that nothing was lost:

1. create articles with claims (POST /api/articles), all at once;
2. mixed traffic while the background worker checks them: progress polls, article reads,
   the review queue, CSV exports, and reviews;
3. wait for every verdict, then check every article has all its claims done and every
   review that got a 201 is stored.

Reports throughput, latency percentiles per request kind and the slowest response; exits 1
if any request failed or anything was lost. Loopback only.

    python benchmarks/load_api.py --articles 40 --requests 3000 --concurrency 64
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "seeds" / "karabakh_ceasefire_2023.txt"
CLAIMS = ROOT / "claims" / "karabakh.csv"
_WORD = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    """Hashed bag-of-words vectors."""

    dim = 128

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for w in set(_WORD.findall(text.lower())):
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


class FakeNLI:
    """Word overlap as entailment."""

    def predict(self, pairs):
        rows = []
        for premise, hypothesis in pairs:
            p, h = set(_WORD.findall(premise.lower())), set(_WORD.findall(hypothesis.lower()))
            o = len(p & h) / max(1, len(h))
            rows.append([0.9, 0.05, 0.05] if o > 0.7 else [0.3 * o, 0.05, 0.95 - 0.3 * o])
        return np.array(rows, dtype=np.float32).reshape(-1, 3)


def fake_verifier():
    """The server's verifier factory (`--verifier-factory load_api:fake_verifier`)."""
    from verifier import Verifier

    return Verifier(nli=FakeNLI(), embedder=FakeEmbedder())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(*args: str, env: dict, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "verifier.cli", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise SystemExit(f"verifier {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


class Recorder:
    """Latencies per request kind, failures, and the slowest response."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {}
        self.failures: list[str] = []
        self.slowest = (0.0, "")

    async def call(self, client, kind: str, method: str, url: str, expect: int, **kwargs):
        start = time.perf_counter()
        try:
            r = await client.request(method, url, **kwargs)
        except Exception as e:  # noqa: BLE001 (a refused or dropped connection counts as lost)
            self.failures.append(f"{method} {url}: {type(e).__name__}: {e}")
            return None
        elapsed = time.perf_counter() - start
        self.latencies.setdefault(kind, []).append(elapsed)
        if elapsed > self.slowest[0]:
            self.slowest = (elapsed, f"{method} {url} -> {r.status_code}")
        if r.status_code != expect:
            self.failures.append(f"{method} {url}: {r.status_code} {r.text[:200]}")
            return None
        return r

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.latencies.values())


async def run_load(base: str, token: str, articles: int, claims_per_article: int, requests: int,
                   concurrency: int, seed: int) -> int:
    import httpx

    rng = random.Random(seed)
    text = ARTICLE.read_text(encoding="utf-8")
    import csv

    with CLAIMS.open(encoding="utf-8") as f:
        pool = [row["claim"] for row in csv.DictReader(f)]
    rec = Recorder()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits,
                                 timeout=httpx.Timeout(60.0)) as client:
        sem = asyncio.Semaphore(concurrency)

        async def limited(coro):
            async with sem:
                return await coro

        t0 = time.perf_counter()
        created = await asyncio.gather(*[
            limited(rec.call(client, "create", "POST", "/api/articles", 202, json={
                "title": f"Load article {i}", "text": text,
                "claims": [{"id": f"a{i}-c{j}", "claim": rng.choice(pool)} for j in range(claims_per_article)],
            }))
            for i in range(articles)
        ])
        article_ids = [r.json()["id"] for r in created if r is not None]
        claim_ids = [c["id"] for r in created if r is not None for c in r.json()["claims"]]

        reviews_ok = 0

        async def mixed(i: int) -> None:
            nonlocal reviews_ok
            aid = rng.choice(article_ids)
            roll = rng.random()
            if roll < 0.40:
                await rec.call(client, "progress", "GET", f"/api/articles/{aid}/progress", 200)
            elif roll < 0.60:
                await rec.call(client, "article", "GET", f"/api/articles/{aid}", 200)
            elif roll < 0.70:
                await rec.call(client, "queue", "GET", "/api/review-queue", 200, params={"limit": 20})
            elif roll < 0.80:
                await rec.call(client, "export", "GET", f"/api/articles/{aid}/export/csv", 200)
            else:
                cid = rng.choice(claim_ids)
                claim = await rec.call(client, "claim", "GET", f"/api/claims/{cid}", 200)
                if claim is not None and claim.json()["status"] == "done":
                    r = await rec.call(client, "review", "POST", f"/api/claims/{cid}/reviews", 201,
                                       json={"action": "change", "label": "not_mentioned", "note": f"load {i}"})
                    reviews_ok += r is not None

        await asyncio.gather(*[limited(mixed(i)) for i in range(requests)])
        wall = time.perf_counter() - t0

        # nothing lost: every claim checked, every accepted review stored
        deadline = time.monotonic() + 300
        for aid in article_ids:
            while True:
                p = (await client.get(f"/api/articles/{aid}/progress")).json()
                if p["finished"]:
                    break
                if time.monotonic() > deadline:
                    rec.failures.append(f"article {aid} not finished: {p}")
                    break
                await asyncio.sleep(0.2)
        stored = done = total = 0
        for aid in article_ids:
            for c in (await client.get(f"/api/articles/{aid}/claims")).json():
                total += 1
                done += c["status"] == "done"
                stored += sum(r["note"].startswith("load ") for r in c["reviews"])
        lost = []
        if len(article_ids) != articles:
            lost.append(f"{articles - len(article_ids)} articles not created")
        if done != articles * claims_per_article:
            lost.append(f"{done} of {articles * claims_per_article} claims checked")
        if stored != reviews_ok:
            lost.append(f"{reviews_ok} reviews accepted but {stored} stored")

    every = sorted(x for v in rec.latencies.values() for x in v)
    print(f"server: {base} (one uvicorn process, SQLite, fake models)")
    print(f"requests: {rec.total} in {wall:.2f}s with concurrency {concurrency} -> {rec.total / wall:.0f} req/s")
    p95 = every[int(0.95 * (len(every) - 1))]
    print(f"latency: p50 {statistics.median(every) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms,"
          f" p99 {every[int(0.99 * (len(every) - 1))] * 1000:.1f} ms, max {every[-1] * 1000:.1f} ms")
    for kind, values in sorted(rec.latencies.items()):
        values.sort()
        print(f"  {kind:9s} n={len(values):5d}  p50 {statistics.median(values) * 1000:7.1f} ms"
              f"  max {values[-1] * 1000:7.1f} ms")
    print(f"slowest: {rec.slowest[1]} in {rec.slowest[0] * 1000:.1f} ms")
    print(f"articles {len(article_ids)}, claims checked {done}/{total}, reviews accepted {reviews_ok}, stored {stored}")
    print(f"failed requests: {len(rec.failures)}; lost: {', '.join(lost) or 'nothing'}")
    for f in rec.failures[:10]:
        print("  " + f)
    return 1 if rec.failures or lost else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40, help="articles created at once")
    parser.add_argument("--claims", type=int, default=10, help="claims per article")
    parser.add_argument("--requests", type=int, default=3000, help="mixed requests after the creates")
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight at once")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "VERIFIER_HOME": tmp, "VERIFIER_DB": f"sqlite:///{tmp}/load.db",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent), str(ROOT),
                                                          os.environ.get("PYTHONPATH")])),
               "HF_HUB_OFFLINE": "1"}
        _cli("users", "add", "bench", "--password-stdin", env=env, stdin="bench-password\n")
        token = _cli("users", "token", "bench", env=env)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "verifier.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--verifier-factory", "load_api:fake_verifier"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            base = f"http://127.0.0.1:{port}"
            import httpx

            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the server did not start: {server.stderr.read() if server.stderr else ''}")
                time.sleep(0.2)
            return asyncio.run(run_load(base, token, args.articles, args.claims, args.requests,
                                        args.concurrency, args.seed))
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main())
