"""Named entities (capitalised word sequences not at the sentence start), their word lists, entity swaps."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass

from verifier.training.news_pairs.numbers import MONTHS, WEEKDAYS, _prev_word
from verifier.training.news_pairs.text import _STOP

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


def swap_entity(sentence: str, article_entities: list[Entity], rng: random.Random,
                article_text: str = "") -> str | None:
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
