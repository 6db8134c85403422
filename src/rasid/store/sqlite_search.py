"""SQLite search engine: the FTS5 index over analysed terms, its rebuilds, and the
execution of a `rasid.search.plan.QueryPlan` (the store does no analysis: it receives
analysed terms and returns plain rows).

A mixin of `SqliteStore` (which supplies ``con``, ``_lock`` and ``analyzer``), kept apart so
that all search SQL lives in one module.

A plan becomes one FTS5 MATCH expression built only from our own operators and
double-quoted terms: a form is ``{title_stem body_stem} : "s1 s2" OR {title_exact
body_exact} : "e1 e2"``; required clauses are ANDed; "at least m of n" optional clauses is
an OR of every m-subset ANDed while that stays small (`MAX_SUBSETS`), else an OR of all of
them with the count checked per row in SQL; excluded clauses go behind ``NOT``.
"""
from __future__ import annotations

import sqlite3
from itertools import combinations
from math import comb
from typing import Any

from ..search.plan import PlanClause, QueryPlan, SearchRow
from ..search.query import QueryError

STEM_COLUMNS = ("title_stem", "body_stem")
EXACT_COLUMNS = ("title_exact", "body_exact")
#: the largest number of m-subsets spelt out in a MATCH expression for min-should-match
MAX_SUBSETS = 40


