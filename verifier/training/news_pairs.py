"""Training pairs from the news articles of FNC-1 and ARC (`../shared/data/train`).

Two families of pairs, written as JSONL rows `{"premise", "hypothesis", "labels", "source", "doc"}`
that `TrainConfig.extra_jsonl` reads:

1. Retrieved pairs (`fnc1-retrieved`, `arc-retrieved`): each headline is matched to the best
   passage (a sentence or two adjacent sentences) of its body with the project's own retrieval
   (`ArticleIndex` + MiniLM), and the stance becomes the label: agree -> supported,
   disagree -> contradicted, discuss / unrelated -> not_mentioned. This is the setting the model
   meets at inference time: a claim against a retrieved passage.
2. Contrast pairs (`news-<kind>`): minimal, rule-based edits of single article sentences.
   - contradicted: number, date, named-entity and direction-word swaps; negation inserted after
     the first auxiliary; an existing negation removed.
   - supported: numbers rewritten as bounds they satisfy ("3,154" -> "more than 3,000"); a clause
     dropped; a 2-3 sentence window containing the sentence; the negated sentence against itself
     (so that an inserted "not" is not a shortcut for "contradicted").
   - not_mentioned: a same-article sentence against a high-overlap window that does not contain
     it; the sentence with a time / place / attribution phrase from elsewhere in the article added.

The text functions (`swap_number`, `negate`, ...) are pure and take an explicit `random.Random`;
only `build_news_pairs` loads the embedder. Everything is deterministic for a given seed.

    python -m verifier.training.news_pairs ../shared/data runs/news_pairs.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from verifier.labels import Label
from verifier.tables import allow_big_cells

log = logging.getLogger(__name__)

MIN_WORDS, MAX_WORDS = 8, 60
# premise + hypothesis words of a contrast pair: ~120 tokens, so that training at max_length 128
# does not cut off the part of the premise that decides the label
MAX_PAIR_WORDS = 90
STANCE_LABEL = {
    "agree": Label.SUPPORTED,
    "disagree": Label.CONTRADICTED,
    "discuss": Label.NOT_MENTIONED,
    "unrelated": Label.NOT_MENTIONED,
}

# --------------------------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_STOP = frozenset(
    """a an the and or but if of to in on at by for from with as is are was were be been being has have had
    do does did will would can could should may might must shall it its this that these those he she they we i
    you his her their our my your him them us me who whom which what when where why how not no n't there here
    than then so such also just only said says say told about after before over into out up down more most
    some any all each other one two new""".split()  # noqa: SIM905
)


def words(text: str) -> list[str]:
    """Word tokens of `text` (letters, digits, inner apostrophes and hyphens)."""
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(text.split())


def content_words(text: str) -> set[str]:
    """Lower-cased non-stopwords, crudely stemmed (plural / past / -ing endings cut)."""
    out = set()
    for w in words(text.lower()):
        w = w.replace("’", "'")
        if w in _STOP or len(w) < 3:
            continue
        for suffix in ("'s", "ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
        out.add(w)
    return out


def _clean(text: str) -> str:
    return " ".join(text.split())


def _match_case(new: str, old: str) -> str:
    """`new` with `old`'s capitalisation (all caps, or initial capital)."""
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?<![\w.,/:$£€#'’\-])(?P<cur>[$£€])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<pct>%|\s?per\s?cent\b)?"
    r"(?![\w/:'’\-]|[.,]\d)"
)
_HEDGES = (
    "at least", "more than", "less than", "fewer than", "over", "under", "nearly", "about", "around",
    "almost", "approximately", "roughly", "some", "up to", "only", "just", "exactly", "upwards of",
    "as many as", "as much as", "no more than", "below", "above", "estimated", "an estimated", "or",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_MONTH_ABBR = {"Jan.": "January", "Feb.": "February", "Aug.": "August", "Sept.": "September", "Sep.": "September",
               "Oct.": "October", "Nov.": "November", "Dec.": "December"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Number:
    """A number written in digits inside a sentence."""

    start: int  # span of the digits only (`num` group)
    end: int
    text: str
    value: float
    currency: str
    percent: bool

    @property
    def is_year(self) -> bool:
        return (not self.currency and not self.percent and re.fullmatch(r"1\d\d\d|20\d\d", self.text) is not None)


def find_numbers(text: str) -> list[Number]:
    """Numbers in digits: 3,154 / 13.5% / $2.5 / 40 per cent (not parts of words, dates, times, ranges)."""
    out = []
    for m in _NUMBER.finditer(text):
        num = m.group("num")
        out.append(Number(m.start("num"), m.end("num"), num, float(num.replace(",", "")),
                          m.group("cur") or "", bool(m.group("pct"))))
    return out


def _before(text: str, pos: int, n: int = 3) -> str:
    """The last `n` words before `pos`, lower-cased, as one string."""
    return " ".join(text[:pos].lower().split()[-n:])


def _hedged(text: str, num: Number) -> bool:
    start = num.start - len(num.currency)
    prev = _before(text, start, 3)
    return any(prev == h or prev.endswith(" " + h) for h in _HEDGES)


def _prev_word(text: str, pos: int) -> str:
    prev = text[:pos].split()
    return prev[-1] if prev else ""


def _is_identifier(text: str, num: Number) -> bool:
    """'Flight 370', 'No. 5', 'Boeing 777': a capitalised word (not a month) right before the number."""
    start = num.start - len(num.currency)
    if start > 0 and not text[start - 1].isspace():
        return True  # glued to something: "(5", "'14", "#3"
    prev = _prev_word(text, start).strip("\"“”'‘’(")
    if not prev:
        return False
    if prev in MONTHS or prev in _MONTH_ABBR:
        return False
    return any(c.isupper() for c in prev) or prev.lower() in {"no.", "number", "no", "version", "article", "section",
                                                               "room"}  # "Flight 370", "iPhone 6"


def format_number(value: float, template: str) -> str:
    """`value` written like `template` (thousands commas and number of decimals)."""
    decimals = len(template.split(".")[1]) if "." in template else 0
    use_commas = "," in template or (value >= 10_000 and "," in template)
    if decimals:
        s = f"{value:,.{decimals}f}" if use_commas else f"{value:.{decimals}f}"
    else:
        s = f"{round(value):,}" if use_commas else f"{round(value)}"
    return s


def _scaled(num: Number, rng: random.Random) -> str | None:
    """A clearly different number of the same format."""
    v = num.value
    if v == 0:
        return None
    if v < 10 and float(v).is_integer():
        choices = [int(v) + d for d in (1, 2, 3, 5) if int(v) + d != v] + [int(v) - d for d in (1, 2) if int(v) - d > 0]
        new = float(rng.choice(choices))
    else:
        new = v * rng.choice((2, 3, 0.5, 1.5, 10, 0.25))
        if "." not in num.text and new < 1:  # a whole number stays >= 1
            new = v + 1
    if num.percent and new > 100 and v <= 100:
        new = v / 2
    s = format_number(new, num.text)
    return s if float(s.replace(",", "")) != v else None


def _before_name(text: str, num: Number) -> bool:
    """'4 Times Square', '5 Reasons the Watch...': a capitalised word (not a month) right after."""
    nxt = text[num.end:].split()[:1]
    word = nxt[0].strip("%,.;:") if nxt else ""
    return word[:1].isupper() and word not in MONTHS and word not in _MONTH_ABBR


def swap_number(sentence: str, article_numbers: list[str], rng: random.Random) -> str | None:
    """Replace one number in `sentence` by a different number from the same article (same kind:
    percent or not, money or not); or, if the article has none, by a scaled one. Skips years,
    hedged numbers ("at least 5": another bound is not a contradiction) and identifiers."""
    nums = [n for n in find_numbers(sentence) if not n.is_year and not _hedged(sentence, n)
            and not _is_identifier(sentence, n) and not _before_name(sentence, n)]
    if not nums:
        return None
    num = rng.choice(nums)
    pool = []
    for t in article_numbers:
        for cand in find_numbers(t):
            if (cand.value != num.value and not cand.is_year and cand.percent == num.percent
                    and bool(cand.currency) == bool(num.currency) and cand.text not in pool
                    and ("." in cand.text) <= ("." in num.text)):  # no "15.2 men" for "11 men"
                pool.append(cand.text)
    near = [t for t in pool if 0.1 <= float(t.replace(",", "")) / num.value <= 10] if num.value else []
    new = rng.choice(near or pool) if pool else _scaled(num, rng)
    if new is None:
        return None
    out = sentence[: num.start] + new + sentence[num.end :]
    return out if out != sentence else None


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTH_RE = re.compile(r"\b(" + "|".join(MONTHS) + r"|" + "|".join(re.escape(a) for a in _MONTH_ABBR) + r")(?=[\s,.;:)]|$)")
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


# --------------------------------------------------------------------------------------------
# Named entities (capitalised word sequences not at the sentence start)
# --------------------------------------------------------------------------------------------

_CAP_TOKEN = re.compile(r"[A-Z][\w'’.\-]*")
_TITLES = {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "President", "Prime", "Minister", "Gov.",
           "Sen.", "Rep.", "Gen.", "Sir", "Lord", "Lady", "King", "Queen", "Prince", "Princess", "Pope",
           "Senator", "Governor", "Judge", "Chancellor", "Secretary", "Chief", "Officer", "Rev.", "St.", "Saint",
           "Pastor", "Father", "Mayor", "Captain", "Capt.", "Sgt.", "Lt."}
_NOT_ENTITY = {
    "I", "I'm", "I've", "I'd", "I'll", "The", "A", "An", "This", "That", "These", "Those", "He", "She", "It",
    "They", "We", "You", "His", "Her", "Its", "Their", "Our", "My", "Your", "But", "And", "Or", "If", "In", "On",
    "At", "As", "For", "To", "Of", "By", "With", "From", "After", "Before", "When", "While", "There", "Here",
    "What", "Who", "Why", "How", "Where", "Which", "Not", "No", "Yes", "So", "Also", "However", "According",
    "Meanwhile", "Some", "All", "One", "Two", "OK", "Ok", "Oh", "Please", "Thanks", "Read", "More", "Related",
    "Update", "UPDATE", "Photo", "Image", "Video", "Twitter", "Facebook", "Source", "Sources", "God", "Internet",
} | set(MONTHS) | set(WEEKDAYS)
_COMMON_CAPS = {
    "many", "much", "very", "never", "every", "really", "need", "people", "income", "must", "everyone", "nothing",
    "everything", "anyone", "none", "lie", "lies", "true", "false", "fact", "facts", "stop", "wrong", "right",
    "please", "why", "now", "ever", "most", "least", "nobody", "real", "free", "only", "both", "own", "same",
    "less", "should", "shall", "still", "yes", "well", "good", "bad", "big", "great", "money", "tax", "taxes",
}
_ADJ_HYPHEN = re.compile(r"-(held|controlled|based|backed|led|born|style|owned|run|made|linked|allied|affiliated|"
                         r"inspired|related|friendly|era|like|bound|funded|occupied|born|themed|sponsored)$")
_PLACE_PREP = {"in", "at", "near", "into", "across", "outside", "inside", "throughout"}
# a name with one of these words is an organisation, whatever its context ("Anbar Operations Command said")
_ORG_WORDS = {
    "Command", "Committee", "Department", "Agency", "Ministry", "Council", "Journalists", "Group", "Organization",
    "Organisation", "Institute", "University", "Association", "Office", "Police", "Army", "Forces", "News", "Times",
    "Post", "Journal", "Press", "Health", "Hospital", "Medical", "Center", "Centre", "Church", "Bank", "Company",
    "Inc", "Corp", "Party", "Union", "Club", "Foundation", "Fund", "Court", "Commission", "Authority", "Service",
    "Services", "Media", "Network", "Channel", "Magazine", "Airlines", "Airport", "Station", "School", "College",
    "Academy", "Museum", "Bureau", "Observatory", "Daily", "Mail", "Herald", "Tribune", "Telegraph", "Guardian",
    "Report", "Reporter", "Weekly", "Government", "Parliament", "Senate", "Congress", "House", "Street", "Road",
    "Square", "Park", "Hall", "Records", "Studios", "Pictures", "Entertainment", "Festival", "Awards", "Presbyterian",
    "Operations", "Coalition", "Movement", "Brigade", "Division", "Battalion", "Navy", "Guard", "Clinic", "Base",
}
_MONTH_SHORT = {"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
_SAY = {"said", "says", "told", "added", "claimed", "stated", "wrote", "reported", "tweeted", "explained"}


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str
    kind: str  # place / person / other


def find_entities(sentence: str) -> list[Entity]:
    """Capitalised word sequences that are not the sentence's first word (or a quote's), nor a
    function word, month or weekday; leading titles ("Mr.", "President") and a possessive "'s" are
    left out of the span. `kind` is a crude guess from the context: after a place preposition ->
    place; after a title or before a verb of saying -> person; otherwise other."""
    toks = list(_CAP_TOKEN.finditer(sentence))
    shouting = sum(1 for w in sentence.split() if len(w) >= 4 and w.isupper() and w.isalpha()) >= 2
    out: list[Entity] = []
    i = 0
    while i < len(toks):
        j = i
        # extend over "X Y", "X of Y", "X-Y" (single spaces only)
        while j + 1 < len(toks):
            gap = sentence[toks[j].end() : toks[j + 1].start()]
            tok = toks[j].group()
            if tok.endswith(("'s", "’s", "'", "’", ".'", ".’", ",")) or (tok.endswith(".") and "." not in tok[:-1]
                                                                           and tok not in _TITLES):
                break  # "CNBC's Scott Wapner" is two names; "Sablale. We" is a missed sentence end
            if gap == " " or gap in (" of ", " de ", " al-", " bin ", " van ", " von "):
                j += 1
            else:
                break
        seq = toks[i : j + 1]
        i = j + 1
        start = seq[0].start()
        if start > 0 and sentence[start - 1].isalnum():
            continue
        before = sentence[:start].rstrip()
        if not before or before[-1] in "\"“‘'(:.!?—–-" or before.endswith("'"):
            continue  # sentence start, quote start or after a colon: capitalised anyway
        names = [re.sub(r"['’]s?$", "", t.group()) for t in seq]
        names = [n[:-1] if n.endswith(".") and "." not in n[:-1] and n not in _TITLES else n for n in names]
        titled = False
        while names and names[0] in _TITLES:
            titled = True
            names.pop(0)
            of = len(seq) > 1 and sentence[seq[0].end() : seq[1].start()] == " of "
            seq = seq[1:]
            if of and names:  # "Secretary of State William Galvin" -> "William Galvin"
                names.pop(0)
                seq = seq[1:]
        if not names or all(n in _NOT_ENTITY for n in names) or names[0] in _NOT_ENTITY:
            continue
        if any(_ADJ_HYPHEN.search(n) for n in names):
            continue  # "ISIS-held", "Syria-based": modifiers, not names
        if any(n.isupper() and len(n) > 1 and (n.lower() in _STOP or n.lower() in _COMMON_CAPS) for n in names):
            continue  # "ARE", "MANY": emphasis, not a name
        if (len(names) > 1 and all(n.isupper() for n in names)) or shouting:
            continue
        end = seq[-1].end()
        text = sentence[seq[0].start() : end]
        for poss in ("'s", "’s"):
            text = text.removesuffix(poss)
        text = text.rstrip("'’-")  # "Jew.'" at a quote's end
        if text.endswith(".") and "." not in text[:-1]:
            text = text[:-1]  # "Pyongyang." at the sentence end, but "U.S." stays
        end = seq[0].start() + len(text)
        if len(text) < 2 or text.isdigit():
            continue
        prev = _prev_word(sentence, seq[0].start()).lower().strip(",")
        nxt = sentence[end:].split()
        nxt_word = nxt[0].lower().strip(",.") if nxt else ""
        if any(n in _ORG_WORDS for n in names) or text.isupper() or names[0] in _MONTH_SHORT:
            kind = "other"  # organisations and acronyms (BBC, ISIS) are not swapped
        elif prev in _PLACE_PREP and not titled:
            kind = "place"
        elif titled or nxt_word in _SAY:
            kind = "person"
        else:
            kind = "other"
        out.append(Entity(seq[0].start(), end, text, kind))
    return out


_DEMONYMS = {"American", "Americans", "Arab", "Arabs", "Thai", "Swiss", "Greek", "Greeks", "Iraqi", "Iraqis",
             "Saudi", "Saudis", "Kurd", "Kurds", "Kurdish", "Jew", "Jews", "Jewish", "Muslim", "Muslims", "Christian",
             "Christians", "Catholic", "Catholics", "Islamic", "Democrat", "Democrats", "Republican", "Republicans",
             "British", "English", "French", "Dutch", "Irish", "Welsh", "Scottish", "Israeli", "Israelis", "Afghan",
             "Afghans", "Pakistani", "Pakistanis", "Yemeni", "Somali", "Somalis", "Brit", "Brits", "Scots", "Sunni",
             "Shia", "Shiite", "Western", "Eastern", "Northern", "Southern", "Frenchman", "Englishman"}


def entity_class(text: str) -> str:
    """'group' for a nationality / religion / party word ("American", "Chinese", "Democrats"),
    else 'name': the two are not swapped for each other ("an American citizen" -> "a Kim citizen")."""
    if " " not in text and (text in _DEMONYMS or text.endswith(("ian", "ians", "ean", "eans", "ese", "ish", "ican",
                                                                    "icans", "ist", "ists"))):
        return "group"
    return "name"


def _entity_tokens(text: str) -> set[str]:
    return {t.lower().strip(".'’") for t in re.split(r"[\s\-]+", text) if t}


def _last_token(text: str) -> str:
    return re.split(r"[\s\-]+", text)[-1].lower().strip(".'’")


def article_kinds(entities: list[Entity]) -> dict[str, str]:
    """Kind per surname-like last token over the whole article: a name seen once with "said" or a
    title is a person everywhere ("Sotloff"), else a place if ever after "in"/"at", else other."""
    seen: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        seen[_last_token(e.text)].add(e.kind)
    return {t: "person" if "person" in k else "place" if "place" in k else "other" for t, k in seen.items()}


_REGIONS = ("Asia", "Europe", "Africa", "America", "Middle East", "Mideast", "West", "East", "North", "South",
            "Pacific", "Atlantic", "Gulf", "Caribbean", "Balkans", "Arctic", "Antarctica", "Earth", "World")


_COUNTRIES = frozenset("""
Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan Bahamas Bahrain Bangladesh
Barbados Belarus Belgium Belize Benin Bhutan Bolivia Bosnia Botswana Brazil Brunei Bulgaria Burundi Cambodia Cameroon
Canada Chad Chile China Colombia Comoros Congo Croatia Cuba Cyprus Czechia Denmark Djibouti Dominica Ecuador Egypt
Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia Georgia Germany Ghana Greece Grenada Guatemala
Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Jordan
Kazakhstan Kenya Kiribati Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia Libya Liechtenstein Lithuania
Luxembourg Madagascar Malawi Malaysia Maldives Mali Malta Mauritania Mauritius Mexico Micronesia Moldova Monaco
Mongolia Montenegro Morocco Mozambique Myanmar Burma Namibia Nauru Nepal Netherlands Holland Nicaragua Niger Nigeria
Norway Oman Pakistan Palau Palestine Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda
Samoa Senegal Serbia Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan Suriname Sweden Switzerland Syria
Taiwan Tajikistan Tanzania Thailand Togo Tonga Tunisia Turkey Turkmenistan Tuvalu Uganda Ukraine Uruguay Uzbekistan
Vanuatu Venezuela Vietnam Yemen Zambia Zimbabwe Britain England Scotland Wales Gaza Crimea Chechnya Kurdistan
""".split()) | {  # noqa: SIM905
    "Saudi Arabia", "South Africa", "North Korea", "South Korea", "New Zealand", "Sri Lanka", "United States",
    "United Kingdom", "United Arab Emirates", "Sierra Leone", "South Sudan", "Costa Rica", "El Salvador",
    "Ivory Coast", "Czech Republic", "Dominican Republic", "Papua New Guinea", "Burkina Faso", "U.S.", "US", "USA",
    "U.S.A.", "UK", "U.K.", "America", "West Bank", "Puerto Rico", "Hong Kong", "Vatican",
}


def _nested(a: str, b: str, article_text: str) -> bool:
    """Places that may contain each other, so that swapping them is not a contradiction: a region;
    a country and a place that is not one (Iraq / Mosul); or written "A, B", "A in B", "B's A" in
    the article ("Ottawa, Canada")."""
    if a.endswith(_REGIONS) or b.endswith(_REGIONS) or ((a in _COUNTRIES) != (b in _COUNTRIES)):
        return True
    ea, eb = re.escape(a), re.escape(b)
    joins = r"(?:,\s+(?:the\s+)?|\s+in\s+(?:the\s+)?|\s+of\s+)"
    return bool(re.search(f"{ea}{joins}{eb}|{eb}{joins}{ea}|{ea}['’]s\\s+{eb}|{eb}['’]s\\s+{ea}", article_text))


def swap_entity(sentence: str, article_entities: list[Entity], rng: random.Random, article_text: str = "") -> str | None:
    """Replace a person or place name by another of the same kind from the same article, one
    sharing no word with it ("Kim" is not swapped for "Kim Jong-un") nor already in the sentence;
    places are not swapped with regions or with places the article writes next to them."""
    ents = find_entities(sentence)
    rng.shuffle(ents)
    kind_of = article_kinds(article_entities)
    for ent in ents:
        old = _entity_tokens(ent.text)
        want = kind_of.get(_last_token(ent.text), ent.kind)
        if want == "other":
            continue  # organisations, products, events...: swapping them mostly makes nonsense
        pool = sorted({
            e.text for e in article_entities
            if kind_of.get(_last_token(e.text), e.kind) == want and entity_class(e.text) == entity_class(ent.text)
            and not (_entity_tokens(e.text) & old) and e.text not in sentence
            and e.text.isupper() == ent.text.isupper()  # acronyms for acronyms
            and not (want == "place" and _nested(e.text, ent.text, article_text or sentence))
        })
        if not pool:
            continue
        new = rng.choice(pool)
        out = sentence[: ent.start] + new + sentence[ent.end :]
        if out != sentence:
            return out
    return None


# --------------------------------------------------------------------------------------------
# Direction words
# --------------------------------------------------------------------------------------------

_DIRECTION_PAIRS = [
    ("rose", "fell"), ("rise", "fall"), ("rises", "falls"), ("rising", "falling"), ("risen", "fallen"),
    ("increased", "decreased"), ("increase", "decrease"), ("increases", "decreases"),
    ("increasing", "decreasing"), ("won", "lost"), ("wins", "loses"), ("win", "lose"),
    ("winning", "losing"), ("before", "after"), ("more than", "less than"), ("above", "below"),
    ("higher", "lower"), ("highest", "lowest"), ("larger", "smaller"), ("largest", "smallest"),
    ("confirmed", "denied"), ("confirms", "denies"), ("confirm", "deny"), ("alive", "dead"),
    ("guilty", "innocent"), ("always", "never"), ("earlier", "later"), ("accepted", "rejected"),
    ("best", "worst"), ("positive", "negative"), ("legal", "illegal"), ("true", "false"),
    ("up", "down"), ("gained", "lost"),
]
_DIRECTION: dict[str, str] = {}
for _a, _b in _DIRECTION_PAIRS:
    _DIRECTION.setdefault(_a, _b)
    _DIRECTION.setdefault(_b, _a)
_DIRECTION["fewer than"] = "more than"
_COMPETITION = re.compile(r"\b(race|election|game|match|case|vote|battle|seat|war|title|bid|appeal|lawsuit|fight|"
                          r"championship|final|cup|primary|referendum|contest|majority)s?\b", re.IGNORECASE)
_DIRECTION_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in _DIRECTION), key=len, reverse=True)) + r")\b",
                           re.IGNORECASE)


