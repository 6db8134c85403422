"""Watches and alerts on a real Monitor and SQLite archive: entity (any spelling), query,
place/country, combinations, surge, webhooks with retries, the live feed, crash catch-up
and the CLI commands."""
from __future__ import annotations

import http.server
import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from rasid.alerts import (
    BUS,
    WatchError,
    add_watch,
    alerts_since,
    deliver_pending,
    list_alerts,
    list_watches,
)
from rasid.alerts.delivery import wait_for_deliveries
from rasid.archive_steps import ArchiveStep
from rasid.doc import Document
from rasid.ingest import read_paths
from rasid.monitor import Monitor
from rasid.stages import build_pipeline

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SEED = RESOURCES / "paris-2015.txt"
FULL = ("tokenize", "ner", "resolve", "dates", "places")


@pytest.fixture(scope="module")
def full_pipeline():
    return build_pipeline(FULL)


@pytest.fixture(scope="module")
def light_pipeline():
    return build_pipeline(("tokenize",))


def make_monitor(path, pipeline, deliver: bool = False) -> Monitor:
    stages = FULL if len(pipeline.stages) > 1 else ("tokenize",)
    monitor = Monitor(str(path), stages=stages)
    monitor._pipeline = pipeline  # share the loaded models between tests
    engine(monitor).deliver = deliver
    return monitor


def engine(monitor):
    return monitor.archive_step("alerts").engine


@pytest.fixture
def seed_monitor(tmp_path, full_pipeline):
    monitor = make_monitor(tmp_path / "a.db", full_pipeline)
    yield monitor
    monitor.close()


def ingest_seed(monitor: Monitor):
    return monitor.ingest_documents(list(read_paths([SEED])))


def alerts_of(monitor: Monitor, watch_id: int | None = None) -> list[dict]:
    return list_alerts(monitor.store, watch_id=watch_id, limit=1000)


def check_entry(doc_text: str, entry: dict) -> None:
    """Offsets point at the text, inside the sentence quoted."""
    assert doc_text[entry["start"]:entry["end"]] == entry["text"]
    assert entry["sentence_start"] <= entry["start"] < entry["end"] <= entry["sentence_end"]
    assert doc_text[entry["sentence_start"]:entry["sentence_end"]] == entry["sentence_text"]


# -- entity ---------------------------------------------------------------------------------
def test_entity_watch_matches_other_spelling_once(seed_monitor):
    store = seed_monitor.store
    watch = add_watch(store, entity="أولاند")  # the archive is empty: resolved at ingest
    assert watch.entity == {"name": "أولاند", "ids": []}
    summary = ingest_seed(seed_monitor)
    assert summary.stored == 1
    alerts = alerts_of(seed_monitor)
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert["watch_id"] == watch.id and alert["kind"] == "match"
    doc = store.get_document(alert["article_id"])
    entries = alert["reason"]["matches"]
    assert entries and all(e["kind"] == "entity" for e in entries)
    first = entries[0]
    assert "هولاند" in first["text"]
    check_entry(doc.text, first)
    # sentence 0 is the title line (a plain-text article's text begins with it)
    assert first["sentence_index"] == 1 and "هولاند" in first["sentence_text"]
    assert first["entity_id"]
    # the watch now knows the archive entity; a Latin spelling resolves to it too
    assert list_watches(store)[0].entity["ids"] == [first["entity_id"]]
    latin = add_watch(store, entity="Hollande")
    assert latin.entity["ids"] == [first["entity_id"]]
    # re-ingesting and re-running the hook create nothing
    again = ingest_seed(seed_monitor)
    assert again.stored == 0 and again.duplicates == 1
    engine(seed_monitor).process(store, [doc])
    assert [a["id"] for a in alerts_of(seed_monitor, watch.id)] == [alert["id"]]


def test_entity_lookup_drops_loose_key_hits(seed_monitor):
    ingest_seed(seed_monitor)
    watch = add_watch(seed_monitor.store, entity="الأسد")  # no Assad in the seed
    assert watch.entity["ids"] == []
    with pytest.raises(WatchError):
        add_watch(seed_monitor.store, entity="  ...  ")
    with pytest.raises(WatchError):
        add_watch(seed_monitor.store)


