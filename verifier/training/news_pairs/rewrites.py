"""Supported rewrites: numbers as bounds they satisfy, dropped clauses, light rewording."""

from __future__ import annotations

import math
import random
import re

from verifier.training.news_pairs.entities import _NOT_ENTITY, _SAY
from verifier.training.news_pairs.negation import AUXILIARIES, has_negation
from verifier.training.news_pairs.numbers import (
    _COUNT_NOUNS,
    Number,
    _hedged,
    _is_identifier,
    find_numbers,
    format_number,
)
from verifier.training.news_pairs.text import word_count, words


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