def swap_direction(sentence: str, rng: random.Random) -> str | None:
    """Swap one direction word for its opposite (rose/fell, increased/decreased, won/lost,
    before/after, more than/less than, above/below, confirmed/denied, ...). "up"/"down" only before
    a number ("up 5%"); "lost" -> "won" only near a competition noun; "before"/"after" not at the end."""
    if has_negation(sentence):
        return None  # "did not rise" / "did not fall" do not contradict each other
    options = []
    for m in _DIRECTION_RE.finditer(sentence):
        word = m.group(1)
        key = word.lower()
        rest = sentence[m.end():]
        if key in ("up", "down") and not re.match(r"\s+[$£€]?\d", rest):
            continue
        if key == "lost" and not _COMPETITION.search(" ".join(rest.split()[:5])):
            continue
        if key in ("before", "after") and not re.match(r"\s+\w", rest):
            continue
        if key in ("later", "earlier") and not re.match(r"\s+(this|that|in|on|last|today|than)\b", rest):
            continue
        if key in ("true", "false", "positive", "negative", "best", "worst") and m.start() == 0:
            continue
        options.append((m.start(1), m.end(1), _match_case(_DIRECTION[key], word)))
    if not options:
        return None
    start, end, new = rng.choice(options)
    head = sentence[:start]
    art = re.search(r"(?<![\w'’])(a|an|A|An) $", head)
    if art:  # "an increase" -> "a decrease"
        fixed = ("an" if new[0].lower() in "aeiou" else "a")
        head = head[: art.start()] + _match_case(fixed, art.group(1)) + " "
    return head + new + sentence[end:]


