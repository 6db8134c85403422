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


@pytest.fixture(scope="module")
def news_db(tmp_path_factory) -> str:
    """The 20 SaudiNewsNet articles of the search tests, ingested through the CLI."""
    folder = tmp_path_factory.mktemp("news")
    db = str(folder / "b.db")
    news = folder / "news.jsonl"
    lines = (RESOURCES / "saudinewsnet-search.jsonl").read_text(encoding="utf-8").splitlines()
    rows = []
    for i, line in enumerate(lines):  # spread over days so that the trend has several
        r = json.loads(line)
        r["date_extracted"] = f"2015-07-{1 + i % 5:02d} 10:00:00"
        rows.append(json.dumps(r, ensure_ascii=False))
    news.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["ingest", "--db", db, str(news)]) == 0
    return db


def test_search_trend_and_similar_commands(news_db, capsys):
    db = news_db
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


BOTH_WORDS = "«داعش» يشن أولى هجماته"  # the one article with هجوم and سوريا
SYRIA_ONLY = "سوريا: تأكيد مقتل قائد"


def test_partial_hits_are_marked_in_the_cli(news_db, capsys):
    """`هجوم سوريا`: the article with both words first, unmarked; articles with one word
    below it, marked [partial] (and ``"partial": true`` in JSON)."""
    capsys.readouterr()
    assert main(["search", "--db", news_db, "--limit", "20", "هجوم سوريا"]) == 0
    out = capsys.readouterr().out
    assert "have only some of the words" in out
    start = out.index("results 1-")
    titles = [line for line in out[start:].splitlines()[1:] if not line.startswith(" ")]
    assert BOTH_WORDS in titles[0] and "[partial]" not in titles[0]
    marks = [t.endswith("[partial]") for t in titles]
    assert marks == sorted(marks) and marks[-1]  # every marked hit below every unmarked one
    (syria,) = [t for t in titles if SYRIA_ONLY in t]
    assert syria.endswith("[partial]")
    assert main(["search", "--db", news_db, "--json", "--limit", "20", "هجوم سوريا"]) == 0
    first, *hits = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert first["relaxed"] and [h["partial"] for h in hits] == marks
    assert main(["search", "--db", news_db, "+هجوم سوريا"]) == 0  # +word: never relaxed
    assert "[partial]" not in capsys.readouterr().out


def test_partial_hits_are_marked_in_the_api_and_the_web_page(news_db):
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from rasid.server import Settings, create_app

    app = create_app(news_db, Settings(token="t"))
    with TestClient(app) as client:
        out = client.get("/api/v1/search", params={"q": "هجوم سوريا", "limit": 20}).json()
        assert out["relaxed"] and out["hits"][0]["title"].startswith(BOTH_WORDS)
        marks = [h["partial"] for h in out["hits"]]
        assert marks == sorted(marks) and not marks[0] and marks[-1]
        assert [h["partial"] for h in out["hits"] if h["title"].startswith(SYRIA_ONLY)] == [True]
        html = client.get("/", params={"q": "هجوم سوريا"}).text
        assert html.count('class="partial-mark">لا تحتوي كل الكلمات<') == sum(marks)
        assert "بعض كلمات البحث فقط" in html
        html = client.get("/", params={"q": "+هجوم سوريا"}).text
        assert "partial-mark" not in html and "بعض كلمات البحث فقط" not in html
    app.state.rasid.monitor.close()


def test_search_highlights_only_the_page_it_shows(news_db, monkeypatch):
    """`rasid search` pools up to 300 hits to count them; snippets and highlight offsets
    are worked out for the hits a page shows, the same as for every hit of the pool."""
    from rasid.monitor import Monitor
    from rasid.search import searcher

    highlighted: list[str] = []
    real = searcher.highlight_row
    monkeypatch.setattr(searcher, "highlight_row",
                        lambda row, *a: highlighted.append(row.id) or real(row, *a))
    with Monitor(news_db) as monitor:
        page = monitor.search_page("الرئيس", limit=2, offset=1)
        pool = monitor.search("الرئيس", limit=300)
    assert page["total"] == len(pool) > 3 and not highlighted
    shown = [h.to_dict() for h in page["hits"]]
    assert highlighted == [h["id"] for h in shown] == [h.id for h in pool[1:3]]
    for got, hit in zip(shown, pool[1:3]):
        assert got == hit.to_dict() and got["matches"] and "رئيس]" in got["snippet"]
        text = monitor_text(news_db, hit.id)
        assert all(text[start:end] in ("رئيس", "الرئيس") for start, end in got["matches"])


def monitor_text(db: str, doc_id: str) -> str:
    with open_store(db) as store:
        return store.get_document(doc_id).text
