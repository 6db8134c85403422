"""Issue 16, item 4 (second half): a fuller version of an article stored from a feed snippet
(same URL, longer text) replaces it under the same id and is analysed again; alerts already
raised stay, new ones fire only for what is new (`rasid.ingest.updates`). The article is the
first record of tests/resources/saudinewsnet-sample.jsonl (README.md there); its first
paragraph, two sentences, stands for the feed snippet."""
from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from rasid.cli.main import main
from rasid.monitor import Monitor

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
RECORD = json.loads((RESOURCES / "saudinewsnet-sample.jsonl").read_text(encoding="utf-8").splitlines()[0])
FULL = RECORD["content"]
SNIPPET = FULL.split("\n")[0]


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    """A fresh archive of each engine (PostgreSQL: needs RASID_TEST_PG_URL, tests/pg_fixtures.py)."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    return request.getfixturevalue("pg_fresh_url")


def write_jsonl(path: Path, *records: dict) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


def snippet_record(**fields) -> dict:
    rec = {"url": RECORD["url"], "source": RECORD["source"], "title": RECORD["title"], "content": SNIPPET}
    rec.update(fields)
    return rec


def full_record(**fields) -> dict:
    rec = dict(RECORD)
    rec.update(fields)
    return rec


def ingest_json(db: str, path: str, capsys) -> dict:
    assert main(["ingest", "--db", db, "--json", path]) == 0
    return json.loads(capsys.readouterr().out.splitlines()[-1])


def mention_totals(monitor: Monitor, article_id: str) -> tuple[int, dict[int, int], dict[int, int]]:
    """The article's mentions, per entity, and the entities' recorded mention counts."""
    per_entity = monitor.store.count_article_mentions(article_id)
    return sum(per_entity.values()), per_entity, monitor.store.count_entity_mentions(list(per_entity))


def test_fuller_version_replaces_the_snippet_and_alerts_only_what_is_new(db, tmp_path, capsys):
    assert len(SNIPPET) < len(FULL) / 5 and "كاميرون" in SNIPPET
    assert "سوريا" not in SNIPPET and "سوريا" in FULL
    with Monitor(db) as monitor:
        cameron = monitor.add_watch(name="كاميرون", entity="كاميرون").id
        syria = monitor.add_watch(name="سوريا", entity="سوريا").id
        first = monitor.ingest([write_jsonl(tmp_path / "feed.jsonl", snippet_record())])
        assert (first.stored, first.updated) == (1, 0)
        (article_id,) = [a["id"] for a in monitor.list_articles()["articles"]]
        assert monitor.count_alerts_by_watch() == {cameron: 1}
        before = monitor.get_document(article_id)
        mentions_before, _, _ = mention_totals(monitor, article_id)

    out = ingest_json(db, write_jsonl(tmp_path / "page.jsonl", full_record()), capsys)
    assert (out["read"], out["stored"], out["updated"], out["duplicates"]) == (1, 0, 1, 0)

    with Monitor(db) as monitor:
        assert monitor.stats()["articles"] == 1
        doc = monitor.get_document(article_id)  # the same id
        assert doc.text == FULL and doc.title == RECORD["title"]
        # analysed again: entities, places and the summary of the new part exist
        assert any(s.start >= len(SNIPPET) for s in doc.layers["entities"])
        assert any(s.start >= len(SNIPPET) for s in doc.layers["places"])
        assert [(s.start, s.end) for s in doc.layers["summary"]] != \
            [(s.start, s.end) for s in before.layers["summary"]]
        total, per_entity, recorded = mention_totals(monitor, article_id)
        assert total > mentions_before and recorded == per_entity  # counted once, not twice
        assert [h.id for h in monitor.search("سوريا")] == [article_id]
        # the snippet's alert stays (once); the watch only the new text matches fires once
        assert monitor.count_alerts_by_watch() == {cameron: 1, syria: 1}
        alerts = monitor.list_alerts()
        assert [a["article_id"] for a in alerts] == [article_id, article_id]

    again = ingest_json(db, str(tmp_path / "page.jsonl"), capsys)  # the same page: a no-op
    assert (again["stored"], again["updated"], again["duplicates"]) == (0, 0, 1)
    shorter = ingest_json(db, str(tmp_path / "feed.jsonl"), capsys)  # the snippet again
    assert (shorter["stored"], shorter["updated"], shorter["duplicates"]) == (0, 0, 1)
    with Monitor(db) as monitor:
        assert monitor.get_document(article_id).text == FULL
        assert monitor.count_alerts_by_watch() == {cameron: 1, syria: 1}


def test_a_shorter_or_barely_longer_text_never_replaces(tmp_path):
    with Monitor(str(tmp_path / "b.db")) as monitor:
        monitor.ingest([write_jsonl(tmp_path / "page.jsonl", full_record())])
        edit = full_record(content=FULL + " (تحديث)")  # barely longer: not a fuller version
        summary = monitor.ingest([write_jsonl(tmp_path / "feed.jsonl", snippet_record()),
                                  write_jsonl(tmp_path / "edit.jsonl", edit)])
        assert (summary.read, summary.stored, summary.updated, summary.duplicates) == (2, 0, 0, 2)
        (article,) = monitor.list_articles()["articles"]
        assert monitor.get_document(article["id"]).text == FULL


def test_stored_fields_are_kept_and_missing_ones_filled(tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", snippet_record(title="عنوان الخلاصة"))
    page = write_jsonl(tmp_path / "page.jsonl", full_record(title="عنوان الصفحة", source="other",
                                                          date="2015-07-20T09:30:00"))
    with Monitor(str(tmp_path / "c.db")) as monitor:
        monitor.ingest([feed])
        assert monitor.list_articles()["articles"][0]["published"] is None
        assert monitor.ingest([page]).updated == 1
        (article,) = monitor.list_articles()["articles"]
        assert (article["title"], article["source"]) == ("عنوان الخلاصة", RECORD["source"])
        assert article["published"].startswith("2015-07-20")


def test_snippet_and_page_in_one_batch(db, tmp_path):
    both = write_jsonl(tmp_path / "both.jsonl", snippet_record(), full_record())
    with Monitor(db) as monitor:
        summary = monitor.ingest([both])
        assert (summary.read, summary.stored, summary.updated, summary.duplicates) == (2, 1, 1, 0)
        (article,) = monitor.list_articles()["articles"]
        assert monitor.get_document(article["id"]).text == FULL
        _, per_entity, recorded = mention_totals(monitor, article["id"])
        assert per_entity and recorded == per_entity
        assert monitor.story_of_article(article["id"]) is not None


def test_a_feed_snippet_then_its_html_page(tmp_path, capsys):
    """The usual way: an RSS item's description first, then the page (its canonical link
    is the item's link, percent-encoded) read from a file."""
    esc = html.escape
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>الشرق '
                    f'الأوسط</title><item><title>{esc(RECORD["title"])}</title><link>{esc(RECORD["url"])}'
                    f"</link><description>{esc(SNIPPET)}</description></item></channel></rss>",
                    encoding="utf-8")
    paragraphs = "".join(f"<p>{esc(p.strip())}</p>" for p in FULL.split("\n") if p.strip())
    page = tmp_path / "page.html"
    page.write_text(f'<html lang="ar"><head><meta charset="utf-8"><title>{esc(RECORD["title"])}</title>'
                    f'<link rel="canonical" href="{esc(RECORD["url"])}"></head><body><article>'
                    f"<h1>{esc(RECORD['title'])}</h1>{paragraphs}</article></body></html>", encoding="utf-8")
    db = str(tmp_path / "e.db")
    assert ingest_json(db, str(feed), capsys)["stored"] == 1
    out = ingest_json(db, str(page), capsys)
    assert (out["stored"], out["updated"], out["duplicates"]) == (0, 1, 0)
    with Monitor(db) as monitor:
        (article,) = monitor.list_articles()["articles"]
        text = monitor.get_document(article["id"]).text
        assert len(text) > 10 * len(SNIPPET) and "بيرمنغهام" in text and "سوريا" in text


def test_page_then_snippet_in_one_batch_keeps_what_was_prepared_for_the_page(tmp_path):
    """The archive steps' per-document work (near-duplicate signature, story vector) is
    prepared before the batch is stored; the copy kept is the one it must come from."""
    from rasid.stories.neardup import compute_signature

    both = write_jsonl(tmp_path / "both.jsonl", full_record(), snippet_record())
    with Monitor(str(tmp_path / "f.db")) as monitor:
        summary = monitor.ingest([both])
        assert (summary.stored, summary.updated, summary.duplicates) == (1, 0, 1)
        (article,) = monitor.list_articles()["articles"]
        (signature,) = monitor.store.get_signatures([article["id"]]).values()
        assert signature == compute_signature(FULL).astype("<u4").tobytes()