# --------------------------------------------------------------------------------------------
# Negation
# --------------------------------------------------------------------------------------------

AUXILIARIES = ("is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "did", "does", "do")
_AUX_RE = re.compile(r"(?<![\w'’\-])(" + "|".join(AUXILIARIES) + r")(?![\w'’\-])")
_NEGATION_RE = re.compile(r"\b(not|no|never|cannot|nobody|nothing|none|neither|nor|nowhere)\b|n['’]t\b", re.IGNORECASE)
_PARTICIPLES = {
    "been", "made", "said", "told", "found", "left", "become", "come", "done", "gone", "seen", "taken", "given",
    "got", "gotten", "had", "held", "kept", "lost", "paid", "put", "run", "sent", "set", "shown", "spent", "won",
    "written", "brought", "bought", "caught", "taught", "thought", "built", "begun", "known", "heard", "met",
    "led", "read", "hit", "cut", "let", "struck", "stolen", "spoken", "chosen", "driven", "eaten", "fallen",
    "grown", "hidden", "risen", "sold", "sought", "stood", "understood", "felt", "fled", "flown", "forgotten",
    "already", "also", "since", "recently", "previously", "never", "long", "just", "repeatedly", "reportedly",
}
_NOT_BASE_VERB = {
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your", "it",
    "so", "what", "something", "nothing", "anything", "everything", "him", "them", "us", "me", "you", "to",
    "not", "n't", "never", "no", "there", "here", "well", "as", "in", "on", "at", "for", "with", "all", "some",
    "any", "more", "much", "many", "such", "than", "and", "or", "but", "if", "when", "because", "same",
    "now", "today", "too", "also", "then", "again", "yet", "who", "which", "he", "she", "they", "we", "i",
}
_NO_LONGER_OK = {"a", "an", "the", "in", "able", "allowed", "available", "open", "alive", "working", "living",
                 "part", "being", "considered", "welcome", "needed", "required", "valid", "safe", "used"}


def negate(sentence: str, rng: random.Random) -> str | None:
    """Insert "not" (or "no longer") after the first auxiliary that heads a verb phrase:
    "was arrested" -> "was not arrested", "can go" -> "cannot go", "did say" -> "did not say".
    `None` for questions, sentences without such an auxiliary, or an auxiliary already negated."""
    if sentence.rstrip("\"”’' ").endswith("?"):
        return None
    for m in _AUX_RE.finditer(sentence):
        aux = m.group(1)
        rest = sentence[m.end():]
        nxt_m = re.match(r"\s+([A-Za-z][\w'’\-]*)", rest)
        if not nxt_m:
            continue
        nxt = nxt_m.group(1)
        low = nxt.lower()
        prev = _prev_word(sentence, m.start()).lower()
        if low in ("not", "never", "no", "n't") or low.startswith("n't") or prev in ("to", "not", "never"):
            continue
        if low in ("only", "just", "merely", "simply", "also", "still", "already"):
            continue  # "is not only X" does not deny "is only X"; "is not also" is not English
        if not nxt[0].islower():
            continue
        participle = low in _PARTICIPLES or low.endswith(("ed", "en", "wn"))
        base_verb = not (low in _NOT_BASE_VERB or low.endswith(("ed", "ing", "ly"))
                         or (aux != "do" and low.endswith("s") and low != "is"))
        if aux in ("has", "have", "had") and not participle:
            continue  # "had surgery": main verb
        if aux in ("do", "does", "did", "will", "would", "can", "could") and not base_verb:
            continue  # "did the work", "will they"
        if aux == "can":
            neg = "cannot"
        elif rng.random() < 0.3 and ((aux in ("is", "are", "was", "were") and low in _NO_LONGER_OK)
                                     or aux in ("will", "can")):
            neg = aux + " no longer"
        else:
            neg = aux + " not"
        return sentence[: m.start()] + neg + sentence[m.end():]
    return None


_CONTRACTIONS = {
    "can't": "can", "won't": "will", "don't": "do", "doesn't": "does", "didn't": "did", "isn't": "is",
    "aren't": "are", "wasn't": "was", "weren't": "were", "hasn't": "has", "haven't": "have", "hadn't": "had",
    "couldn't": "could", "wouldn't": "would",
}
_KEEP_AFTER_NOT = {"only", "just", "yet", "least", "merely", "simply", "to", "because", "so", "even"}
_NO_IDIOMS = {"doubt", "matter", "wonder", "less", "more", "sooner", "way", "longer", "one", "fewer"}
_UNCOUNTABLE = {
    "evidence", "proof", "information", "news", "confirmation", "indication", "truth", "support", "comment",
    "knowledge", "damage", "danger", "access", "money", "water", "help", "progress", "time", "intention",
    "interest", "word", "record", "basis", "credible", "official", "immediate", "further", "real", "such",
    "significant", "clear", "major", "serious", "direct", "apparent", "known",
}
_NEGATABLE_AUX = set(AUXILIARIES)


def remove_negation(sentence: str) -> str | None:
    """Remove the sentence's only negation: "wasn't" -> "was", "did not go" -> "did go",
    "cannot" -> "can", "no longer" / "never" dropped, "no one" -> "someone", "no evidence" ->
    "evidence". `None` when there is no negation, more than one, or an idiom ("not only", "no doubt",
    "may not": "may" is not its opposite)."""
    negs = list(_NEGATION_RE.finditer(sentence))
    if len(negs) != 1 or sentence.rstrip("\"”’' ").endswith("?"):
        return None
    m = negs[0]
    if re.search(r"\b(any|anything|anyone|anybody|anywhere|ever|yet|either|choice|sooner|unless|at all)\b",
                 sentence[m.end():], re.IGNORECASE):
        return None  # "doesn't mean anything", "no choice but": the affirmative reads wrong
    word = m.group(0)
    low = word.lower().replace("’", "'")
    rest = sentence[m.end():]
    nxt_m = re.match(r"\s+([\w'’\-]+)", rest)
    nxt = nxt_m.group(1).lower() if nxt_m else ""
    if nxt in _KEEP_AFTER_NOT:
        return None  # "didn't even", "not only", "never just"
    if low == "n't":
        tok = re.search(r"([A-Za-z]+n['’]t)$", sentence[: m.end()])
        if not tok:
            return None
        full = tok.group(1).replace("’", "'")
        base = _CONTRACTIONS.get(full.lower())
        if not base:
            return None
        return sentence[: tok.start()] + _match_case(base, full) + sentence[m.end():]
    if low == "cannot":
        return sentence[: m.start()] + _match_case("can", word) + sentence[m.end():]
    if low == "not":
        prev = _prev_word(sentence, m.start()).lower()
        if prev not in _NEGATABLE_AUX or nxt in _KEEP_AFTER_NOT or not nxt:
            return None
        return sentence[: m.start()].rstrip() + sentence[m.end():]
    if low == "never":
        if nxt in ("before", "again", "mind", "ever") or not nxt:
            return None
        if m.start() == 0:
            return None
        return sentence[: m.start()].rstrip() + sentence[m.end():]
    if low == "no":
        if not nxt or nxt in _NO_IDIOMS - {"longer", "one"} or not rest.startswith(" ") or not nxt[0].isalpha():
            return None
        if nxt == "longer":
            return sentence[: m.start()].rstrip() + sentence[m.end() + len(" longer"):] if m.start() else None
        if nxt == "one":
            return sentence[: m.start()] + _match_case("someone", word) + rest[len(" one"):]
        if m.start() == 0:
            return None
        nxt2 = (words(rest)[1:2] or [""])[0].lower()
        plural = (nxt.endswith("s") and not nxt.endswith("ss")) or nxt2.endswith("s") or nxt2 in _COUNT_NOUNS
        if plural or nxt in _UNCOUNTABLE:  # "no school-age children" -> "school-age children"
            return sentence[: m.start()] + rest.lstrip()
        vowel = nxt[0] in "aeiou" and not nxt.startswith(("use", "usu", "uni", "uti", "eu", "one", "ure", "uro"))
        return sentence[: m.start()] + ("an" if vowel else "a") + rest
    return None  # nobody / nothing / none / neither / nor: no clean affirmative


def has_negation(text: str) -> bool:
    return _NEGATION_RE.search(text) is not None


# --------------------------------------------------------------------------------------------
# Supported rewrites: number bounds, clause drops
# --------------------------------------------------------------------------------------------


def _nice_floors(v: float) -> list[float]:
    """Round numbers strictly below `v` and at least 70% of it (3,154 -> 3,000 / 3,100; 200 -> 150 / 190)."""
    if v < 2:
        return []
    mag = 10 ** math.floor(math.log10(v))
    out = []
    for step in (mag, mag / 2, mag / 10):
        if step < 1 and not (v < 100 and step >= 0.1):
            continue
        r = (math.ceil(v / step) - 1) * step  # the round number strictly below v
        r = round(r, 1)
        if 0 < r < v and r >= 0.7 * v and r not in out:
            out.append(r)
    return [r for r in out if float(r).is_integer()]


def _nice_ceil(v: float) -> float | None:
    """A round number just above `v` (at most 5% above): 2,970 -> 3,000."""
    if v < 10:
        return None
    mag = 10 ** math.floor(math.log10(v))
    for step in (mag, mag / 2, mag / 10):
        if step < 1:
            break
        r = math.ceil(v / step) * step
        if v < r <= v * 1.05:
            return r
    return None


# hedges within the 4 words before the number; words right before it
_BOUND_BLOCKERS = {"over", "under", "only", "just", "nearly", "about", "around", "almost", "approximately",
                   "roughly", "some", "least", "than", "to", "exactly", "below", "above", "upwards", "estimated",
                   "between", "barely", "early", "as", "little"}
_PREV_BLOCKERS = {"aged", "age", "ages", "top", "from", "per", "each", "every", "the", "my", "his", "her", "their",
                  "our", "your", "its", "in", "within", "after", "of", "past", "last", "next", "first", "all"}
_AFTER_BLOCKERS = {"or", "upwards", "plus", "odd", "to", "and", "-", "per", "each", "times", "x"}
_COUNT_NOUNS = {"million", "billion", "trillion", "thousand", "hundred", "people", "men", "women", "children",
                "feet", "police", "staff", "personnel", "troops", "livestock", "cattle", "fish", "sheep"}


def _counting(text: str, num: Number) -> bool:
    """A number that counts or measures something ("3,154 people", "$5 million", "13.5%"), with no
    hedge or range around it, so that a bound it satisfies is entailed."""
    start = num.start - len(num.currency)
    before = [w.strip(",.\"“”'’‘()").lower() for w in text[:start].split()[-4:]]
    if _BOUND_BLOCKERS & set(before) or (before and before[-1] in _PREV_BLOCKERS):
        return False
    rest = text[num.end:]
    m = re.match(r"(%|\s?per\s?cent\b)", rest)
    rest = rest[m.end():] if m else rest
    after = [w.strip(",.;:\"“”'’‘()").lower() for w in rest.split()[:2]]
    if rest.startswith(("-", "–")) or (_AFTER_BLOCKERS & set(after)) or after[1:2] == ["old"]:
        return False  # ranges, "or so", "20 years old"
    raw_next = rest.split()[:1]
    if raw_next and raw_next[0][:1].isupper():
        return False  # "5 Wearables More Interesting Than...": a title
    if num.percent or num.currency:
        return True
    nxt = after[0] if after else ""
    return nxt in _COUNT_NOUNS or (nxt.endswith("s") and not nxt.endswith(("ss", "'s", "us")) and len(nxt) > 3)


def bound_rewrite(sentence: str, rng: random.Random) -> str | None:
    """Rewrite one exact number as a bound or approximation it satisfies: "3,154" -> "more than
    3,000" / "over 3,000" / "about 3,200"; "2,970" -> "nearly 3,000"; "13.5%" -> "more than 13
    percent"; "7 people" -> "at least 7 people". Skips years, identifiers, hedged numbers and
    sentences with a negation (where a bound can flip)."""
    if has_negation(sentence):
        return None
    nums = [n for n in find_numbers(sentence) if not n.is_year and not _hedged(sentence, n)
            and not _is_identifier(sentence, n) and n.value >= 2 and _counting(sentence, n)]
    if not nums:
        return None
    num = rng.choice(nums)
    v = num.value
    options: list[tuple[str, float]] = []
    for r in _nice_floors(v):
        options += [("more than", r), ("over", r)]
    if v >= 20 and v == int(v):
        r2 = float(round(v, -(len(str(int(v))) - 2)))
        if r2 != v and abs(r2 - v) <= 0.05 * v:
            options.append(("about", r2))
    ceil = _nice_ceil(v)
    if ceil is not None:
        options += [("nearly", ceil), ("almost", ceil)]
    if float(v).is_integer() and v <= 50:
        options.append(("at least", v))
    if not options:
        return None
    word, r = rng.choice(options)
    r_text = format_number(r, num.text.split(".")[0])  # bounds are whole numbers
    whole_start = num.start - len(num.currency)
    m = re.match(r"(%|\s?per\s?cent\b)", sentence[num.end:])
    end = num.end + (m.end() if m else 0)
    unit = (" percent" if rng.random() < 0.6 else "%") if num.percent else ""
    new = f"{word} {num.currency}{r_text}{unit}"
    if whole_start == 0:
        new = new[0].upper() + new[1:]
    out = sentence[:whole_start] + new + sentence[end:]
    return out if out != sentence else None


_SUBORDINATORS = {"if", "when", "while", "although", "though", "because", "since", "as", "after", "before",
                  "unless", "whether", "once", "until", "whenever", "where", "even", "despite", "in", "on", "at",
                  "for", "with", "by", "from", "during", "according", "following", "amid", "to", "under",
                  "without", "having", "like", "unlike", "besides", "instead", "but", "and", "so", "yet", "or"}
_BAD_REMAINDER = {"if", "unless", "provided", "only", "assuming", "or", "lest", "except", "otherwise", "as",
                  "so", "than", "nor", "whether", "given"}
_INTRO_OK = {"on", "in", "at", "last", "earlier", "later", "meanwhile", "however", "but", "and", "also",
             "yesterday", "today", "now", "still", "instead", "indeed", "separately", "overall", "previously",
             "recently", "during", "after", "according", "then", "this", "that", "moreover", "additionally",
             "furthermore", "nevertheless", "nonetheless", "for", "so"}
_SUBJECT_START = {"the", "a", "an", "he", "she", "it", "they", "we", "i", "this", "that", "these", "those", "his",
                  "her", "their", "its", "there", "our", "some", "many", "most", "several", "police", "officials"}
_VERBISH = set(AUXILIARIES) | _SAY | {"says", "say", "may", "might", "should", "must", "went", "came", "took",
                                      "made", "gave", "got", "found", "left", "became", "began", "died", "killed"}
_ENDS_BAD = {"said", "says", "told", "added", "wrote", "stated", "that", "and", "or", "but", "as", "of", "to",
             "the", "a", "an", "including", "like", "than", "with", "by"}


_QUOTE = re.compile(r"[\"“”]|(^|\s)['‘]|['’](\s|,|$)")


def _balanced(text: str) -> bool:
    dq = text.count('"') % 2 == 0 and text.count("“") == text.count("”")
    return dq and text.count("(") == text.count(")")


def _looks_finite(clause: str) -> bool:
    toks = [t.lower() for t in words(clause)[1:]]
    return any(t in _VERBISH or (t.endswith("ed") and len(t) > 4) for t in toks)


def _end(text: str) -> str:
    text = text.rstrip(" ,;:")
    return text if text.endswith((".", "!", "?")) else text + "."


def drop_clause(sentence: str, rng: random.Random) -> str | None:
    """A shorter sentence that the original entails: one of
    - up to the first comma, when that part is a clause of at least 6 words and what follows is not
      a condition ("…, if …", "…, unless …");
    - without a non-restrictive relative clause (", who …,", ", which …,");
    - without a short introductory phrase ("On Tuesday, the paper said …" -> "The paper said …")."""
    options = []
    i = sentence.find(", ")
    if i > 0:
        head, rest = sentence[:i], sentence[i + 2 :]
        first = words(head)[:1]
        rest_first = words(rest)[:1]
        if (word_count(head) >= 6 and first and first[0].lower() not in _SUBORDINATORS and not _QUOTE.search(head)
                and not (has_negation(head) and rest_first and rest_first[0].lower() == "but")
                and _looks_finite(head) and rest_first and rest_first[0].lower() not in _BAD_REMAINDER
                and head.split()[-1].lower().strip("\"”") not in _ENDS_BAD and not head.rstrip().endswith(("\"", "”"))):
            options.append(_end(head))
        first_word = first[0].lower() if first else ""
        if (first_word in _INTRO_OK and 1 <= word_count(head) <= 6 and rest_first and _balanced(head)
                and (rest_first[0].lower() in _SUBJECT_START or (rest_first[0][0].isupper()
                                                                 and rest_first[0] not in _NOT_ENTITY))
                and word_count(rest) >= 6 and _looks_finite(" " + rest)):
            options.append(rest[0].upper() + rest[1:])
    for m in re.finditer(r", (who|which) [^,;:\"“”()]+, ", sentence):
        after = words(sentence[m.end():])[:1]
        verb = after and (after[0].lower() in _VERBISH or after[0].lower().endswith("ed"))
        out = sentence[: m.start()] + " " + sentence[m.end():]
        if verb and word_count(out) >= 5 and not _QUOTE.search(sentence[: m.start()]):
            options.append(out)
    options = [o for o in options if o != sentence and word_count(o) >= 5]
    return rng.choice(options) if options else None


_DISCOURSE = re.compile(r"^(However|But|And|Also|Meanwhile|Still|Indeed|Moreover|In addition|Additionally|"
                        r"Furthermore|Nevertheless|Nonetheless|Separately|Overall|Instead),\s+(?=[A-Za-z])")


def light_rewrite(sentence: str, rng: random.Random) -> tuple[str, str]:
    """The sentence lightly rewritten so that it stays entailed: (text, how)."""
    options = [("copy", sentence)]
    m = _DISCOURSE.match(sentence)
    if m:
        rest = sentence[m.end():]
        options.append(("discourse", rest[0].upper() + rest[1:]))
    if (d := drop_clause(sentence, rng)) is not None:
        options.append(("clause", d))
    if (b := bound_rewrite(sentence, rng)) is not None:
        options.append(("bound", b))
    how, text = rng.choice(options)
    return text, how


# --------------------------------------------------------------------------------------------
# Not mentioned: added details, hard negatives
# --------------------------------------------------------------------------------------------

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
        if last in _NOT_ENTITY or name.split()[0] in _NOT_ENTITY - {"The"} or any(w in MONTHS or w in WEEKDAYS for w in name.split()):
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


# --------------------------------------------------------------------------------------------
# Articles
# --------------------------------------------------------------------------------------------


@dataclass
class Doc:
    """One article body split into sentences, with what the perturbations draw from."""

    doc_id: str
    text: str
    sentences: list[str]
    numbers: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)
    details_by_sentence: list[list[tuple[str, str]]] = field(default_factory=list)
    content: list[set[str]] = field(default_factory=list)


