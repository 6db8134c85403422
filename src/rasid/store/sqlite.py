"""SQLite archive (stdlib sqlite3): articles, spans, state and an FTS5 search index.

* Versioned schema: ``migrations/sqlite/NNNN_name.sql`` applied in order, each in its own
  transaction, recorded in ``schema_version``.
* Deduplication by canonical URL and by normalised-content hash (both UNIQUE), so
  ingesting the same data twice adds nothing.
* WAL mode and one transaction per batch: an interrupted ingest keeps every committed
  batch, and the next run resumes (the committed documents come back as duplicates).
* `transaction()`: ``BEGIN IMMEDIATE`` for the outermost block (a second writer process
  waits for the first: busy timeout plus retries), ``SAVEPOINT`` for nested ones; a store
  method's own statements (`_atomic`) join an open transaction without one.
* The archive interface's other method groups live in mixins: `sqlite_articles`,
  `sqlite_stories`, `sqlite_copy`, `sqlite_events`, `sqlite_search`; what both engines share,
  the `sql_*` mixins (`sql_writing`, `sql_reading`, `sql_entities`, `sql_entity_names`,
  `sql_places`, `sql_stories`, `sql_alerts`, `sql_export`).
* Search: FTS5 over analysed terms (see `rasid.search.analyzer`), BM25 with titles
  weighted higher; snippets are cut from the original text.
"""
from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
import time
from importlib import resources
from typing import Any, Iterable, Iterator

from ..doc import Document
from ..search.analyzer import Analyzer, get_analyzer
from .sql_alerts import WatchAlertMethods
from .sql_entities import EntityRecordMethods
from .sql_entity_names import EntityNameMethods
from .sql_export import ExportReadingMethods
from .sql_places import PlaceQueryMethods
from .sql_reading import ArticleReadingMethods
from .sql_stories import StoryTrackingMethods
from .sql_writing import ArticleWritingMethods, join_layers, take_layer_rows
from .base import Store
from .sqlite_articles import SqliteArticleMethods
from .sqlite_copy import SqliteCopyMethods
from .sqlite_search import SqliteSearchMixin
from .sqlite_stories import SqliteStoryMethods
from .sqlite_events import SqliteEventsMixin, span_field

_MIGRATION_RE = re.compile(r"^(\d{4})_(\w+)\.sql$")

#: how long a writer waits for another process's write transaction (busy handler, ms),
#: and how many times BEGIN IMMEDIATE is retried after that before giving up
BUSY_TIMEOUT_MS = 30000
BEGIN_RETRIES = 20

#: SQLite's page cache per connection, in KiB (its default: 2,000). Each stored span goes into
#: four indexes of ``spans`` at places spread over the whole index, and each article into the
#: FTS index and ``mentions``; past a few hundred articles those pages no longer fit in 2 MB
#: and every insert reads some back from the file: ``add_documents`` of 1,960 SaudiNewsNet
#: articles took 4.00 / 4.21 CPU s with the default, 3.53 / 3.40 with 64 MB (docs/speed.md
#: "Eighth pass"). Pages are taken as used, so a small archive costs no more. 64 MB until the
#: session of 2026-12-07 (evening): the ingesting parent's share of issue 17's 1.5 GB (two
#: workers on 10k articles) needed it smaller; 32 MB cost add_documents nothing visible on 2,000
#: articles (docs/speed.md "Memory on 10k articles, again").
CACHE_KIB = 32768
#: the page size of a new archive file (an existing one keeps its own: SQLite fixes it when the
#: file is made). An article's row (its text and layers' JSON: some 30 KB) takes a chain of
#: overflow pages, and a batch's commit writes each page it changed to the write-ahead log
#: as one frame (two writes each): with 16 KB pages instead of SQLite's 4 KB the same SQL of
#: 1,000 SaudiNewsNet articles cost about a tenth less CPU, the commits a third less
#: (docs/speed.md "The archive steps and the store, seventh pass").
PAGE_SIZE = 16384


