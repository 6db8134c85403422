"""PostgreSQL full-text search over rasid's own analysed terms (no PostgreSQL parser):
the index, its rebuilds and the search itself (a mixin of `PostgresStore`, so that all
search SQL of the PostgreSQL backend lives here).

**Matching** uses a stored ``tsvector`` written as a literal, built from
`rasid.search.analyzer.Analyzer.index_forms` exactly as the SQLite FTS5 columns are:

* stems as they are and exact forms with a leading ``=`` (the two FTS5 column groups
  ``*_stem`` / ``*_exact`` of SQLite), each at its token position;
* title terms at positions 1..n with weight ``A``; body terms after a gap of one position
  (so a phrase never runs from the title into the body, as FTS5 columns);
* PostgreSQL caps positions at 16383: terms further into a very long article share the
  last position (they are still found; only phrases that far in can be missed).

A compiled `rasid.search.plan.QueryPlan` becomes a ``tsquery`` literal with the logic of
the SQLite MATCH expression (`sql_search.compile_plan`, one function for both): a clause matches any of its
forms, stems as a phrase OR exact forms as a phrase; required clauses are ANDed;
"at least m of n" optional clauses is the OR of the m-subsets ANDed (m lowered the same
way); anchors are ANDed as one OR; excluded clauses (and the strict "at least m of n" a fill
plan continues below) go behind ``!``. The GIN index finds
the matches; at most ``plan.window`` of them, the most recently added, are scored.
Document counts of terms (`count_documents_with_terms`) come from the postings (no
twin of SQLite's fts5vocab table is needed).

**Ranking** is FTS5's BM25 computed from a postings table (``search_postings``: one row
per article and lexeme with its weighted frequency ``w`` = 3 x title count + body count,
the FTS5 column weights, and the article's length ``dl`` in terms, both forms, as FTS5
counts its four columns), so only the postings of the query's lexemes are read, never the
articles' vectors: ``idf * w * (k1 + 1) / (w + k1 * (1 - b + b * dl / avgdl))`` summed over
the plan's lexemes (stem and exact form of every form of each positive clause), ``idf = ln((N - df + 0.5)
/ (df + 0.5))`` (at least 1e-6), k1 = 1.2, b = 0.75, N and the total length kept in
``search_stats``. Differences from FTS5: a phrase is scored as the sum of its terms, not
by the phrase's own frequency; the field weights are fixed when the postings are written
(title 3, body 1, the plan's defaults), so a plan with other ``weights`` ranks as with
the defaults.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..search.plan import PlanClause, QueryPlan, SearchRow
from ..search.query import QueryError
from .sql_search import Operators, compile_filters, compile_plan

EXACT_PREFIX = "="
MAX_POSITION = 16383
#: the FTS5 bm25 column weights of SQLite: title 3, body 1
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0
K1, B = 1.2, 0.75


def quote_lexeme(term: str) -> str:
    """A tsvector/tsquery lexeme literal: single quotes, quotes and backslashes escaped."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


class IndexForms:
    """What the index holds for one article: the tsvector literal, the postings
    (lexeme -> weighted frequency) and the length in terms."""

    __slots__ = ("tsvector", "postings", "length")

    def __init__(self, tsvector: str, postings: dict[str, float], length: int):
        self.tsvector, self.postings, self.length = tsvector, postings, length


def convert_index_forms(title_forms: tuple[str, str], body_forms: tuple[str, str]) -> IndexForms:
    """The index of an article from the ``(stems, exacts)`` index forms (as returned by
    `Analyzer.index_forms`) of its title and of its body."""
    positions: dict[str, list[str]] = {}
    weights: Counter = Counter()
    offset = length = 0
    for (stems, exacts), weight, w in ((title_forms, "A", TITLE_WEIGHT), (body_forms, "", BODY_WEIGHT)):
        stem_list, exact_list = stems.split(), exacts.split()
        for i, (stem, exact) in enumerate(zip(stem_list, exact_list)):
            pos = f"{min(offset + i + 1, MAX_POSITION)}{weight}"  # weight "" is D
            positions.setdefault(stem, []).append(pos)
            positions.setdefault(EXACT_PREFIX + exact, []).append(pos)
            weights[stem] += w
            weights[EXACT_PREFIX + exact] += w
        offset += len(stem_list) + 1
        length += 2 * len(stem_list)
    parts = []
    for lexeme, pos in positions.items():
        # a lexeme holds at most 256 positions; more would change nothing that is read
        parts.append(f"{quote_lexeme(lexeme)}:{','.join(_dedupe(pos)[:256])}")
    return IndexForms(" ".join(parts), dict(weights), length)


