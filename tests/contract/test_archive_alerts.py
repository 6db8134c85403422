"""Watches, alerts, surge bookkeeping and webhook deliveries on every engine
(tests/contract/conftest.py)."""
from __future__ import annotations

from contract_data import make_docs

PARIS = {"name": "باريس", "country": "FR", "feature": "city", "gazetteer_id": "g:2988507"}


def test_watches(archive):
    w1 = archive.add_watch("هولاند", {"name": "هولاند", "ids": [3]}, None, None, None, None, None)
    w2 = archive.add_watch("تفجيرات باريس", None, '"انفجار"', PARIS, 3, 86400, "http://hook.test/x")
    assert w2 > w1
    got = archive.get_watch(w2)
    assert {k: got[k] for k in ("name", "entity", "query", "place", "surge_count", "surge_window_s",
                                "webhook", "active")} == {
        "name": "تفجيرات باريس", "entity": None, "query": '"انفجار"', "place": PARIS,
        "surge_count": 3, "surge_window_s": 86400, "webhook": "http://hook.test/x", "active": True}
    assert got["created_at"] and archive.get_watch(999) is None
    assert archive.set_watch_active(w1, False) and not archive.set_watch_active(999, True)
    assert [w["id"] for w in archive.list_watches()] == [w1, w2]
    assert [w["id"] for w in archive.list_watches(active_only=True)] == [w2]
    archive.set_watch_entity(w1, {"name": "هولاند", "ids": [3, 4]})
    assert archive.get_watch(w1)["entity"]["ids"] == [3, 4]
    assert archive.remove_watch(w1) and not archive.remove_watch(w1)
    assert [w["id"] for w in archive.list_watches()] == [w2]


def test_alerts_marks_and_deliveries(archive):
    docs = make_docs()[:4]
    archive.add_documents(docs)
    a, b, c, d = (x.id for x in docs)
    w = archive.add_watch("انفجار", None, "انفجار", None, None, None, "http://hook.test/1")
    quiet = archive.add_watch("بلا رابط", None, "هجوم", None, None, None, None)
    reason = {"matches": [{"criterion": "query", "text": "انفجار"}]}
    first = archive.add_alert(w, a, "match", "2015-07-01T10:00:00Z", reason)
    assert first and archive.add_alert(w, a, "match", "2015-07-01T10:00:00Z", reason) is None
    second = archive.add_alert(w, b, "match", "2015-07-02T10:00:00Z", reason)
    third = archive.add_alert(quiet, b, "match", "2015-07-02T10:00:00Z", {})
    assert first < second < third and archive.latest_alert_id() == third
    assert archive.count_alerts() == 3 and archive.count_alerts(since_id=first) == 2
    assert archive.count_alerts_by_watch() == {w: 2, quiet: 1}
    (al,) = archive.get_alerts([first, 99999])
    assert (al["watch_id"], al["watch_name"], al["kind"], al["article_id"], al["title"], al["reason"]) == \
        (w, "انفجار", "match", a, docs[0].title, reason)
    assert al["delivered_at"] is None and al["attempts"] == 0 and al["published"] == docs[0].published
    assert [x["id"] for x in archive.list_alerts()] == [first, second, third]
    assert [x["id"] for x in archive.list_alerts(limit=2)] == [second, third]
    assert [x["id"] for x in archive.list_alerts(since_id=first, limit=1)] == [second]
    assert [x["id"] for x in archive.list_alerts(watch_id=quiet)] == [third]
    # surge bookkeeping
    assert archive.add_watch_match(w, c, "2015-07-03T10:00:00Z", reason)
    assert not archive.add_watch_match(w, c, "2015-07-03T10:00:00Z", reason)
    assert archive.add_watch_match(w, d, "2015-07-03T12:00:00Z", reason)
    assert [m["article_id"] for m in archive.list_watch_matches(w, "2015-07-03T10:00:00Z",
                                                                "2015-07-04T00:00:00Z")] == [d]
    (m,) = archive.list_watch_matches(w, "2015-07-03T00:00:00Z", "2015-07-03T11:00:00Z")
    assert m == {"article_id": c, "event_time": "2015-07-03T10:00:00Z", "title": docs[2].title}
    assert archive.last_surge_time(w) is None
    archive.add_alert(w, d, "surge", "2015-07-03T12:00:00Z", {"surge": {"count": 2}})
    assert archive.last_surge_time(w) == "2015-07-03T12:00:00Z"
    # the high-water mark only rises
    assert archive.get_alert_mark() == 0
    seqs = [x["seq"] for x in archive.list_articles_after(0)]
    archive.set_alert_mark(seqs[2])
    archive.set_alert_mark(seqs[0])
    assert archive.get_alert_mark() == seqs[2]
    # deliveries: only watches with a webhook, only undelivered ones under the cap
    pending = archive.list_pending_deliveries(None, 20)
    assert [p["alert_id"] for p in pending][:2] == [first, second]
    assert pending[0] == {"alert_id": first, "url": "http://hook.test/1", "attempts": 0}
    assert archive.list_pending_deliveries([second], 20) == [pending[1]]
    assert archive.list_pending_deliveries([], 20) == []
    archive.record_delivery(first, "http://hook.test/1", 1, 500, "HTTP 500")
    archive.record_delivery(first, "http://hook.test/1", 2, 200, None)
    archive.record_delivery(second, "http://hook.test/1", 1, None, "URLError: refused")
    (done,) = archive.get_alerts([first])
    assert done["attempts"] == 2 and done["delivered_at"]
    assert archive.list_deliveries(first) == [
        {"attempt": 1, "url": "http://hook.test/1", "status": 500, "error": "HTTP 500"},
        {"attempt": 2, "url": "http://hook.test/1", "status": 200, "error": None}]
    assert first not in [p["alert_id"] for p in archive.list_pending_deliveries(None, 20)]
    assert archive.list_pending_deliveries([second], 1) == []  # tried once: at the cap of 1
