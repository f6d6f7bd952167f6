"""Direction words (rose / fell, won / lost, ...) and their swaps."""

from __future__ import annotations

import random
import re

from verifier.training.news_pairs.negation import has_negation
from verifier.training.news_pairs.text import _match_case

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
_DIRECTION_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in _DIRECTION), key=len, reverse=True))
                           + r")\b", re.IGNORECASE)


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