def load_migrations() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` for every shipped SQLite migration, in order."""
    folder = resources.files("rasid.store.migrations.sqlite")
    found = []
    for entry in folder.iterdir():
        m = _MIGRATION_RE.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    found.sort()
    if not found:
        raise RuntimeError("no SQLite migrations found in the rasid package (missing *.sql files)")
    return found


def get_schema_version(con: sqlite3.Connection) -> int:
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                "name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT "
                "(strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(con: sqlite3.Connection, target: int | None = None) -> list[int]:
    """Apply every shipped migration not yet recorded in ``schema_version`` (up to
    `target`, default all), in order; return the versions applied. Missing versions below
    the current maximum are applied too, so a migration added later in the sequence is
    never skipped."""
    current = get_schema_version(con)
    migrations = load_migrations()
    latest = migrations[-1][0]
    if current > latest:
        raise RuntimeError(f"database schema version {current} is newer than this rasid "
                           f"supports ({latest}); upgrade rasid")
    done = {row[0] for row in con.execute("SELECT version FROM schema_version")}
    applied = []
    for version, name, sql in migrations:
        if version in done or (target is not None and version > target):
            continue
        script = (f"BEGIN IMMEDIATE;\n{sql}\n;INSERT INTO schema_version (version, name) "
                  f"VALUES ({version}, '{name}');\nCOMMIT;")
        try:
            con.executescript(script)
        except Exception:
            if con.in_transaction:
                con.execute("ROLLBACK")
            if con.execute("SELECT 1 FROM schema_version WHERE version = ?", (version,)).fetchone():
                continue  # another process applied it while this one waited for the lock
            raise
        applied.append(version)
    return applied


class SqliteStore(ArticleWritingMethods, ArticleReadingMethods, ExportReadingMethods,
                  SqliteEventsMixin, SqliteArticleMethods, EntityNameMethods,
                  EntityRecordMethods, SqliteStoryMethods, StoryTrackingMethods,
                  WatchAlertMethods, SqliteCopyMethods, PlaceQueryMethods,
                  SqliteSearchMixin, Store):
    """The default `Store`. `path` is a file path or ``":memory:"``."""

    def __init__(self, path: str | os.PathLike = ":memory:", analyzer: Analyzer | None = None,
                 migrate_schema: bool = True) -> None:
        self.path = os.fspath(path)
        if self.path != ":memory:" and os.path.dirname(self.path):
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self.analyzer = analyzer or get_analyzer()
        self._lock = threading.RLock()
        self._depth = 0  # nesting of transaction() blocks (under _lock)
        self.con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                   timeout=BUSY_TIMEOUT_MS / 1000)
        self.con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.con.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new file's; nothing for another
        self.con.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        self.con.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self._enable_wal()
            self.con.execute("PRAGMA synchronous = NORMAL")
        if migrate_schema:
            migrate(self.con)
            self._check_index()

    def __repr__(self) -> str:
        return f"SqliteStore({self.path!r})"


    # -- transactions and small helpers for the mixins ---------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            depth = self._depth
            if depth == 0:
                self._forget_layers()  # what a write outside a transaction left
                self._begin()
            else:
                self.con.execute(f"SAVEPOINT sp{depth}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth = depth
                self._forget_layers()
                if depth == 0:
                    if self.con.in_transaction:
                        self.con.execute("ROLLBACK")
                else:
                    self.con.execute(f"ROLLBACK TO sp{depth}")
                    self.con.execute(f"RELEASE sp{depth}")
                raise
            self._depth = depth
            if depth == 0:
                self._forget_layers()
                try:
                    self.con.execute("COMMIT")
                except BaseException:
                    if self.con.in_transaction:
                        self.con.execute("ROLLBACK")
                    raise
            else:
                self.con.execute(f"RELEASE sp{depth}")

    def _enable_wal(self) -> None:
        """Switch the file to write-ahead logging, waiting for other processes that open it.

        Turning WAL on needs the file to itself, and SQLite answers "database is locked" at
        once, without its busy handler, when another process opens the same new file at that
        moment (CI saw it: two ``rasid ingest`` started together on one new archive). So the
        switch is retried on that answer, for as long as a writer would wait, once the mode
        is read and is not WAL already (every later open reads it and changes nothing). A
        file that cannot take WAL (SQLite then keeps its mode and says so without an error)
        is used in the mode it has, as before."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        attempt = 0
        while True:
            try:
                if self.con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    self.con.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                    raise
            attempt += 1
            time.sleep(min(0.01 * attempt, 0.2))

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting for another process's write transaction to end."""
        for attempt in range(BEGIN_RETRIES):
            try:
                self.con.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if attempt + 1 == BEGIN_RETRIES:
                    raise
                time.sleep(0.05 * (attempt + 1))



    _WRITE_ERRORS = (sqlite3.DatabaseError, ValueError, KeyError, TypeError)
    _NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
    _BYTEWISE = ""  # SQLite's default collation orders text by its bytes
    _NULLS_FIRST = _NULLS_LAST = ""  # NULLs sort as the smallest value
    _ATTRS_TEXT = ""  # spans.attrs is JSON text
    _span_attr = staticmethod(span_field)  # the text of a field of the span s's attrs
    _GREATEST = "max"
    #: an article replaced by its fuller version takes the next sequence number
    _NEXT_ROWID = "(SELECT max(rowid) + 1 FROM articles)"

    @staticmethod
    def _combine_index_forms(title_forms: tuple[str, str], body_forms: tuple[str, str]) -> tuple[str, ...]:
        """The FTS5 columns of an article: title stems and exact forms, body likewise."""
        return (*title_forms, *body_forms)

    def _write(self, sql: str, args: Iterable[Any] = ()) -> sqlite3.Cursor:
        with self._atomic():
            return self.con.execute(sql, tuple(args))

    @contextlib.contextmanager
    def _atomic(self) -> Iterator[None]:
        """For the store's own methods (the ``sql_*.py`` mixins' too): a transaction of their
        own when none is open, else simply part of the open one, as on PostgreSQL. No
        savepoint: SQLite journals again, in each, every page its statements touch (a
        near-duplicate signature's 32 band rows cost twice as much in one), and these
        methods do not catch their own errors (a caller that wants to go on after one opens
        `transaction()` around it: `_write_batch`, `replace_fuller_versions`)."""
        with self._lock:
            if self._depth:
                yield
            else:
                with self.transaction():
                    yield

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        self.con.executemany(sql, rows)

    @staticmethod
    def _in(column: str, values: list) -> tuple[str, list]:
        """SQL testing `column` against `values` (one `_chunks` chunk), and its arguments."""
        return f"{column} IN ({', '.join('?' * len(values))})", list(values)

    @staticmethod
    def _chunks(values: Iterable[Any]) -> Iterator[list]:
        """`values` in pieces small enough for one `_in` (SQLite limits the parameters)."""
        values = list(values)
        for i in range(0, len(values), 500):
            yield values[i:i + 500]

    def _sync_ids(self, table: str) -> None:
        """Rows were inserted into `table` with explicit ids: nothing to do on SQLite."""

    # -- ingest -------------------------------------------------------------------------




    def _find_duplicate(self, canonical_url: str | None, content_hash: str, id: str):
        if canonical_url is not None:
            row = self.con.execute("SELECT id FROM articles WHERE canonical_url = ?",
                                   (canonical_url,)).fetchone()
            if row:
                return row[0], "url"
        row = self.con.execute("SELECT id FROM articles WHERE content_hash = ?",
                               (content_hash,)).fetchone()
        if row:
            return row[0], "content"
        row = self.con.execute("SELECT id FROM articles WHERE id = ?", (id,)).fetchone()
        if row:
            return row[0], "id"
        return None

    def _insert_article(self, row: tuple, fts: tuple, doc: Document, ingested_at: str | None) -> None:
        con = self.con
        layer_rows = take_layer_rows(doc)  # computed by the worker that analysed it, when it was
        layers_json = join_layers(layer_rows.layers)
        if ingested_at:
            cur = con.execute(
                "INSERT INTO articles (id, url, canonical_url, content_hash, title, text, source, "
                "author, published, summary, images, meta, origin, layers, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*row, layers_json, ingested_at))
        else:
            cur = con.execute(
                "INSERT INTO articles (id, url, canonical_url, content_hash, title, text, "
                "source, author, published, summary, images, meta, origin, layers) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*row, layers_json))
        self._write_index(cur.lastrowid, fts)
        self._insert_layer_rows([(doc.id, layer_rows)])

    def _write_index(self, rowid: int, fts: tuple) -> None:
        """The article's row of the FTS5 index (`_index_forms`)."""
        self.con.execute("INSERT INTO articles_fts (rowid, title_stem, title_exact, "
                         "body_stem, body_exact) VALUES (?, ?, ?, ?, ?)", (rowid, *fts))

    @staticmethod
    def _index_columns(fts: tuple) -> tuple[str, tuple]:
        """What the article row holds of its index: nothing (the FTS5 table holds it all)."""
        return "", ()

    def _delete_index(self, rowid: int, title: str, text: str) -> None:
        """Remove the article's row from the FTS5 index: a contentless table deletes a row
        given the values it was indexed with, recomputed from the stored title and text."""
        self.con.execute("INSERT INTO articles_fts (articles_fts, rowid, title_stem, title_exact, "
                         "body_stem, body_exact) VALUES ('delete', ?, ?, ?, ?, ?)",
                         (rowid, *self._index_forms(title, text)))


    # -- state --------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return self.path