def quote_fts(text: str) -> str:
    """An FTS5 string literal: double quotes, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def compile_clause(clause: PlanClause) -> str:
    """One clause: any of its forms, stem form in stem columns or exact form in exact ones."""
    parts = []
    for form in clause.forms:
        parts.append("{%s} : %s" % (" ".join(STEM_COLUMNS), quote_fts(" ".join(form.stems))))
        parts.append("{%s} : %s" % (" ".join(EXACT_COLUMNS), quote_fts(" ".join(form.exacts))))
    return "(" + " OR ".join(parts) + ")"


def compile_at_least(clauses: list[str], m: int) -> tuple[str, bool]:
    """``(expression, exact)``: an expression true when at least `m` of `clauses` match;
    `exact` is False when it is only the OR and the count must be checked apart."""
    n = len(clauses)
    if m <= 1 or n <= 1:
        return "(" + " OR ".join(clauses) + ")", m <= 1
    if m >= n:
        return "(" + " AND ".join(clauses) + ")", True
    if comb(n, m) <= MAX_SUBSETS:
        return "(" + " OR ".join("(" + " AND ".join(sub) + ")"
                                 for sub in combinations(clauses, m)) + ")", True
    return "(" + " OR ".join(clauses) + ")", False


def compile_match(plan: QueryPlan) -> tuple[str | None, list[str]]:
    """``(MATCH expression or None, clause expressions to count)``: the second is non-empty
    when min-should-match must be checked per row (see `compile_at_least`)."""
    required = [compile_clause(c) for c in plan.required]
    optional = [compile_clause(c) for c in plan.optional]
    parts = list(required)
    to_count: list[str] = []
    if optional:
        if plan.min_should_match >= 1:
            expr, exact = compile_at_least(optional, plan.min_should_match)
            parts.append(expr)
            if not exact:
                to_count = optional
        else:  # optional words only rank: OR them with a required clause
            parts.append("(" + " OR ".join(optional + required[:1]) + ")")
    if not parts:
        return None, []
    expr = " AND ".join(parts)
    if plan.excluded:
        expr = f"({expr}) NOT (" + " OR ".join(compile_clause(c) for c in plan.excluded) + ")"
    return expr, to_count


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

    # -- search ----------------------------------------------------------------------------

    @staticmethod
    def _compile_filters(plan: QueryPlan) -> tuple[str | None, list[str], list[Any]]:
        """``(MATCH expression, WHERE conditions on articles a / articles_fts f, params)``."""
        match, to_count = compile_match(plan)
        where: list[str] = []
        params: list[Any] = []
        if plan.since:
            where.append("a.published >= ?")
            params.append(plan.since)
        if plan.until:
            where.append("a.published < ?")
            params.append(plan.until)
        if plan.sources:
            where.append(f"a.source IN ({', '.join('?' * len(plan.sources))})")
            params.extend(plan.sources)
        for entity_id in plan.entity_ids:
            where.append("a.id IN (SELECT article_id FROM mentions WHERE entity_id = ?)")
            params.append(int(entity_id))
        for article_id in plan.exclude_ids:
            where.append("a.id != ?")
            params.append(article_id)
        if to_count:
            where.append("(" + " + ".join(
                "(f.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))"
                for _ in to_count) + f") >= {int(plan.min_should_match)}")
            params.extend(to_count)
        if match is None and not plan.entity_ids:
            raise QueryError("the query has no words to search for")
        return match, where, params

    def _run(self, sql: str, params: list[Any]) -> list[tuple]:
        with self._lock:
            try:
                return self.con.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:  # should not happen: terms are quoted
                raise QueryError(f"the search could not run: {exc}") from exc

    def search_rows(self, plan: QueryPlan) -> list[SearchRow]:
        """Run a compiled plan (see `rasid.search.plan`): rows in score order."""
        match, where, params = self._compile_filters(plan)
        cols = "a.id, a.title, a.text, a.source, a.published, a.url"
        if match is None:  # entity filter only: newest first
            sql = (f"SELECT {cols}, 0.0 FROM articles AS a WHERE {' AND '.join(where)} "
                   "ORDER BY a.published DESC, a.rowid DESC LIMIT ? OFFSET ?")
        elif where:
            weights = ", ".join(str(float(w)) for w in plan.weights)
            sql = (f"SELECT {cols}, -bm25(articles_fts, {weights}) AS score "
                   "FROM articles_fts AS f JOIN articles AS a ON a.rowid = f.rowid "
                   f"WHERE articles_fts MATCH ? AND {' AND '.join(where)} "
                   "ORDER BY score DESC, a.rowid LIMIT ? OFFSET ?")
            params.insert(0, match)
        else:  # rank inside FTS5 first, then read only the page's articles
            weights = ", ".join(str(float(w)) for w in plan.weights)
            sql = (f"SELECT {cols}, -f.rank FROM (SELECT rowid, rank FROM articles_fts "
                   f"WHERE articles_fts MATCH ? AND rank MATCH 'bm25({weights})' "
                   "ORDER BY rank LIMIT ? OFFSET ?) AS f "
                   "JOIN articles AS a ON a.rowid = f.rowid ORDER BY f.rank, a.rowid")
            params = [match]
        params += [int(plan.limit), int(plan.offset)]
        return [SearchRow(*r) for r in self._run(sql, params)]

    def count_by_period(self, plan: QueryPlan, width: int = 10) -> list[tuple[str, int]]:
        """``(period, articles)`` for every period with a match, in order: the first
        `width` characters of ``published`` (10: day, 13: hour, 7: month). Articles
        without a date are left out. The plan's page is ignored."""
        match, where, params = self._compile_filters(plan)
        where.append("a.published IS NOT NULL AND a.published != ''")
        if match is None:
            sql = (f"SELECT substr(a.published, 1, {int(width)}) AS p, count(*) FROM articles AS a "
                   f"WHERE {' AND '.join(where)} GROUP BY p ORDER BY p")
        else:
            sql = (f"SELECT substr(a.published, 1, {int(width)}) AS p, count(*) "
                   "FROM articles_fts AS f JOIN articles AS a ON a.rowid = f.rowid "
                   f"WHERE articles_fts MATCH ? AND {' AND '.join(where)} GROUP BY p ORDER BY p")
            params.insert(0, match)
        return [(p, n) for p, n in self._run(sql, params)]

    def count_documents_with_terms(self, terms: list[str]) -> dict[str, int]:
        """How many articles hold each analysed term (in any field), for key-term
        weighting; terms not indexed are left out."""
        if not terms:
            return {}
        marks = ", ".join("?" * len(terms))
        rows = self._run(f"SELECT term, doc FROM articles_fts_vocab WHERE term IN ({marks})",
                         list(terms))
        return {t: n for t, n in rows}

    def count_facets(self, plan: QueryPlan, size: int = 12) -> dict[str, list[dict[str, Any]]]:
        """Exact counts over every article the plan matches (its page is ignored):
        ``source``, ``day``, ``entity`` (id, label, type), ``place`` (gazetteer id, name)
        and ``country`` (code), each ``[{"value", "count", ...}]`` most frequent first
        (days in order)."""
        match, where, params = self._compile_filters(plan)
        if match is None:
            hits_sql = f"SELECT a.id, a.source, a.published FROM articles AS a WHERE {' AND '.join(where)}"
        else:
            hits_sql = ("SELECT a.id, a.source, a.published FROM articles_fts AS f "
                        "JOIN articles AS a ON a.rowid = f.rowid WHERE articles_fts MATCH ?"
                        + "".join(f" AND {w}" for w in where))
            params.insert(0, match)
        size = int(size)
        with self._lock:
            con = self.con
            con.execute("DROP TABLE IF EXISTS temp.search_hits")
            try:
                con.execute(f"CREATE TEMP TABLE search_hits AS {hits_sql}", params)
            except sqlite3.OperationalError as exc:
                raise QueryError(f"the search could not run: {exc}") from exc
            try:
                sources = con.execute(
                    "SELECT source, count(*) FROM temp.search_hits WHERE coalesce(source, '') != '' "
                    f"GROUP BY source ORDER BY 2 DESC, 1 LIMIT {size}").fetchall()
                days = con.execute(
                    "SELECT substr(published, 1, 10) AS d, count(*) FROM temp.search_hits "
                    "WHERE coalesce(published, '') != '' GROUP BY d ORDER BY d").fetchall()
                entities = con.execute(
                    "SELECT m.entity_id, e.canonical, e.type, count(DISTINCT m.article_id) AS n "
                    "FROM temp.search_hits AS h JOIN mentions AS m ON m.article_id = h.id "
                    "JOIN entities AS e ON e.id = m.entity_id GROUP BY m.entity_id "
                    f"ORDER BY n DESC, e.canonical LIMIT {size}").fetchall()
                places = con.execute(
                    "SELECT json_extract(s.attrs, '$.gazetteer_id') AS g, "
                    "max(json_extract(s.attrs, '$.name')), count(DISTINCT s.article_id) AS n "
                    "FROM temp.search_hits AS h JOIN spans AS s ON s.article_id = h.id "
                    "WHERE s.layer = 'places' AND json_extract(s.attrs, '$.relation') IS NULL "
                    f"AND g IS NOT NULL GROUP BY g ORDER BY n DESC, g LIMIT {size}").fetchall()
                countries = con.execute(
                    "SELECT json_extract(s.attrs, '$.country') AS c, count(DISTINCT s.article_id) AS n "
                    "FROM temp.search_hits AS h JOIN spans AS s ON s.article_id = h.id "
                    "WHERE s.layer = 'places' AND c IS NOT NULL AND c != '' "
                    f"GROUP BY c ORDER BY n DESC, c LIMIT {size}").fetchall()
            finally:
                con.execute("DROP TABLE IF EXISTS temp.search_hits")
        return {
            "source": [{"value": s, "count": n} for s, n in sources],
            "day": [{"value": d, "count": n} for d, n in days],
            "entity": [{"value": e, "label": c, "type": t, "count": n} for e, c, t, n in entities],
            "place": [{"value": g, "label": name or g, "count": n} for g, name, n in places],
            "country": [{"value": c, "count": n} for c, n in countries],
        }
