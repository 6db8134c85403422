"""The search commands through the CLI: ingest with --published/--source, search --trend,
similar, on a small real archive (tests/resources/README-search.md)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasid.cli.main import main
from rasid.store import open_store

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def test_ingest_sets_date_and_source_where_a_file_has_none(tmp_path, capsys):
    db = str(tmp_path / "a.db")
    paris = str(RESOURCES / "paris-2015.txt")
    assert main(["ingest", "--db", db, "--published", "2015-11-14", "--source", "bbc-arabic",
                 paris]) == 0
    with open_store(db) as store:
        (doc,) = list(store.iter_documents())
    assert doc.published == "2015-11-14" and doc.source == "bbc-arabic"
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:  # a usage error, found by argparse
        main(["ingest", "--db", db, "--published", "14/11/2015", paris])
    assert exc.value.code == 2 and "argument --published" in capsys.readouterr().err


def test_search_trend_and_similar_commands(tmp_path, capsys):
    db = str(tmp_path / "b.db")
    news = tmp_path / "news.jsonl"
    lines = (RESOURCES / "saudinewsnet-search.jsonl").read_text(encoding="utf-8").splitlines()
    rows = []
    for i, line in enumerate(lines):  # spread over days so that the trend has several
        r = json.loads(line)
        r["date_extracted"] = f"2015-07-{1 + i % 5:02d} 10:00:00"
        rows.append(json.dumps(r, ensure_ascii=False))
    news.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["ingest", "--db", db, str(news)]) == 0
    capsys.readouterr()
    assert main(["search", "--db", db, "--trend", "ما هو موقف الرئيس من الهجوم؟"]) == 0
    out = capsys.readouterr().out
    assert "matching articles per day" in out and "2015-07-01" in out and "#" in out
    assert main(["search", "--db", db, '"الأمن مجلس"']) == 0  # in no article in this order
    out = capsys.readouterr().out
    assert "results without the quotes" in out and "مجلس الأمن" in out
    assert main(["search", "--db", db, '"مجلس الأمن"']) == 0
    assert "without the quotes" not in capsys.readouterr().out
    assert main(["search", "--db", db, "--json", "--trend", "الرئيس"]) == 0
    first, *hits = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert first["trend"]["total"] >= len(hits) >= 1
    assert main(["similar", "--db", db, "--json", hits[0]["id"]]) == 0
    similar = json.loads(capsys.readouterr().out)
    assert similar["terms"] and hits[0]["id"] not in [a["id"] for a in similar["similar"]]
    assert main(["similar", "--db", db, "nope"]) != 0
