"""Contrast sets: small, rule-built evaluation sets for the NLI mistakes news exposes.

Built from the sentences of the PolitiFact rulings in `train/politihop` (news prose that no
training recipe reads; the dev set `politihop` uses other articles), and for `contrast-roles`,
which needs more names than the rulings give, also half of the FNC-1 and ARC bodies of `train/`
(the news contrast training pairs draw on those, but never swap roles; `--train` pairs use the
other half), deterministically for a seed.
Each set targets one failure mode:

- `contrast-negation`: a sentence against its negation, half with the claim negated and half with
  the passage negated ("X took part in Y" / "X did not take part in Y"), the passage being a 1-3
  sentence window: contradicted.
- `contrast-roles`: two names around an asymmetric verb swapped ("A defeated B" / "B defeated A"):
  not supported (two-way: the swap may be false or merely unsaid).
- `contrast-numbers`: a number restated as approximate ("estimated at 50,000" / "around 50,000"):
  supported; half the pairs instead give a clearly different approximate number: contradicted.
- `contrast-unmentioned`: a sentence against the most similar other sentence(s) of the same ruling,
  or with a time / place / attribution from elsewhere in it added: not_mentioned.
- `contrast-paraphrase`: a sentence reworded (clauses moved, attribution turned round, synonyms,
  contractions) against a 1-3 sentence window that holds the original: supported.

The rewrites are heuristics (see `verifier.training.news_pairs` for the shared ones) and a few pairs will
be wrong; they are for comparing models, not for absolute figures. Write them out with

    verifier contrast-sets runs/contrast --data-dir ../shared/data

`--train N` writes training pairs of the weak kinds instead, from the other half of the news
bodies (`training_pairs`), for a recipe's `extra_jsonl`.
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
import json
import random
import re
import zlib
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from verifier.errors import InputError
from verifier.labels import Label
from verifier.tables import allow_big_cells
from verifier.training.news_pairs.docs import Doc, _eligible, make_doc
from verifier.training.news_pairs.entities import find_entities
from verifier.training.news_pairs.kinds import _window, k_added_detail, k_hard_negative, negated
from verifier.training.news_pairs.numbers import _MONTH_ABBR, MONTHS, _hedged, _is_identifier, _scaled, find_numbers
from verifier.training.news_pairs.retrieved import load_sets
from verifier.training.news_pairs.text import MAX_PAIR_WORDS, _match_case, word_count
from verifier.training.nli_data import NOT_ENTAILED, Pair

PER_SET = 200
SEED = 12

Made = tuple[str, str, tuple[Label, ...]]
Gen = Callable[[Doc, int, random.Random, int], list[Made]]


@lru_cache(maxsize=2)
def ruling_docs(root: Path) -> tuple[Doc, ...]:
    """The PolitiFact rulings of `train/politihop`, one `Doc` per article."""
    path = root / "train" / "politihop" / "train.tsv"
    docs: dict[str, Doc] = {}
    with path.open(encoding="utf-8", newline="") as f:
        allow_big_cells()
        for row in csv.DictReader(f, delimiter="\t"):
            key = row["article_id"]
            if key not in docs:
                sentences = [s for s in json.loads(row["ruling"] or "[]") if isinstance(s, str)]
                docs[key] = make_doc(f"politihop/{key}", " ".join(sentences))
    return tuple(docs[k] for k in sorted(docs))


@lru_cache(maxsize=4)
def news_docs(root: Path, half: int) -> tuple[Doc, ...]:
    """Half of the FNC-1 and ARC article bodies of `train/`, by a hash of their id: half 0 for the
    contrast sets (more names for `contrast-roles`), half 1 for contrast training pairs."""
    out = []
    for ns in load_sets(root):
        ids = [b for b in sorted(ns.bodies) if zlib.crc32(f"{ns.name}/{b}".encode()) % 2 == half]
        out += [make_doc(f"{ns.name}/{b}", ns.bodies[b]) for b in ids]
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Negation
# --------------------------------------------------------------------------------------------


def g_negation(doc: Doc, i: int, rng: random.Random, n: int) -> list[Made]:
    """The sentence against its negation, the passage being a 1-3 sentence window holding one of them."""
    s = doc.sentences[i]
    neg = negated(doc, i, rng)
    if not neg:
        return []
    passage, claim = (s, neg) if n % 2 == 0 else (neg, s)
    window = Doc(doc.doc_id, doc.text, doc.sentences[:i] + [passage] + doc.sentences[i + 1 :])
    premise = _window(window, i, rng, MAX_PAIR_WORDS - word_count(claim), sizes=(1, 2, 3)) or passage
    return [(premise, claim, (Label.CONTRADICTED,))]


# --------------------------------------------------------------------------------------------
# Swapped roles
# --------------------------------------------------------------------------------------------

ASYMMETRIC = frozenset(["defeated", "defeats", "defeat", "beat", "beats", "accused", "accuses", "sued", "sues",
                       "attacked", "attacks", "criticized", "criticised", "criticizes",
                       "blamed", "blames", "endorsed", "endorses", "replaced", "replaces",
                       "succeeded", "hired", "hires", "fired", "fires", "appointed",
                       "appoints", "nominated", "nominates", "paid", "pays", "thanked",
                       "thanks", "invited", "invites", "defended", "defends", "praised",
                       "praises", "outspent", "outspends", "outraised", "trailed", "trails",
                       "led", "leads", "overtook", "funded", "funds", "bought", "buys",
                       "acquired", "acquires", "sold", "sells", "challenged", "challenges",
                       "ousted", "unseated", "warned", "warns", "urged", "urges", "asked",
                       "asks", "told", "tells", "called", "calls", "supported", "supports",
                       "opposed", "opposes", "hit", "hits", "killed", "kills", "arrested",
                       "arrests", "investigated", "investigates", "appointed", "owes", "owed",
                       "forced", "forces", "pressured"])
SYMMETRIC = frozenset(["married", "debated", "tied", "merged", "collaborated", "clashed", "negotiated", "partnered",
                       "talked", "spoke", "fought", "met", "joined", "dated", "allied", "compared", "contrasted"])
_VERB_LEAD = frozenset(["has", "had", "have", "was", "were", "is", "also", "then", "recently", "reportedly",
                        "publicly", "repeatedly", "once", "later", "first", "narrowly", "easily"])
_NO_SWAP_BETWEEN = re.compile(r"\b(and|or|with|both|between|nor)\b|[,;:()\"“”]")


def _prev(text: str, pos: int) -> str:
    words = text[:pos].split()
    return words[-1].lower() if words else ""


def swap_roles(sentence: str) -> str | None:
    """Two names around an asymmetric verb exchanged: 'Smith defeated Jones in 2018' -> 'Jones defeated Smith in
    2018'."""
    ents = find_entities(sentence)
    for a, b in itertools.pairwise(ents):
        between = sentence[a.end : b.start]
        words = [w.strip(".") for w in between.lower().split()]
        if words[-1:] == ["by"]:  # "A was defeated by B"
            words = words[:-1]
        if not 1 <= len(words) <= 2 or _NO_SWAP_BETWEEN.search(between):
            continue
        verb = words[-1]
        if verb in SYMMETRIC or not (verb in ASYMMETRIC or verb.endswith("ed")):
            continue
        if len(words) == 2 and words[0] not in _VERB_LEAD:
            continue
        if a.text in b.text or b.text in a.text or re.match(r"['’]", sentence[b.end :]):
            continue  # "Trump thanked California's firefighters": a possessive is not a role
        if _prev(sentence, a.start) == "the" or _prev(sentence, b.start) == "the":
            continue
        return sentence[: a.start] + b.text + between + a.text + sentence[b.end :]
    return None


