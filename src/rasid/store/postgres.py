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
  `pg_entities`, `pg_stories`, `pg_copy`, `pg_events`, `pg_search`; what both engines
  share, the `sql_*` mixins (`sql_writing`, `sql_reading`, `sql_entities`, `sql_entity_names`,
  `sql_places`, `sql_stories`, `sql_alerts`, `sql_export`).
* Search (`pg_search`): a stored tsvector of rasid's own analysed terms with a GIN index
  finds the matches of a compiled `rasid.search.plan.QueryPlan`, BM25 over a postings
  table ranks them; parsing, snippets and highlights are `rasid.search`'s, as on SQLite.
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from importlib import resources
from typing import Any, Iterable, Iterator, NamedTuple

from ..doc import Document
from ..search.analyzer import Analyzer, get_analyzer
from .sql_alerts import WatchAlertMethods
from .sql_entities import EntityRecordMethods
from .sql_reading import ArticleReadingMethods
from .sql_export import ExportReadingMethods
from .sql_places import PlaceQueryMethods
from .sql_stories import StoryTrackingMethods
from .sql_writing import ArticleWritingMethods, convert_failure, join_layers, take_layer_rows
from .base import DocOutcome, IngestReport, Store
from .pg_articles import NOW
from .pg_articles import PostgresArticleMethods
from .pg_copy import PostgresCopyMethods
from .pg_entities import PostgresEntityMethods
from .pg_events import PostgresEventMethods, span_field
from .pg_search import PostgresSearchMixin
from .pg_stories import PostgresStoryMethods

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