def convert_tsvector(title_forms: tuple[str, str], body_forms: tuple[str, str]) -> str:
    """The tsvector literal of an article (see `convert_index_forms`)."""
    return convert_index_forms(title_forms, body_forms).tsvector


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def compile_clause(clause: PlanClause) -> str:
    """One clause: any of its forms, its stems as a phrase or its exact forms as a phrase."""
    parts = []
    for form in clause.forms:
        parts.append("(" + " <-> ".join(quote_lexeme(t) for t in form.stems) + ")")
        parts.append("(" + " <-> ".join(quote_lexeme(EXACT_PREFIX + t) for t in form.exacts) + ")")
    return "(" + " | ".join(parts) + ")"


TSQUERY = Operators(" | ", " & ", " & !")


def compile_tsquery(plan: QueryPlan) -> str | None:
    """The tsquery literal of a plan, the same logic as the SQLite MATCH expression
    (`sql_search.compile_plan`); None when it has no positive clause."""
    return compile_plan(plan, compile_clause, TSQUERY)


def plan_lexemes(plan: QueryPlan) -> list[str]:
    """The lexemes that score: stems and exact forms of every form of the positive
    clauses, once each."""
    out: dict[str, None] = {}
    for clause in plan.positive:
        for form in clause.forms:
            for t in form.stems:
                out[t] = None
            for t in form.exacts:
                out[EXACT_PREFIX + t] = None
    return list(out)