_SPLITS: dict[str, tuple[str, ...]] = {}


def _split(text: str) -> tuple[str, ...]:
    """`split_sentences` texts, memoised (retrieval and contrast pairs split the same bodies)."""
    if text not in _SPLITS:
        from verifier.sentences import split_sentences

        _SPLITS[text] = tuple(s.text for s in split_sentences(text))
    return _SPLITS[text]


def make_doc(doc_id: str, text: str) -> Doc:
    sents = [_clean(s) for s in _split(text)]
    sents = [s for s in sents if s]
    doc = Doc(doc_id, text, sents)
    doc.numbers = [n.text for s in sents for n in find_numbers(s)]
    doc.entities = [e for s in sents for e in find_entities(s)]
    doc.details_by_sentence = [find_details(s) for s in sents]
    doc.content = [content_words(s) for s in sents]
    return doc


_ENGLISH = frozenset("the of and to in is was that for with he she it they have has be are were by this from".split())  # noqa: SIM905


def _eligible(sentence: str) -> bool:
    n = word_count(sentence)
    if not (MIN_WORDS <= n <= MAX_WORDS):
        return False
    if len(_ENGLISH.intersection(w.lower() for w in words(sentence))) < 2:
        return False  # not English (a few French / Spanish bodies), or a fragment
    return not ("http" in sentence or sentence.count("@") > 1
                or sum(c.isalpha() for c in sentence) < 0.6 * len(sentence))