class PostgresStore(ArticleWritingMethods, ArticleReadingMethods, ExportReadingMethods,
                    PostgresEventMethods, PostgresArticleMethods, PostgresEntityMethods,
                    EntityRecordMethods, PostgresStoryMethods, StoryTrackingMethods,
                    WatchAlertMethods, PostgresCopyMethods, PlaceQueryMethods,
                    PostgresSearchMixin, Store):
    """The server `Store`. `url` is a libpq URL (``postgresql://user@host:port/db``)."""

    _PARAM = "%s"
    _JSON_CAST = "::jsonb"

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
        self._WRITE_ERRORS = (psycopg.DataError, psycopg.IntegrityError, ValueError, KeyError,
                              TypeError)

    def __repr__(self) -> str:
        return f"PostgresStore({redact_url(self.url)!r})"


    # -- transactions and small helpers for the mixins ---------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """The outermost block takes the write lock (see the module doc); nested blocks are
        savepoints."""
        with self._lock:
            nested = self.con.info.transaction_status != 0  # not idle: inside a block already
            if not nested:
                self._forget_layers()  # what a write outside a transaction left
            try:
                with self.con.transaction():
                    if not nested:
                        self.con.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                    yield
            except BaseException:
                self._forget_layers()  # rolled back: what the block wrote is gone
                raise
            finally:
                if not nested:
                    self._forget_layers()



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

    _NOW = NOW
    _BYTEWISE = ' COLLATE "C"'  # order text by its bytes, as SQLite does
    _NULLS_FIRST = " NULLS FIRST"  # NULLs sort as the smallest value, as in SQLite
    _NULLS_LAST = " NULLS LAST"
    _ATTRS_TEXT = "::text"  # spans.attrs is jsonb
    _span_attr = staticmethod(span_field)  # the text of a field of the span s's attrs
    _GREATEST = "greatest"
    #: an article replaced by its fuller version takes the next sequence number
    _NEXT_ROWID = "nextval(pg_get_serial_sequence('articles', 'rowid'))"

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        """One statement over many rows (psycopg pipelines them: one round trip)."""
        with self.con.cursor() as cur:
            cur.executemany(sql, rows)

    @staticmethod
    def _in(column: str, values: list) -> tuple[str, list]:
        """SQL testing `column` against `values`, and its arguments (one array)."""
        return f"{column} = ANY(%s)", [list(values)]

    @staticmethod
    def _chunks(values: Iterable[Any]) -> Iterator[list]:
        """`values` as one piece (an array parameter has no size limit); none when empty."""
        values = list(values)
        if values:
            yield values

    def _sync_ids(self, table: str) -> None:
        """Rows were inserted into `table` with explicit ids: move its identity sequence
        past them, so that the next row the database numbers does not collide."""
        self.con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "
                         f"FROM {table} HAVING max(id) IS NOT NULL")

    def _write(self, sql: str, args: Iterable[Any] = ()) -> "WriteResult":
        """Run one statement atomically (`_atomic`); return its rowcount and RETURNING rows."""
        with self._atomic():
            cur = self.con.execute(sql, tuple(args))
            return WriteResult(cur.rowcount, cur.fetchall() if cur.description else [])

    # -- ingest -------------------------------------------------------------------------



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
        self._insert_articles([(doc, {"row": row, "index": search, "ingested_at": ingested_at})])

    def _write_batch(self, batch: list[Document], report: IngestReport) -> None:
        """Store a batch: first all its new articles at once (`_insert_batch`: a few
        statements for the batch, where one per row would cost a round trip each); when
        that fails, article by article, so that a bad document fails alone."""
        prepared = self._prepare_batch(batch)  # analysis outside the transaction (and the lock)
        with self.transaction():
            try:
                with self.transaction():  # a savepoint: an error falls back to one by one
                    outcomes = self._insert_batch(prepared)
            except self._WRITE_ERRORS:
                outcomes = self._insert_one_by_one(prepared)
        for outcome in outcomes:
            report.add(outcome)
        report.batches += 1

    def _insert_batch(self, prepared: list[tuple[Document, dict | Exception]]) -> list[DocOutcome]:
        """Find every duplicate with one query (the batch's own articles included, as
        `_find_duplicate` finds them one by one), then insert the others together."""
        rows = [prep["row"] for _, prep in prepared if not isinstance(prep, Exception)]
        known: dict[tuple[str, str], str] = {}  # ("url" / "content" / "id", value) -> article id
        if rows:
            for aid, url, content in self.con.execute(
                    "SELECT id, canonical_url, content_hash FROM articles WHERE canonical_url = "
                    "ANY(%s) OR content_hash = ANY(%s) OR id = ANY(%s)",
                    ([r[2] for r in rows if r[2] is not None], [r[3] for r in rows],
                     [r[0] for r in rows])):
                known.update({("url", url): aid, ("content", content): aid, ("id", aid): aid})
        outcomes, todo = [], []
        for doc, prep in prepared:
            if isinstance(prep, Exception):
                outcomes.append(convert_failure(doc, prep))
                continue
            row = prep["row"]
            keys = [("url", row[2]), ("content", row[3]), ("id", row[0])]
            dup = next(((known[k], k[0]) for k in keys if k[1] is not None and k in known), None)
            if dup:
                outcomes.append(DocOutcome(doc.id, "duplicate", dup[1], dup[0], doc.origin))
                continue
            known.update({k: row[0] for k in keys if k[1] is not None})
            todo.append((doc, prep))
            outcomes.append(DocOutcome(doc.id, "stored", origin=doc.origin))
        if todo:
            self._insert_articles(todo)
        return outcomes

    def _insert_articles(self, todo: list[tuple[Document, dict]]) -> None:
        """Insert articles (`_prepare`'s dicts; ``ingested_at``, when given, for every one of
        them) with their postings, spans and mentions: each kind of row in one pipelined
        statement."""
        articles, layer_rows = [], []
        timed = bool(todo) and all(prep.get("ingested_at") for _, prep in todo)
        for doc, prep in todo:
            layer_rows.append((doc.id, take_layer_rows(doc)))  # the worker's, when it made them
            articles.append((*prep["row"], join_layers(layer_rows[-1][1].layers), prep["index"].tsvector,
                             *([prep["ingested_at"]] if timed else [])))
        with self.con.cursor() as cur:
            cur.executemany(
                "INSERT INTO articles (id, url, canonical_url, content_hash, title, text, source, "
                "author, published, summary, images, meta, origin, layers, search"
                f"{', ingested_at' if timed else ''}) VALUES ({', '.join(['%s'] * 14)}, "
                f"%s::tsvector{', %s' if timed else ''}) RETURNING rowid", articles, returning=True)
            rowids = []
            while True:
                rowids.append(cur.fetchone()[0])
                if not cur.nextset():
                    break
        self._write_indexes([(rowid, prep["index"]) for rowid, (_, prep) in zip(rowids, todo)])
        self._insert_layer_rows(layer_rows)

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



