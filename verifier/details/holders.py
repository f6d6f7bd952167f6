"""Holders: who holds a title ("Pieter Vandaal is the general secretary of the union").

A claim that gives a title to one person when the passage gives the same title, of the same
organisation, to another ("Its general secretary, Maria Oksanen, said ...") is contradicted, yet
the NLI model sees two people who both appear in the article and reads the pair as unrelated. The
shapes news text uses:

- a title and then the name, set off by commas: "Nordhaven's chief executive, Pieter Vandaal,",
  "Its general secretary, Maria Oksanen,", "The transport minister, Lukas Ferren,";
- the name and then its title: "Pieter Vandaal, the chief executive of Nordhaven,";
- a copula: "Pieter Vandaal is the general secretary of the Coastal Transport Union";
- a capitalised title before the name: "Transport Minister Lukas Ferren".

Titles compare by their words ("general secretary" is not "secretary"). Organisations must share
a word; when the passage refers to one ("Its general secretary", "The mayor"), the claim's
organisation must be named in the text just before. A title with no organisation ("President
Barack Obama") is compared only with a claim that names none either: in an article about two
countries, it may be the other country's president.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TITLE_HEADS = (
    "secretary", "secretary-general", "executive", "director", "president", "vice-president", "chairman",
    "chairwoman", "chair", "chairperson", "mayor", "minister", "governor", "spokesman", "spokeswoman",
    "spokesperson", "head", "leader", "commander", "chief", "coach", "captain", "editor", "founder",
    "ambassador", "prosecutor", "manager", "superintendent", "commissioner", "treasurer", "speaker",
)
_HEAD_ALT = "|".join(sorted(_TITLE_HEADS, key=len, reverse=True))
# A title: up to two modifiers and a head ("general secretary", "deputy transport minister").
_TITLE = rf"(?:[a-z]+(?:-[a-z]+)?\s+){{0,2}}(?:{_HEAD_ALT})"
_TITLE_CAP = rf"(?:[A-Z][a-z]+\s+){{0,2}}(?:{'|'.join(h.capitalize() for h in _TITLE_HEADS)})"
_PERSON = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}"
_ORG = r"[A-Z][\w&-]*(?:\s+(?:of\s+)?[A-Z][\w&-]*)*"
_PRONOUN = r"(?:Its|its|Their|their|The|the)"

_TITLE_THEN_NAME = re.compile(
    rf"(?:(?P<org>{_ORG})(?:'s|’s)|(?P<pronoun>{_PRONOUN}))\s+(?P<title>{_TITLE}),\s+(?P<name>{_PERSON})\b")
_NAME_THEN_TITLE = re.compile(
    rf"(?P<name>{_PERSON}),\s+(?:the\s+|a\s+)?(?P<title>{_TITLE})\s+(?:of|at)\s+(?:the\s+)?(?P<org>{_ORG})")
_COPULA = re.compile(
    rf"(?P<name>{_PERSON})\s+(?:is|was|has been|had been|became|remains|remained)\s+(?:the\s+)?"
    rf"(?:(?P<org1>{_ORG})(?:'s|’s)\s+)?(?P<title>{_TITLE})(?:\s+(?:of|at)\s+(?:the\s+)?(?P<org2>{_ORG}))?")
_CAPITALISED = re.compile(rf"\b(?P<title>{_TITLE_CAP})\s+(?P<name>{_PERSON})\b")
_NOT_ORGS = frozenset(["the", "its", "their", "a", "an"])


@dataclass(frozen=True)
class Holder:
    """`name` holds `title` (of `org`, "" when the text names none): text[start:end] says so."""

    name: str
    title: str
    org: str
    start: int
    end: int
    pronoun: bool = False  # the organisation is "Its", "Their" or "The": named before, if at all


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower()[:5] for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in _NOT_ORGS)


@lru_cache(maxsize=4096)
def holders(text: str) -> tuple[Holder, ...]:
    """The (person, title, organisation) statements of `text`, in the shapes of the module docstring."""
    out: list[Holder] = []
    for pattern in (_TITLE_THEN_NAME, _NAME_THEN_TITLE, _COPULA, _CAPITALISED):
        for m in pattern.finditer(text):
            groups = m.groupdict()
            org = next((groups[g] for g in ("org", "org1", "org2") if groups.get(g)), "") or ""
            if org.split()[0].lower() in _NOT_ORGS if org else False:
                org = ""
            if any(h.start <= m.start("name") < h.end for h in out):
                continue
            out.append(Holder(m.group("name"), m.group("title").lower(), org, m.start(), m.end(),
                              pronoun=bool(groups.get("pronoun"))))
    return tuple(out)


def _same_person(a: str, b: str) -> bool:
    return a.split()[-1].lower() == b.split()[-1].lower()


def compare(claim: str, passage: str, context: str = "") -> list[tuple[Holder, Holder, bool]]:
    """(claim holder, passage holder, same person) for each title of the claim that the passage gives
    to someone (see the module docstring for when organisations count as the same); `context` is
    the article text just before the passage."""
    out = []
    for c in holders(claim):
        for p in holders(passage):
            if p.title != c.title:
                continue
            if c.org and p.org:
                if not _words(c.org) & _words(p.org):
                    continue
            elif c.org and not (p.pronoun and _words(c.org) & _words(context + passage[:p.start])):
                continue
            out.append((c, p, _same_person(c.name, p.name)))
            break
    return out
