"""PostgreSQL archive (psycopg 3): the server backend, for several writers and an API.

Chosen with ``--db postgresql://user@host/db`` or ``RASID_DB=postgresql://...``; the
database must exist, the schema is created and migrated on open.

* Versioned schema: ``migrations/postgres/NNNN_name.sql``, numbered like the SQLite ones,
  applied in order under an advisory lock (so processes starting together migrate once),
  recorded in ``schema_version``.
* Deduplication by canonical URL and normalised-content hash (both UNIQUE), as on SQLite.
* Several writers: every outermost `transaction()` first takes one transaction-level
  advisory lock (`WRITE_LOCK`), so write transactions commit one after another, article
  rowids (the ``seq`` of the interface) grow in commit order (the alert high-water mark
  relies on it) and the after-store hooks (stories, alerts) never interleave. Analysis,
  the expensive part, runs outside it, in parallel. Readers never wait for it.
* The interface's method groups live in mixins, as for SQLite: `pg_articles`,
  `pg_entities`, `pg_stories`, `pg_alerts`, `pg_copy`, `pg_events`, `pg_places`.
* Search (`pg_search`): a stored tsvector of rasid's own analysed terms with a GIN index
  finds the matches of a compiled `rasid.search.plan.QueryPlan`, BM25 over a postings
  table ranks them; parsing, snippets and highlights are `rasid.search`'s, as on SQLite.
"""
from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager
from importlib import resources
from typing import Any, Iterable, Iterator, NamedTuple

from ..doc import Document, compute_content_hash
from ..ingest.urls import canonicalize_url
from ..search.analyzer import Analyzer, get_analyzer
from .sql_reading import ArticleReadingMethods
from .sql_export import ExportReadingMethods
from .base import DocOutcome, IngestReport, Store
from .pg_alerts import PostgresAlertMethods
from .pg_articles import PostgresArticleMethods
from .pg_copy import PostgresCopyMethods
from .pg_places import PostgresPlaceMethods
from .pg_entities import PostgresEntityMethods
from .pg_events import PostgresEventMethods
from .pg_search import PostgresSearchMixin
from .pg_stories import PostgresStoryMethods
from .sqlite import SqliteStore

_MIGRATION_RE = re.compile(r"^(\d{4})_(\w+)\.sql$")
#: advisory lock keys (any two distinct bigints; "rasid" in ASCII, then + 1)
MIGRATE_LOCK = 0x7261736964
WRITE_LOCK = 0x7261736965


