"""Every archive-interface method on PostgreSQL gives what it gives on SQLite: the same
calls on both engines over the same analysed SaudiNewsNet articles (tests/resources/
README-search.md), results compared (timestamps masked). Then `iter_records` /
`import_records`: SQLite -> PostgreSQL -> SQLite keeps every count and the search order.
Needs RASID_TEST_PG_URL (tests/pg_fixtures.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasid.doc import Document
from rasid.entities.archive import resolve_article_entities
from rasid.store import SearchQuery, open_store
from rasid.store.base import RECORD_KINDS
from rasid.store.sqlite import SqliteStore
from rasid.stories.neardup import compute_band_keys, compute_signature

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
RECORDS = [json.loads(line) for line in
           (RESOURCES / "saudinewsnet-search.jsonl").read_text(encoding="utf-8").splitlines()]
TIMESTAMPS = {"created_at", "updated_at", "added_at", "ingested_at", "attempted_at", "delivered_at"}


def mask(value):
    """Timestamps become whether they are set (they differ by the second between engines)."""
    if isinstance(value, dict):
        return {k: (v is not None if k in TIMESTAMPS else mask(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask(v) for v in value]
    if isinstance(value, set):
        return sorted(value)
    return value


@pytest.fixture(scope="module")
def analysed():
    from rasid.stages import build_pipeline

    pipeline = build_pipeline(("tokenize", "ner", "resolve", "dates", "places"))
    docs = [Document(text=r["content"], title=r["title"], url=r["url"], source=r["source"],
                     author=r["author"], published=f"2015-07-{i % 5 + 1:02d}T10:00:00")
            for i, r in enumerate(RECORDS[:10])]
    return [pipeline(d).to_dict() for d in docs]


@pytest.fixture(scope="module")
def engines(pg_database_url, tmp_path_factory, analysed):
    pg = open_store(pg_database_url)
    lite = SqliteStore(tmp_path_factory.mktemp("iface") / "rasid.db")
    for s in (lite, pg):
        docs = [Document.from_dict(d) for d in analysed]
        s.add_documents(docs, batch_size=4)
        for doc in docs:
            resolve_article_entities(s, doc)
    yield lite, pg
    pg.close()
    lite.close()


def sort_ties(value):
    """Lists sorted, recursively: for results ordered by counts only, where engines may
    order ties differently (compared with limits large enough to hold every tie)."""
    if isinstance(value, dict):
        return {k: sort_ties(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((sort_ties(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def both(engines, method, *args, ties=False, **kwargs):
    lite, pg = engines
    a = getattr(lite, method)(*args, **kwargs)
    b = getattr(pg, method)(*args, **kwargs)
    if ties:
        assert sort_ties(mask(b)) == sort_ties(mask(a)), method
    else:
        assert mask(b) == mask(a), method
    return a


def test_articles_and_entities(engines, analysed):
    ids = [d["id"] for d in analysed]
    assert both(engines, "count_documents") == 10
    assert both(engines, "has_article", ids[0]) and not both(engines, "has_article", "nope")
    both(engines, "list_articles", limit=5)
    both(engines, "list_articles", source=analysed[0]["source"], since="2015-07-02", until="2015-07-04")
    both(engines, "get_texts", ids[:3] + ["nope"])
    layers = both(engines, "collect_article_layers", ids[:4])
    assert any(v["entities"] for v in layers.values()) and any(v["places"] for v in layers.values())
    seqs = [a["seq"] for a in engines[1].list_articles_after(0)]
    assert seqs == sorted(seqs) and len(seqs) == 10
    assert [a["id"] for a in engines[0].list_articles_after(0)] == \
        [a["id"] for a in engines[1].list_articles_after(0)]
    top = both(engines, "top_entities", limit=10)
    assert top and top[0]["mentions"] >= top[-1]["mentions"]
    both(engines, "top_entities", type="PER", since="2015-07-02", until="2015-07-03")
    eid = top[0]["id"]
    both(engines, "entity_profile", eid, limit=500, ties=True)
    both(engines, "entity_spellings", eid, ties=True)
    both(engines, "count_entity_mentions", [t["id"] for t in top] + [999999])
    both(engines, "count_article_mentions", ids[0])
    both(engines, "get_entity", eid)
    both(engines, "find_entity_candidates", ["n:" + top[0]["canonical"]])
    places = both(engines, "top_places", limit=500, ties=True)
    assert places and isinstance(places[0]["lat"], float)
    both(engines, "top_places", country=places[0]["country"].lower(), since="2015-07-01",
         until="2015-07-03", limit=500, ties=True)
    # where each archive lives differs; so may the schema version while a migration has
    # landed for one engine only
    lite_stats, pg_stats = (dict(s.stats(), path=None, schema_version=None) for s in engines)
    assert pg_stats == lite_stats and pg_stats["articles"] == 10


def test_meta_and_entity_marks(engines, analysed):
    doc_id = analysed[1]["id"]
    for s in engines:
        s.set_article_meta(doc_id, "checked", {"by": "اختبار", "n": 2})
    assert engines[1].get_document(doc_id).meta["checked"] == {"by": "اختبار", "n": 2}
    doc = engines[0].get_document(doc_id)
    spans = [{"start": s.start, "end": s.end, "text": doc.text[s.start:s.end],
              "attrs": {**s.attrs, "checked": True}} for s in doc.layers["entities"]]
    for s in engines:
        s.set_entity_mentions(doc_id, spans)
    assert mask(engines[1].get_document(doc_id).to_dict()) == mask(engines[0].get_document(doc_id).to_dict())
    both(engines, "count_article_mentions", doc_id)


def test_near_duplicates_and_stories(engines, analysed):
    a, b, c = (d["id"] for d in analysed[:3])
    for s in engines:
        sig = compute_signature(analysed[0]["text"])
        s.add_signature(a, sig.tobytes(), compute_band_keys(sig))
        s.add_near_duplicate(b, a, 0.91)
        s.add_near_duplicate(b, c, 0.5)  # kept: the first link stays
    sig = compute_signature(analysed[0]["text"])
    assert both(engines, "find_band_matches", compute_band_keys(sig), 40) == {a: 32}
    assert both(engines, "has_signature", a) and not both(engines, "has_signature", b)
    assert both(engines, "get_signatures", [a, b]) == {a: sig.tobytes()}
    assert both(engines, "get_near_duplicate", b) == (a, 0.91)
    both(engines, "list_near_duplicates")
    assert engines[1].get_document(b).meta == engines[0].get_document(b).meta
    for s in engines:
        sid = s.create_story("قصة", "2015-07-01T10:00:00", {"هجوم": 0.8, "رءيس": 0.2}, ["هجوم", "رءيس"], [1, 2])
        s.add_story_article(sid, a, "2015-07-01T10:00:00", 1.0)
        s.update_story(sid, {"هجوم": 0.7, "نفط": 0.3}, "2015-07-01T10:00:00", "2015-07-03T10:00:00",
                       ["هجوم", "نفط"], [2, 3])
        s.add_story_article(sid, b, "2015-07-03T10:00:00", 0.4, duplicate_of=a)
        s.create_story("أخرى", "2015-07-02T10:00:00", {"نفط": 1.0}, ["نفط"], [3])
    assert both(engines, "find_stories_by_terms", ["نفط", "رءيس"], "2015-07-01", 10) == {"نفط": [1, 2]}
    assert both(engines, "find_stories_by_entities", [2, 3], "2015-07-02", 10) == {2: [1], 3: [1, 2]}
    assert both(engines, "get_story_entities", [1, 2], [1, 3, 9]) == {1: {1, 3}, 2: {3}}
    both(engines, "get_story_centroids", [2, 1, 7])
    assert both(engines, "get_story_id", b) == 1
    both(engines, "list_stories")
    both(engines, "list_stories", since="2015-07-02", until="2015-07-02", min_articles=0)
    both(engines, "story_of_article", b)
    story = both(engines, "get_story", 1, limit=500, ties=True)
    assert [x["id"] for x in engines[1].get_story(1)["articles"]] == [a, b] and story["entities"]
    assert both(engines, "get_story", 99) is None
    both(engines, "list_story_members")


def test_watches_alerts_deliveries(engines, analysed):
    a, b = analysed[0]["id"], analysed[1]["id"]
    for s in engines:
        w1 = s.add_watch("هجمات", None, "هجوم", None, None, None, "http://127.0.0.1:9/hook")
        w2 = s.add_watch("سعودية", {"name": "السعودية", "ids": [1]}, None,
                         {"name": "الرياض", "country": "SA"}, 3, 3600, None)
        assert (w1, w2) == (1, 2)
        assert s.add_alert(w1, a, "match", "2015-07-01T10:00:00", {"query": "هجوم"}) == 1
        assert s.add_alert(w1, a, "match", "2015-07-01T10:00:00", {}) is None
        s.add_alert(w2, b, "surge", "2015-07-02T10:00:00", {"count": 3})
        assert s.add_watch_match(w2, a, "2015-07-01T10:00:00", {}) is True
        assert s.add_watch_match(w2, a, "2015-07-01T10:00:00", {}) is False
        s.add_watch_match(w2, b, "2015-07-02T10:00:00", {"x": 1})
        s.set_alert_mark(5)
        s.set_alert_mark(3)  # never lowers
        s.record_delivery(1, "http://127.0.0.1:9/hook", 1, None, "refused")
    both(engines, "list_watches")
    both(engines, "list_watches", active_only=True)
    assert both(engines, "get_watch", 2)["entity"] == {"name": "السعودية", "ids": [1]}
    assert both(engines, "set_watch_active", 2, False) and not both(engines, "set_watch_active", 9, True)
    both(engines, "set_watch_entity", 2, {"name": "السعودية", "ids": [1, 4]})
    assert both(engines, "last_surge_time", 2) == "2015-07-02T10:00:00"
    assert len(both(engines, "list_watch_matches", 2, "2015-07-01", "2015-07-03")) == 2
    assert both(engines, "get_alert_mark") == 5
    assert len(both(engines, "list_alerts")) == 2
    both(engines, "list_alerts", watch_id=1, since_id=0, limit=5)
    both(engines, "list_alerts", watch_id=2)
    both(engines, "get_alerts", [3, 2, 1, 77])
    last = both(engines, "latest_alert_id")  # ids may skip a value an ignored insert took
    assert both(engines, "count_alerts") == 2 and both(engines, "count_alerts", last - 1) == 1
    assert both(engines, "count_alerts_by_watch") == {1: 1, 2: 1}
    assert both(engines, "list_pending_deliveries", None, 5) == [
        {"alert_id": 1, "url": "http://127.0.0.1:9/hook", "attempts": 1}]
    for s in engines:
        s.record_delivery(1, "http://127.0.0.1:9/hook", 2, 200, None)
    assert both(engines, "list_pending_deliveries", [1], 5) == []
    assert len(both(engines, "list_deliveries", 1)) == 2
    assert both(engines, "get_alerts", [1])[0]["delivered_at"]
    both(engines, "get_state", "missing", 7)


def test_records_match_then_round_trip_sqlite_postgres_sqlite(engines, pg_fresh_url, tmp_path):
    lite, pg = engines
    for kind in RECORD_KINDS:
        got_lite = list(lite.iter_records(kind))
        got_pg = list(pg.iter_records(kind))
        key = lambda r: json.dumps(mask(r), sort_keys=True, ensure_ascii=False)  # noqa: E731
        assert sorted(map(key, got_pg)) == sorted(map(key, got_lite)), kind
    # SQLite -> a fresh PostgreSQL -> a fresh SQLite, with `rasid copy`
    from rasid.cli.main import main as cli_main

    assert cli_main(["copy", lite.location, pg_fresh_url]) == 0
    assert cli_main(["copy", pg_fresh_url, str(tmp_path / "back.db")]) == 0
    mid = open_store(pg_fresh_url)
    back = SqliteStore(tmp_path / "back.db")
    queries = ["الرئيس", "هجوم", "السعودية", '"مجلس الأمن"']
    for store in (mid, back):
        for kind in RECORD_KINDS:  # articles, entities, aliases (keys), stories, alerts, watches, ...
            assert len(list(store.iter_records(kind))) == len(list(lite.iter_records(kind))), kind
        assert store.stats()["spans"] == lite.stats()["spans"]
        assert store.stats()["entities"] == lite.stats()["entities"]
        assert store.get_alert_mark() == lite.get_alert_mark() or store is mid
        for q in queries:
            assert ([h.id for h in store.search(SearchQuery(q, limit=10))]
                    == [h.id for h in lite.search(SearchQuery(q, limit=10))]) or store is mid
    assert [h.id for h in back.search(SearchQuery("الرئيس", limit=10))]
    for kind in RECORD_KINDS:  # the round trip gives back the very records
        assert list(back.iter_records(kind)) == list(lite.iter_records(kind)), kind
    # new rows after an import get fresh ids (the sequences moved past the copied ones)
    copied = max((w["id"] for w in lite.iter_records("watches")), default=0)  # 2 after the module's tests
    assert mid.add_watch("جديدة", None, "نفط", None, None, None, None) == copied + 1
    mid.close()
    back.close()
