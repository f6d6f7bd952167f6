"""Several workers on one database: claim leases, a worker that dies, and concurrent reviews.

The in-process tests run two `JobRunner`s (each with its own engine, as two processes would
have) on SQLite and on PostgreSQL; the last test runs two real `verifier serve` processes on
one PostgreSQL database and kills one of them mid-way.
"""

from __future__ import annotations

import collections
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fakes import RecordingVerifier, make_fake_verifier
from pg_server import BACKENDS

from verifier.article import Article
from verifier.labels import Label
from verifier.web import schema
from verifier.web.jobs import JobRunner
from verifier.web.store import Store

ROOT = Path(__file__).resolve().parents[2]
TEXT = ("The mayor opened the new bridge on Monday. It cost 3 million euros and took two years to build. "
        "Traffic on the old crossing fell by half in the first week.")


@pytest.fixture(params=BACKENDS)
def db_backend(request):
    return request.param


def open_store(db_url: str) -> Store:
    engine = schema.make_engine(db_url)
    schema.upgrade(engine)
    return Store(engine)


def claims(n: int) -> list[tuple[str | None, str]]:
    return [(f"c{k}", f"The bridge number {k} was opened on Monday.") for k in range(n)]


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {timeout} s")
        time.sleep(0.05)


def test_a_lease_is_taken_once_and_freed_when_it_runs_out(db_url):
    first, second = open_store(db_url), open_store(db_url)
    aid = first.add_article("t", None, Article(TEXT), "ed", claims(5))
    a = first.lease_claims(aid, "a", 3, seconds=0.5)
    b = second.lease_claims(aid, "b", 3, seconds=30)
    assert len(a.claims) == 3 and len(b.claims) == 2
    assert not {cid for cid, _ in a.claims} & {cid for cid, _ in b.claims}
    assert second.lease_claims(aid, "b", 3, seconds=30).claims == []  # all held
    assert first.articles_with_pending_claims() == []
    time.sleep(0.6)  # a's lease runs out: its claims are free again, b's are not
    assert first.articles_with_pending_claims() == [aid]
    again = second.lease_claims(aid, "b", 10, seconds=30)
    assert sorted(again.claims) == sorted(a.claims)
    verifier = make_fake_verifier()
    late = [(cid, verifier.verify(text, TEXT), None) for cid, text in a.claims]
    assert first.save_results(late, lease=a.token) == 0  # the expired lease writes nothing
    assert second.save_results(late, lease=again.token) == 3
    assert first.progress(aid).done == 3


def test_two_runners_share_an_article_and_check_each_claim_once(db_url):
    store = open_store(db_url)
    aid = store.add_article("t", None, Article(TEXT), "ed", claims(30))
    verifiers = [RecordingVerifier(make_fake_verifier(), delay=0.02) for _ in range(2)]
    runners = [JobRunner(open_store(db_url), lambda v=v: v, chunk_size=3, poll_seconds=0.1) for v in verifiers]
    for runner in runners:
        runner.start()
    try:
        wait_until(lambda: store.progress(aid).finished, 60, "the article was not checked")
    finally:
        for runner in runners:
            runner.stop()
    assert store.progress(aid).done == 30
    checked = [c for v in verifiers for c in v.checked]
    assert sorted(checked) == sorted(text for _, text in claims(30))  # every claim, each once
    assert all(v.checked for v in verifiers)  # both took part
    assert all(c.verdict is not None and c.verdict.claim == c.text for c in store.claims(aid))


def test_a_hung_worker_loses_its_lease_and_its_late_verdicts(db_url):
    store = open_store(db_url)
    aid = store.add_article("t", None, Article(TEXT), "ed", claims(4))
    gate = threading.Event()
    hung = RecordingVerifier(make_fake_verifier(), gate=gate)  # stuck in its first chunk, as if killed
    healthy = RecordingVerifier(make_fake_verifier())
    first = JobRunner(open_store(db_url), lambda: hung, chunk_size=2, lease_seconds=1.0, poll_seconds=0.1)
    first.start()
    wait_until(hung.entered.is_set, 10, "the first worker took nothing")
    second = JobRunner(open_store(db_url), lambda: healthy, chunk_size=2, lease_seconds=30, poll_seconds=0.1)
    second.start()
    try:
        wait_until(lambda: store.progress(aid).finished, 20, "the second worker did not take over")
        assert sorted(healthy.checked) == sorted(text for _, text in claims(4))  # the hung chunk included
        gate.set()  # the stuck worker finishes late: its lease has passed on, so nothing it found is saved
        wait_until(lambda: len(hung.checked) == 2, 5, "the first worker did not finish its chunk")
        first.stop()
        assert [c.status for c in store.claims(aid)] == ["done"] * 4
    finally:
        gate.set()
        first.stop()
        second.stop()


