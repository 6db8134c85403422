"""Crash recovery and concurrent writers with real `rasid ingest` processes on a SQLite file
(issue 15 item 3, issue 10): SaudiNewsNet articles (tests/resources/README-stories.md).

* A process killed (SIGKILL) inside each archive step, and at a random moment, leaves an
  archive that the next run completes to exactly what a clean run gives: articles, spans,
  entities, near-duplicates, stories, alerts. The kill points come from the test-only
  ``RASID_TEST_CRASH_AT`` hook (`rasid.archive_steps`).
* Two `rasid ingest` processes over overlapping inputs into one new file both finish
  (creating the schema, and then each waits for the other's transactions) and store each
  article once.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from rasid.alerts.watches import add_watch
from rasid.store import open_store

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "saudinewsnet-stories.jsonl"
#: MH370 articles (one story; 10 and 11 are a syndicated near-duplicate pair), the Abha
#: bombing (another story) and gold prices (alone)
PICK = (7, 8, 9, 10, 11, 0, 1, 14)
#: columns that record when something was written, not what
CLOCK = {"ingested_at", "created_at", "updated_at", "added_at"}


def write_input(path: Path, picks=PICK) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[i] for i in picks) + "\n", encoding="utf-8")
    return path


def ingest(db: Path, source: Path, crash_at: str | None = None, batch_size: int = 1) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop("RASID_TEST_CRASH_AT", None)
    if crash_at:
        env["RASID_TEST_CRASH_AT"] = crash_at
    return subprocess.Popen([sys.executable, "-m", "rasid", "ingest", str(source), "--db", str(db),
                             "--batch-size", str(batch_size)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)


def new_archive(db: Path) -> None:
    with open_store(db) as store:
        add_watch(store, query="ماليزيا")


def snapshot(db: Path) -> dict[str, list]:
    kinds = ("articles", "entities", "entity_keys", "neardup_signatures", "neardup_bands",
             "near_duplicates", "stories", "story_articles", "story_terms", "story_entities",
             "watches", "watch_matches", "alerts")
    with open_store(db) as store:
        out = {k: [{c: v for c, v in r.items() if c not in CLOCK} for r in store.iter_records(k)]
               for k in kinds}
        out["mentions"] = [store.count_article_mentions(a["id"]) for a in out["articles"]]
        out["spans"] = [store.stats()["spans"]]
        out["mark"] = [store.get_alert_mark() == store.latest_article_seq()]
    return out


def test_killed_in_every_archive_step_then_rerun_equals_a_clean_run(tmp_path):
    source = write_input(tmp_path / "in.jsonl")
    clean_db, db = tmp_path / "clean.db", tmp_path / "crashed.db"
    new_archive(clean_db)
    new_archive(db)
    clean = ingest(clean_db, source)  # alongside the crashing runs (another file)
    # each run commits one more article (batch size 1), then dies inside the next batch
    for step in ("stored", "resolve_entities", "near_duplicates", "stories", "alerts"):
        proc = ingest(db, source, crash_at=f"{step}@2")
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == -9, (step, out, err)
    rng = random.Random(15)
    for _ in range(2):  # and at random moments
        proc = ingest(db, source)
        time.sleep(rng.uniform(0.5, 4.0))
        proc.kill()
        proc.wait(30)
    with open_store(db) as store:  # a random run may also finish before its kill (fast machine)
        assert 5 <= store.count_documents() <= len(PICK)
    proc = ingest(db, source)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    out_clean, err_clean = clean.communicate(timeout=120)
    assert clean.returncode == 0, err_clean
    assert "stored 8" in out_clean
    expected, got = snapshot(clean_db), snapshot(db)
    assert len(expected["articles"]) == 8 and expected["near_duplicates"] and expected["alerts"]
    assert len({m["story_id"] for m in expected["story_articles"]}) < 8
    for kind in expected:
        assert got[kind] == expected[kind], kind


def test_two_writers_on_one_file(tmp_path):
    db = tmp_path / "shared.db"
    first = write_input(tmp_path / "a.jsonl", picks=range(0, 10))
    second = write_input(tmp_path / "b.jsonl", picks=range(5, 16))
    procs = [ingest(db, first, batch_size=2), ingest(db, second, batch_size=2)]
    results = [p.communicate(timeout=240) for p in procs]
    for proc, (out, err) in zip(procs, results):
        assert proc.returncode == 0, err
        assert "locked" not in err
    stored = [int(out.split("stored ")[1].split(",")[0]) for out, _ in results]
    assert sum(stored) == 16
    with open_store(db) as store:
        urls = [d.url for d in store.iter_documents()]
        assert len(urls) == len(set(urls)) == 16
        assert len(store.list_story_members()) == 16
    expected_urls = {json.loads(line)["url"] for line in SAMPLE.read_text(encoding="utf-8").splitlines()}
    assert set(urls) == expected_urls