def g_roles(doc: Doc, i: int, rng: random.Random, n: int) -> list[Made]:
    s = doc.sentences[i]
    h = swap_roles(s)
    return [(s, h, NOT_ENTAILED)] if h else []


# --------------------------------------------------------------------------------------------
# Approximate numbers
# --------------------------------------------------------------------------------------------

APPROX = ("about", "around", "roughly", "approximately")
_HEDGE_BEFORE = re.compile(r"\b(an estimated|estimated at|about|around|roughly|approximately|some|nearly|almost)\s+$",
                           re.IGNORECASE)
_NO_HEDGE_AFTER = frozenset([  # "the about 500", "Sept. about 6", "the bottom about 60%"
    "the", "a", "an", "his", "her", "its", "their", "our", "your", "my", "this", "that", "these", "those", "top",
    "bottom", "first", "last", "next", "aged", "age", "ages", "per", "each", "every", "no.", "than", "from", "to",
    *(m.lower() for m in MONTHS), *(m.lower() for m in _MONTH_ABBR), "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "mar.", "apr.", "jun.", "jul."])


def approximate(sentence: str, rng: random.Random, different: bool) -> str | None:
    """A number of the sentence restated approximately ('estimated at 50,000' -> 'around 50,000');
    with `different`, a clearly different number ('around 100,000')."""
    nums = [x for x in find_numbers(sentence) if not x.is_year and not _is_identifier(sentence, x) and x.value >= 10]
    rng.shuffle(nums)
    for num in nums:
        start = num.start - len(num.currency)
        before = sentence[:start]
        hedge = _HEDGE_BEFORE.search(before)
        if hedge is None and _hedged(sentence, num):
            continue  # "at least 5", "more than 5": a bound, not a point estimate
        new_num = num.text
        if different:
            scaled = _scaled(num, rng)
            if scaled is None:
                continue
            new_num = scaled
        word = rng.choice([w for w in APPROX if not hedge or w != hedge.group(1).lower()])
        head = before[: hedge.start()] if hedge else before
        if not hedge and _prev(head, len(head)) in _NO_HEDGE_AFTER:
            continue
        if not head.strip():
            word = word.capitalize()
        return head + word + " " + num.currency + new_num + sentence[num.end :]
    return None


def g_numbers(doc: Doc, i: int, rng: random.Random, n: int) -> list[Made]:
    s = doc.sentences[i]
    different = n % 2 == 1
    h = approximate(s, rng, different)
    if not h:
        return []
    return [(s, h, (Label.CONTRADICTED,) if different else (Label.SUPPORTED,))]


# --------------------------------------------------------------------------------------------
# Related but not mentioned
# --------------------------------------------------------------------------------------------


def g_unmentioned(doc: Doc, i: int, rng: random.Random, n: int) -> list[Made]:
    made = (k_hard_negative if n % 2 == 0 else k_added_detail)(doc, i, rng)
    return [(p, h, (Label.NOT_MENTIONED,)) for p, h in made]


# --------------------------------------------------------------------------------------------
# Paraphrase
# --------------------------------------------------------------------------------------------

SYNONYMS = {
    "purchased": "bought", "bought": "purchased", "approximately": "about", "roughly": "about",
    "received": "got", "individuals": "people", "additionally": "also", "began": "started", "started": "began",
    "assist": "help", "helped": "assisted", "large": "big",
    "big": "large", "increase": "rise", "increased": "rose", "decreased": "fell", "nearly": "almost",
    "almost": "nearly", "however": "but", "stated": "said", "announced": "said", "roughly half": "about half",
    "obtain": "get", "obtained": "got", "residents": "people living there", "children": "kids",
    "attempted": "tried", "tried": "attempted", "ended": "finished", "whole": "entire", "entire": "whole",
    "quickly": "fast", "required": "needed", "needed": "required", "reported": "said", "because": "since",
}
_SYN_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)) + r")\b",
                     re.IGNORECASE)
