"""SQLite search engine: the FTS5 index over analysed terms, its rebuilds, and the
execution of a `rasid.search.plan.QueryPlan` (the store does no analysis: it receives
analysed terms and returns plain rows).

A mixin of `SqliteStore` (which supplies ``con``, ``_lock`` and ``analyzer``), kept apart so
that all search SQL lives in one module.

A plan becomes one FTS5 MATCH expression built only from our own operators and
double-quoted terms: a form is ``{title_stem body_stem} : "s1 s2" OR {title_exact
body_exact} : "e1 e2"``; required clauses are ANDed; "at least m of n" optional clauses is
an OR of every m-subset ANDed, m lowered until there are at most
`rasid.search.plan.MAX_SUBSETS` subsets; excluded clauses (and, for a plan that fills a
page below another's strict matches, that plan's "at least m of n") go behind ``NOT``.
Every form is driven by FTS5's posting lists: no query scans the articles table. Where
the expression would count a word twice in FTS5's bm25, the matches are scored by
another expression (`compile_scored`).
"""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from ..search.plan import PlanClause, QueryPlan, SearchRow, spell_min_should_match
from ..search.query import QueryError
from .sql_search import Operators, compile_filters, compile_plan

STEM_COLUMNS = ("title_stem", "body_stem")
EXACT_COLUMNS = ("title_exact", "body_exact")


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


FTS5 = Operators(" OR ", " AND ", " NOT ")


def compile_match(plan: QueryPlan) -> str | None:
    """The MATCH expression of a plan (None when it has no positive clause): `sql_search`."""
    return compile_plan(plan, compile_clause, FTS5)


def compile_scored(plan: QueryPlan) -> tuple[list[str], str | None]:
    """How FTS5 finds and scores a plan's matches so that the score is BM25 over the
    plan's positive clauses, each counted once (the plan's score, and what the PostgreSQL
    engine computes): ``(MATCH expressions, rank expression)``.

    FTS5's bm25 scores the phrases of the MATCH expression where they matched, so an
    expression that repeats a clause counts it more than once. Hence:

    * optional words that only rank (with required clauses): two disjoint expressions,
      the required clauses AND any optional one, and the required clauses NOT any
      optional one (each counts every clause once); their matches together;
    * min-should-match spelt out as m-subsets (1 < m < n), where an article would count
      a word once per subset it satisfies: the MATCH expression selects the matches and
      the rank expression (the OR of the positive clauses) scores them;
    * otherwise the plan's MATCH expression, which scores right (rank None).
    """
    n = len(plan.optional)
    if n and plan.required and plan.min_should_match < 1:
        with_any = replace(plan, min_should_match=1)
        without = replace(plan, optional=[], excluded=plan.excluded + plan.optional)
        return [compile_match(with_any), compile_match(without)], None
    match = compile_match(plan)
    if n and 1 < spell_min_should_match(n, plan.min_should_match) < n:
        return [match], "(" + " OR ".join(compile_clause(c) for c in plan.positive) + ")"
    return [match], None


