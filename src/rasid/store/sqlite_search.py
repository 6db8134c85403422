"""SQLite search: the FTS5 index over analysed terms, its rebuilds and the search query.

A mixin of `SqliteStore` (which supplies ``con``, ``_lock`` and ``analyzer``), kept apart so
that all search SQL lives in one module.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from ..search.query import QueryError, convert_date_bound, parse_query
from ..search.snippets import find_matches, make_snippet
from .base import SearchHit, SearchQuery

#: bm25 weights for (title_stem, title_exact, body_stem, body_exact); see docs/search.md
BM25_WEIGHTS = (3.0, 3.0, 1.0, 1.0)
MAX_LIMIT = 1000


class SqliteSearchMixin:
    """Search methods of `SqliteStore`."""

    # -- index maintenance --------------------------------------------------------------

    def _check_index(self) -> None:
        """Rebuild the search index when it was built by another analyzer (or not yet)."""
        row = self.con.execute("SELECT value FROM index_info WHERE key = 'analyzer'").fetchone()
        if row is None or row[0] != self.analyzer.signature:
            self.reindex()

    def reindex(self, batch_size: int = 500) -> int:
        """Rebuild the FTS index from the stored articles; return how many were indexed."""
        with self._lock:
            con = self.con
            con.execute("BEGIN IMMEDIATE")
            try:
                con.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
                n = 0
                last = 0
                while True:
                    rows = con.execute("SELECT rowid, title, text FROM articles WHERE rowid > ? "
                                       "ORDER BY rowid LIMIT ?", (last, batch_size)).fetchall()
                    if not rows:
                        break
                    con.executemany(
                        "INSERT INTO articles_fts (rowid, title_stem, title_exact, body_stem, "
                        "body_exact) VALUES (?, ?, ?, ?, ?)",
                        [(r, *self.analyzer.index_forms(t), *self.analyzer.index_forms(b))
                         for r, t, b in rows])
                    n += len(rows)
                    last = rows[-1][0]
                con.execute("INSERT OR REPLACE INTO index_info (key, value) VALUES ('analyzer', ?)",
                            (self.analyzer.signature,))
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        return n

    # -- search -------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> list[SearchHit]:
        if not isinstance(query, SearchQuery):
            raise QueryError("search() takes a SearchQuery")
        try:
            limit, offset = int(query.limit), int(query.offset)
        except (TypeError, ValueError) as exc:
            raise QueryError("limit and offset must be whole numbers") from exc
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
        if offset < 0:
            raise QueryError("offset must not be negative")
        parsed = parse_query(query.text, self.analyzer)
        where = ["articles_fts MATCH ?"]
        params: list[Any] = [parsed.to_fts("all")]
        since = convert_date_bound(query.since)
        until = convert_date_bound(query.until, upper=True)
        if since:
            where.append("a.published >= ?")
            params.append(since)
        if until:
            where.append("a.published < ?")
            params.append(until)
        if query.source:
            sources = [query.source] if isinstance(query.source, str) else list(query.source)
            where.append(f"a.source IN ({', '.join('?' * len(sources))})")
            params.extend(sources)
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        sql = (f"SELECT a.id, a.title, a.source, a.published, a.url, a.text, "
               f"bm25(articles_fts, {weights}) AS rank "
               f"FROM articles_fts JOIN articles AS a ON a.rowid = articles_fts.rowid "
               f"WHERE {' AND '.join(where)} ORDER BY rank, a.rowid LIMIT ? OFFSET ?")
        params += [limit, offset]
        with self._lock:
            try:
                rows = self.con.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:  # should not happen: terms are quoted
                raise QueryError(f"the search could not run: {exc}") from exc
        hits = []
        for id, title, source, published, url, text, rank in rows:
            matches = find_matches(text, parsed, self.analyzer)
            snippet = make_snippet(text, matches)
            hits.append(SearchHit(id, title, source, published, url, -rank, snippet.text,
                                  matches, find_matches(title or "", parsed, self.analyzer)))
        return hits