class PostgresSearchMixin:
    """Search methods of `PostgresStore` (uses its ``con``, ``_lock``, ``analyzer``,
    ``transaction``)."""

    # -- index ------------------------------------------------------------------------------
    #: the article's index (`_index_forms`) from the analyzer's forms of its title and body
    _combine_index_forms = staticmethod(convert_index_forms)

    def _write_index(self, rowid: int, index: IndexForms) -> None:
        """The article's postings and its share of the statistics (inside the caller's
        transaction; its tsvector is written with the article row)."""
        self._write_indexes([(rowid, index)])

    def _write_indexes(self, indexes: list[tuple[int, IndexForms]]) -> None:
        """`_write_index` for several articles ``(rowid, forms)``: two statements in all."""
        postings = [(rowid, index.length, list(index.postings), list(index.postings.values()))
                    for rowid, index in indexes if index.postings]
        if postings:
            with self.con.cursor() as cur:
                cur.executemany("INSERT INTO search_postings (lex, rowid, w, dl) SELECT l, %s, w, %s "
                                "FROM unnest(%s::text[], %s::real[]) AS t (l, w)", postings)
        self.con.execute("UPDATE search_stats SET n = n + %s, total_length = total_length + %s "
                         "WHERE id = 1", (len(indexes), sum(index.length for _, index in indexes)))

    @staticmethod
    def _index_columns(index: IndexForms) -> tuple[str, tuple]:
        """What the article row holds of its index (`replace_document`): its tsvector."""
        return ", search = %s::tsvector", (index.tsvector,)

    def _delete_index(self, rowid: int, title: str, text: str) -> None:
        """Remove an article's postings and its share of the statistics (its tsvector is
        rewritten with the row)."""
        rows = self.con.execute("DELETE FROM search_postings WHERE rowid = %s RETURNING dl",
                                (rowid,)).fetchall()
        self.con.execute("UPDATE search_stats SET n = n - 1, total_length = total_length - %s "
                         "WHERE id = 1", (rows[0][0] if rows else 0,))

    def _check_index(self) -> None:
        """Rebuild the search index when it was built by another analyzer (or not yet)."""
        row = self.con.execute("SELECT value FROM index_info WHERE key = 'analyzer'").fetchone()
        if row is None or row[0] != self.analyzer.signature:
            self.reindex()

    def reindex(self, batch_size: int = 500) -> int:
        """Rebuild the tsvectors, postings and statistics from the stored articles."""
        n = 0
        with self.transaction():
            con = self.con
            row = con.execute("SELECT value FROM index_info WHERE key = 'analyzer'").fetchone()
            if row is not None and row[0] == self.analyzer.signature:
                return 0  # another process rebuilt it while we waited for the lock
            con.execute("DELETE FROM search_postings")
            con.execute("UPDATE search_stats SET n = 0, total_length = 0 WHERE id = 1")
            last = 0
            while True:
                rows = con.execute("SELECT rowid, title, text FROM articles WHERE rowid > %s "
                                   "ORDER BY rowid LIMIT %s", (last, batch_size)).fetchall()
                if not rows:
                    break
                for rowid, title, text in rows:
                    index = self._index_forms(title, text)
                    con.execute("UPDATE articles SET search = %s::tsvector WHERE rowid = %s",
                                (index.tsvector, rowid))
                    self._write_index(rowid, index)
                n += len(rows)
                last = rows[-1][0]
            con.execute("INSERT INTO index_info (key, value) VALUES ('analyzer', %s) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (self.analyzer.signature,))
        return n

    # -- the engine of `rasid.search` (`interface_search.SearchMethods`) ---------------------
    def _compile_filters(self, plan: QueryPlan) -> tuple[str | None, list[str], list[Any]]:
        """``(tsquery literal, WHERE conditions on articles a, params)``."""
        match = compile_tsquery(plan)
        where, params = compile_filters(plan, match, "%s", self._in)
        if match is not None:
            where.insert(0, "a.search @@ %s::tsquery")
            params.insert(0, match)
        return match, where, params

    def _run(self, sql: str, params: list[Any], index_only: bool = True) -> list[tuple]:
        import psycopg

        with self._lock:
            try:
                with self.con.transaction():
                    if index_only:
                        # the planner does not count the cost of reading a tsvector: a
                        # sequential scan reads every article's; the GIN index reads none
                        self.con.execute("SET LOCAL enable_seqscan = off")
                    return self.con.execute(sql, params).fetchall()
            except psycopg.errors.SyntaxError as exc:  # should not happen: lexemes are quoted
                raise QueryError(f"the search could not run: {exc}") from exc

    def search_rows(self, plan: QueryPlan) -> list[SearchRow]:
        """Run a compiled plan (`rasid.search.plan`): rows best first. The matches (at most
        ``plan.window``, the most recently added) are scored by BM25 over the postings of
        the plan's lexemes (see the module doc); ties in insertion order. The field
        weights are those of the index (title 3, body 1, stem and exact form alike, the
        plan's defaults), fixed when the postings are written."""
        match, where, params = self._compile_filters(plan)
        cols = "a.id, a.title, a.text, a.source, a.published, a.url"
        page = [int(plan.limit), int(plan.offset)]
        if match is None:  # entity filter only: newest first
            sql = (f"SELECT {cols}, 0.0 FROM articles AS a WHERE {' AND '.join(where)} "
                   "ORDER BY a.published DESC NULLS LAST, a.rowid DESC LIMIT %s OFFSET %s")
            return [SearchRow(*r) for r in self._run(sql, params + page, index_only=False)]
        lexemes = plan_lexemes(plan)
        window = f"ORDER BY a.rowid DESC LIMIT {int(plan.window)}" if plan.window else ""
        sql = f"""
            WITH stats AS (SELECT greatest(n, 1) AS n,
                                  greatest(total_length::float8 / greatest(n, 1), 1) AS avgdl
                           FROM search_stats WHERE id = 1),
                 k AS (SELECT q.lex, greatest(ln((s.n - d.df + 0.5) / (d.df + 0.5)), 1e-6) AS idf
                       FROM unnest(%s::text[]) AS q (lex) CROSS JOIN stats AS s
                       CROSS JOIN LATERAL (SELECT count(*) AS df FROM search_postings p
                                           WHERE p.lex = q.lex) AS d),
                 m AS MATERIALIZED (SELECT a.rowid FROM articles AS a
                                    WHERE {' AND '.join(where)} {window}),
                 scored AS (
                    SELECT m.rowid, coalesce(sum(k.idf * p.w * {K1 + 1} / (p.w + {K1} * ({1 - B}
                           + {B} * p.dl / s.avgdl))), 0) AS score
                    FROM m CROSS JOIN stats AS s
                    LEFT JOIN search_postings AS p ON p.rowid = m.rowid
                         AND p.lex = ANY(%s::text[])
                    LEFT JOIN k ON k.lex = p.lex
                    GROUP BY m.rowid ORDER BY score DESC, m.rowid LIMIT %s OFFSET %s)
            SELECT {cols}, scored.score
            FROM scored JOIN articles AS a ON a.rowid = scored.rowid
            ORDER BY scored.score DESC, scored.rowid"""
        rows = self._run(sql, [lexemes, *params, lexemes, *page])
        return [SearchRow(*r[:6], float(r[6])) for r in rows]

    def count_matches(self, plan: QueryPlan) -> int:
        """How many rows `search_rows` ranks for the plan (at most ``plan.window``), its
        page ignored."""
        match, where, params = self._compile_filters(plan)
        window = f"ORDER BY a.rowid DESC LIMIT {int(plan.window)}" if plan.window and match else ""
        sql = (f"SELECT count(*) FROM (SELECT a.rowid FROM articles AS a "
               f"WHERE {' AND '.join(where)} {window}) AS m")
        return self._run(sql, params, index_only=match is not None)[0][0]

    def count_by_period(self, plan: QueryPlan, width: int = 10) -> list[tuple[str, int]]:
        """``(period, articles)`` for every period with a match, in order (see
        `sqlite_search.SqliteSearchMixin.count_by_period`)."""
        match, where, params = self._compile_filters(plan)
        where.append("a.published IS NOT NULL AND a.published != ''")
        sql = (f"SELECT substr(a.published, 1, {int(width)}) AS p, count(*) FROM articles AS a "
               f"WHERE {' AND '.join(where)} GROUP BY p ORDER BY p")
        return [(p, n) for p, n in self._run(sql, params, index_only=match is not None)]

    def count_documents_with_terms(self, terms: list[str]) -> dict[str, int]:
        """How many articles hold each analysed term, as stem or exact form, in any field
        (from the postings); terms not indexed are left out."""
        if not terms:
            return {}
        rows = self._run("SELECT q.t, count(DISTINCT p.rowid) FROM unnest(%s::text[]) AS q (t) "
                         "JOIN search_postings AS p ON p.lex IN (q.t, %s || q.t) GROUP BY q.t",
                         [list(terms), EXACT_PREFIX], index_only=False)
        return {t: n for t, n in rows}

    def count_facets(self, plan: QueryPlan, size: int = 12) -> dict[str, list[dict[str, Any]]]:
        """Exact counts over every article the plan matches (see
        `sqlite_search.SqliteSearchMixin.count_facets` for the shapes)."""
        match, where, params = self._compile_filters(plan)
        hits = f"SELECT a.id, a.source, a.published FROM articles AS a WHERE {' AND '.join(where)}"
        size = int(size)
        index_only = match is not None
        run = self._run
        sources = run(f"WITH h AS MATERIALIZED ({hits}) SELECT source, count(*) FROM h "
                      "WHERE coalesce(source, '') != '' GROUP BY source ORDER BY 2 DESC, source COLLATE \"C\" "
                      f"LIMIT {size}", params, index_only)
        days = run(f"WITH h AS MATERIALIZED ({hits}) SELECT substr(published, 1, 10) AS d, count(*) "
                   "FROM h WHERE coalesce(published, '') != '' GROUP BY d ORDER BY d",
                   params, index_only)
        entities = run(
            f"WITH h AS MATERIALIZED ({hits}) SELECT m.entity_id, e.canonical, e.type, "
            "count(DISTINCT m.article_id) AS n FROM h JOIN mentions AS m ON m.article_id = h.id "
            "JOIN entities AS e ON e.id = m.entity_id GROUP BY m.entity_id, e.canonical, e.type "
            f"ORDER BY n DESC, e.canonical COLLATE \"C\" LIMIT {size}", params, index_only)
        places = run(
            f"WITH h AS MATERIALIZED ({hits}) SELECT (s.attrs ->> 'gazetteer_id') COLLATE \"C\" AS g, "
            "max(s.attrs ->> 'name'), count(DISTINCT s.article_id) AS n "
            "FROM h JOIN spans AS s ON s.article_id = h.id WHERE s.layer = 'places' "
            "AND s.attrs ->> 'relation' IS NULL AND s.attrs ->> 'gazetteer_id' IS NOT NULL "
            f"GROUP BY g ORDER BY n DESC, g LIMIT {size}", params, index_only)
        countries = run(
            f"WITH h AS MATERIALIZED ({hits}) SELECT (s.attrs ->> 'country') COLLATE \"C\" AS c, "
            "count(DISTINCT s.article_id) AS n FROM h JOIN spans AS s ON s.article_id = h.id "
            "WHERE s.layer = 'places' AND coalesce(s.attrs ->> 'country', '') != '' "
            f"GROUP BY c ORDER BY n DESC, c LIMIT {size}", params, index_only)
        return {
            "source": [{"value": s, "count": n} for s, n in sources],
            "day": [{"value": d, "count": n} for d, n in days],
            "entity": [{"value": e, "label": c, "type": t, "count": n} for e, c, t, n in entities],
            "place": [{"value": g, "label": name or g, "count": n} for g, name, n in places],
            "country": [{"value": c, "count": n} for c, n in countries],
        }