CONTRACTIONS = {"did not": "didn't", "does not": "doesn't", "do not": "don't", "is not": "isn't",
                "was not": "wasn't", "were not": "weren't", "are not": "aren't", "has not": "hasn't",
                "have not": "haven't", "cannot": "can't", "will not": "won't", "would not": "wouldn't"}
_EXPAND = {v: k for k, v in CONTRACTIONS.items()}
_CONTRACT_RE = re.compile(r"\b(" + "|".join(map(re.escape, [*CONTRACTIONS, *_EXPAND])) + r")(?![\w'’])",
                          re.IGNORECASE)
_INTRO = re.compile(r"^((?:In|On|At|By|During|After|Before|Since|Last|Earlier|Between|From)\s[^,]{2,40}),\s+"
                    r"(?P<rest>[A-Za-z].+?)(?P<end>[.!?])$")
_ACCORDING = re.compile(r"^According to (?P<who>[^,]{2,50}),\s+(?P<rest>.+?)(?P<end>[.!?])$")
_SAID = re.compile(r"^(?P<who>(?:[A-Z][\w.'’\-]*\s?){1,4}) said (?:that )?(?P<rest>[a-z].+?)(?P<end>[.!?])$")


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if first.isupper() and len(first) > 1 else text[:1].lower() + text[1:]


def _rewrites(s: str) -> list[str]:
    out = []
    if m := _INTRO.match(s):
        out.append(f"{m['rest'][0].upper()}{m['rest'][1:]} {_lower_first(m.group(1))}{m['end']}")
    if m := _ACCORDING.match(s):
        out.append(f"{m['rest'][0].upper()}{m['rest'][1:]}, according to {m['who']}{m['end']}")
    if m := _SAID.match(s):
        out.append(f"According to {m['who'].strip()}, {m['rest']}{m['end']}")
    if m := _SYN_RE.search(s):
        out.append(s[: m.start()] + _match_case(SYNONYMS[m.group(1).lower()], m.group(1)) + s[m.end():])
    if m := _CONTRACT_RE.search(s):
        key = m.group(1).lower()
        new = CONTRACTIONS.get(key) or _EXPAND[key]
        out.append(s[: m.start()] + _match_case(new, m.group(1)) + s[m.end():])
    if " per cent" in s or "%" in s:
        out.append(s.replace(" per cent", " percent") if " per cent" in s else re.sub(r"(\d)%", r"\1 percent", s))
    return [o for o in out if o != s]