# -- query, place, combination -----------------------------------------------------------------
def test_query_place_and_combination_watches(seed_monitor):
    store = seed_monitor.store
    w = {
        "phrase": add_watch(store, query='"حرب لا رحمة"'),
        "phrase_reversed": add_watch(store, query='"رحمة لا حرب"'),
        "excluded": add_watch(store, query="باريس -هولاند"),
        "stemmed": add_watch(store, query="الاستخبارات الهجمات"),
        "country_name": add_watch(store, place="فرنسا"),
        "country_code": add_watch(store, place="fr"),
        "city": add_watch(store, place="باريس"),
        "other_country": add_watch(store, place="JP"),
        "combo": add_watch(store, entity="أولاند", place="FR", query="باريس"),
        "combo_miss": add_watch(store, entity="أولاند", place="JP"),
        "combo_miss_query": add_watch(store, entity="أولاند", query="كرة"),
    }
    assert w["country_name"].place["country"] == "FR" and w["country_name"].place["feature"] == "country"
    assert w["city"].place["feature"] == "city"
    ingest_seed(seed_monitor)
    by_watch = {a["watch_id"]: a for a in alerts_of(seed_monitor)}
    hit = {k for k, v in w.items() if v.id in by_watch}
    assert hit == {"phrase", "stemmed", "country_name", "country_code", "city", "combo"}
    doc = store.get_document(by_watch[w["phrase"].id]["article_id"])
    phrase = by_watch[w["phrase"].id]["reason"]["matches"][0]
    assert phrase["kind"] == "term" and phrase["text"] == "حرب لا رحمة"
    check_entry(doc.text, phrase)
    for key in ("country_code", "city"):
        for entry in by_watch[w[key].id]["reason"]["matches"]:
            assert entry["kind"] == "place" and entry["country"] == "FR"
            check_entry(doc.text, entry)
    combo = by_watch[w["combo"].id]["reason"]["matches"]
    assert {e["kind"] for e in combo} == {"entity", "place", "term"}


def test_bad_watches_are_clear_errors(tmp_path, light_pipeline):
    monitor = make_monitor(tmp_path / "b.db", light_pipeline)
    with monitor:
        for kwargs, words in [({"query": "*** ((("}, "bad query"),
                              ({"query": "-باريس"}, "only excluded"),
                              ({"place": "مدينةلاوجودلها"}, "unknown place"),
                              ({"place": "ZZ"}, "unknown country"),
                              ({"query": "x", "surge": "five a day"}, "N/24h"),
                              ({"query": "x", "webhook": "ftp://x"}, "http")]:
            with pytest.raises(WatchError, match=words):
                add_watch(monitor.store, **kwargs)
        assert list_watches(monitor.store) == []


# -- surge ----------------------------------------------------------------------------------------
def news(n: int, hour: float, word: str = "انفجار") -> Document:
    published = f"2015-11-{13 + int(hour // 24):02d}T{int(hour % 24):02d}:00:00+00:00"
    return Document(text=f"وقع {word} قوي في الحي رقم {n} صباح اليوم، وقالت الشرطة إن التحقيق "
                         f"جار في الحادث رقم {n}.", title=f"خبر {n}", url=f"http://news.test/{n}",
                    published=published)


def test_surge_fires_once_per_window(tmp_path, light_pipeline):
    monitor = make_monitor(tmp_path / "s.db", light_pipeline)
    with monitor:
        watch = add_watch(monitor.store, query="انفجار", surge="3/6h")
        assert (watch.surge_count, watch.surge_window_s, watch.surge) == (3, 21600, "3/6h")
        monitor.ingest_documents([news(1, 0), news(2, 1), news(3, 1.5, "اجتماع")])
        assert alerts_of(monitor) == []  # 2 matching articles: below the threshold
        monitor.ingest_documents([news(4, 2), news(5, 3)])  # 3rd match fires; 4th is in the window
        alerts = alerts_of(monitor)
        assert len(alerts) == 1
        surge = alerts[0]
        assert surge["kind"] == "surge" and surge["event_time"] == "2015-11-13T02:00:00Z"
        info = surge["reason"]["surge"]
        assert info["count"] == 3 and info["threshold"] == 3
        assert [a["title"] for a in info["articles"]] == ["خبر 1", "خبر 2", "خبر 4"]
        assert surge["reason"]["matches"][0]["text"] == "انفجار"
        # a day later, a new burst: fires again (the last one is outside its window)
        monitor.ingest_documents([news(6, 20), news(7, 21)])
        assert len(alerts_of(monitor)) == 1
        monitor.ingest_documents([news(8, 22), news(1, 0)])  # news(1) again: a duplicate
        alerts = alerts_of(monitor)
        assert [a["kind"] for a in alerts] == ["surge", "surge"]
        assert [a["title"] for a in alerts[1]["reason"]["surge"]["articles"]] == ["خبر 6", "خبر 7", "خبر 8"]
        engine(monitor).catch_up(monitor.store)
        assert len(alerts_of(monitor)) == 2


