"""Events, the place page and the search engine's counts give the same answers on every
engine: 20 SaudiNewsNet articles (tests/resources/README-search.md) through the real
pipeline into each engine, compared with a SQLite file archive built the same way."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasid.alerts import add_watch
from rasid.monitor import Monitor
from rasid.search.plan import build_plan
from rasid.search.query import parse_query
from rasid.store.sql_events import COMPACT_EVENT_FIELDS

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "saudinewsnet-sample.jsonl"
QUERIES = ("الرياض", "وزارة الداخلية", "الأمن السعودي -اليمن", "هجوم الحوثيين على الحدود")


def compact(event: dict) -> dict:
    """What ``compact=True`` gives of an event."""
    return {k: event[k] for k in COMPACT_EVENT_FIELDS}


def snapshot(store) -> dict:
    """Every answer compared across engines."""
    out: dict = {}
    events = store.find_events({"uncertain": True}, limit=1000)
    out["events_all"] = events
    out["events_certain"] = store.find_events({}, limit=5, offset=1)
    out["iter_events"] = list(store.iter_events({"uncertain": True}, batch_size=3))
    # compact events (what event grouping reads): the same events, with only its fields
    assert list(store.iter_events({"uncertain": True}, batch_size=3, compact=True)) == \
        [compact(e) for e in out["iter_events"]]
    first = events[0]
    out["by_type"] = store.find_events({"type": first["type"].lower(), "uncertain": True})
    out["located"] = store.find_events({"located": True, "uncertain": True})
    country = next((e["place"]["country"] for e in events if (e.get("place") or {}).get("country")), "SA")
    out["by_country"] = store.find_events({"country": country.lower(), "uncertain": True})
    place_id = next((e["place"]["gazetteer_id"] for e in events
                     if (e.get("place") or {}).get("gazetteer_id")), "gn:0")
    out["by_place_id"] = store.find_events({"place_id": place_id, "uncertain": True})
    dated = sorted(e["when"] for e in events if e.get("when"))
    if dated:
        out["since"] = store.find_events({"since": dated[len(dated) // 2], "uncertain": True})
    ids = [e["actor_entity_id"] for e in events if e.get("actor_entity_id")]
    if ids:
        out["by_entity"] = store.find_events({"entity_ids": ids[:2], "uncertain": True})
    out["by_article"] = store.find_events({"article_ids": [first["article_id"]], "uncertain": True})
    batch = [{"uncertain": True}, {"type": first["type"], "uncertain": True}, {"country": "ZZ"},
             {"article_ids": [first["article_id"]], "uncertain": True}]
    out["batch"] = store.find_events_batch(batch, limit=4)
    assert out["batch"] == [store.find_events(q, limit=4) for q in batch]  # one query's answers each
    # queries that differ only in their days (the event groups step's): read together on SQLite
    days = sorted({e["when"][:10] for e in events if e.get("when")})
    windows = [{"uncertain": True, "since": lo, "until": hi} for lo in days[:4] for hi in days[-3:]]
    windows += [{"type": first["type"], "uncertain": True, "since": d, "until": d} for d in days[:3]]
    for limit in (2, 1000):
        out[f"windows {limit}"] = store.find_events_batch(windows, limit=limit)
        assert out[f"windows {limit}"] == [store.find_events(q, limit=limit) for q in windows]
        assert store.find_events_batch(windows, limit=limit, compact=True) == \
            [[compact(e) for e in events] for events in out[f"windows {limit}"]]
    assert store.find_events_batch(batch, limit=4, compact=True) == \
        [[compact(e) for e in events] for events in out["batch"]]
    analyzer = store.analyzer
    keys: set[str] = set()
    for text in QUERIES:
        plan = build_plan(parse_query(text, analyzer), window=0, limit=20)
        facets = store.count_facets(plan, size=5)
        keys.update(p["value"] for p in facets["place"])
        out[text] = {"rows": [r.id for r in store.search_rows(plan)], "facets": facets,
                     "days": store.count_by_period(plan),
                     "months": store.count_by_period(plan, width=7)}
    keys_list = sorted(keys)[:6]
    out["place_counts"] = store.count_place_articles(keys_list + ["gn:0"])
    out["profiles"] = [store.place_profile(k, limit=5) for k in keys_list]
    out["no_place"] = store.place_profile("gn:0")
    out["top_places"] = store.top_places(limit=8)  # ties broken by the place's key on both engines
    out["entity_profiles"] = [store.entity_profile(e["id"], limit=5) for e in store.top_entities(limit=4)]
    assert any(p["places"] for p in out["entity_profiles"]) and len(out["top_places"]) == 8
    terms = [analyzer.index_forms(w)[0] for w in ("الرياض", "السعودية", "كلمةغيرموجودة")]
    out["df"] = store.count_documents_with_terms(terms)
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict:
    path = str(tmp_path_factory.mktemp("reference") / "archive.db")
    with Monitor(path) as monitor:
        assert monitor.ingest([str(SAMPLE)]).stored == 20
        return snapshot(monitor.store)


def test_events_places_and_search_counts_match_sqlite(location, reference):
    with Monitor(location) as monitor:
        assert monitor.ingest([str(SAMPLE)]).stored == 20
        store = monitor.store
        got = snapshot(store)
        watch = add_watch(store, query="الرياض")
        store.set_watch_event(watch.id, {"type": "ASSAULT", "text": "هجوم"})
        store.set_watch_event(watch.id, {"type": "PROTEST", "text": "مظاهرة"})  # replaces
        assert store.get_watch_events([watch.id, 999]) == {watch.id: {"type": "PROTEST",
                                                                       "text": "مظاهرة"}}
        assert store.get_watch_events([]) == {}
        evs = got["events_all"]
        if len(evs) >= 2:  # regrouping: both events now report one group of two
            assert store.set_event_groups([(evs[0]["id"], evs[0]["id"]), (evs[1]["id"], evs[0]["id"])]) == 2
            grouped = store.find_events({"group": evs[0]["id"], "uncertain": True})
            assert sorted(e["id"] for e in grouped) == sorted([evs[0]["id"], evs[1]["id"]])
            assert {e["group_size"] for e in grouped} == {2}
            # the members' days, as the event groups step reads them (no event rows built)
            dated = [e for e in evs if e.get("when")][:3]
            assert len(dated) >= 2, "the sample has dated events"
            gid = dated[0]["id"]
            store.set_event_groups([(e["id"], gid) for e in dated])
            days = store.find_group_days([gid, evs[0]["id"], 10**9])
            assert sorted(days[gid]) == sorted(e["when"] for e in dated)
            assert set(days) <= {gid, evs[0]["id"]}
            assert sorted(days.get(evs[0]["id"], [])) == sorted(
                e["when"] for e in store.find_events({"group": evs[0]["id"], "uncertain": True})
                if e.get("when"))
            assert store.find_group_days([]) == {}
    assert reference["events_all"], "the sample has events"
    assert reference["profiles"] and reference["profiles"][0]["timeline"]
    assert any(reference[q]["rows"] for q in QUERIES)
    for key, value in reference.items():
        assert got[key] == value, key
