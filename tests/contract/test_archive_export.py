"""Exports read page by page (`Store.iter_export`), on every engine: 16 SaudiNewsNet
articles (tests/resources/README-stories.md) through the real pipeline, with a watch and
its alerts. Pages are small (3) so that every kind is read over several pages."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasid.alerts import add_watch
from rasid.monitor import Monitor

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "saudinewsnet-stories.jsonl"
STAGES = ("tokenize", "ner", "resolve", "dates", "places")
KINDS = ("articles", "mentions", "entities", "places", "dates", "stories", "alerts")


def test_exports_read_everything_page_by_page(location):
    """One analysed archive per engine (the analysis is the slow part), every check on it."""
    with Monitor(location, stages=STAGES) as monitor:
        add_watch(monitor.store, query="ماليزيا")
        monitor.archive_step("alerts").engine.deliver = False
        assert monitor.ingest([str(SAMPLE)]).stored == 16
        check_every_kind_pages_through_everything_once(monitor.store)
        check_spans_match_the_stored_layers(monitor.store)
        check_filters_choose_articles(monitor.store)
        check_stories_and_alerts(monitor.store)


def check_every_kind_pages_through_everything_once(filled):
    docs = list(filled.iter_documents())
    for kind in KINDS:
        small = list(filled.iter_export(kind, batch_size=3))
        whole = list(filled.iter_export(kind, batch_size=1000))
        assert small == whole, kind
    articles = list(filled.iter_export("articles", batch_size=3))
    assert [a["id"] for a in articles] == [d.id for d in docs]
    assert all(a["ingested_at"] and a["text"] for a in articles)
    assert articles[0]["layers"] == docs[0].to_dict()["layers"]


def check_spans_match_the_stored_layers(filled):
    docs = {d.id: d for d in filled.iter_documents()}
    expected = sorted((d.id, layer, s.start, s.end, s.label) for d in docs.values()
                      for layer, spans in d.layers.items() if layer not in ("tokens", "sentences")
                      for s in spans)
    mentions = list(filled.iter_export("mentions", batch_size=7))
    assert sorted((m["article_id"], m["layer"], m["start"], m["end"], m["label"])
                  for m in mentions) == expected
    for m in mentions:
        assert docs[m["article_id"]].text[m["start"]:m["end"]] == m["text"]
    assert any(m["entity_id"] for m in mentions if m["layer"] == "entities")
    places = list(filled.iter_export("places"))
    assert places and len(places) == sum(len(d.layers.get("places", [])) for d in docs.values())
    located = [p for p in places if p["lat"] is not None]
    assert located and all(-90 <= p["lat"] <= 90 and p["country"] for p in located)
    dates = list(filled.iter_export("dates"))
    assert len(dates) == sum(len(d.layers.get("dates", [])) for d in docs.values())


def check_filters_choose_articles(filled):
    docs = list(filled.iter_documents())
    my = [d for d in docs if any(s.attrs.get("country") == "MY" for s in d.layers.get("places", []))]
    assert 0 < len(my) < len(docs)
    got = [a["id"] for a in filled.iter_export("articles", {"country": "my"}, batch_size=2)]
    assert got == [d.id for d in my]
    day = sorted(d.published[:10] for d in docs)[len(docs) // 2]
    since = [a["id"] for a in filled.iter_export("articles", {"since": day})]
    until = [a["id"] for a in filled.iter_export("articles", {"until": day})]
    assert set(since) | set(until) == {d.id for d in docs} and set(since) & set(until)
    assert all(a["published"][:10] >= day for a in filled.iter_export("articles", {"since": day}))
    source = docs[0].source
    assert [a["id"] for a in filled.iter_export("articles", {"source": source})] == \
        [d.id for d in docs if d.source == source]
    entity = max(filled.iter_export("entities"), key=lambda e: e["mentions"])
    with_entity = {a["id"] for a in filled.iter_export("articles", {"entity_ids": [entity["id"]]})}
    assert with_entity and with_entity == {m["article_id"] for m in filled.iter_export("mentions")
                                           if m["entity_id"] == entity["id"]}
    in_my = {e["id"] for e in filled.iter_export("entities", {"country": "MY"})}
    assert in_my and in_my < {e["id"] for e in filled.iter_export("entities")}
    one = [a["id"] for a in filled.iter_export("articles", {"article_ids": [docs[3].id, "nope"]})]
    assert one == [docs[3].id]


def check_stories_and_alerts(filled):
    stories = list(filled.iter_export("stories", batch_size=2))
    members = [a for s in stories for a in s["article_ids"]]
    assert sorted(members) == sorted(d.id for d in filled.iter_documents())
    assert all(s["article_count"] == len(s["article_ids"]) for s in stories)
    alerts = list(filled.iter_export("alerts", batch_size=1))
    assert alerts and all(a["watch"] == "ماليزيا" or "ماليزيا" in str(a["watch"]) for a in alerts)
    texts = filled.get_texts([a["article_id"] for a in alerts])
    assert all("ماليزي" in texts[a["article_id"]] or "ماليزي" in (a["title"] or "") for a in alerts)
    with pytest.raises(ValueError, match="unknown export kind"):
        filled.iter_export("tokens")