class SqliteSearchMixin:
    """Search methods of `SqliteStore`."""

    # -- index maintenance --------------------------------------------------------------

    def _check_index(self) -> None:
        """Rebuild the search index when it was built by another analyzer (or not yet)."""
        row = self.con.execute("SELECT value FROM index_info WHERE key = 'analyzer'").fetchone()
        if row is None or row[0] != self.analyzer.signature:
            self.reindex()

    def reindex(self, batch_size: int = 500) -> int:
        """Rebuild the FTS index from the stored articles when it was built by another
        analyzer; return how many were indexed (0: it is this analyzer's already)."""
        with self._lock:
            con = self.con
            self._begin()
            try:
                row = con.execute("SELECT value FROM index_info WHERE key = 'analyzer'").fetchone()
                if row is not None and row[0] == self.analyzer.signature:
                    con.execute("COMMIT")
                    return 0  # another process rebuilt it while we waited for the lock
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

    def _compile_filters(self, plan: QueryPlan) -> tuple[str | None, list[str], list[Any]]:
        """``(MATCH expression, WHERE conditions on articles a, params)``."""
        match = compile_match(plan)
        return (match, *compile_filters(plan, match, "?", self._in))

    def _run(self, sql: str, params: list[Any]) -> list[tuple]:
        with self._lock:
            try:
                return self.con.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:  # should not happen: terms are quoted
                raise QueryError(f"the search could not run: {exc}") from exc

    def search_rows(self, plan: QueryPlan) -> list[SearchRow]:
        """Run a compiled plan (see `rasid.search.plan`): rows in score order. FTS5 walks
        the matches newest first (rowid order, no scoring) and scores at most
        ``plan.window`` of them, so a query matching most of the archive costs no more
        than one matching ``window`` articles."""
        match, where, params = self._compile_filters(plan)
        cols = "a.id, a.title, a.text, a.source, a.published, a.url"
        page = [int(plan.limit), int(plan.offset)]
        if match is None:  # entity filter only: newest first
            sql = (f"SELECT {cols}, 0.0 FROM articles AS a WHERE {' AND '.join(where)} "
                   "ORDER BY a.published DESC, a.rowid DESC LIMIT ? OFFSET ?")
            return [SearchRow(*r) for r in self._run(sql, params + page)]
        inner, params = self._window_sql(plan, where, params)
        sql = (f"SELECT {cols}, -f.rank FROM (SELECT rowid, rank FROM ({inner}) "
               "ORDER BY rank, rowid LIMIT ? OFFSET ?) AS f "
               "JOIN articles AS a ON a.rowid = f.rowid ORDER BY f.rank, f.rowid")
        return [SearchRow(*r) for r in self._run(sql, params + page)]

    @staticmethod
    def _window_sql(plan: QueryPlan, where: list[str], params: list[Any]) -> tuple[str, list[Any]]:
        """The matches that are scored (``rowid, rank``): at most ``plan.window``, the
        newest first, and their parameters (`compile_scored` says how)."""
        weights = ", ".join(str(float(w)) for w in plan.weights)
        window = f"LIMIT {int(plan.window)}" if plan.window else ""
        exprs, rank = compile_scored(plan)
        score = "rowid" if rank is not None else f"rowid, bm25(articles_fts, {weights}) AS rank"
        arms, args = [], []
        for expr in exprs:
            if where:
                arms.append("SELECT * FROM (SELECT f.{s} FROM articles_fts AS f JOIN articles AS a "
                            "ON a.rowid = f.rowid WHERE articles_fts MATCH ? AND {c} "
                            "ORDER BY f.rowid DESC {l})".format(s=score, c=" AND ".join(where), l=window))
                args += [expr] + params
            else:
                arms.append(f"SELECT * FROM (SELECT {score} FROM articles_fts WHERE articles_fts MATCH ? "
                            f"ORDER BY rowid DESC {window})")
                args.append(expr)
        inner = arms[0] if len(arms) == 1 else (
            f"SELECT * FROM ({' UNION ALL '.join(arms)}) ORDER BY rowid DESC {window}")
        if rank is None:
            return inner, args
        # scored by the rank expression: FTS5 reads its postings, the matches filter
        # (``+rowid``: a filter, not one FTS5 lookup per match)
        return (f"SELECT rowid, bm25(articles_fts, {weights}) AS rank FROM articles_fts "
                f"WHERE articles_fts MATCH ? AND +rowid IN ({inner})"), [rank] + args

    def count_matches(self, plan: QueryPlan) -> int:
        """How many rows `search_rows` ranks for the plan (at most ``plan.window``), its
        page ignored."""
        match, where, params = self._compile_filters(plan)
        if match is None:
            sql, params = f"SELECT a.rowid FROM articles AS a WHERE {' AND '.join(where)}", params
        else:
            sql, params = self._window_sql(plan, where, params)
        return self._run(f"SELECT count(*) FROM ({sql})", params)[0][0]

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