def paraphrase(sentence: str, rng: random.Random) -> str | None:
    """The sentence reworded by one or two meaning-keeping rewrites; None when none applies."""
    first = _rewrites(sentence)
    if not first:
        return None
    text = rng.choice(first)
    second = [o for o in _rewrites(text) if o != sentence]
    if second and rng.random() < 0.5:
        text = rng.choice(second)
    return text


def g_paraphrase(doc: Doc, i: int, rng: random.Random, n: int) -> list[Made]:
    s = doc.sentences[i]
    h = paraphrase(s, rng)
    if not h:
        return []
    premise = _window(doc, i, rng, MAX_PAIR_WORDS - word_count(h), sizes=(1, 2, 3)) or s
    return [(premise, h, (Label.SUPPORTED,))]


GENERATORS: dict[str, Gen] = {
    "contrast-negation": g_negation,
    "contrast-roles": g_roles,
    "contrast-numbers": g_numbers,
    "contrast-unmentioned": g_unmentioned,
    "contrast-paraphrase": g_paraphrase,
}


def build(name: str, docs: tuple[Doc, ...] | list[Doc], n: int = PER_SET, seed: int = SEED,
          per_doc: int = 3) -> list[Pair]:
    """Up to `n` pairs of the contrast set `name`, at most `per_doc` from one article."""
    gen = GENERATORS[name]
    rng = random.Random(f"{seed}:{name}")
    items = [(d, i) for d in docs for i, s in enumerate(d.sentences) if _eligible(s)]
    rng.shuffle(items)
    used: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    out: list[Pair] = []
    for doc, i in items:
        if len(out) >= n:
            break
        if used.get(doc.doc_id, 0) >= per_doc:
            continue
        for premise, hyp, labels in gen(doc, i, rng, len(out)):
            if premise == hyp or (premise, hyp) in seen or word_count(premise) + word_count(hyp) > MAX_PAIR_WORDS:
                continue
            seen.add((premise, hyp))
            used[doc.doc_id] = used.get(doc.doc_id, 0) + 1
            out.append(Pair(premise, hyp, labels, name))
            break
    return out


def source_docs(name: str, root: Path) -> tuple[Doc, ...]:
    """The articles a set is built from: the rulings; for `contrast-roles` the news bodies too."""
    docs = ruling_docs(root)
    return docs + news_docs(root, 0) if name == "contrast-roles" else docs


TRAINING_KINDS = ("contrast-negation", "contrast-roles", "contrast-numbers", "contrast-paraphrase")


def training_pairs(root: Path, per_kind: int, seed: int = SEED) -> list[Pair]:
    """Training pairs of the kinds the contrast sets found weak, from the other half of the news
    bodies (never the rulings nor the bodies the sets use); sources `contrast-train-<kind>`."""
    docs = news_docs(root, 1)
    out = []
    for name in TRAINING_KINDS:
        source = name.replace("contrast-", "contrast-train-")
        out += [dataclasses.replace(p, source=source) for p in build(name, docs, per_kind, seed + 1)]
    return out


def _write_jsonl(pairs: list[Pair], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps({"premise": p.premise, "hypothesis": p.hypothesis,
                                "labels": [x.value for x in p.labels], "source": p.source}) + "\n")


def write_sets(data_dir: Path, out_dir: Path, names: list[str], per_set: int = PER_SET,
               seed: int = SEED) -> dict[str, int]:
    """Write one JSONL file per contrast set in `names` to `out_dir`; return pairs per set."""
    unknown = [n for n in names if n not in GENERATORS]
    if unknown:
        raise InputError(f"unknown contrast set {unknown[0]!r}; known: {', '.join(GENERATORS)}")
    counts = {}
    for name in names:
        pairs = build(name, source_docs(name, data_dir), per_set, seed)
        _write_jsonl(pairs, out_dir / f"{name}.jsonl")
        counts[name] = len(pairs)
    return counts


def write_training_pairs(data_dir: Path, out_dir: Path, n: int, seed: int = SEED) -> dict[str, int]:
    """Write `n` training pairs per weak kind to `out_dir/contrast_train.jsonl`; return pairs per kind."""
    pairs = training_pairs(data_dir, n, seed)
    _write_jsonl(pairs, out_dir / "contrast_train.jsonl")
    return dict(Counter(p.source for p in pairs))


if __name__ == "__main__":
    from verifier.training.commands import run_command

    run_command("contrast-sets")
