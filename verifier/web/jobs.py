"""Background checking: one worker thread takes articles from a queue and checks their claims.

Claims are stored as pending first, then checked in chunks; each chunk's verdicts are saved
before the next one starts, so progress is visible while a batch runs and a restart picks up
the claims left pending. The verifier is built on first use, in the worker, so the server
starts at once even when the real model takes a while to load.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from verifier.errors import VerifierError
from verifier.web.store import Store

log = logging.getLogger(__name__)

_STOP = object()


class JobRunner:
    """Checks pending claims in a background thread, article by article, `chunk_size` at a time."""

    def __init__(self, store: Store, verifier_factory: Callable[[], Any], chunk_size: int = 16):
        self.store = store
        self.verifier_factory = verifier_factory
        self.chunk_size = chunk_size
        self._verifier: Any = None
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

    def _get_verifier(self) -> Any:
        if self._verifier is None:
            self._verifier = self.verifier_factory()
        return self._verifier

    def _run(self) -> None:
        while True:
            item = self._queue.get()
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

    def _check_article(self, article_id: int) -> None:
        record = self.store.article(article_id)
        if record is None:
            return
        article = record.as_article()
        load_error: str | None = None
        while not self._stopping.is_set():
            chunk = self.store.pending_claims(article_id, self.chunk_size)
            if not chunk:
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
                self.store.save_results([(cid, None, load_error) for cid, _ in chunk])
                continue
            self.store.save_results(self._verify(verifier, chunk, article))

    @staticmethod
    def _verify(verifier: Any, chunk: list[tuple[int, str]], article: Any) -> list[tuple[int, Any, str | None]]:
        try:
            verdicts = verifier.verify_many([text for _, text in chunk], article)
            return [(cid, v, None) for (cid, _), v in zip(chunk, verdicts)]
        except Exception as e:  # noqa: BLE001 (reported on the claim; the worker goes on)
            if len(chunk) == 1:
                return [(chunk[0][0], None, _reason(e))]
        out: list[tuple[int, Any, str | None]] = []
        for cid, text in chunk:  # find the claim(s) at fault; the others still get verdicts
            try:
                out.append((cid, verifier.verify(text, article), None))
            except Exception as e:  # noqa: BLE001 (reported on the claim)
                out.append((cid, None, _reason(e)))
        return out


def _reason(error: Exception) -> str:
    """What to tell the user about a failed claim."""
    return str(error) if isinstance(error, VerifierError) else f"{type(error).__name__}: {error}"