def test_concurrent_reviews_are_all_kept(db_url):
    store = open_store(db_url)
    aid = store.add_article("t", None, Article(TEXT), "ed", claims(1))
    (cid, text), = store.pending_claims(aid, 1)
    store.save_results([(cid, make_fake_verifier().verify(text, TEXT), None)])
    stores = [open_store(db_url) for _ in range(4)]  # four "processes"
    labels = [Label.SUPPORTED, Label.CONTRADICTED, Label.NOT_MENTIONED]

    def review(k: int) -> None:
        for j in range(10):
            stores[k].add_review(cid, f"editor{k}", "change", labels[(k + j) % 3], f"{k}-{j}")

    threads = [threading.Thread(target=review, args=(k,)) for k in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    history = store.claim(cid).reviews
    assert sorted(r.note for r in history) == sorted(f"{k}-{j}" for k in range(4) for j in range(10))
    assert [r.id for r in history] == sorted(r.id for r in history)
    assert store.claim(cid).label == history[-1].label


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db_url: str, port: int, log: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "VERIFIER_TEST_LOG": str(log), "VERIFIER_TEST_DELAY": "0.4",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    cmd = [sys.executable, "-c", "from verifier.cli import app; app()", "serve", "--db", db_url, "--port", str(port),
           "--verifier-factory", "fakes:recording_verifier", "--chunk-size", "2", "--lease-seconds", "4"]
    return subprocess.Popen(cmd, env=env, stdout=out.open("w"), stderr=subprocess.STDOUT)


@pytest.mark.parametrize("db_backend", ["postgresql"])
def test_two_serve_processes_share_the_work_and_survive_a_kill(db_url, add_user, tmp_path):
    token = add_user("editor")
    headers = {"Authorization": f"Bearer {token}"}
    log = tmp_path / "checked.tsv"
    ports = [_free_port(), _free_port()]
    procs = [_serve(db_url, port, log, tmp_path / f"serve{k}.log") for k, port in enumerate(ports)]
    try:
        for port, proc in zip(ports, procs):
            def up(port=port, proc=proc) -> bool:
                logs = (tmp_path / "serve0.log").read_text() + (tmp_path / "serve1.log").read_text()
                assert proc.poll() is None, logs
                try:
                    return httpx.get(f"http://127.0.0.1:{port}/api/me", headers=headers, timeout=2).status_code == 200
                except httpx.HTTPError:
                    return False
            wait_until(up, 90, "verifier serve did not start")
        texts = [text for _, text in claims(40)]
        r = httpx.post(f"http://127.0.0.1:{ports[0]}/api/articles", headers=headers, timeout=10,
                       json={"title": "Bridges", "text": TEXT, "claims": texts})
        assert r.status_code == 202, r.text
        aid = r.json()["id"]

        def checkers() -> collections.Counter:
            lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
            return collections.Counter(line.split("\t")[0] for line in lines)

        wait_until(lambda: len(checkers()) == 2, 30, "the second process never joined in")
        procs[0].send_signal(signal.SIGKILL)  # mid-way, probably inside a chunk
        procs[0].wait(10)

        def finished() -> bool:
            p = httpx.get(f"http://127.0.0.1:{ports[1]}/api/articles/{aid}/progress", headers=headers, timeout=5)
            return p.json()["finished"]

        wait_until(finished, 60, "the surviving process did not finish the article")
        progress = httpx.get(f"http://127.0.0.1:{ports[1]}/api/articles/{aid}/progress", headers=headers).json()
        assert progress["done"] == 40 and progress["failed"] == 0  # none lost
        rows = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
        killed = str(procs[0].pid)
        assert {text for _, text in rows} == set(texts)
        twice = [text for text, n in collections.Counter(text for _, text in rows).items() if n > 1]
        # Only a chunk the killed process had checked but not yet saved is checked again.
        assert len(twice) <= 2, twice
        assert all(next(pid for pid, text in rows if text == t) == killed for t in twice)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(10)
