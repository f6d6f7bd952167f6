"""Numbers in news text: finding them, formatting them, swapping one for another."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

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


# nouns that make a number a count (plural after it: "3 million", "5 people")
_COUNT_NOUNS = {"million", "billion", "trillion", "thousand", "hundred", "people", "men", "women", "children",
                "feet", "police", "staff", "personnel", "troops", "livestock", "cattle", "fish", "sheep"}
