"""SQLite archive (stdlib sqlite3): articles, spans, state and an FTS5 search index.

* Versioned schema: ``migrations/sqlite/NNNN_name.sql`` applied in order, each in its own
  transaction, recorded in ``schema_version``.
* Deduplication by canonical URL and by normalised-content hash (both UNIQUE), so
  ingesting the same data twice adds nothing.
* WAL mode and one transaction per batch: an interrupted ingest keeps every committed
  batch, and the next run resumes (the committed documents come back as duplicates).
* `transaction()`: ``BEGIN IMMEDIATE`` for the outermost block (a second writer process
  waits for the first: busy timeout plus retries), ``SAVEPOINT`` for nested ones.
* The archive interface's other method groups live in mixins: `sqlite_articles`,
  `sqlite_entities`, `sqlite_stories`, `sqlite_alerts`, `sqlite_copy`.
* Search: FTS5 over analysed terms (see `rasid.search.analyzer`), BM25 with titles
  weighted higher; snippets are cut from the original text.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import threading
import time
from importlib import resources
from typing import Any, Iterable, Iterator

from ..doc import Document, compute_content_hash
from ..ingest.urls import canonicalize_url
from ..search.analyzer import Analyzer, get_analyzer
from .sql_export import ExportReadingMethods
from .sql_reading import ArticleReadingMethods
from .base import UNINDEXED_LAYERS, DocOutcome, IngestReport, Store
from .sqlite_alerts import SqliteAlertMethods
from .sqlite_articles import SqliteArticleMethods
from .sqlite_copy import SqliteCopyMethods
from .sqlite_entities import SqliteEntityMethods
from .sqlite_places import SqlitePlaceMethods
from .sqlite_search import SqliteSearchMixin
from .sqlite_stories import SqliteStoryMethods
from .sqlite_events import SqliteEventsMixin

_MIGRATION_RE = re.compile(r"^(\d{4})_(\w+)\.sql$")

#: how long a writer waits for another process's write transaction (busy handler, ms),
#: and how many times BEGIN IMMEDIATE is retried after that before giving up
BUSY_TIMEOUT_MS = 30000
BEGIN_RETRIES = 20


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


class SqliteStore(ArticleReadingMethods, ExportReadingMethods, SqliteEventsMixin, SqliteArticleMethods,
                  SqliteEntityMethods, SqliteStoryMethods, SqliteAlertMethods, SqliteCopyMethods,
                  SqlitePlaceMethods, SqliteSearchMixin, Store):
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
        self.con.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self.con.execute("PRAGMA journal_mode = WAL")
            self.con.execute("PRAGMA synchronous = NORMAL")
        if migrate_schema:
            migrate(self.con)
            self._check_index()

    def __repr__(self) -> str:
        return f"SqliteStore({self.path!r})"

    @property
    def schema_version(self) -> int:
        with self._lock:
            return self.con.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0

    # -- transactions and small helpers for the mixins ---------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            depth = self._depth
            if depth == 0:
                self._begin()
            else:
                self.con.execute(f"SAVEPOINT sp{depth}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth = depth
                if depth == 0:
                    if self.con.in_transaction:
                        self.con.execute("ROLLBACK")
                else:
                    self.con.execute(f"ROLLBACK TO sp{depth}")
                    self.con.execute(f"RELEASE sp{depth}")
                raise
            self._depth = depth
            if depth == 0:
                try:
                    self.con.execute("COMMIT")
                except BaseException:
                    if self.con.in_transaction:
                        self.con.execute("ROLLBACK")
                    raise
            else:
                self.con.execute(f"RELEASE sp{depth}")

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

    def _rows(self, sql: str, args: Iterable[Any] = ()) -> list[tuple]:
        with self._lock:
            return self.con.execute(sql, tuple(args)).fetchall()

    def _row(self, sql: str, args: Iterable[Any] = ()) -> tuple | None:
        with self._lock:
            return self.con.execute(sql, tuple(args)).fetchone()

    def _write(self, sql: str, args: Iterable[Any] = ()) -> sqlite3.Cursor:
        with self.transaction():
            return self.con.execute(sql, tuple(args))

    # -- ingest -------------------------------------------------------------------------

    def add_documents(self, docs: Iterable[Document], batch_size: int = 500) -> IngestReport:
        report = IngestReport()
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                self._write_batch(batch, report)
                batch = []
        if batch:
            self._write_batch(batch, report)
        return report

    def _prepare(self, doc: Document) -> dict[str, Any]:
        """The article row and its search-index forms."""
        if not isinstance(doc, Document):
            raise TypeError(f"expected a Document, got {type(doc).__name__}")
        if not isinstance(doc.text, str):
            raise TypeError("Document.text must be a string")
        data = doc.to_dict(with_text=False)
        title_stem, title_exact = self.analyzer.index_forms(doc.title or "")
        body_stem, body_exact = self.analyzer.index_forms(doc.text)
        return {
            "row": (doc.id, doc.url, canonicalize_url(doc.url) if doc.url else None,
                    compute_content_hash(doc.text), doc.title or "", doc.text, doc.source,
                    doc.author, doc.published, doc.summary,
                    json.dumps(data["images"], ensure_ascii=False),
                    json.dumps(data["meta"], ensure_ascii=False), doc.origin),
            "fts": (title_stem, title_exact, body_stem, body_exact),
        }

    @staticmethod
    def _layer_rows(doc: Document) -> tuple[str, list[tuple], list[tuple]]:
        """The layers as JSON, the `spans` rows and the `mentions` rows of `doc`."""
        layers = doc.to_dict(with_text=False)["layers"]
        spans, mentions = [], []
        for layer, items in layers.items():
            if layer in UNINDEXED_LAYERS:
                continue
            for s in items:
                attrs = {k: v for k, v in s.items() if k not in ("start", "end", "label", "text")}
                spans.append((doc.id, layer, s["start"], s["end"], s.get("label", ""),
                              s.get("text"), json.dumps(attrs, ensure_ascii=False)))
                if layer == "entities" and attrs.get("entity_id"):
                    mentions.append((doc.id, attrs["entity_id"], s["start"], s["end"],
                                     s.get("text") or "", attrs.get("sentence")))
        return json.dumps(layers, ensure_ascii=False), spans, mentions

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
        layers_json, spans, mentions = self._layer_rows(doc)
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
        con.execute("INSERT INTO articles_fts (rowid, title_stem, title_exact, "
                    "body_stem, body_exact) VALUES (?, ?, ?, ?, ?)", (cur.lastrowid, *fts))
        if spans:
            con.executemany(
                'INSERT INTO spans (article_id, layer, start, "end", label, text, '
                "attrs) VALUES (?, ?, ?, ?, ?, ?, ?)", spans)
        if mentions:
            con.executemany(
                'INSERT INTO mentions (article_id, entity_id, start, "end", text, '
                "sentence) VALUES (?, ?, ?, ?, ?, ?)", mentions)

    def _write_batch(self, batch: list[Document], report: IngestReport) -> None:
        prepared: list[tuple[Document, dict | Exception]] = []
        for doc in batch:  # analysis outside the transaction
            try:
                prepared.append((doc, self._prepare(doc)))
            except Exception as exc:  # recorded, not raised: one bad document
                prepared.append((doc, exc))
        outcomes = []
        with self.transaction():
            for doc, prep in prepared:
                doc_id = getattr(doc, "id", None)
                origin = getattr(doc, "origin", None)
                if isinstance(prep, Exception):
                    outcomes.append(DocOutcome(doc_id, "failed", f"{type(prep).__name__}: {prep}",
                                               origin=origin))
                    continue
                row = prep["row"]
                dup = self._find_duplicate(row[2], row[3], row[0])
                if dup:
                    outcomes.append(DocOutcome(doc_id, "duplicate", dup[1], dup[0], origin))
                    continue
                try:
                    with self.transaction():  # a savepoint: a bad document fails alone
                        self._insert_article(row, prep["fts"], doc, prep.get("ingested_at"))
                except (sqlite3.DatabaseError, ValueError, KeyError, TypeError) as exc:
                    outcomes.append(DocOutcome(doc_id, "failed", f"{type(exc).__name__}: {exc}",
                                               origin=origin))
                    continue
                outcomes.append(DocOutcome(doc_id, "stored", origin=origin))
        for outcome in outcomes:
            report.add(outcome)
        report.batches += 1

    # -- state --------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return self.path

    def get_state(self, key: str, default: Any = None) -> Any:
        with self._lock:
            row = self.con.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_state(self, key: str, value: Any) -> None:
        with self.transaction():
            if value is None:
                self.con.execute("DELETE FROM state WHERE key = ?", (key,))
                return
            self.con.execute(
                "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                "value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                (key, json.dumps(value, ensure_ascii=False)))

    def close(self) -> None:
        with self._lock:
            if self.con is not None:
                self.con.close()
                self.con = None  # type: ignore[assignment]
