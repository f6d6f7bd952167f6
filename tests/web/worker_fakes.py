"""A fake verifier that records what it checks, for the tests where several workers share a database.

`recording_verifier` is also a `--verifier-factory` for `verifier serve` processes: it appends
`pid<TAB>claim` to the file named by $VERIFIER_TEST_LOG and sleeps $VERIFIER_TEST_DELAY seconds
per chunk, so that a test can see which process checked which claim.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

from fakes import FakeEmbedder, FakeNLI


class RecordingVerifier:
    """Wraps a verifier: waits for `gate` (if any), sleeps `delay`, verifies, then records the claims."""

    def __init__(self, inner: Any, delay: float = 0.0, log: Path | None = None, gate: threading.Event | None = None):
        self.inner, self.delay, self.log, self.gate = inner, delay, log, gate
        self.checked: list[str] = []
        self.entered = threading.Event()

    def verify_many(self, claims: list[str], article: Any) -> list[Any]:
        self.entered.set()
        if self.gate is not None:
            self.gate.wait()
        time.sleep(self.delay)
        verdicts = self.inner.verify_many(claims, article)
        self.checked.extend(claims)
        if self.log is not None:
            with self.log.open("a", encoding="utf-8") as f:
                f.write("".join(f"{os.getpid()}\t{c}\n" for c in claims))
        return verdicts

    def verify(self, claim: str, article: Any) -> Any:
        return self.verify_many([claim], article)[0]


def fake_verifier() -> Any:
    from verifier import Verifier

    return Verifier(nli=FakeNLI(), embedder=FakeEmbedder())


def recording_verifier() -> RecordingVerifier:
    """The `--verifier-factory` of the multi-process test (configured by environment variables)."""
    return RecordingVerifier(fake_verifier(), delay=float(os.environ.get("VERIFIER_TEST_DELAY", "0")),
                             log=Path(os.environ["VERIFIER_TEST_LOG"]))
