"""Events across the archive: filters, cross-article groups, exports, CLI and REST API."""
from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path

import pytest

from rasid.cli.main import main as cli_main
from rasid.doc import Document
from rasid.monitor import Monitor

RESOURCES = Path(__file__).resolve().parents[1] / "resources"

# One bombing reported by two outlets with different tolls, and a third outlet blaming
# another group for it; plus an unrelated protest. Written for this test in news style.
REPORTS = [
    ("aawsat", "2015-08-06", "http://example.org/a",
     "انفجار في أبها\n\nقتل 15 شخصا في تفجير انتحاري استهدف مسجدا لقوات الطوارئ في مدينة أبها "
     "جنوب السعودية، وأعلن تنظيم داعش مسؤوليته عن الهجوم."),
    ("alriyadh", "2015-08-07", "http://example.org/b",
     "تفجير أبها\n\nارتفعت حصيلة التفجير الانتحاري الذي استهدف مسجدا في مدينة أبها إلى 17 قتيلا، "
     "بحسب ما أعلنت وزارة الداخلية."),
    ("okaz", "2015-08-06", "http://example.org/c",
     "هجوم أبها\n\nنفذ تنظيم القاعدة تفجيرا انتحاريا في مسجد بمدينة أبها أمس."),
    ("alyaum", "2015-08-07", "http://example.org/d",
     "مظاهرات بغداد\n\nوتظاهر آلاف العراقيين في بغداد احتجاجا على انقطاع الكهرباء."),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("events") / "archive.db")
    docs = []
    for source, day, url, body in REPORTS:
        title, _, text = body.partition("\n\n")
        docs.append(Document(text=text, title=title, source=source, published=day, url=url))
    with Monitor(db) as monitor:
        monitor.ingest_documents(docs)
        monitor.ingest([str(RESOURCES / "paris-2015.txt")])
    return db


@pytest.fixture()
def monitor(archive):
    with Monitor(archive, stages=("tokenize",)) as m:
        yield m


def test_filters(monitor):
    protests = monitor.events(type="PROTEST")
    assert protests and all(e["type"] == "PROTEST" for e in protests)
    assert protests[0]["place"]["country"] == "IQ" and "بغداد" in protests[0]["sentence"]
    abha = monitor.events(type="ASSAULT", country="SA")
    assert {e["source"] for e in abha} >= {"aawsat", "alriyadh", "okaz"}
    assert all(e["when"] in ("2015-08-05", "2015-08-06", "2015-08-07") for e in abha)  # أمس: the 5th
    assert monitor.events(type="ASSAULT", since="2015-08-07", until="2015-08-07", country="SA")
    assert not monitor.events(type="ASSAULT", since="2016-01-01")
    assert monitor.events(type="ASSAULT", mode="suicide", country="SA")
    assert monitor.events(place="باريس")
    with pytest.raises(ValueError):
        monitor.events(type="BOMBING")


def test_one_happening_many_sources_with_conflicts_side_by_side(monitor):
    abha = monitor.events(type="ASSAULT", country="SA")
    groups = {e["group"] for e in abha if e["group"]}
    assert len(groups) == 1, [(e["source"], e["group"]) for e in abha]
    group = monitor.event_group(groups.pop())
    assert {s["source"] for s in group["sources"]} == {"aawsat", "alriyadh", "okaz"}
    assert all(s["sentence"] for s in group["sources"])
    fields = {c["field"]: c["values"] for c in group["conflicts"]}
    assert set(fields["toll"].values()) == {15, 17}
    assert "actor" in fields  # داعش in one report, القاعدة in another: shown, not merged
    protest = monitor.events(type="PROTEST")[0]
    assert protest["group"] is None


def test_exports_stream_every_event(monitor):
    n_all = len(monitor.events(limit=1000))
    buf = io.StringIO()
    assert monitor.export_events("jsonl", buf) == n_all
    rows = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert len(rows) == n_all and all("type" in r and "sentence" in r for r in rows)
    buf = io.StringIO()
    monitor.export_events("csv", buf, type="ASSAULT")
    table = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert table and {r["type"] for r in table} == {"ASSAULT"}
    assert any(r["url"] == "http://example.org/a" for r in table)
    buf = io.StringIO()
    monitor.export_events("geojson", buf)
    geo = json.loads(buf.getvalue())
    assert geo["type"] == "FeatureCollection" and geo["features"]
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert {"type", "when", "actor"} <= set(geo["features"][0]["properties"])