# --------------------------------------------------------------------------------------------
# Kind generators: each yields (premise, hypothesis) pairs for one (doc, sentence index)
# --------------------------------------------------------------------------------------------

Gen = Callable[[Doc, int, random.Random], list[tuple[str, str]]]


def _window(doc: Doc, i: int, rng: random.Random, budget: int = MAX_PAIR_WORDS, sizes=(2, 3)) -> str | None:
    """A window of 2-3 adjacent sentences containing sentence `i`, at most `budget` words."""
    n = len(doc.sentences)
    options = [s for s in sizes if s <= n]
    rng.shuffle(options)
    for size in options:
        first = rng.randint(max(0, i - size + 1), min(i, n - size))
        text = " ".join(doc.sentences[first : first + size])
        if word_count(text) <= budget:
            return text
    return None


def k_number(doc, i, rng):
    s = doc.sentences[i]
    h = swap_number(s, doc.numbers, rng)
    return [(s, h)] if h else []


def k_date(doc, i, rng):
    s = doc.sentences[i]
    h = swap_date(s, doc.text, rng)
    return [(s, h)] if h else []


def k_entity(doc, i, rng):
    s = doc.sentences[i]
    h = swap_entity(s, doc.entities, rng, doc.text)
    return [(s, h)] if h else []


