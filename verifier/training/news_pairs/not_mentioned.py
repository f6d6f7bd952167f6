"""Not-mentioned pairs: time / place / attribution details from elsewhere in the article."""

from __future__ import annotations

import random
import re

from verifier.training.news_pairs.entities import _NOT_ENTITY, _ORG_WORDS, entity_class
from verifier.training.news_pairs.numbers import MONTHS, WEEKDAYS
from verifier.training.news_pairs.rewrites import _balanced
from verifier.training.news_pairs.text import content_words

_TIME_EXPR = re.compile(
    r"\b(?:on (?:" + "|".join(WEEKDAYS) + r")|in (?:early |late |mid-)?(?:" + "|".join(MONTHS) + r")(?: (?:19|20)\d\d)?"
    r"|in (?:19|20)\d\d|last (?:week|month|year|night|weekend|summer|winter|spring|autumn|fall)"
    r"|earlier this (?:week|month|year)|on (?:" + "|".join(MONTHS) + r") \d{1,2})\b"
)
_ANY_TIME = re.compile(
    r"\b(" + "|".join(WEEKDAYS + MONTHS) + r"|(?:19|20)\d\d|yesterday|today|tomorrow|tonight|week|month|year|"
    r"morning|evening|night|weekend|ago|recently|earlier|later|now|currently|since|until|decade|century)\b",
    re.IGNORECASE,
)
_PLACE_EXPR = re.compile(r"\b(?:in|at|near) (?:the )?[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}\b")
_ATTRIB_EXPR = re.compile(r"\baccording to (?:the |a |an )?[A-Za-z][\w'’\-]*(?: [\w'’\-]+){0,4}?(?=[,.;])")


_LANGUAGES = {"Hebrew", "Arabic", "German", "Latin", "Farsi", "Urdu", "Hindi", "Swahili", "Mandarin", "Cantonese",
              "Greek", "Dutch", "Thai", "Creole", "Braille", "Islam", "Christianity", "Judaism", "Al Qaeda", "Congress"}
_PLACE_FOLLOW = {"and", "or", "for", "on", "in", "at", "to", "with", "last", "this", "that", "when", "where", "after",
                 "before", "but", "as", "since", "during", "of", "who", "which", "was", "is", "were", "are", "has",
                 "had", "have", "said", "says", "by", "from", "earlier", "yesterday", "today", "until"}


def find_details(text: str) -> list[tuple[str, str]]:
    """(kind, phrase) detail phrases: time ("on Monday", "in March 2014", "last week"), place
    ("in Pyongyang", "at the White House") and attribution ("according to the Chosun Ilbo")."""
    out = []
    for m in _TIME_EXPR.finditer(text):
        out.append(("time", m.group()))
    for m in _PLACE_EXPR.finditer(text):
        nxt = text[m.end():].split()
        nxt_word = nxt[0] if nxt and text[m.end():m.end() + 1] == " " else ""
        if nxt_word[:1].islower() and nxt_word.strip(",.;:") not in _PLACE_FOLLOW:
            continue  # "in the Arab world": the phrase is a modifier of what follows
        if text[m.end():m.end() + 1] in ("'", "’", "-"):
            continue
        name = m.group().split(" ", 1)[1]
        last = name.split()[-1]
        if (last in _NOT_ENTITY or name.split()[0] in _NOT_ENTITY - {"The"}
                or any(w in MONTHS or w in WEEKDAYS for w in name.split())):
            continue
        bare = name.removeprefix("the ")
        if entity_class(bare) == "group" or bare in _LANGUAGES or any(w in _ORG_WORDS for w in bare.split()):
            continue  # "in English", "in Hebrew", "at the Post": not places
        out.append(("place", m.group()))
    for m in _ATTRIB_EXPR.finditer(text):
        if 3 <= len(m.group().split()) <= 7:
            out.append(("attribution", m.group()))
    return out


def add_detail(sentence: str, details: list[tuple[str, str]], rng: random.Random) -> str | None:
    """Append a detail phrase from elsewhere in the article to a sentence that has no detail of
    that kind, so that the premise (the bare sentence) neither states nor denies it:
    "Kim had surgery." + "in Pyongyang" -> "Kim had surgery in Pyongyang." """
    s = sentence.rstrip()
    if not re.search(r"[a-z0-9]\.$", s) or s.split()[-1].rstrip(".") in {"Inc", "Co", "Ltd", "Jr", "Sr", "etc"}:
        return None
    if not _balanced(s):
        return None
    own = {k for k, _ in find_details(s)}
    lower = s.lower()
    options = []
    for kind, phrase in details:
        if kind in own or phrase.lower() in lower:
            continue
        if kind == "time" and _ANY_TIME.search(s):
            continue
        if kind == "place" and (_PLACE_EXPR.search(s) or phrase.split(" ", 1)[1].replace("the ", "") in s):
            continue
        if kind == "attribution" and ("according to" in lower):
            continue
        if kind == "attribution" and content_words(phrase) & content_words(s):
            continue
        options.append((kind, phrase))
    if not options:
        return None
    kind, phrase = rng.choice(sorted(set(options)))
    body = s[:-1]
    return f"{body}, {phrase}." if kind == "attribution" else f"{body} {phrase}."


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))