def test_cli_events(archive, capsys, tmp_path):
    assert cli_main(["events", "--db", archive, "--type", "PROTEST", "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines and lines[0]["type"] == "PROTEST"
    out = tmp_path / "events.geojson"
    assert cli_main(["events", "--db", archive, "--export", "geojson", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["features"]
    assert cli_main(["events", "--db", archive, "--type", "NOPE"]) == 2


def test_api_events(archive):
    pytest.importorskip("fastapi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from rasid.server import Settings, create_app

    app = create_app(archive, Settings(token="t"))
    with TestClient(app) as client:
        r = client.get("/api/v1/events", params={"type": "ASSAULT", "country": "SA"})
        assert r.status_code == 200 and r.json()["events"]
        group = r.json()["events"][0]["group"]
        g = client.get(f"/api/v1/events/groups/{group}").json()
        assert len(g["sources"]) >= 3
        assert client.get("/api/v1/events/groups/999999").status_code == 404
        assert client.get("/api/v1/events", params={"type": "NOPE"}).status_code == 400
        r = client.get("/api/v1/events/export", params={"format": "csv", "type": "PROTEST"})
        assert r.status_code == 200 and r.text.startswith("id,type,mode")
        assert "بغداد" in r.text
    app.state.rasid.monitor.close()


def test_web_event_pages(archive):
    pytest.importorskip("fastapi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from rasid.server import Settings, create_app

    app = create_app(archive, Settings(token="t"))
    with TestClient(app) as client:
        html = client.get("/events").text
        assert 'class="ev-dot ev-ASSAULT"' in html and 'class="ev-bar ev-PROTEST"' in html
        assert '<mark class="trigger">وتظاهر</mark>' in html
        ev_id = next(e for e in json.loads(client.get("/api/v1/events", params={"type": "PROTEST"}).text)["events"])["id"]
        assert f'href="#ev-{ev_id}"' in html and f'id="ev-{ev_id}"' in html  # map marker -> sentence
        group = client.get("/api/v1/events", params={"type": "ASSAULT", "country": "SA"}).json()["events"][0]["group"]
        page = client.get(f"/events/group/{group}").text
        assert page.count('class="source-card"') >= 3 and "عدد الضحايا" in page and "الجهة المنفذة" in page
        assert client.get("/events", params={"type": "NOPE"}).status_code == 400
    app.state.rasid.monitor.close()


def test_event_watch_alert_explains_itself(tmp_path):
    from rasid.alerts.delivery import list_alerts
    from rasid.alerts.watches import WatchError, add_watch

    db = str(tmp_path / "w.db")
    with Monitor(db) as m:
        watch = add_watch(m.store, event="ASSAULT in IQ")
        assert watch.event["type"] == "ASSAULT" and watch.event["place"]["country"] == "IQ"
        with pytest.raises(WatchError):
            add_watch(m.store, event="BOMBING in IQ")
        docs = [
            Document(text="قتل خمسة مدنيين في تفجير سيارة مفخخة استهدف سوقا شعبيا في مدينة كركوك، "
                          "وتبنى تنظيم داعش الهجوم.", title="تفجير في كركوك", source="t",
                     published="2015-08-01", url="http://example.org/iq"),
            Document(text="نفت وزارة الداخلية العراقية وقوع أي تفجير في بغداد.", title="نفي",
                     source="t", published="2015-08-01", url="http://example.org/neg"),
            Document(text="قتل ثلاثة أشخاص في تفجير استهدف سوقا في مدينة حلب السورية.", title="حلب",
                     source="t", published="2015-08-01", url="http://example.org/sy"),
        ]
        m.ingest_documents(docs)
        alerts = list_alerts(m.store, watch_id=watch.id)
    assert [a["article_id"] for a in alerts] == [docs[0].id]
    why = [r for r in alerts[0]["reason"]["matches"] if r["kind"] == "event"]
    assert why and why[0]["type"] == "ASSAULT" and why[0]["country"] == "IQ"
    assert "كركوك" in why[0]["sentence_text"] and why[0]["trigger"] in why[0]["sentence_text"]
    assert why[0]["explanation"].startswith("ASSAULT «")


def test_groups_do_not_chain_past_two_days(tmp_path):
    texts = ["وشن طيران التحالف غارات على مواقع الحوثيين في مدينة تعز.",
             "شن طيران التحالف العربي غارات جديدة على مواقع الحوثيين في مدينة تعز.",
             "وشنت طائرات التحالف غارات على مواقع للحوثيين في مدينة تعز اليوم."]
    days = ["2015-08-01", "2015-08-03", "2015-08-05"]
    with Monitor(str(tmp_path / "c.db")) as m:
        for i, (text, day) in enumerate(zip(texts, days)):  # one batch a day, as a feed brings them
            m.ingest_documents([Document(text=text, title=f"غارات {i}", source=f"s{i}",
                                         published=day, url=f"http://example.org/{i}")])
        by_day = {e["when"]: e["group"] for e in m.events(type="ASSAULT")}
    assert set(by_day) == set(days)
    assert by_day["2015-08-01"] and by_day["2015-08-01"] == by_day["2015-08-03"]
    assert by_day["2015-08-05"] != by_day["2015-08-01"]


def test_filter_by_entity_name(monitor):
    """`--entity NAME` / `--actor NAME` look the name up in the archive's entities (any
    spelling) and keep the events that involve it; an unknown name keeps none."""
    with_actor = [e for e in monitor.events(limit=1000, uncertain=True) if e["actor_entity_id"]]
    assert with_actor
    event = with_actor[0]
    name = event["actor"]["text"]  # e.g. تنظيم داعش, one spelling of تنظيم الدولة الإسلامية
    by_entity = monitor.events(entity=name, limit=1000, uncertain=True)
    assert event["id"] in {e["id"] for e in by_entity}
    assert event["id"] in {e["id"] for e in monitor.events(actor=name, limit=1000, uncertain=True)}
    assert not monitor.events(entity="لا أحد بهذا الاسم أبدا")


def test_an_event_that_cannot_match_is_matched_by_none(monitor):
    """`can_match` (the step reads no candidates for an event without a place finer than its
    country and without an actor): no event of the archive is the same happening as such an
    event, either way round; the grouped reports of Abha can all match."""
    from rasid.events.grouping import can_match, is_same_happening

    events = monitor.events(uncertain=True, limit=1000)
    assert len(events) >= 5
    for a in events:
        for b in events:
            if is_same_happening(a, b):
                assert can_match(a) and can_match(b)
    abha = [e for e in monitor.events(type="ASSAULT", country="SA") if e["group"]]
    assert len(abha) >= 3 and all(can_match(e) for e in abha)
    coarse = dict(abha[0], place=dict(abha[0]["place"], lat=None, lon=None, feature="country"), actor=None)
    assert not can_match(coarse)
    assert not any(is_same_happening(coarse, e) or is_same_happening(e, coarse) for e in events)
    assert can_match(dict(coarse, actor=abha[0]["actor"] or {"text": "تنظيم داعش"}))


def test_same_happening_is_its_definition(monitor):
    """`is_same_happening` (the step's per-candidate test, written out) against its definition
    on every pair of the archive's events and of variants of them (no coordinates, no actor,
    a country-level place, another article, another place near and far)."""
    from datetime import date

    from rasid.events.grouping import (MAX_DAYS, NEAR_KM, _distance_km, _is_country_level,
                                       is_same_happening, same_actor)

    def definition(a, b):
        pa, pb = a.get("place") or {}, b.get("place") or {}
        if a["type"] != b["type"] or a["article_id"] == b["article_id"]:
            return False
        if not pa.get("country") or pa.get("country") != pb.get("country") or not a.get("when") or not b.get("when"):
            return False
        if abs((date.fromisoformat(a["when"][:10]) - date.fromisoformat(b["when"][:10])).days) > MAX_DAYS:
            return False
        if not _is_country_level(pa) and not _is_country_level(pb):
            if pa.get("gazetteer_id") == pb.get("gazetteer_id"):
                return True
            if None not in (pa.get("lat"), pa.get("lon"), pb.get("lat"), pb.get("lon")) and \
                    _distance_km(pa["lat"], pa["lon"], pb["lat"], pb["lon"]) <= NEAR_KM:
                return True
        return same_actor(a, b) is True

    events = monitor.events(uncertain=True, limit=1000)
    variants = list(events)
    for e in events:
        place = e.get("place") or {}
        variants += [dict(e, actor=None), dict(e, place=dict(place, lat=None, lon=None)),
                     dict(e, place=dict(place, feature="country")), dict(e, article_id="elsewhere"),
                     dict(e, place=dict(place, gazetteer_id=None)), dict(e, actor_entity_id=None)]
        if place.get("lat") is not None:  # another place 33 km and 111 km away
            variants += [dict(e, place=dict(place, gazetteer_id=f"near{k}", lat=place["lat"] + k))
                         for k in (0.3, 1.0)]
    same = 0
    for a in variants:
        for b in variants:
            assert is_same_happening(a, b) == definition(a, b), (a["id"], b["id"])
            same += definition(a, b)
    assert same > 50
