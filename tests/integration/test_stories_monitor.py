"""Near-duplicates and stories through a real Monitor (tokenize, ner, resolve, dates, places)
and SQLite file archive, on 16 SaudiNewsNet articles (tests/resources/README-stories.md),
plus the `rasid stories` / `rasid story` commands."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasid.cli import stories_cmds
from rasid.monitor import Monitor
from rasid.stories import get_story, list_stories, story_of_article

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SAMPLE = RESOURCES / "saudinewsnet-stories.jsonl"
STAGES = ("tokenize", "ner", "resolve", "dates", "places")


def url_of(title_start: str, source: str | None = None) -> str:
    for line in SAMPLE.open(encoding="utf-8"):
        rec = json.loads(line)
        if rec["title"].startswith(title_start) and (source is None or rec["source"] == source):
            return rec["url"]
    raise KeyError(title_start)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    db = tmp_path_factory.mktemp("stories") / "db.sqlite"
    monitor = Monitor(db, stages=STAGES)
    summary = monitor.ingest([str(SAMPLE)])
    assert summary.stored == 16 and not summary.failed
    yield monitor
    monitor.close()


def article_id(monitor, url: str) -> str:
    return next(d.id for d in monitor.store.iter_documents() if d.url == url)


def story_id(monitor, url: str) -> int:
    return story_of_article(monitor.store, article_id(monitor, url))["id"]


def test_syndicated_copy_is_linked_and_forms_no_story(archive):
    a = url_of("ماليزيا ترسل فريقا", "aleqtisadiya")
    b = url_of("ماليزيا ترسل فريقا", "alweeam")
    ia, ib = article_id(archive, a), article_id(archive, b)
    links = [(n["article_id"], n["duplicate_of"]) for n in archive.store.list_near_duplicates()
             if n["article_id"] in (ia, ib)]
    assert len(links) == 1 and set(links[0]) == {ia, ib}
    row = links[0]
    copy = story_of_article(archive.store, row[0])
    assert copy["duplicate_of"] == row[1] and copy["id"] == story_of_article(archive.store, row[1])["id"]
    assert archive.store.get_document(row[0]).meta["near_duplicate_of"] == row[1]


def test_same_event_joins_one_story_and_unrelated_start_their_own(archive):
    mh370 = [url_of("ماليزيا تؤكد أن الحطام"), url_of("ماليزيا تؤكد العثور"), url_of("ماليزيا تؤكد:")]
    assert len({story_id(archive, u) for u in mh370}) == 1
    bomber = [url_of("الداخلية: منفذ تفجير"), url_of("الداخلية السعودية تكشف"), url_of("الداخلية: المنتحر")]
    assert len({story_id(archive, u) for u in bomber}) == 1
    assert story_id(archive, bomber[0]) != story_id(archive, mh370[0])
    singles = [url_of("بريطانيا: أربعة محاور"), url_of("الذهب يسجل"), url_of("وزارة العمل: استقدام")]
    ids = {story_id(archive, u) for u in singles}
    assert len(ids) == 3 and not ids & {story_id(archive, mh370[0]), story_id(archive, bomber[0])}
    for sid in ids:
        assert get_story(archive.store, sid)["article_count"] == 1


def test_shared_entities_are_recorded(archive):
    sid = story_id(archive, url_of("الداخلية: منفذ تفجير"))
    shared = [r for r in archive.store.iter_records("story_entities")
              if r["story_id"] == sid and r["articles"] >= 2]
    assert len(shared) >= 1


def test_get_story_has_everything(archive):
    sid = story_id(archive, url_of("ماليزيا تؤكد أن الحطام"))
    story = get_story(archive.store, sid)
    assert story["title"]
    assert story["first_published"] <= story["last_published"]
    dates = [a["published"] for a in story["articles"]]
    assert dates == sorted(dates) and story["article_count"] == len(story["articles"]) >= 3
    assert story["entities"] and all({"id", "canonical", "type", "articles"} <= set(e) for e in story["entities"])
    assert story["places"]
    assert sum(t["articles"] for t in story["timeline"]) == story["article_count"]
    texts = {a["id"]: archive.store.get_document(a["id"]).text for a in story["articles"]}
    assert story["summary"] and all(texts[s["doc_id"]][s["start"]:s["end"]] == s["text"]
                                    for s in story["summary"])
    assert story["keyphrases"]


def test_reingest_and_rerun_are_no_ops(archive):
    store = archive.store
    before = list(store.iter_records("stories"))
    summary = archive.ingest([str(SAMPLE)])
    assert summary.stored == 0
    assert archive.repair() == {"articles": 16, "resolve_entities": 0, "near_duplicates": 0,
                                "stories": 0, "event_groups": 0, "alerts": 0}
    assert list(store.iter_records("stories")) == before
    assert len(store.list_story_members()) == 16


def test_cli_stories_and_story(archive, capsys):
    db = archive.store.path
    assert stories_cmds.main(["stories", "--db", db, "--json", "--limit", "50"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and sum(r["article_count"] for r in rows) == 16
    assert stories_cmds.main(["story", str(rows[0]["id"]), "--db", db]) == 0
    out = capsys.readouterr().out
    assert f"story {rows[0]['id']}:" in out and "timeline:" in out
    assert stories_cmds.main(["story", "9999", "--db", db]) == 3
    assert len(list_stories(archive.store, limit=50)) == len(rows)


def test_repair_completes_an_archive_stored_without_the_steps(archive, tmp_path):
    """As if an older rasid had stored the articles and died before its hooks: `repair`
    runs every archive step and gives what the normal ingest gave."""
    from rasid.archive_steps import build_archive_steps

    with Monitor(tmp_path / "old.db", stages=STAGES) as old:
        old._pipeline = archive.pipeline  # the loaded models
        old.archive_steps = []
        assert old.ingest([str(SAMPLE)]).stored == 16
        assert old.store.list_story_members() == [] and old.store.top_entities() == []
        old.archive_steps = build_archive_steps()
        done = old.repair()
        assert done["articles"] == 16 and done["stories"] == 16 and done["resolve_entities"] == 16
        assert done["near_duplicates"] == 16
        assert old.repair() == {"articles": 16, "resolve_entities": 0, "near_duplicates": 0,
                                "stories": 0, "alerts": 0, "event_groups": 0}

        def partition(monitor):
            url = {d.id: d.url for d in monitor.store.iter_documents()}
            groups: dict[int, set[str]] = {}
            for m in monitor.store.list_story_members():
                groups.setdefault(m["story_id"], set()).add(url[m["article_id"]])
            return sorted(sorted(g) for g in groups.values())

        assert partition(old) == partition(archive)
        assert [(e["canonical"], e["mentions"]) for e in old.store.top_entities(limit=10)] == \
            [(e["canonical"], e["mentions"]) for e in archive.store.top_entities(limit=10)]
