"""Candidate selection: the top k passages each add a sentence (diverse), or plain top k."""

from fakes import FakeEmbedder

from verifier.article import as_article
from verifier.retrieval import ArticleIndex

ARTICLE = (
    "The river flooded the old town on Monday. "
    "Rescue teams from the river town evacuated the old town. "
    "The mayor of the old town thanked the river rescue teams. "
    "Schools stayed closed. "
    "A bridge over the river in the old town was damaged. "
    "Officials said rain would continue."
)
CLAIM = "The river flooded the old town."


def _search(diverse: bool, top_k: int = 4):
    emb = FakeEmbedder()
    index = ArticleIndex(as_article(ARTICLE), emb, max_window=3)
    return index, index.search([CLAIM], emb.encode([CLAIM]), top_k, diverse=diverse)[0]


def _sentences(hit) -> set[int]:
    return set(range(hit.candidate.first, hit.candidate.last + 1))


def test_diverse_top_k_each_add_a_sentence_and_keep_the_ranking_order():
    _, plain = _search(diverse=False, top_k=50)
    _, hits = _search(diverse=True)
    covered: set[int] = set()
    novel = 0
    for h in hits:
        if _sentences(h) <= covered:
            # only a single sentence of a window already kept comes back without adding one
            assert len(_sentences(h)) == 1
        else:
            novel += 1
        covered |= _sentences(h)
    assert novel == 4 < len(hits)
    # picks keep their order in the plain ranking, and the best candidate is always first
    order = [plain.index(h) for h in hits]
    assert order == sorted(order) and order[0] == 0
    # what was passed over was a window that added nothing new when it was reached
    skipped = [h for h in plain[: order[-1]] if h not in hits]
    assert skipped
    for h in skipped:
        before = set().union(*(_sentences(k) for k in hits if plain.index(k) < plain.index(h)))
        assert len(_sentences(h)) > 1 and _sentences(h) <= before


def test_diverse_picks_cover_more_sentences_than_the_plain_top_k():
    _, plain = _search(diverse=False)
    _, hits = _search(diverse=True)
    assert len(set().union(*map(_sentences, hits))) > len(set().union(*map(_sentences, plain)))


def test_diverse_stops_when_every_sentence_is_covered():
    index, hits = _search(diverse=True, top_k=50)
    assert set().union(*map(_sentences, hits)) == set(range(len(index.sentences)))
    assert len(hits) < len(index.candidates)


def test_bm25_matches_word_forms_through_stemming():
    article = ("Officials opened three new clinics. Thousands were vaccinated in the first week. "
               "The weather stayed cold.")
    index = ArticleIndex(as_article(article), FakeEmbedder(), max_window=1)
    hits = index.search(["Vaccines reached people."], FakeEmbedder().encode(["x"]), 3, dense_weight=0.0)[0]
    best = hits[0]
    assert index.text(best.candidate) == "Thousands were vaccinated in the first week."
    assert best.lexical == 1.0 and all(h.lexical < 1.0 for h in hits[1:])
