"""Dates in news text (months, weekdays, years) and date swaps."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from verifier.training.news_pairs.numbers import _MONTH_ABBR, MONTHS, WEEKDAYS, _prev_word

_MONTH_RE = re.compile(r"\b(" + "|".join(MONTHS) + r"|" + "|".join(re.escape(a) for a in _MONTH_ABBR)
                       + r")(?=[\s,.;:)]|$)")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")s?\b")
_YEAR_RE = re.compile(r"(?<![\w.,$£€/\-])((?:19|20)\d\d)(?![\w%/\-]|[.,]\d)")
_MAY_CONTEXT = {"in", "of", "since", "until", "early", "late", "mid", "last", "next", "this", "by", "from", "through"}


@dataclass(frozen=True)
class DateToken:
    start: int
    end: int
    text: str
    kind: str  # month / weekday / year


def find_dates(text: str) -> list[DateToken]:
    """Months, weekdays and four-digit years (1900-2099) that read as dates, not names."""
    out = []
    for m in _MONTH_RE.finditer(text):
        name = m.group(1)
        nxt = text[m.end():].split()
        nxt_word = nxt[0] if nxt else ""
        prev = _prev_word(text, m.start()).lower()
        if name in ("May", "March", "August") and not (nxt_word[:1].isdigit() or prev in _MAY_CONTEXT):
            continue  # "may" / "march" / "august" as other words
        if nxt_word[:1].isupper() and not nxt_word[:1].isdigit():
            continue  # "March Madness", "April Fools"
        out.append(DateToken(m.start(1), m.end(1), name, "month"))
    for m in _WEEKDAY_RE.finditer(text):
        nxt = text[m.end():].split()
        prev = _prev_word(text, m.start())
        if (nxt and nxt[0][:1].isupper()) or (prev[:1].isupper() and m.start() > 0 and not prev.endswith((",", "."))):
            continue  # "Sunday Times", "Good Friday"
        out.append(DateToken(m.start(1), m.end(1), m.group(1), "weekday"))
    for m in _YEAR_RE.finditer(text):
        prev = _prev_word(text, m.start())
        if prev[:1].isupper() and prev not in MONTHS and prev not in _MONTH_ABBR and not prev.endswith(","):
            continue  # "Windows 2000", "Euro 2016"
        out.append(DateToken(m.start(1), m.end(1), m.group(1), "year"))
    return sorted(out, key=lambda d: d.start)


def swap_date(sentence: str, article_text: str, rng: random.Random) -> str | None:
    """Replace one month, weekday or year by another (from the article when it names one)."""
    dates = find_dates(sentence)
    if not dates:
        return None
    d = rng.choice(dates)
    in_article = [x.text for x in find_dates(article_text) if x.kind == d.kind]
    if d.kind == "month":
        old = _MONTH_ABBR.get(d.text, d.text)
        pool = sorted({_MONTH_ABBR.get(t, t) for t in in_article} - {old}) or [m for m in MONTHS if m != old]
    elif d.kind == "weekday":
        pool = sorted(set(in_article) - {d.text}) or [w for w in WEEKDAYS if w != d.text]
    else:
        year = int(d.text)
        pool = sorted(set(in_article) - {d.text}) or [str(year + k) for k in (-3, -2, -1, 1, 2) if year + k <= 2025]
    new = rng.choice(pool)
    out = sentence[: d.start] + new + sentence[d.end :]
    return out if out != sentence else None
