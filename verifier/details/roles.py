"""Sides: which named party a noun belongs to ("Armenia's defeat", "defeat for Azerbaijan",
"Azerbaijani President's adviser", "adviser to the Armenian prime minister").

A claim that gives a noun to one party when its passage gives the same noun only to another
("The war ended in defeat for Azerbaijan" / "ended with Armenia's defeat"; "Hajiyev is an adviser
to the Armenian prime minister" / "Azerbaijani President's Advisor Hikmet Hajiyev") swaps who did
what: a mismatch the NLI model reads as support, because every word of the claim is in the
passage. Rules, not a parser: the three shapes below are how news text ties a noun to a party.
The place of a meeting is tied the same way ("talks in Yevlakh" / "meeting ... in Stepanakert").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# A party: one capitalised word ("Armenia", "Azerbaijani", "Nagorno-Karabakh").
_PARTY = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_HEAD = r"[A-Za-z]+"
_POSSESSIVE = re.compile(rf"\b(?P<party>{_PARTY})(?:'s|’s)\s+(?P<head>{_HEAD})(?:\s+(?P<head2>[a-z]+))?")
_OF = re.compile(rf"\b(?P<head>[a-z]+)\s+(?:of|for|to)\s+(?:the\s+)?"
                 rf"(?:(?:Republic|Kingdom|Federation|Government|Ministry|State|Region|People)\s+of\s+(?:the\s+)?)?"
                 rf"(?P<party>{_PARTY})\b")
_ADJECTIVE = re.compile(rf"\b(?P<party>{_PARTY}(?:an|ian|i|ese|ish))\s+(?P<head>{_HEAD})\b")
_PLACE = re.compile(rf"\b(?:[Ii]n|[Aa]t)\s+(?:the\s+(?:city|town|village|capital)\s+of\s+)?(?P<party>{_PARTY})\b")
# Sentences about a meeting: there, "in <Place>" is taken for where it is held.
_MEETING = re.compile(r"\b(?:meet|meets|meeting|met|talks|summit|negotiations|conference|take place|"
                      r"takes place|took place|held|hosted)\b", re.IGNORECASE)
MEETING_PLACE = "meeting place"
# Heads that say nothing of their own ("the defeat of the army" has head "defeat", not "the").
_NOT_HEADS = frozenset(["the", "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with",
                        "from", "as", "is", "are", "was", "were", "has", "have", "had", "said", "says", "who",
                        "which", "that", "this", "its", "their", "own", "side", "part", "one", "people"])
# Words that are not parties although capitalised ("The", "President" before "'s").
_NOT_PARTIES = frozenset(["the", "a", "an", "this", "that", "it", "he", "she", "they", "his", "her", "their",
                          "its", "president", "prime", "minister", "government", "ministry", "army", "state"])
# Capitalised words after "in" that are times, not places ("talks in January", "met in Monday's session").
_NOT_PLACES = frozenset(["january", "february", "march", "april", "may", "june", "july", "august", "september",
                         "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
                         "saturday", "sunday", "spring", "summer", "autumn", "fall", "winter", "english"])


def key(word: str) -> str:
    """A word cut to 5 letters: 'adviser'/'advisor' and 'Armenia'/'Armenian' each compare equal;
    a hyphenated party keeps each part ('Nagorno-Karabakh' -> 'nagor karab')."""
    return " ".join(part.lower()[:5] for part in word.split("-"))


def same_party(a: str, b: str) -> bool:
    """Whether two party keys name the same party ('karab' and 'nagor karab' do)."""
    return bool(set(a.split()) & set(b.split()))


@dataclass(frozen=True)
class Side:
    """`head` (a noun, cut by `key`) belongs to `party` (cut by `key`): text[start:end] says so."""

    head: str
    party: str
    start: int
    end: int


@lru_cache(maxsize=4096)
def sides(text: str) -> tuple[Side, ...]:
    """The (noun, party) ties of `text`. A party that is itself a tied noun ("Azerbaijani President's
    Advisor": the adviser is the president's, the president Azerbaijan's) passes on its own party.
    Cached: the claims of one article meet the same passages again and again."""
    found = [Side(MEETING_PLACE, key(m.group("party")), m.start(), m.end()) for m in _PLACE.finditer(text)
             if m.group("party").lower() not in _NOT_PARTIES | _NOT_PLACES and _about_meeting(text, m.start())]
    titles: dict[tuple[int, int], str] = {}  # span of a tied head word -> its party
    for pattern in (_ADJECTIVE, _POSSESSIVE, _OF):
        for m in pattern.finditer(text):
            party = m.group("party")
            party_key = key(party)
            if party.lower() in _NOT_PARTIES:
                party_key = titles.get(m.span("party"), "")
                if not party_key:
                    continue
            # "Azerbaijan's military operation": both words are the party's
            for group in ("head", "head2") if pattern is _POSSESSIVE else ("head",):
                head = m.group(group)
                if head is None or head.lower() in _NOT_HEADS:
                    break
                titles[m.span(group)] = party_key
                end = m.end(group) if pattern is _POSSESSIVE else m.end()
                found.append(Side(key(head), party_key, m.start(), end))
    return tuple(found)


def _about_meeting(text: str, at: int) -> bool:
    """Whether the sentence of `text` around position `at` is about a meeting."""
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at)) + 1
    ends = [i for i in (text.find(". ", at), text.find("\n", at)) if i >= 0]
    return bool(_MEETING.search(text, start, min(ends) if ends else len(text)))


def compare(claim: str, passage: str) -> list[tuple[Side, Side, bool]]:
    """Each claim tie whose noun the passage ties to a party: (claim side, passage side, matches).
    A tie matches when the passage ties the noun to the same party anywhere; otherwise the passage
    side given is the first that ties it to another party. A noun the claim ties to two parties
    ("Karabakh's Armenian population") matches if either tie does."""
    theirs = sides(passage)
    ours = sides(claim)
    out: list[tuple[Side, Side, bool]] = []
    for c in ours:
        same = [p for p in theirs if p.head == c.head]
        if not same:
            continue
        match = next((p for p in same if same_party(p.party, c.party)), None)
        if match is None and any(same_party(p.party, o.party) for o in ours if o.head == c.head for p in same):
            continue
        out.append((c, match or same[0], match is not None))
    return out
