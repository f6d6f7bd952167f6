"""Deterministic detail checks: the numbers, dates, times, places and names a claim shares with
its evidence, extracted by rules, aligned, and compared (see `align.check_details`); which party
a noun belongs to (`roles`), what each side negates (`negation`), a word whose opposite the
passage states (`opposites`), a superlative ranked otherwise (`ranks`) and claimed shares of a
counted group (`shares`)."""

from __future__ import annotations

from verifier.details.align import Check, check_details
from verifier.details.extract import Detail, extract

__all__ = ["Check", "Detail", "check_details", "extract"]
