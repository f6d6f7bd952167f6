"""Negation: inserting a 'not' after the first auxiliary, removing an existing negation."""

from __future__ import annotations

import random
import re

from verifier.training.news_pairs.numbers import _COUNT_NOUNS, _prev_word
from verifier.training.news_pairs.text import _match_case, words

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
