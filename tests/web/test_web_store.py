"""The database layer: migrations, append-only reviews, and evidence highlighting."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from pg_server import BACKENDS

from verifier.article import Article
from verifier.labels import Label
from verifier.web import schema
from verifier.web.highlight import Highlight, highlight
from verifier.web.store import Store


@pytest.fixture(params=BACKENDS)
def db_backend(request):
    return request.param



def test_migrations_create_the_schema_once(db_url):
    engine = schema.make_engine(db_url)
    assert schema.upgrade(engine) == schema.LATEST
    assert schema.upgrade(engine) == schema.LATEST  # idempotent
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.schema_version.c.version)).scalars().all()
    assert rows == [n for n, _, _ in schema.MIGRATIONS]
    tables = set(sa.inspect(engine).get_table_names())
    assert set(schema.metadata.tables) <= tables
    for table in schema.metadata.sorted_tables:  # the migrated schema matches what the store queries
        columns = {c["name"] for c in sa.inspect(engine).get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name


def test_a_newer_database_is_refused(db_url):
    engine = schema.make_engine(db_url)
    schema.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(schema.schema_version.insert().values(version=schema.LATEST + 1, description="future",
                                                           applied_at=schema.now()))
    with pytest.raises(schema.SchemaError, match="newer than this verifier"):
        schema.upgrade(engine)


def test_migrations_run_in_order_and_only_once(db_url, monkeypatch):
    engine = schema.make_engine(db_url)
    schema.upgrade(engine)
    ran = []

    nxt = schema.LATEST + 1

    def v_next(conn):
        ran.append(nxt)
        conn.execute(sa.text("ALTER TABLE articles ADD COLUMN language VARCHAR(8)"))

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, (nxt, "article language", v_next)])
    monkeypatch.setattr(schema, "LATEST", nxt)
    assert schema.upgrade(engine) == nxt
    assert schema.upgrade(engine) == nxt
    assert ran == [nxt]
    assert "language" in {c["name"] for c in sa.inspect(engine).get_columns("articles")}


def test_a_first_version_database_is_upgraded_with_its_data(db_url, monkeypatch):
    engine = schema.make_engine(db_url)
    with monkeypatch.context() as m:  # a database as verifier's first web release left it
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        m.setattr(schema, "LATEST", 1)
        assert schema.upgrade(engine) == 1
    assert "lease_owner" not in {c["name"] for c in sa.inspect(engine).get_columns("claims")}
    old = Store(engine)
    aid = old.add_article("t", None, Article("The bridge opened."), "ed", [(None, "The bridge opened.")])
    assert schema.upgrade(engine) == schema.LATEST
    store = Store(engine)
    assert [c.text for c in store.claims(aid)] == ["The bridge opened."]
    lease = store.lease_claims(aid, "worker", 10, 60)
    assert [text for _, text in lease.claims] == ["The bridge opened."]


def test_reviews_are_appended_never_overwritten(db_url, fake_verifier_instance):
    engine = schema.make_engine(db_url)
    schema.upgrade(engine)
    store = Store(engine)
    text = "The mayor opened the bridge on Monday. It cost 3 million euros."
    aid = store.add_article("t", None, Article(text), "ed", [(None, "The mayor opened the bridge on Monday.")])
    (cid, claim), = store.pending_claims(aid, 10)
    store.save_results([(cid, fake_verifier_instance.verify(claim, text), None)])
    store.add_review(cid, "ed", "change", Label.NOT_MENTIONED, "first")
    store.add_review(cid, "kim", "change", Label.SUPPORTED, "second")
    c = store.claim(cid)
    assert [r.note for r in c.reviews] == ["first", "second"]
    assert c.label == Label.SUPPORTED and c.review.reviewer == "kim"


def test_highlight_escapes_and_marks_overlaps():
    text = "<b>One</b> & two. Three four."
    spans = [Highlight(0, 18, 1, Label.SUPPORTED, True), Highlight(11, 29, 2, Label.CONTRADICTED, True)]
    html = str(highlight(text, spans))
    assert "<b>" not in html
    assert ('<span class="anchor" id="ev-1"></span>'
            '<mark class="ev ev-supported" data-claims="1">&lt;b&gt;One&lt;/b&gt; </mark>') in html
    assert ('<span class="anchor" id="ev-2"></span>'  # overlap: the graver label
            '<mark class="ev ev-contradicted" data-claims="1 2">&amp; two. </mark>') in html
    assert '<mark class="ev ev-contradicted" data-claims="2">Three four.</mark>' in html
    assert str(highlight(text, [])) == "&lt;b&gt;One&lt;/b&gt; &amp; two. Three four."
    bad_offsets = [Highlight(5, 500, 3, Label.SUPPORTED, True)]
    assert str(highlight(text, bad_offsets)).count("<mark") == 0  # skipped


def test_review_queue_puts_flagged_verdicts_first(db_url, fake_verifier_instance):
    from dataclasses import replace

    store = Store(schema.make_engine(db_url))
    schema.upgrade(store.engine)
    text = "The mayor opened the bridge on Monday. It cost 3 million euros."
    claims = [(None, "The mayor opened the bridge on Monday."), (None, "It cost 3 million euros.")]
    aid = store.add_article("t", None, Article(text), "ed", claims)
    (c1, t1), (c2, t2) = store.pending_claims(aid, 10)
    v1, v2 = (fake_verifier_instance.verify(c, text) for c in (t1, t2))
    store.save_results([(c1, replace(v1, confidence=0.1, needs_review=False), None),
                        (c2, replace(v2, confidence=0.9, needs_review=True), None)])
    assert [c.id for c in store.review_queue()] == [c2, c1]
