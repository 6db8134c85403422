"""What is SQLite's own: migrations, the default path and URLs. The engine-agnostic archive
tests are in tests/contract/; two writer processes on one file in test_archive_recovery.py."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from rasid.doc import Document
from rasid.store import SearchQuery, default_db_path, open_store
from rasid.store.sqlite import SqliteStore, load_migrations, migrate

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def make_docs() -> list[Document]:
    records = [json.loads(line) for line in
               (RESOURCES / "saudinewsnet-search.jsonl").read_text(encoding="utf-8").splitlines()]
    return [Document(text=r["content"], title=r["title"], url=r["url"], source=r["source"])
            for r in records]


def search(store, text, **kw):
    return store.search(SearchQuery(text, **kw))


def test_migrates_an_old_version_database(tmp_path):
    path = tmp_path / "old.db"
    con = sqlite3.connect(path, isolation_level=None)
    assert migrate(con, target=1) == [1]
    doc = make_docs()[0]
    layers = {"entities": [{"start": 0, "end": 2, "label": "ORG", "text": doc.text[:2]}],
              "sentences": [{"start": 0, "end": 5, "label": ""}]}
    con.execute("INSERT INTO articles (id, url, canonical_url, content_hash, title, text, source, "
                "published, layers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc.id, doc.url, "x", doc.content_hash, doc.title, doc.text, doc.source,
                 doc.published, json.dumps(layers, ensure_ascii=False)))
    con.close()
    with SqliteStore(path) as s:
        assert s.schema_version == load_migrations()[-1][0]
        assert s.stats()["spans"] == {"entities": 1}
        assert [h.id for h in search(s, "داعش")] == [doc.id]  # indexed on open


def test_default_db_path_and_open_store(monkeypatch, tmp_path):
    monkeypatch.setenv("RASID_DB", str(tmp_path / "env.db"))
    assert default_db_path() == tmp_path / "env.db"
    monkeypatch.delenv("RASID_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "rasid" / "rasid.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_db_path() == tmp_path / "home" / ".local" / "share" / "rasid" / "rasid.db"
    with open_store(None) as s:  # creates the folder
        assert Path(s.path) == default_db_path()
    with open_store("sqlite:///:memory:") as s:
        assert s.count_documents() == 0
    with open_store(f"sqlite:///{tmp_path}/u.db") as s:
        assert s.path == f"{tmp_path}/u.db"


def test_each_connection_has_the_larger_page_cache(tmp_path):
    """The store's connection keeps `CACHE_KIB` of pages, not SQLite's 2,000 KiB: the indexes
    of ``spans`` and ``mentions`` that every batch writes into stay in memory (docs/speed.md)."""
    from rasid.store.sqlite import CACHE_KIB

    with open_store(tmp_path / "a.db") as store:
        assert store.con.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB and CACHE_KIB > 2000 * 8


def _open_and_write(path: str) -> str:
    try:
        store = SqliteStore(path)
        with store.transaction():
            store.con.execute("SELECT count(*) FROM articles").fetchone()
        mode = store.con.execute("PRAGMA journal_mode").fetchone()[0]
        store.con.close()
        return mode
    except sqlite3.OperationalError as exc:
        return f"error: {exc}"


def test_processes_opening_one_new_file_at_once_all_succeed(tmp_path):
    """Two `rasid ingest` started together on a new archive: turning on WAL needs the file
    to itself and SQLite answered "database is locked" at once (no busy wait) to whichever
    process lost the race (CI, test_two_writers_on_one_file). Before the fix about one open
    in 15 failed here; 20 new files opened by 6 processes each give 120 chances."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(6) as pool:
        for n in range(20):
            path = str(tmp_path / f"new{n}.db")
            assert pool.map(_open_and_write, [path] * 6) == ["wal"] * 6
