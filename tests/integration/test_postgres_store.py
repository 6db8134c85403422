"""The PostgreSQL archive against the SQLite one on the same real SaudiNewsNet articles
(tests/resources/README-search.md): same dedup outcomes, same matches, same highlights.
Needs RASID_TEST_PG_URL (see tests/pg_fixtures.py); skipped without it."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from rasid.doc import Document, Span
from rasid.entities.archive import lookup_entities, resolve_article_entities, suggest_entity_names
from rasid.search.query import QueryError
from rasid.store import SearchQuery, open_store
from rasid.store.sqlite import SqliteStore

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
RECORDS = [json.loads(line) for line in
           (RESOURCES / "saudinewsnet-search.jsonl").read_text(encoding="utf-8").splitlines()]

QUERIES = ["الرئيس", "هجوم", "وهجوم", "رئيس", "إردوغان", "اردوغان", "الهُجُومُ", '"مجلس الأمن"',
           "مجلس الأمن", '"الأمن مجلس"', "الرئيس -إردوغان", "طيران ناس طاقم", "داعش",
           "السعودية اليمن", "NEAR(a b) OR * ^ :", '"غير مغلق']


def make_docs() -> list[Document]:
    return [Document(text=r["content"], title=r["title"], url=r["url"], source=r["source"],
                     author=r["author"], published=f"2015-07-{i + 1:02d}T10:00:00")
            for i, r in enumerate(RECORDS)]


@pytest.fixture(scope="module")
def pair(pg_database_url, tmp_path_factory):
    pg = open_store(pg_database_url)
    lite = SqliteStore(tmp_path_factory.mktemp("pg") / "rasid.db")
    for s in (pg, lite):
        s.add_documents(make_docs(), batch_size=7)
    yield pg, lite
    pg.close()
    lite.close()


def search(store, text, **kw):
    return store.search(SearchQuery(text, **kw))


@pytest.mark.parametrize("query", QUERIES)
def test_same_hits_and_highlights_as_sqlite(pair, query):
    pg, lite = pair
    a, b = search(pg, query, limit=50), search(lite, query, limit=50)
    assert {h.id for h in a} == {h.id for h in b}
    by_id = {h.id: h for h in b}
    for hit in a:
        other = by_id[hit.id]
        assert (hit.matches, hit.title_matches, hit.snippet) == (other.matches, other.title_matches,
                                                                other.snippet)


def test_some_queries_match_and_ranking_puts_titles_first(pair):
    pg, _ = pair
    assert len(search(pg, "الرئيس", limit=50)) >= 5
    hits = search(pg, "طيران ناس طاقم")
    assert hits and hits[0].title_matches  # the article with the words in its title first
    page = search(pg, "الرئيس", limit=3, offset=3)
    assert [h.id for h in page] == [h.id for h in search(pg, "الرئيس", limit=6)][3:]


def test_filters_as_sqlite(pair):
    pg, lite = pair
    pg.refresh_statistics()  # VACUUM (ANALYZE): the planner then sees the real table sizes
    for kw in ({"since": "2015-07-06", "until": "2015-07-14"}, {"until": "2015-07-01"},
               {"source": "aawsat"}, {"source": ["alwatan", "okaz"]}):
        assert ({h.id for h in search(pg, "الرئيس", limit=50, **kw)}
                == {h.id for h in search(lite, "الرئيس", limit=50, **kw)})
    with pytest.raises(QueryError):
        search(pg, "الرئيس", since="last week")
    for bad in ({"limit": 0}, {"offset": -1}):
        with pytest.raises(QueryError):
            search(pg, "الرئيس", **bad)
    with pytest.raises(QueryError):
        search(pg, "-إردوغان")


def test_dedup_by_url_content_and_id(pair):
    pg, _ = pair
    docs = make_docs()
    again = pg.add_documents(docs)
    assert (again.stored, again.duplicate) == (0, len(docs))
    moved = Document(text=docs[0].text, title="x", url="https://example.org/other")
    assert pg.add_document(moved).reason == "content"
    same_url = Document(text="نص جديد تماما عن موضوع آخر", url=docs[1].url + "#frag")
    outcome = pg.add_document(same_url)
    assert (outcome.outcome, outcome.reason, outcome.duplicate_of) == ("duplicate", "url", docs[1].id)
    assert pg.has_document(docs[2]) and pg.count_documents() == len(docs)


def test_document_round_trip_layers_spans_and_state(pair):
    pg, _ = pair
    doc = Document(text="زار الرئيس الفرنسي فرانسوا هولاند الرياض", title="زيارة")
    doc.layers["entities"] = [Span(19, 33, "PER")]
    doc.layers["places"] = [Span(34, 40, "LOC", {"name": "الرياض", "country": "SA",
                                                 "gazetteer_id": "x1", "lat": 24.6, "lon": 46.7})]
    assert pg.add_document(doc).outcome == "stored"
    resolve_article_entities(pg, doc)  # the archive step Monitor runs after storing
    back = pg.get_document(doc.id)
    assert back.to_dict() == pg.get_document(doc.id).to_dict()
    assert back.text == doc.text
    assert [s.text_of(back.text) for s in back.layers["entities"]] == ["فرانسوا هولاند"]
    assert back.layers["entities"][0].attrs.get("entity_id")  # resolved to an archive entity
    assert [r.canonical for r in lookup_entities(pg, "هولاند")] and lookup_entities(pg, "Hollande")
    places = pg.top_places(country="sa")
    assert places[0]["name"] == "الرياض" and places[0]["lat"] == 24.6
    pg.set_state("feed:x", {"etag": "\"abc\"", "n": 3})
    assert pg.get_state("feed:x") == {"etag": "\"abc\"", "n": 3}
    pg.set_state("feed:x", None)
    assert pg.get_state("feed:x", "gone") == "gone"
    assert pg.stats()["spans"]["places"] >= 1


def test_lookup_is_the_same_on_both_engines(pair):
    pg, lite = pair
    for s in (pg, lite):
        doc = Document(text="قال المتحدث باسم منظمة أطباء بلا حدود إن الوضع صعب", title="تصريح")
        doc.layers["entities"] = [Span(17, 37, "ORG")]
        s.add_document(doc)
        resolve_article_entities(s, doc)
    for name in ("منظمة اطباء بلا حدود", "منظمة أطباء بلا حدود", "اطباء بلاحدود", "منضمة اطباء",
                 "كلمة لا علاقة لها بشيء"):
        # exact after normalisation, or nothing (issue 13): never a near name as the answer
        assert [r.canonical for r in lookup_entities(pg, name)] == \
            [r.canonical for r in lookup_entities(lite, name)], name
    assert [r.canonical for r in lookup_entities(pg, "منظمة اطباء بلا حدود")] == ["منظمة أطباء بلا حدود"]
    assert lookup_entities(pg, "كلمة لا علاقة لها بشيء") == []


def test_did_you_mean_uses_trigrams_on_postgresql_lookup_stays_exact(pair):
    pg, lite = pair
    for s in (pg, lite):
        doc = Document(text="وصل الوفد إلى واشنطن مساء أمس", title="زيارة")
        doc.layers["entities"] = [Span(14, 20, "LOC")]
        s.add_document(doc)
        resolve_article_entities(s, doc)
    typo = "واشقطن"  # one letter wrong: its consonant skeleton matches no stored key
    assert lookup_entities(pg, typo) == [] and lookup_entities(lite, typo) == []
    assert "واشنطن" in [r.canonical for r in suggest_entity_names(pg, typo)]
    assert "واشنطن" not in [r.canonical for r in suggest_entity_names(lite, typo)]
    # what the skeleton keys find is still found on both engines
    for name in ("واشنطون", "واشنطن"):
        assert "واشنطن" in [r.canonical for r in suggest_entity_names(pg, name)], name


def test_concurrent_opens_migrate_once(pg_fresh_url):
    errors, stores = [], []

    def open_one():
        try:
            stores.append(open_store(pg_fresh_url))
        except Exception as exc:  # pragma: no cover - the failure is the assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(stores) == 4
    from rasid.store.postgres import load_migrations

    assert {s.schema_version for s in stores} == {load_migrations()[-1][0]}
    for s in stores:
        s.close()


def test_bad_url_is_a_clear_error():
    with pytest.raises(ValueError, match="cannot connect to PostgreSQL"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
