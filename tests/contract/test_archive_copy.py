"""`rasid copy`: an analysed archive (16 SaudiNewsNet articles through the real pipeline,
tests/resources/README-stories.md, with a watch and its alerts) copied from each engine to
a SQLite file through the interface only; everything comes over as it was."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasid.alerts import add_watch
from rasid.cli.main import main as cli_main
from rasid.monitor import Monitor
from rasid.store import SearchQuery, open_store
from rasid.store.base import RECORD_KINDS

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "saudinewsnet-stories.jsonl"
STAGES = ("tokenize", "ner", "resolve", "dates", "places")


def records(store, kind):
    return list(store.iter_records(kind))


def test_copy_keeps_everything(engine, location, tmp_path, capsys):
    with Monitor(location, stages=STAGES) as monitor:
        add_watch(monitor.store, query="ماليزيا")
        add_watch(monitor.store, entity="Malaysia", webhook="http://127.0.0.1:9/hook")
        monitor.archive_step("alerts").engine.deliver = False
        summary = monitor.ingest([str(SAMPLE)])
        assert summary.stored == 16
        source = monitor.store
        target_path = tmp_path / "copy" / "archive.db"
        if engine == "sqlite-file":  # through the command line
            assert cli_main(["copy", location, str(target_path)]) == 0
            assert "copied" in capsys.readouterr().out
        else:
            copied = monitor.copy_to(target_path)
            assert copied["articles"] == 16 and copied["stories"] >= 1
        with open_store(target_path) as target:
            assert target.count_documents() == 16
            for kind in RECORD_KINDS:
                assert records(target, kind) == records(source, kind), kind
            assert records(source, "alerts") and records(source, "entity_keys") and records(source, "entity_links")
            assert target.stats()["spans"] == source.stats()["spans"]
            assert target.stats()["entities"] == source.stats()["entities"]
            for query in ("ماليزيا", "الداخلية", "الذهب"):
                hits = [h.id for h in source.search(SearchQuery(query, limit=10))]
                assert hits and [h.id for h in target.search(SearchQuery(query, limit=10))] == hits
            top = source.top_entities(limit=5)
            assert target.top_entities(limit=5) == top
            assert target.entity_profile(top[0]["id"]) == source.entity_profile(top[0]["id"])
            assert target.list_stories(limit=50) == source.list_stories(limit=50)
            assert target.list_alerts() == source.list_alerts()
            assert target.get_alert_mark() == target.latest_article_seq()
        # a second copy into the same archive is refused: it is not empty
        with pytest.raises(ValueError, match="not empty"):
            monitor.copy_to(target_path)
    if engine == "sqlite-file":
        assert cli_main(["copy", location, str(target_path)]) == 4
        assert "not empty" in capsys.readouterr().err