def k_direction(doc, i, rng):
    s = doc.sentences[i]
    h = swap_direction(s, rng)
    return [(s, h)] if h else []


def negated(doc: Doc, i: int, rng: random.Random) -> str | None:
    """Sentence `i` negated (`negate`); None when it already holds a negation or none can be inserted."""
    s = doc.sentences[i]
    return None if has_negation(s) else negate(s, rng)


def k_negation(doc, i, rng):
    h = negated(doc, i, rng)
    return [(doc.sentences[i], h)] if h else []


def k_negation_removed(doc, i, rng):
    s = doc.sentences[i]
    h = remove_negation(s)
    return [(s, h)] if h else []


def k_negation_copy(doc, i, rng):
    """The negated sentence as (part of) the premise and, lightly rewritten, as the hypothesis."""
    neg = negated(doc, i, rng)
    if not neg:
        return []
    premise = neg
    if rng.random() < 0.5:
        swapped = Doc(doc.doc_id, doc.text, doc.sentences[:i] + [neg] + doc.sentences[i + 1 :])
        premise = _window(swapped, i, rng, MAX_PAIR_WORDS - word_count(neg)) or neg
    hyp = neg
    if rng.random() < 0.5 and (d := drop_clause(neg, rng)) and has_negation(d):
        hyp = d
    return [(premise, hyp)]


