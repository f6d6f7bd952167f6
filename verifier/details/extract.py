"""Extracting details from text by rules: quantities (with bounds, scale and number words,
durations), dates, clock times, weekdays, directions and capitalised names.

Rules, not a library: the shapes news text uses are few, a compiled regex costs microseconds a
sentence (`verifier batch` runs it on every claim and passage), and `dateparser.search_dates`
both costs milliseconds and finds "dates" in words such as "may" or "now".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

INF = math.inf


@dataclass(frozen=True)
class Detail:
    """One detail of a text, with its offsets: `text[start:end] == surface`.

    `kind` is quantity, date, time, weekday, direction or name. `key` is what the value is of:
    the unit or noun of a quantity ("people", "hour", "km"), the time zone of a time, the
    reference place of a direction, the normalised tokens of a name. `low`/`high` bound the value
    (a quantity's interval; a date's year, month and day are in `parts`).
    """

    kind: str
    start: int
    end: int
    surface: str
    key: str = ""
    low: float = 0.0
    high: float = 0.0
    parts: tuple[int, int, int] = (0, 0, 0)  # year, month, day of a date (0: not given)


WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12, "a hundred": 100,
    "a thousand": 1000, "half a": 0.5, "a": 1, "an": 1,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1e12}
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# Duration units in hours.
DURATIONS = {"second": 1 / 3600, "minute": 1 / 60, "hour": 1, "day": 24, "week": 168, "fortnight": 336,
             "month": 730, "year": 8766, "decade": 87660}
UNITS = {"kilometre": "km", "kilometer": "km", "km": "km", "mile": "mile", "metre": "m", "meter": "m",
         "percent": "%", "per cent": "%", "%": "%", "dollar": "$", "euro": "€", "pound": "£", "kg": "kg",
         "kilogram": "kg", "tonne": "t", "ton": "t"}

# Bound phrases -> (kind of interval); applied to the value that follows.
BOUNDS = {
    "more than": "gt", "over": "gt", "above": "gt", "exceeding": "gt", "upwards of": "ge",
    "at least": "ge", "no fewer than": "ge", "no less than": "ge", "not less than": "ge", "a minimum of": "ge",
    "fewer than": "lt", "less than": "lt", "under": "lt", "below": "lt",
    "up to": "le", "at most": "le", "no more than": "le", "not more than": "le", "a maximum of": "le",
    "about": "approx", "around": "approx", "roughly": "approx", "approximately": "approx", "some": "approx",
    "an estimated": "approx", "estimated at": "approx", "nearly": "nearly", "almost": "nearly",
    "close to": "nearly", "just under": "nearly", "exactly": "eq", "precisely": "eq",
}

_word_alt = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS if w not in {"a", "an", "half a"}),
                            key=len, reverse=True))
_scale_alt = "|".join(SCALES)
_bound_alt = "|".join(sorted((re.escape(b) for b in BOUNDS), key=len, reverse=True))
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_word_alt}|a|an|half a)(?:[- ](?:{_word_alt}))?"
QUANTITY = re.compile(
    rf"(?<![\w.,:-])(?:(?P<bound>{_bound_alt})\s+)?(?P<num>{_NUM})(?:\s*(?P<scale>{_scale_alt}|bn|m)\b)?"
    rf"(?P<pct>\s?%)?(?:\s+(?P<noun>(?:[a-z][a-z-]*\s+){{0,2}}[a-z][a-z-]*|[a-z][a-z-]*))?",
    re.IGNORECASE,
)
# "four in ten", "one out of every five": a share, read as a percentage.
_RATIO = re.compile(
    rf"(?<![\w.,:-])(?:(?P<bound>{_bound_alt})\s+)?(?P<num>{_NUM})\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<den>{_NUM})\b"
    rf"(?!\s*(?:%|percent|per cent)|\s+(?:{'|'.join(DURATIONS)}|{'|'.join(UNITS)})s?\b)",
    re.IGNORECASE,
)
# "<two> of the port's <five container terminals>": the part's count, just before the whole's quantity.
_PARTITIVE = re.compile(rf"(?<![\w.,:-])(?P<num>{_NUM})\s+of\s+(?:(?:the|its|their|his|her|our)\s+)?"
                        rf"(?:[A-Za-z-]+['’]s\s+)?$", re.IGNORECASE)
# An age: "a 58-year-old farmer", "58 years old", "aged 58".
_AGE = re.compile(r"-years?-old\b|\s+years?\s+old\b", re.IGNORECASE)
_AGED = re.compile(r"\baged\s+$", re.IGNORECASE)
# A quantity for each of many ("50,000 euros to each family", "20 litres per person"): a different
# slot from a total of the same unit.
_EACH = re.compile(r"\s+(?:(?:to|for)\s+)?(?:each|every|per|apiece|a\s+head)\b", re.IGNORECASE)
_TIME = re.compile(r"\b(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)\b(?:\s*(?P<ampm>[ap]\.?m\.?))?"
                   r"(?:\s*\(?(?P<tz>GMT|UTC|local time|[A-Z]{2,4}T)\b)?")
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH_ALT})\.?(?:,?\s+(?P<y1>1\d{{3}}|20\d{{2}}))?"
    rf"|(?P<m2>{_MONTH_ALT})\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?:(?:,\s*|\s+|-)(?P<y2>1\d{{3}}|20\d{{2}}))?"
    rf"|(?P<m3>{_MONTH_ALT})\.?,?\s+(?P<y3>1\d{{3}}|20\d{{2}})"
    rf"|(?P<y4>(?:1[5-9]|20)\d{{2}})(?:s)?)\b",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?P<w>" + "|".join(WEEKDAYS) + r")s?\b", re.IGNORECASE)
_DIRECTION = re.compile(
    r"\b(?P<dir>(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?\s+of\s+(?:the\s+)?(?P<ref>[A-Z][\w-]+|capital|city|border)",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][\w'’-]*[a-z0-9][\w-]*(?:\s+(?:of\s+)?[A-Z][\w-]+)*|\b[A-Z]{2,}(?:-\d+)?\b")
_NOT_NAMES = {
    "the", "a", "an", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i", "in", "on", "at",
    "for", "of", "and", "but", "or", "if", "as", "by", "with", "from", "after", "before", "since", "during",
    "according", "his", "her", "their", "its", "there", "here", "what", "when", "where", "who", "how",
    "some", "many", "most", "all", "no", "not", "about", "over", "more", "both", "while", "also", "however",
    "earlier", "later", "last", "next", "then", "thus", "so", "such", "one", "two", "photos", "president",
    "prime", "minister", "mr", "mrs", "ms", "dr", "gen", "general", "new", "first", "second", "third", "former",
    "thousands", "hundreds", "dozens", "millions", "ethnic", *(w for w in WORD_NUMBERS if " " not in w),
}
_NON_NOUNS = {
    "and", "or", "of", "the", "a", "an", "to", "in", "on", "at", "by", "for", "from", "with", "was", "were",
    "is", "are", "be", "been", "had", "has", "have", "that", "which", "who", "as", "than", "after", "before",
    "since", "ago", "per", "times", "into", "across", "among", "including", "earlier", "later", "more",
    "less", "this", "its", "their", "his", "her", "said", "says", "would", "will", "could", "did", "do",
    "against",
}


def _number(text: str) -> float | None:
    t = text.lower().replace(",", "")
    try:
        return float(t)
    except ValueError:
        pass
    total = 0.0
    for part in re.split(r"[- ]", t):
        if part in WORD_NUMBERS:
            total += WORD_NUMBERS[part]
        elif f"a {part}" in WORD_NUMBERS:
            total += WORD_NUMBERS[f"a {part}"]
        else:
            return None
    return total or WORD_NUMBERS.get(t)


def singular(word: str) -> str:
    """A crude singular: 'children' -> 'child', 'people' stays, 'hours' -> 'hour'."""
    w = word.lower()
    irregular = {"children": "child", "men": "man", "women": "woman", "lives": "life", "persons": "person",
                 "people": "person", "feet": "foot", "casualties": "casualty", "countries": "country"}
    if w in irregular:
        return irregular[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def interval(value: float, bound: str | None, exact_is_rounded: bool) -> tuple[float, float]:
    """The values a phrase such as 'more than 2,000' allows."""
    kind = BOUNDS.get((bound or "").lower(), "eq")
    if kind == "gt":
        return (math.nextafter(value, INF), INF)
    if kind == "ge":
        return (value, INF)
    if kind == "lt":
        return (-INF, math.nextafter(value, -INF))
    if kind == "le":
        return (-INF, value)
    if kind == "approx":
        return (value * 0.85, value * 1.15)
    if kind == "nearly":
        return (value * 0.85, value)
    if exact_is_rounded:  # "3,000 people" in a claim: a rounded figure
        return (value * 0.95, value * 1.05)
    return (value, value)


def _rounded(value: float) -> bool:
    return value >= 100 and value % 100 == 0


def _ratios(text: str, taken: list[tuple[int, int]]) -> list[Detail]:
    """Shares said as "four in ten" or "one out of every five", as percentages (about, unless bounded)."""
    out = []
    for m in _RATIO.finditer(text):
        num, den = _number(m.group("num")), _number(m.group("den"))
        if not num or not den or num >= den or den > 1000 or any(a <= m.start("num") < b for a, b in taken):
            continue
        low, high = interval(100 * num / den, m.group("bound") or "about", False)
        out.append(Detail("quantity", m.start(), m.end(), m.group(0), "%", low, high))
    return out


def _quantities(text: str, taken: list[tuple[int, int]]) -> list[Detail]:
    out: list[Detail] = []
    for m in QUANTITY.finditer(text):
        num = m.group("num")
        value = _number(num)
        if value is None:
            continue
        start = m.start("bound") if m.group("bound") else m.start("num")
        if any(a <= m.start("num") < b for a, b in taken):
            continue
        scale = (m.group("scale") or "").lower()
        value *= SCALES.get(scale, {"bn": 1e9, "m": 1e6}.get(scale, 1))
        words = (m.group("noun") or "").split()
        key, end = "", m.end("pct") if m.group("pct") else (m.end("scale") if scale else m.end("num"))
        age = _AGE.match(text, m.end("num"))
        if m.group("pct"):
            key = "%"
        elif age or _AGED.search(text, max(0, start - 8), start):
            key, end = "year-old", age.end() if age else m.end("num")  # "a 58-year-old farmer", "aged 58"
        else:
            for i, w in enumerate(words):
                lw = w.lower()
                if lw in _NON_NOUNS:
                    break
                base = singular(lw)
                if base in DURATIONS or base in UNITS or lw in UNITS:
                    key = base if base in DURATIONS else UNITS.get(base, UNITS.get(lw, base))
                elif w[0].isupper() and i + 1 < len(words):
                    continue  # "100 Azerbaijani soldiers": the noun comes after the adjective
                else:
                    key = base
                end = m.start("noun") + len(" ".join(words[: i + 1]))
                break
        is_word_article = num.lower() in {"a", "an", "half a"}
        if is_word_article and (key not in DURATIONS or key == "second"):
            continue  # "a" alone is a number only in "a week", "half a day" ("a second fire": second of two)
        if key in ("", "%") and not m.group("pct") and not scale and not m.group("bound"):
            continue  # a bare number ("in 2020", "page 3") says nothing checkable
        if "." in num or "," in num or num.isdigit():
            rounded = _rounded(value)
        else:
            rounded = False
        if key in DURATIONS:
            value *= DURATIONS[key]
            key = "duration"
        if key not in ("", "%", "duration") and _EACH.match(text, end):
            key += " each"  # "50,000 euros to each family" is not the fund's "15 million euros"
        low, high = interval(value, m.group("bound"), rounded)
        out.append(Detail("quantity", start, end, text[start:end], key, low, high))
        part = _PARTITIVE.search(text, max(0, start - 60), start) if key not in ("", "%", "duration") else None
        if part and (count := _number(part.group("num"))) and not any(a <= part.start() < b for a, b in taken):
            # "two of the port's five container terminals": two container terminals, of five
            out.append(Detail("quantity", part.start(), end, text[part.start():end], key, count, count))
    return out


def _dates(text: str) -> list[Detail]:
    out = []
    for m in _DATE.finditer(text):
        g = m.groupdict()
        month_name = g["m1"] or g["m2"] or g["m3"]
        if month_name and month_name.lower() == "may" and not (g["d1"] or g["d2"] or g["y3"]):
            continue
        if g["m3"] and g["m3"].lower() in {"may", "mar"} and text[m.start():m.start() + 1].islower():
            continue  # "may 2021" lower-case is a verb more often than not
        month = MONTHS.get(month_name.lower().rstrip(".")) if month_name else 0
        day = int(g["d1"] or g["d2"] or 0)
        year = int(g["y1"] or g["y2"] or g["y3"] or g["y4"] or 0)
        if day > 31:
            continue
        if g["y4"] and m.group(0).endswith("s"):
            continue  # "the 1990s"
        out.append(Detail("date", m.start(), m.end(), m.group(0), "", parts=(year, month or 0, day)))
    return out


def _times(text: str) -> list[Detail]:
    out = []
    for m in _TIME.finditer(text):
        h, mi = int(m.group("h")), int(m.group("m"))
        ampm = (m.group("ampm") or "").lower()
        if ampm.startswith("p") and h < 12:
            h += 12
        if ampm.startswith("a") and h == 12:
            h = 0
        if not (ampm or m.group("tz") or ":" in m.group(0)):
            continue
        tz = (m.group("tz") or "").upper().replace("UTC", "GMT")
        v = h * 60 + mi
        out.append(Detail("time", m.start(), m.end(), m.group(0), tz, v, v))
    return out


def _weekdays(text: str) -> list[Detail]:
    return [Detail("weekday", m.start(), m.end(), m.group(0), "", WEEKDAYS.index(m.group("w").lower()))
            for m in _WEEKDAY.finditer(text)]


def _directions(text: str) -> list[Detail]:
    out = []
    for m in _DIRECTION.finditer(text):
        d = m.group("dir").lower().replace("-", "")
        out.append(Detail("direction", m.start(), m.end(), m.group(0), name_key(m.group("ref")),
                          parts=(("north" in d) - ("south" in d), ("east" in d) - ("west" in d), 0)))
    return out


def name_key(name: str) -> str:
    """Tokens of a name reduced to a comparable stem: 'Armenian' and 'Armenia' share 'armeni'."""
    return " ".join(t[:6].lower() for t in re.split(r"[\s-]+", name) if t.lower() not in ("of", "the"))


def _names(text: str, taken: list[tuple[int, int]]) -> list[Detail]:
    out = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        s = m.start()
        while words and (words[0].lower() in _NOT_NAMES or words[0].lower() in MONTHS
                         or words[0].lower().rstrip("s") in WEEKDAYS):
            s += len(words[0]) + 1
            words = words[1:]
        while words and (words[-1].lower() in MONTHS or words[-1].lower() in ("of",)
                         or words[-1].lower().rstrip("s") in WEEKDAYS):
            words = words[:-1]
        if not words or any(a <= s < b for a, b in taken):
            continue
        surface = re.sub(r"['’]s$", "", " ".join(words))
        e = s + len(surface)
        if text[s:e] != surface:
            continue
        out.append(Detail("name", s, e, surface, name_key(surface)))
    return out


# Unicode hyphen and non-breaking hyphen, read as "-" ("COVID\u201119" is one name, not "19 deaths").
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})


def extract(text: str) -> list[Detail]:
    """All details of `text`, in order of position."""
    plain = text.translate(_HYPHENS)  # same length, so the offsets hold for `text`
    dates, times = _dates(plain), _times(plain)
    taken = [(d.start, d.end) for d in dates + times]
    ratios = _ratios(plain, taken)
    taken += [(d.start, d.end) for d in ratios]
    details = dates + times + ratios + _quantities(plain, taken) + _weekdays(plain) + _directions(plain)
    details += _names(plain, [(d.start, d.end) for d in details if d.kind != "direction"])
    if plain != text:
        details = [replace(d, surface=text[d.start:d.end]) for d in details]
    return sorted(details, key=lambda d: (d.start, d.kind))


@lru_cache(maxsize=16)
def _lower_words(article: str) -> frozenset[str]:
    return frozenset(singular(w) for w in re.findall(r"\b[a-z][a-z-]+\b", article))


@lru_cache(maxsize=16)
def _all_words(article: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", article))


def claim_details(claim: str, article: str | None = None) -> list[Detail]:
    """The claim's details; a capitalised first word that the article writes in lower case
    ("Drug addicts ...", "Representatives of Karabakh ...") is not taken for (part of) a name, nor
    is a first word standing alone that the article does not have at all and that looks like any
    word ("Scientists found ...", "Preliminary data ..."; "COVID-19" and "McCain" still count)."""
    details = extract(claim)
    if not article:
        return details
    common = _lower_words(article)
    out = []
    for d in details:
        if d.kind == "name" and d.start == 0 and re.fullmatch(r"[A-Z][a-z]+", d.surface) \
                and d.surface.lower() not in _all_words(article):
            continue
        if d.kind == "name" and d.start == 0 and singular(d.surface.split()[0]) in common:
            rest = re.sub(r"^\S+\s*(?:of\s+|the\s+)*", "", d.surface)
            if not rest:
                continue
            d = replace(d, start=d.end - len(rest), surface=rest, key=name_key(rest))
        out.append(d)
    return out