# -- crash catch-up, near-duplicates, live feed ------------------------------------------------------
def test_articles_stored_without_alerting_are_caught_up(tmp_path, light_pipeline):
    path = tmp_path / "c.db"
    monitor = make_monitor(path, light_pipeline)
    add_watch(monitor.store, query="انفجار")
    monitor.ingest_documents([news(1, 0)])
    # articles stored without the alerts step (e.g. by an older rasid that died between
    # the article commit and the alert hook):
    monitor.archive_steps = [s for s in monitor.archive_steps if s.name != "alerts"]
    monitor.ingest_documents([news(2, 1), news(3, 2)])
    assert len(alerts_of(monitor)) == 1
    monitor.close()
    monitor = make_monitor(path, light_pipeline)
    with monitor:
        created = engine(monitor).catch_up(monitor.store)
        assert len(created) == 2
        assert engine(monitor).catch_up(monitor.store) == []
        assert sorted(a["title"] for a in alerts_of(monitor)) == ["خبر 1", "خبر 2", "خبر 3"]


def test_near_duplicates_are_skipped_and_live_feed(tmp_path, light_pipeline):
    monitor = make_monitor(tmp_path / "n.db", light_pipeline)
    class MarkNearDuplicates(ArchiveStep):  # stands for the near-duplicate step
        name = "mark"

        def run(self, store, docs):
            for doc in docs:
                if doc.title == "خبر 2":
                    doc.meta["near_duplicate_of"] = "x"
            return 0

    monitor.archive_steps.insert(0, MarkNearDuplicates())
    queue = BUS.subscribe()
    try:
        with monitor:
            add_watch(monitor.store, query="انفجار")
            monitor.ingest_documents([news(1, 0), news(2, 1), news(3, 2)])
            titles = [a["title"] for a in alerts_of(monitor)]
            assert titles == ["خبر 1", "خبر 3"]
            live = [queue.get(timeout=1) for _ in range(2)]
            assert [a["title"] for a in live] == titles and queue.empty()
            assert engine(monitor).created == [a["id"] for a in live]
            first = alerts_since(monitor.store, 0)
            assert [a["id"] for a in first] == [a["id"] for a in live]
            assert alerts_since(monitor.store, first[0]["id"])[0]["id"] == first[1]["id"]
            assert alerts_since(monitor.store, first[-1]["id"]) == []
    finally:
        BUS.unsubscribe(queue)