def k_format(doc, i, rng):
    s = doc.sentences[i]
    h = bound_rewrite(s, rng)
    return [(s, h)] if h else []


def k_clause(doc, i, rng):
    s = doc.sentences[i]
    h = drop_clause(s, rng)
    return [(s, h)] if h else []


def k_window(doc, i, rng):
    s = doc.sentences[i]
    hyp, _how = light_rewrite(s, rng)
    premise = _window(doc, i, rng, MAX_PAIR_WORDS - word_count(hyp))
    if not premise:
        return []
    return [(premise, hyp)]


def k_hard_negative(doc, i, rng):
    """Sentence i against the 1-2 sentence window (not containing it) that shares the most words
    with it, provided a good part of the sentence's content is new to that window."""
    s = doc.sentences[i]
    n = len(doc.sentences)
    if n < 4:
        return []
    hyp_words = doc.content[i]
    if len(hyp_words) < 4:
        return []
    best, best_score = None, 0.0
    for size in (1, 2):
        for a in range(n - size + 1):
            if a <= i < a + size:
                continue
            idx = range(a, a + size)
            if any(doc.sentences[j] == s for j in idx):
                continue
            prem_words = set().union(*(doc.content[j] for j in idx))
            novel = hyp_words - prem_words
            if len(novel) < 3 or len(novel) < 0.4 * len(hyp_words):
                continue
            shared = len(hyp_words & prem_words)
            if shared < 2:
                continue
            score = overlap(hyp_words, prem_words) + (0.02 if size == 2 else 0.0)
            if score > best_score:
                best, best_score = (a, size), score
    if best is None:
        return []
    a, size = best
    premise = " ".join(doc.sentences[a : a + size])

    return [(premise, s)]


def k_added_detail(doc, i, rng):
    s = doc.sentences[i]
    pool = [d for j, ds in enumerate(doc.details_by_sentence) if j != i for d in ds]
    h = add_detail(s, pool, rng)
    return [(s, h)] if h else []


KINDS: dict[str, tuple[Label, Gen]] = {
    "news-number-swap": (Label.CONTRADICTED, k_number),
    "news-date-swap": (Label.CONTRADICTED, k_date),
    "news-entity-swap": (Label.CONTRADICTED, k_entity),
    "news-direction-swap": (Label.CONTRADICTED, k_direction),
    "news-negation": (Label.CONTRADICTED, k_negation),
    "news-negation-removed": (Label.CONTRADICTED, k_negation_removed),
    "news-negation-copy": (Label.SUPPORTED, k_negation_copy),
    "news-format": (Label.SUPPORTED, k_format),
    "news-clause-drop": (Label.SUPPORTED, k_clause),
    "news-window": (Label.SUPPORTED, k_window),
    "news-hard-negative": (Label.NOT_MENTIONED, k_hard_negative),
    "news-added-detail": (Label.NOT_MENTIONED, k_added_detail),
}


def _kind_stream(kind: str, gen: Gen, items: list[tuple[Doc, int]], seed: int, per_doc: int) -> Iterator[tuple[str, str, str]]:
    rng = random.Random(f"{seed}:{kind}")
    order = list(range(len(items)))
    rng.shuffle(order)
    used: Counter[str] = Counter()
    for k in order:
        doc, i = items[k]
        if used[doc.doc_id] >= per_doc:
            continue
        for premise, hyp in gen(doc, i, rng):
            premise, hyp = _clean(premise), _clean(hyp)
            # a copy is the point of negation-copy; everywhere else the text must have changed
            if word_count(premise) + word_count(hyp) > MAX_PAIR_WORDS:
                continue
            if premise and hyp and (hyp != premise or kind == "news-negation-copy"):
                used[doc.doc_id] += 1
                yield premise, hyp, doc.doc_id


def contrast_pairs(docs: list[Doc], per_label: int, seed: int, per_doc: int = 3,
                   seen: set[tuple[str, str]] | None = None) -> list[dict]:
    """Round-robin over the kinds of each label until `per_label` pairs (kinds that run out leave
    their share to the others); the negation-copy quota follows the negation count so that an
    inserted "not" is as often supported as contradicted."""
    seen = seen if seen is not None else set()
    items = [(d, i) for d in docs for i, s in enumerate(d.sentences) if _eligible(s)]
    rows: list[dict] = []
    by_label: dict[Label, list[str]] = defaultdict(list)
    for kind, (label, _) in KINDS.items():
        by_label[label].append(kind)
    streams = {kind: _kind_stream(kind, gen, items, seed, per_doc) for kind, (_, gen) in KINDS.items()}
    counts: Counter[str] = Counter()

    def pull(kind: str) -> bool:
        for premise, hyp, doc_id in streams[kind]:
            key = (premise, hyp)
            if key in seen:
                continue
            seen.add(key)
            rows.append({"premise": premise, "hypothesis": hyp, "labels": [KINDS[kind][0].value],
                         "source": kind, "doc": doc_id})
            counts[kind] += 1
            return True
        return False

    order = [Label.CONTRADICTED, Label.SUPPORTED, Label.NOT_MENTIONED]
    for label in order:
        kinds = [k for k in by_label[label] if k != "news-negation-copy"]
        total = per_label
        if label == Label.SUPPORTED:
            target = counts["news-negation"]
            while counts["news-negation-copy"] < target and pull("news-negation-copy"):
                pass
            total -= counts["news-negation-copy"]
        alive = list(kinds)
        made = 0
        while made < total and alive:
            for kind in list(alive):
                if made >= total:
                    break
                if pull(kind):
                    made += 1
                else:
                    alive.remove(kind)
    return rows


# --------------------------------------------------------------------------------------------
# Retrieved headline pairs
# --------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        allow_big_cells()
        return list(csv.DictReader(f))


@dataclass
class NewsSet:
    name: str  # fnc1 / arc
    bodies: dict[str, str]
    stances: list[tuple[str, str, str]]  # (headline, body id, stance)


def load_sets(data_dir: Path) -> list[NewsSet]:
    """FNC-1 (both parts of the train stances) and ARC train stances with their bodies."""
    train = data_dir / "train"
    out = []
    for name, folder, bodies_file, stance_files in (
        ("fnc1", "fnc-1", "train_bodies.csv", ("train_stances_part1.csv", "train_stances_part2.csv")),
        ("arc", "arc", "arc_bodies.csv", ("arc_stances_train.csv",)),
    ):
        bodies = {r["Body ID"]: r["articleBody"] for r in _read_csv(train / folder / bodies_file)}
        stances = []
        seen = set()
        for f in stance_files:
            for r in _read_csv(train / folder / f):
                key = (_clean(r["Headline"]), r["Body ID"], r["Stance"].strip().lower())
                if key[0] and key[1] in bodies and key[2] in STANCE_LABEL and key not in seen:
                    seen.add(key)
                    stances.append(key)
        out.append(NewsSet(name, bodies, stances))
    return out


