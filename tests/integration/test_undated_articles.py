"""Issue 16, item 4 (first half): an article without a publication date keeps it unknown in
every reader and in the archive (never today's date); stories and alerts place it at the
time it was first seen and say so. Articles: tests/resources/saudinewsnet-stories.jsonl
(README-stories.md) with their date removed, and the seed article."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from rasid.cli.main import main
from rasid.monitor import Monitor

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SEED = RESOURCES / "paris-2015.txt"


def undated_copy(tmp_path: Path) -> Path:
    """The story sample with every date field dropped."""
    out = tmp_path / "undated.jsonl"
    rows = []
    for line in (RESOURCES / "saudinewsnet-stories.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for key in ("date_extracted", "date", "published"):
            rec.pop(key, None)
        rows.append(json.dumps(rec, ensure_ascii=False))
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return out


def test_readers_and_archive_keep_an_unknown_date_unknown(tmp_path, capsys):
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>أخبار</title>'
                    "<item><title>خبر بلا تاريخ</title><link>http://news.test/1</link><description>"
                    "قال وزير الخارجية الفرنسي إن الاجتماع سيعقد في باريس الأسبوع المقبل لبحث الأزمة."
                    "</description></item></channel></rss>", encoding="utf-8")
    db = str(tmp_path / "u.db")
    assert main(["ingest", "--db", db, str(SEED), str(undated_copy(tmp_path)), str(feed)]) == 0
    capsys.readouterr()
    with Monitor(db, stages=("tokenize",)) as monitor:
        docs = list(monitor.store.iter_documents())
        assert len(docs) == 18 and all(d.published is None for d in docs)
        stats = monitor.stats()
        assert stats["published"] == {"min": None, "max": None}
        doc_id = docs[0].id
    assert main(["show", "--db", db, doc_id]) == 0
    assert "date unknown" in capsys.readouterr().out.splitlines()[1]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The dated story sample, then the seed article, which carries no date."""
    monitor = Monitor(tmp_path_factory.mktemp("undated") / "m.db", stages=("tokenize", "ner", "resolve"))
    monitor.add_watch(query="داعش")
    monitor.add_watch(query="هولاند")
    assert monitor.ingest([str(RESOURCES / "saudinewsnet-stories.jsonl")]).stored == 16
    before = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    assert monitor.ingest([str(SEED)]).stored == 1
    undated = next(d for d in monitor.store.iter_documents() if d.published is None)
    yield monitor, undated, before
    monitor.close()


def test_story_places_an_undated_article_when_first_seen_and_says_so(mixed):
    monitor, undated, before = mixed
    assert undated.published is None
    story = monitor.story_of_article(undated.id)
    assert story is not None
    full = monitor.get_story(story["id"])
    (row,) = [a for a in full["articles"] if a["id"] == undated.id]
    assert row["published"] is None and row["time_basis"] == "first_seen"
    assert row["story_time"][:19] >= before  # first seen now, not some guessed date
    assert all(a["time_basis"] == "published" for a in full["articles"] if a["id"] != undated.id)
    day = [t for t in full["timeline"] if t["date"] == row["story_time"][:10]]
    assert day and day[0]["first_seen"] == 1
    assert sum(t["first_seen"] or 0 for t in full["timeline"]) == 1


def test_alerts_say_when_they_used_the_first_seen_time(mixed):
    monitor, undated, before = mixed
    alerts = monitor.list_alerts(limit=100)
    mine = [a for a in alerts if a["article_id"] == undated.id]
    assert mine and mine[0]["reason"]["time_basis"] == "first_seen"
    assert mine[0]["event_time"][:19] >= before
    dated = [a for a in alerts if a["article_id"] != undated.id]
    assert dated and all(a["reason"]["time_basis"] == "published" for a in dated)