# -- webhooks -----------------------------------------------------------------------------------
class FlakyHook:
    """A webhook receiver on 127.0.0.1 that answers 500 `failures` times, then 200."""

    def __init__(self, failures: int):
        self.failures = failures
        self.calls: list[tuple[float, dict]] = []
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                hook.calls.append((time.monotonic(), body))
                code = 500 if len(hook.calls) <= hook.failures else 200
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def flaky(monkeypatch):
    # the receiver runs on 127.0.0.1, which rasid refuses unless named in this setting
    monkeypatch.setenv("RASID_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    hooks = []

    def make(failures):
        hooks.append(FlakyHook(failures))
        return hooks[-1]

    yield make
    for h in hooks:
        h.close()


def test_webhook_retries_with_backoff(tmp_path, light_pipeline, flaky, monkeypatch):
    monkeypatch.setenv("RASID_WEBHOOK_ATTEMPTS", "4")
    monkeypatch.setenv("RASID_WEBHOOK_BACKOFF", "0.05")
    hook = flaky(2)
    monitor = make_monitor(tmp_path / "w.db", light_pipeline, deliver=True)
    with monitor:
        watch = add_watch(monitor.store, query="انفجار", webhook=hook.url, name="تفجيرات")
        monitor.ingest_documents([news(1, 0)])
        wait_for_deliveries(monitor.store)  # webhooks are posted in the background
        [alert] = alerts_of(monitor)
        assert alert["attempts"] == 3 and alert["delivered_at"]
        assert len(hook.calls) == 3
        gaps = [b[0] - a[0] for a, b in zip(hook.calls, hook.calls[1:])]
        assert gaps[0] >= 0.045 and gaps[1] >= 0.095  # 0.05 s, then 0.1 s
        body = hook.calls[-1][1]
        assert body["alert"]["id"] == alert["id"] and body["alert"]["watch_name"] == "تفجيرات"
        assert body["article"] == {"id": alert["article_id"], "title": "خبر 1",
                                   "url": "http://news.test/1", "source": None,
                                   "published": "2015-11-13T00:00:00+00:00"}
        assert body["reason"]["matches"][0]["text"] == "انفجار"
        log = [(d["attempt"], d["status"], d["error"] is None)
               for d in monitor.store.list_deliveries(alert["id"])]
        assert log == [(1, 500, False), (2, 500, False), (3, 200, True)]
        assert watch.webhook == hook.url


def test_undelivered_alerts_are_retried_next_run(tmp_path, light_pipeline, flaky, monkeypatch):
    monkeypatch.setenv("RASID_WEBHOOK_BACKOFF", "0.001")
    monkeypatch.setenv("RASID_WEBHOOK_ATTEMPTS", "2")
    hook = flaky(10**6)
    monitor = make_monitor(tmp_path / "r.db", light_pipeline, deliver=True)
    with monitor:
        add_watch(monitor.store, query="انفجار", webhook=hook.url)
        monitor.ingest_documents([news(1, 0), news(2, 1)])
        wait_for_deliveries(monitor.store)
        alerts = alerts_of(monitor)
        # the URL failed every try for the first alert, so the second was not tried this run
        assert [a["attempts"] for a in alerts] == [2, 0] and not any(a["delivered_at"] for a in alerts)
        hook.failures = 0
        assert deliver_pending(monitor.store) == {"delivered": 2, "failed": 0}
        assert all(a["delivered_at"] for a in alerts_of(monitor))
        assert deliver_pending(monitor.store) == {"delivered": 0, "failed": 0}


# -- CLI ------------------------------------------------------------------------------------------
def run_cli(argv: list[str]) -> int:
    """`rasid ...` through rasid.cli.main once it registers these commands."""
    from rasid.cli import alerts_cmds, main as cli_main

    parser = cli_main.build_parser()
    choices = next(a.choices for a in parser._subparsers._group_actions)  # noqa: SLF001
    if "watch" in choices:
        return cli_main.main(argv)
    return alerts_cmds.main(argv)


def test_cli_watch_and_alerts(tmp_path, capsys, full_pipeline):
    db = str(tmp_path / "cli.db")
    assert run_cli(["watch", "add", "--entity", "أولاند", "--db", db, "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert added["entity"]["name"] == "أولاند" and added["id"] == 1
    assert run_cli(["watch", "add", "--query", "كرة القدم", "--surge", "2/24h", "--name", "رياضة",
                    "--db", db]) == 0
    assert "watch 2 added: رياضة" in capsys.readouterr().out
    assert run_cli(["watch", "add", "--query", "***", "--db", db]) == 2
    assert "bad query" in capsys.readouterr().err
    assert run_cli(["watch", "list", "--db", db, "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [w["name"] for w in listed] == ["أولاند", "رياضة"] and listed[1]["surge"] == "2/24h"

    monitor = make_monitor(db, full_pipeline)
    with monitor:
        ingest_seed(monitor)

    assert run_cli(["alerts", "--db", db, "--json"]) == 0
    [alert] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert alert["watch_name"] == "أولاند" and "هولاند" in alert["reason"]["matches"][0]["text"]
    assert run_cli(["alerts", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "[أولاند]" in out and "[فرانسوا هولاند]" in out  # the match marked in its sentence
    assert run_cli(["alerts", "--db", db, "--since-id", str(alert["id"]), "--json"]) == 0
    assert capsys.readouterr().out == ""
    assert run_cli(["watch", "remove", "1", "--db", db]) == 0
    assert run_cli(["watch", "remove", "9", "--db", db]) == 3
    capsys.readouterr()
    assert run_cli(["alerts", "--db", db, "--json"]) == 0
    assert capsys.readouterr().out == ""  # removed with its watch
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM watches").fetchone()[0] == 1
    con.close()


@pytest.mark.parametrize("text, expected", [("5/24h", (5, 86400)), ("3/6h", (3, 21600)),
                                            ("10 / 30m", (10, 1800)), ("2/d", (2, 86400))])
def test_parse_surge(text, expected):
    from rasid.alerts import parse_surge

    assert parse_surge(text) == expected


def test_event_time_prefers_a_full_publication_time():
    from rasid.alerts.engine import convert_event_time

    assert convert_event_time("2015-11-14T10:30:00+01:00", "2026-01-01T00:00:00Z") == "2015-11-14T09:30:00Z"
    assert convert_event_time("2015-11-14", "2026-01-01T00:00:00Z") == "2026-01-01T00:00:00Z"
    assert convert_event_time(None, "2026-01-01T00:00:00Z") == "2026-01-01T00:00:00Z"


def test_an_alert_being_delivered_is_not_posted_twice(tmp_path, light_pipeline, monkeypatch):
    """The monitor loop's retry skips an alert that a background delivery is posting."""
    import threading

    from rasid.alerts import delivery

    entered, release, posts = threading.Event(), threading.Event(), []

    def slow(url, payload, timeout=10.0):
        posts.append(payload["alert"]["id"])
        entered.set()
        release.wait(10)
        return 200, None

    monkeypatch.setattr(delivery, "post_webhook", slow)
    monitor = make_monitor(tmp_path / "once.db", light_pipeline, deliver=True)
    with monitor:
        add_watch(monitor.store, query="انفجار", webhook="https://hooks.example.org/x")
        monitor.ingest_documents([news(1, 0)])
        assert entered.wait(10)
        assert deliver_pending(monitor.store) == {"delivered": 0, "failed": 0}  # skipped, in flight
        release.set()
        wait_for_deliveries(monitor.store)
        assert len(posts) == 1 and alerts_of(monitor)[0]["delivered_at"]
