"""The few exceptions the library raises; the CLI and the web layer translate them."""

from __future__ import annotations


class VerifierError(Exception):
    """Base class for errors this package raises on purpose."""


class InputError(VerifierError, ValueError):
    """The claim, the article or an input file cannot be used; the message says why."""


class ModelError(VerifierError, ValueError):
    """A model cannot be loaded or its labels cannot be mapped to ours."""
