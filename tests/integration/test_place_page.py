"""The place page through the store mixin, Monitor and `rasid place` (real SQLite archive)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasid.cli.main import main
from rasid.monitor import Monitor

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("place") / "archive.db")
    with Monitor(path) as monitor:
        assert monitor.ingest([str(RESOURCES / "saudinewsnet-sample.jsonl")]).stored >= 15
    return path


def test_store_counts_and_profile(db):
    with Monitor(db) as monitor:
        top = monitor.top_places(limit=5)
        key_rows = monitor.place_profiles(top[0]["name"])
        assert key_rows, top[0]
        profile = key_rows[0]
        key = profile["place"]["gazetteer_id"]
        assert monitor.store.count_place_articles([key, "gn:0"]) == {key: profile["place"]["articles"]}
        assert sum(t["articles"] for t in profile["timeline"]) >= profile["place"]["articles"]
        assert len(profile["articles"]) == min(20, profile["place"]["articles"])
        assert all(p["gazetteer_id"] != key for p in profile["co_mentioned_places"])
        assert monitor.store.place_profile("gn:0") is None


def test_rasid_place_cli(db, capsys):
    with Monitor(db) as monitor:
        name = monitor.top_places(limit=1)[0]["name"]
    assert main(["place", name, "--db", db]) == 0
    out = capsys.readouterr().out
    assert name in out and "over time:" in out
    assert main(["place", name, "--db", db, "--json"]) == 0
    data = json.loads(capsys.readouterr().out.splitlines()[0])
    assert data["place"]["name"] == name
    assert main(["place", "لا مكان هنا", "--db", db]) != 0


def test_place_page_lists_the_events_there_over_time(db, capsys):
    with Monitor(db) as monitor:
        located = [e for e in monitor.store.find_events({"located": True, "uncertain": True}, limit=1000)
                   if (e.get("place") or {}).get("gazetteer_id")]
        assert located, "the sample holds located events"
        key = located[0]["place"]["gazetteer_id"]
        at_key = [e for e in located if e["place"]["gazetteer_id"] == key]
        certain = [e for e in at_key if not e.get("negated") and not e.get("hypothetical")]
        assert certain
        profile = monitor.place_profiles(key)[0]
        assert profile["place"]["gazetteer_id"] == key
        assert len(profile["events"]) == min(20, len(certain))
        assert {e["id"] for e in profile["events"]} <= {e["id"] for e in certain}
        assert all(e["place"]["gazetteer_id"] == key for e in profile["events"])
        assert sum(t["events"] for t in profile["event_timeline"]) == len(certain)
        days = [t["date"] for t in profile["event_timeline"] if t["date"]]
        assert days == sorted(days)
        # a place elsewhere has none of them
        other = monitor.store.find_events({"place_id": "gn:0"})
        assert other == []
    assert main(["place", key, "--db", db]) == 0
    out = capsys.readouterr().out
    assert "events over time:" in out and certain[0]["type"] in out
