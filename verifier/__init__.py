"""verifier: check claims against a news article, with the evidence passage and its offsets.

Importing the package is cheap: models load when a `Verifier` is created.
"""

from __future__ import annotations

from verifier.article import Article, make_article, read_article
from verifier.decision import DecisionRule
from verifier.errors import InputError, ModelError, VerifierError
from verifier.labels import Label
from verifier.pipeline import Verifier
from verifier.verdict import Passage, Verdict

__version__ = "0.1.0"

__all__ = [
    "Article",
    "DecisionRule",
    "InputError",
    "Label",
    "ModelError",
    "Passage",
    "Verdict",
    "Verifier",
    "VerifierError",
    "__version__",
    "make_article",
    "read_article",
]
