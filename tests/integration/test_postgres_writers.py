"""Several writers on PostgreSQL: four `rasid ingest` processes started together over
overlapping inputs end with exactly what one serial ingest gives (same articles, no
duplicates, same stories, same alerts), while the API keeps answering searches.

Real SaudiNewsNet articles (tests/resources/README-*.md): the 55 distinct ones of three
files, in four overlapping inputs of 24. The serial reference ingests them in the order the concurrent writers committed
them (their sequence numbers): online story tracking depends on order, and a correct
set of concurrent writers is one serial order. Needs RASID_TEST_PG_URL."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import warnings
from pathlib import Path

from rasid.alerts.watches import add_watch
from rasid.monitor import Monitor

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SRC = Path(__file__).resolve().parents[2] / "src"
FILES = ("saudinewsnet-stories.jsonl", "saudinewsnet-sample.jsonl", "saudinewsnet-search.jsonl")
WRITERS, PER_WRITER, STEP = 4, 24, 11


def read_records() -> list[dict]:
    records, urls = [], set()
    for name in FILES:
        for line in (RESOURCES / name).read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["url"] not in urls:
                urls.add(rec["url"])
                records.append(rec)
    return records


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def add_watches(db: str) -> None:
    with Monitor(db) as m:
        add_watch(m.store, name="داعش", query="داعش")
        add_watch(m.store, name="اليمن", query="اليمن")


def snapshot(db: str) -> dict:
    """Articles, stories (as sets of article ids) and alerts (watch name, article, kind)."""
    with Monitor(db) as m:
        s = m.store
        members: dict[int, set[str]] = {}
        for row in s.list_story_members():
            members.setdefault(row["story_id"], set()).add(row["article_id"])
        names = {w["id"]: w["name"] for w in s.list_watches()}
        return {
            "articles": sorted(d.id for d in s.iter_documents()),
            "count": s.count_documents(),
            "stories": sorted(sorted(v) for v in members.values()),
            "near_duplicates": sorted((r["article_id"], r["duplicate_of"]) for r in s.list_near_duplicates()),
            "alerts": sorted((names[a["watch_id"]], a["article_id"], a["kind"])
                             for a in s.list_alerts(limit=10000)),
            "entities": sorted((e["canonical"], e["type"], e["mentions"])
                               for e in s.top_entities(limit=10000)),
            "order": [a["id"] for a in s.list_articles_after(0, limit=10000)],
        }


def test_four_writers_equal_one_serial_ingest(pg_fresh_url, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from rasid.server import Settings, create_app

    records = read_records()
    assert len(records) >= 50
    inputs = [write_jsonl(tmp_path / f"w{i}.jsonl",
                          [records[(i * STEP + j) % len(records)] for j in range(PER_WRITER)])
              for i in range(WRITERS)]
    add_watches(pg_fresh_url)

    searches: list[int] = []
    stop = threading.Event()

    def keep_searching() -> None:
        with TestClient(create_app(pg_fresh_url, Settings())) as client:
            while not stop.is_set():
                for q in ("داعش", "اليمن", '"وزارة الداخلية"'):
                    searches.append(client.get("/api/v1/search", params={"q": q}).status_code)

    reader = threading.Thread(target=keep_searching)
    reader.start()
    env = dict(os.environ, PYTHONPATH=str(SRC), RASID_DB=pg_fresh_url)
    procs = [subprocess.Popen([sys.executable, "-m", "rasid", "ingest", "--json", "--batch-size", "5",
                               str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for path in inputs]
    outputs = [p.communicate(timeout=600) for p in procs]
    stop.set()
    reader.join(timeout=60)
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err[-2000:]
    reports = [json.loads(out) for out, _ in outputs]
    assert all(not r["failed"] for r in reports)
    stored = sum(r["stored"] for r in reports)
    assert len(searches) >= 3 and set(searches) == {200}

    concurrent = snapshot(pg_fresh_url)
    assert concurrent["count"] == len(concurrent["articles"]) == stored >= 50
    assert concurrent["alerts"] and concurrent["stories"]

    # the serial reference: one process, the same articles in the writers' commit order
    from pg_fixtures import create_database, drop_database, require_pg_url

    from rasid.ingest import read_paths

    docs = list(read_paths([str(write_jsonl(tmp_path / "all.jsonl", records))]))
    by_id = {d.id: rec for d, rec in zip(docs, records)}
    base = require_pg_url()
    serial_db = create_database(base, "serial")
    try:
        add_watches(serial_db)
        ordered = write_jsonl(tmp_path / "serial.jsonl", [by_id[i] for i in concurrent["order"]])
        with Monitor(serial_db) as m:
            assert m.ingest([str(ordered)], batch_size=5).stored == stored
        serial = snapshot(serial_db)
    finally:
        drop_database(base, serial_db)
    for key in ("articles", "count", "stories", "near_duplicates", "alerts", "entities", "order"):
        assert concurrent[key] == serial[key], key
