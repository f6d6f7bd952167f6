"""Background checking: one worker thread per process takes articles from a queue and checks their claims.

Claims are stored as pending first, then checked in chunks; each chunk's verdicts are saved
before the next one starts, so progress is visible while a batch runs and a restart picks up
the claims left pending. A worker leases each chunk before checking it (a conditional update
in the database, with a timeout), so several server processes on one database share the
checking without taking the same claim, and the claims of a process that dies are taken up
by another once their lease runs out. The worker also looks in the database every few
seconds for claims it was not told about (submitted through another process, or freed by an
expired lease). The verifier is built on first use, in the worker, so the server starts at
once even when the real model takes a while to load.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
from collections.abc import Callable
from typing import Any

from verifier.batch import Outcome, verify_each
from verifier.errors import VerifierError
from verifier.protocols import ClaimVerifier
from verifier.web.store import Store

log = logging.getLogger(__name__)

_STOP = object()


class JobRunner:
    """Checks pending claims in a background thread, article by article, `chunk_size` at a time.

    Args:
        store: the database.
        verifier_factory: builds the `Verifier` on first use.
        chunk_size: claims leased, checked and saved together.
        lease_seconds: how long a chunk is held; must exceed the time to load the model and check a chunk.
        poll_seconds: how often an idle worker looks in the database for claims nobody holds.
    """

    def __init__(self, store: Store, verifier_factory: Callable[[], ClaimVerifier], chunk_size: int = 16,
                 lease_seconds: float = 300.0, poll_seconds: float = 2.0):
        self.store = store
        self.verifier_factory = verifier_factory
        self.chunk_size = chunk_size
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._verifier: ClaimVerifier | None = None
        self._queue: queue.Queue[Any] = queue.Queue()
        self._queued: set[int] = set()
        self._again: set[int] = set()  # submitted again while queued or being checked
        self._retry_load = threading.Event()  # a submit since the model last failed to load
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.idle = threading.Event()
        self.idle.set()

    def start(self) -> None:
        """Start the worker and queue every article that still has pending claims."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="verifier-jobs", daemon=True)
        self._thread.start()
        for article_id in self.store.articles_with_pending_claims():
            self.submit(article_id)

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the worker to finish its current chunk and stop."""
        if self._thread is None:
            return
        self._stopping.set()
        self._queue.put(_STOP)
        self._thread.join(timeout)
        self._thread = None

    def submit(self, article_id: int) -> None:
        """Queue an article's pending claims (once, however often it is submitted)."""
        self._retry_load.set()
        with self._lock:
            if article_id in self._queued:
                self._again.add(article_id)  # it may be past its last poll: look once more when done
                return
            self._queued.add(article_id)
            self.idle.clear()
        self._queue.put(article_id)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until the queue is empty and the worker waits; True if it got there in time."""
        return self.idle.wait(timeout)

    def _get_verifier(self) -> ClaimVerifier:
        if self._verifier is None:
            self._verifier = self.verifier_factory()
        return self._verifier

    def _run(self) -> None:
        while True:
            try:
                item = self._queue.get(timeout=self.poll_seconds)
            except queue.Empty:
                self._poll()
                continue
            if item is _STOP:
                return
            try:
                self._check_article(item)
            except Exception:  # keep the worker alive whatever one article does
                log.exception("checking article %s failed", item)
            finally:
                with self._lock:
                    if item in self._again:
                        self._again.discard(item)
                        self._queue.put(item)
                    else:
                        self._queued.discard(item)
                    if not self._queued:
                        self.idle.set()

    def _poll(self) -> None:
        """Queue the articles whose pending claims nobody holds (this process was not told, or a lease ran out)."""
        try:
            for article_id in self.store.articles_with_pending_claims():
                self.submit(article_id)
        except Exception:  # the database may be briefly away: look again next time
            log.exception("looking for pending claims failed")

    def _check_article(self, article_id: int) -> None:
        record = self.store.article(article_id)
        if record is None:
            return
        article = record.as_article()
        load_error: str | None = None
        while not self._stopping.is_set():
            lease = self.store.lease_claims(article_id, self.owner, self.chunk_size, self.lease_seconds)
            if not lease.claims:
                return
            if load_error is not None and self._retry_load.is_set():
                load_error = None  # a retry came in: try loading the model again
            if load_error is None:
                self._retry_load.clear()
                try:
                    verifier = self._get_verifier()
                except Exception as e:  # noqa: BLE001 (a model that cannot load fails the claims, with the reason)
                    load_error = f"the model could not be loaded: {_reason(e)}"
            if load_error is not None:
                outcomes = [Outcome(None, load_error)] * len(lease.claims)
            else:
                outcomes = verify_each(verifier, [text for _, text in lease.claims], article)
            results = [(cid, o.verdict, o.error or None) for (cid, _), o in zip(lease.claims, outcomes)]
            written = self.store.save_results(results, lease=lease.token)
            if written < len(results):
                log.warning("%d verdicts of article %s were not saved: their %.0f s lease ran out and another "
                            "worker took the claims", len(results) - written, article_id, self.lease_seconds)


def _reason(error: Exception) -> str:
    """What to tell the user about a model that failed to load."""
    return str(error) if isinstance(error, VerifierError) else f"{type(error).__name__}: {error}"