def select_bodies(ns: NewsSet, word_budget: int, max_body_words: int, seed: int) -> list[str]:
    """Bodies to index for retrieval, within a word budget (embedding is the cost). Bodies with a
    'disagree' pair come first (the rarest label), then the rest in a seeded shuffle; for ARC,
    where every related pair has its own body, stances take turns so the labels stay balanced."""
    rng = random.Random(f"{seed}:bodies:{ns.name}")
    related: dict[str, Counter[str]] = defaultdict(Counter)
    for _, bid, stance in ns.stances:
        if stance != "unrelated":
            related[bid][stance] += 1
    ids = sorted(related, key=lambda b: int(b) if b.isdigit() else b)
    rng.shuffle(ids)
    ids = [b for b in ids if word_count(ns.bodies[b]) <= max_body_words]
    if ns.name == "arc":
        queues = {s: [b for b in ids if related[b][s]] for s in ("disagree", "agree", "discuss")}
        ordered, taken = [], set()
        while any(queues.values()):
            for q in queues.values():
                while q and q[0] in taken:
                    q.pop(0)
                if q:
                    taken.add(q[0])
                    ordered.append(q.pop(0))
    else:
        ordered = [b for b in ids if related[b]["disagree"]] + [b for b in ids if not related[b]["disagree"]]
    chosen, used = [], 0
    for b in ordered:
        w = word_count(ns.bodies[b])
        if used + w > word_budget:
            continue
        chosen.append(b)
        used += w
    return chosen


class CachedEmbedder:
    """Wraps an embedder with a text -> vector cache, so that all sentences of all bodies are
    encoded in one length-sorted pass (less padding) and an index build is a lookup."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.cache: dict[str, np.ndarray] = {}

    def prefill(self, texts: list[str], chunk: int = 4096) -> None:
        todo = sorted({t for t in texts if t not in self.cache})
        t0 = time.time()
        for k in range(0, len(todo), chunk):
            part = todo[k : k + chunk]
            for t, v in zip(part, self.inner.encode(part)):
                self.cache[t] = v
            log.info("embedded %d / %d sentences (%.0fs)", min(k + chunk, len(todo)), len(todo), time.time() - t0)

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            for t, v in zip(missing, self.inner.encode(missing)):
                self.cache[t] = v
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def retrieved_pairs(sets: list[NewsSet], embedder, seed: int, unrelated: int, word_budgets: dict[str, int],
                    max_body_words: int, seen: set[tuple[str, str]], stats: dict) -> list[dict]:
    from verifier.article import make_article
    from verifier.errors import InputError
    from verifier.retrieval import ArticleIndex

    cached = CachedEmbedder(embedder)
    rows: list[dict] = []
    for ns in sets:
        bodies = select_bodies(ns, word_budgets[ns.name], max_body_words, seed)
        chosen = set(bodies)
        rel = [p for p in ns.stances if p[1] in chosen and p[2] != "unrelated"]
        unrel = [p for p in ns.stances if p[1] in chosen and p[2] == "unrelated"]
        rng = random.Random(f"{seed}:unrelated:{ns.name}")
        rng.shuffle(unrel)
        pairs = rel + unrel[:unrelated]
        stats[f"{ns.name}_bodies_indexed"] = len(bodies)
        stats[f"{ns.name}_bodies_total_related"] = len({p[1] for p in ns.stances if p[2] != "unrelated"})
        stats[f"{ns.name}_body_words_indexed"] = sum(word_count(ns.bodies[b]) for b in bodies)
        stats[f"{ns.name}_unrelated_available"] = len(unrel)
        t0 = time.time()
        sentences = [s for b in bodies for s in _split(ns.bodies[b])]
        cached.prefill(sentences + sorted({p[0] for p in pairs}))
        log.info("%s: %d bodies, %d sentences, %d pairs embedded in %.0fs", ns.name, len(bodies), len(sentences),
                 len(pairs), time.time() - t0)
        by_body: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for h, b, s in pairs:
            by_body[b].append((h, s))
        for b in bodies:
            if b not in by_body:
                continue
            try:
                index = ArticleIndex(make_article(ns.bodies[b], format="text"), cached, max_window=2)
            except InputError as e:  # an empty body
                log.warning("skipping body %s/%s: %s", ns.name, b, e)
                continue
            heads = [h for h, _ in by_body[b]]
            hits = index.search(heads, cached.encode(heads), top_k=1)
            for (h, stance), hit in zip(by_body[b], hits):
                if not hit:
                    continue
                passage = _clean(index.text(hit[0].candidate))
                key = (passage, h)
                if not passage or key in seen:
                    continue
                seen.add(key)
                rows.append({"premise": passage, "hypothesis": h, "labels": [STANCE_LABEL[stance].value],
                             "source": f"{ns.name}-retrieved", "doc": f"{ns.name}/{b}", "stance": stance})
        log.info("%s: retrieval done (%.0fs)", ns.name, time.time() - t0)
    return rows


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def _drop_conflicts(rows: list[dict]) -> list[dict]:
    labels: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        labels[(r["premise"], r["hypothesis"])].add(r["labels"][0])
    return [r for r in rows if len(labels[(r["premise"], r["hypothesis"])]) == 1]


def build_news_pairs(data_dir: Path, out_path: Path, seed: int = 13, per_label: int = 4000, unrelated: int = 3000,
                     fnc_words: int = 330_000, arc_words: int = 150_000, max_body_words: int = 1500,
                     per_doc: int = 3, retrieved: bool = True, embedder=None, threads: int = 1) -> dict[str, int]:
    """Write retrieved and contrast pairs to `out_path` (JSONL); return counts per source, per
    label and per source/label ("source/label"), plus a few "stat:" entries (bodies indexed, seconds).

    `fnc_words` / `arc_words` cap the body words embedded for retrieval (about 1,200 words a second
    on one CPU thread); contrast pairs use every train body (ARC: bodies of train stances only)."""
    t0 = time.time()
    data_dir, out_path = Path(data_dir), Path(out_path)
    sets = load_sets(data_dir)
    seen: set[tuple[str, str]] = set()
    stats: dict[str, int] = {}
    rows: list[dict] = []
    if retrieved:
        if embedder is None:
            import torch

            torch.set_num_threads(threads)
            from verifier.retrieval import MiniLMEmbedder

            embedder = MiniLMEmbedder()
        rows += retrieved_pairs(sets, embedder, seed, unrelated, {"fnc1": fnc_words, "arc": arc_words},
                                max_body_words, seen, stats)
    stats["seconds_retrieval"] = round(time.time() - t0)
    t1 = time.time()
    docs = []
    for ns in sets:
        used = sorted({b for _, b, _ in ns.stances}, key=lambda b: int(b) if b.isdigit() else b)
        docs += [make_doc(f"{ns.name}/{b}", ns.bodies[b]) for b in used]
    log.info("split %d bodies for contrast pairs (%.0fs)", len(docs), time.time() - t1)
    rows += contrast_pairs(docs, per_label, seed, per_doc, seen)
    stats["seconds_contrast"] = round(time.time() - t1)
    rows = _drop_conflicts(rows)
    random.Random(f"{seed}:shuffle").shuffle(rows)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: Counter[str] = Counter()
    for r in rows:
        counts[r["source"]] += 1
        counts[r["labels"][0]] += 1
        counts[f"{r['source']}/{r['labels'][0]}"] += 1
    counts["total"] = len(rows)
    stats["seconds_total"] = round(time.time() - t0)
    result = dict(sorted(counts.items()))
    result.update({f"stat:{k}": v for k, v in stats.items()})
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", type=Path, help="the shared data folder (with train/fnc-1 and train/arc)")
    ap.add_argument("out", type=Path, help="output JSONL")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--per-label", type=int, default=4000, help="contrast pairs per label")
    ap.add_argument("--unrelated", type=int, default=3000, help="unrelated headline pairs per dataset")
    ap.add_argument("--fnc-words", type=int, default=330_000, help="FNC-1 body words to embed for retrieval")
    ap.add_argument("--arc-words", type=int, default=150_000, help="ARC body words to embed for retrieval")
    ap.add_argument("--max-body-words", type=int, default=1500)
    ap.add_argument("--no-retrieved", action="store_true", help="contrast pairs only (no model)")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    log.setLevel(logging.INFO)  # our progress, not bm25s' per-index messages
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    counts = build_news_pairs(a.data_dir, a.out, a.seed, a.per_label, a.unrelated, a.fnc_words, a.arc_words,
                              a.max_body_words, retrieved=not a.no_retrieved, threads=a.threads)
    print(json.dumps(counts, indent=1))


if __name__ == "__main__":
    main()
