"""`ClaimVerifier`: what batch, evaluation, the Ray engine and the web worker need of a verifier.

`verifier.Verifier` is one; tests pass fakes and wrappers that have the same two methods.
(The NLI model and embedder protocols live beside their implementations: `nli.NLIModel`,
`retrieval.Embedder`.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from verifier.article import Article
from verifier.verdict import Verdict


@runtime_checkable
class ClaimVerifier(Protocol):
    """Verifies claims against articles."""

    def verify(self, claim: str, article: str | Article) -> Verdict:
        """One claim against one article."""
        ...

    def verify_many(self, claims: Sequence[str], articles: str | Article | Sequence[str | Article]) -> list[Verdict]:
        """Many claims, against one article or one article per claim (in order)."""
        ...