def load_migrations() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` for every shipped PostgreSQL migration, in order."""
    folder = resources.files("rasid.store.migrations.postgres")
    found = sorted((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8"))
                   for entry in folder.iterdir() if (m := _MIGRATION_RE.match(entry.name)))
    if not found:
        raise RuntimeError("no PostgreSQL migrations found in the rasid package (missing *.sql files)")
    return found


def migrate(con: Any, target: int | None = None) -> list[int]:
    """Apply every shipped migration not yet recorded in ``schema_version`` (up to `target`),
    each in its own transaction, under an advisory lock; return the versions applied."""
    applied: list[int] = []
    con.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
    try:
        con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                    "name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT "
                    "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))")
        done = {r[0] for r in con.execute("SELECT version FROM schema_version")}
        migrations = load_migrations()
        latest = migrations[-1][0]
        if done and max(done) > latest:
            raise RuntimeError(f"database schema version {max(done)} is newer than this rasid "
                               f"supports ({latest}); upgrade rasid")
        for version, name, sql in migrations:
            if version in done or (target is not None and version > target):
                continue
            with con.transaction():
                con.execute(sql)
                con.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)",
                            (version, name))
            applied.append(version)
    finally:
        con.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))
    return applied


def create_test_archive(url: str) -> str:
    """A fresh, empty archive on the server and database of `url` (for tests): a new
    schema, returned as `url` with ``options=-csearch_path=<schema>,public`` (pg_trgm
    stays in ``public``, created there once)."""
    import uuid
    from urllib.parse import quote

    import psycopg

    schema = "rasid_t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
        try:
            con.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        finally:
            con.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))
        con.execute(f'CREATE SCHEMA "{schema}"')
    options = quote(f"-csearch_path={schema},public")
    return f"{url}{'&' if '?' in url else '?'}options={options}"


class WriteResult(NamedTuple):
    rowcount: int
    returned: list[tuple]


def redact_url(url: str) -> str:
    """The URL without its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1@", url)


class PostgresStore(ArticleReadingMethods, ExportReadingMethods, PostgresEventMethods, PostgresArticleMethods,
                    PostgresEntityMethods, PostgresStoryMethods, PostgresAlertMethods, PostgresCopyMethods,
                    PostgresPlaceMethods, PostgresSearchMixin, Store):
    """The server `Store`. `url` is a libpq URL (``postgresql://user@host:port/db``)."""

    _PARAM = "%s"

    def __init__(self, url: str, analyzer: Analyzer | None = None, migrate_schema: bool = True) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - the extra is not installed
            raise ValueError("the PostgreSQL store needs psycopg: pip install 'rasid[postgres]'") from exc
        self.url = url
        self.analyzer = analyzer or get_analyzer()
        self._lock = threading.RLock()
        try:
            self.con = psycopg.connect(url, autocommit=True, application_name="rasid")
        except psycopg.OperationalError as exc:
            raise ValueError(f"cannot connect to PostgreSQL at {redact_url(url)}: {exc}") from exc
        self.last_report: IngestReport | None = None
        if migrate_schema:
            migrate(self.con)
            self._check_index()

    def __repr__(self) -> str:
        return f"PostgresStore({redact_url(self.url)!r})"

    @property
    def schema_version(self) -> int:
        with self._lock:
            return self.con.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0

    # -- transactions and small helpers for the mixins ---------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """The outermost block takes the write lock (see the module doc); nested blocks are
        savepoints."""
        with self._lock:
            nested = self.con.info.transaction_status != 0  # not idle: inside a block already
            with self.con.transaction():
                if not nested:
                    self.con.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                yield

    def _rows(self, sql: str, args: Iterable[Any] = ()) -> list[tuple]:
        with self._lock:
            return self.con.execute(sql, tuple(args)).fetchall()

    def _row(self, sql: str, args: Iterable[Any] = ()) -> tuple | None:
        with self._lock:
            return self.con.execute(sql, tuple(args)).fetchone()

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """For the store's own multi-statement methods: a transaction of its own (with the
        write lock) when none is open, else simply part of the open one. No savepoint: on
        PostgreSQL each costs two round trips, and these methods do not catch their own
        errors (a caller that wants to go on after one opens `transaction()` around it)."""
        with self._lock:
            if self.con.info.transaction_status != 0:
                yield
            else:
                with self.transaction():
                    yield

    def _write(self, sql: str, args: Iterable[Any] = ()) -> "WriteResult":
        """Run one statement atomically (`_atomic`); return its rowcount and RETURNING rows."""
        with self._atomic():
            cur = self.con.execute(sql, tuple(args))
            return WriteResult(cur.rowcount, cur.fetchall() if cur.description else [])

    # -- ingest -------------------------------------------------------------------------

    def add_documents(self, docs: Iterable[Document], batch_size: int = 500) -> IngestReport:
        report = IngestReport()
        self.last_report = report
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
        """Everything but the layers (which entity resolution still annotates)."""
        if not isinstance(doc, Document):
            raise TypeError(f"expected a Document, got {type(doc).__name__}")
        if not isinstance(doc.text, str):
            raise TypeError("Document.text must be a string")
        data = doc.to_dict(with_text=False)
        search = self._index_forms(doc.title or "", doc.text)
        return {
            "row": (doc.id, doc.url, canonicalize_url(doc.url) if doc.url else None,
                    compute_content_hash(doc.text), doc.title or "", doc.text, doc.source,
                    doc.author, doc.published, doc.summary,
                    json.dumps(data["images"], ensure_ascii=False),
                    json.dumps(data["meta"], ensure_ascii=False), doc.origin),
            "search": search,
        }

    #: the `spans` / `mentions` rows of a document: the same as for SQLite (attrs as JSON text)
    _layer_rows = staticmethod(SqliteStore._layer_rows)

    def _find_duplicate(self, canonical_url: str | None, content_hash: str, id: str):
        row = self.con.execute(
            "SELECT id, CASE WHEN canonical_url = %s THEN 'url' WHEN content_hash = %s "
            "THEN 'content' ELSE 'id' END AS why FROM articles "
            "WHERE canonical_url = %s OR content_hash = %s OR id = %s "
            "ORDER BY CASE WHEN canonical_url = %s THEN 0 WHEN content_hash = %s THEN 1 ELSE 2 END "
            "LIMIT 1", (canonical_url, content_hash, canonical_url, content_hash, id,
                        canonical_url, content_hash)).fetchone()
        return (row[0], row[1]) if row else None

    def _insert_article(self, row: tuple, search: Any, doc: Document, ingested_at: str | None) -> None:
        """Insert the article, its spans, mentions and search index (`pg_search.IndexForms`)."""
        con = self.con
        layers_json, spans, mentions = self._layer_rows(doc)
        columns = ("id, url, canonical_url, content_hash, title, text, source, author, published, "
                   "summary, images, meta, origin, layers, search")
        values = [*row, layers_json, search.tsvector]
        if ingested_at:
            columns += ", ingested_at"
            values.append(ingested_at)
        marks = ", ".join(["%s"] * 14 + ["%s::tsvector"] + (["%s"] if ingested_at else []))
        rowid = con.execute(f"INSERT INTO articles ({columns}) VALUES ({marks}) RETURNING rowid",
                            values).fetchone()[0]
        self._write_index(rowid, search)
        with con.cursor() as cur:
            if spans:
                cur.executemany('INSERT INTO spans (article_id, layer, start, "end", label, text, '
                                "attrs) VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb)", spans)
            if mentions:
                cur.executemany('INSERT INTO mentions (article_id, entity_id, start, "end", text, '
                                "sentence) VALUES (%s, %s, %s, %s, %s, %s)", mentions)

    def _write_batch(self, batch: list[Document], report: IngestReport) -> None:
        import psycopg

        prepared: list[tuple[Document, dict | Exception]] = []
        for doc in batch:  # analysis outside the transaction (and the write lock)
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
                        self._insert_article(row, prep["search"], doc, prep.get("ingested_at"))
                except (psycopg.DataError, psycopg.IntegrityError, ValueError, KeyError,
                        TypeError) as exc:
                    outcomes.append(DocOutcome(doc_id, "failed", f"{type(exc).__name__}: {exc}",
                                               origin=origin))
                    continue
                outcomes.append(DocOutcome(doc_id, "stored", origin=origin))
        for outcome in outcomes:
            report.add(outcome)
        report.batches += 1

    def refresh_statistics(self) -> None:
        """VACUUM (ANALYZE) the archive's tables now: planner statistics and the visibility
        map that lets the search read postings from the index alone (autovacuum does it too,
        within a minute or so; a bulk load followed at once by searches wants it first)."""
        with self._lock:
            self.con.execute("VACUUM (ANALYZE) articles, search_postings, search_stats")

    # -- state --------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return redact_url(self.url)

    def get_state(self, key: str, default: Any = None) -> Any:
        with self._lock:
            row = self.con.execute("SELECT value FROM state WHERE key = %s", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_state(self, key: str, value: Any) -> None:
        with self._atomic():
            if value is None:
                self.con.execute("DELETE FROM state WHERE key = %s", (key,))
                return
            self.con.execute(
                "INSERT INTO state (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET "
                "value = excluded.value, updated_at = to_char(now() AT TIME ZONE 'UTC', "
                "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')", (key, json.dumps(value, ensure_ascii=False)))

    def close(self) -> None:
        with self._lock:
            if self.con is not None:
                self.con.close()
                self.con = None  # type: ignore[assignment]
