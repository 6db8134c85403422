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

A `ParsedQuery` becomes a ``tsquery`` literal with the SQLite MATCH semantics: every
positive clause must match (AND); a clause matches its stems as a phrase OR its exact
forms as a phrase; negated clauses are excluded. The GIN index finds the matches.

**Ranking** is FTS5's BM25 computed from a postings table (``search_postings``: one row
per article and lexeme with its weighted frequency ``w`` = 3 x title count + body count,
the FTS5 column weights, and the article's length ``dl`` in terms, both forms, as FTS5
counts its four columns), so only the postings of the query's lexemes are read, never the
articles' vectors: ``idf * w * (k1 + 1) / (w + k1 * (1 - b + b * dl / avgdl))`` summed over
the query's lexemes (stem and exact form of each positive term), ``idf = ln((N - df + 0.5)
/ (df + 0.5))`` (at least 1e-6), k1 = 1.2, b = 0.75, N and the total length kept in
``search_stats``. One difference from FTS5: a phrase is scored as the sum of its terms, not
by the phrase's own frequency.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..search.query import Clause, ParsedQuery, QueryError

from ..search.snippets import find_matches, make_snippet
from .base import SearchHit, SearchQuery

EXACT_PREFIX = "="
MAX_POSITION = 16383
#: the FTS5 bm25 column weights of SQLite: title 3, body 1
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0
K1, B = 1.2, 0.75
MAX_LIMIT = 1000


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


def convert_clause(clause: Clause) -> str:
    stems = " <-> ".join(quote_lexeme(t.stem) for t in clause.terms)
    exacts = " <-> ".join(quote_lexeme(EXACT_PREFIX + t.exact) for t in clause.terms)
    return f"(({stems}) | ({exacts}))"


def convert_tsquery(parsed: ParsedQuery) -> str:
    """The tsquery literal of a parsed query (see the module doc)."""
    pos = [convert_clause(c) for c in parsed.positive]
    if not pos:
        raise QueryError("the query has no words to search for, only excluded ones")
    expr = "(" + " & ".join(pos) + ")"
    neg = [convert_clause(c) for c in parsed.negative]
    if neg:
        expr += " & !(" + " | ".join(neg) + ")"
    return expr


def query_lexemes(parsed: ParsedQuery) -> list[str]:
    """The lexemes that score: stem and exact form of every positive term, once each."""
    out: dict[str, None] = {}
    for clause in parsed.positive:
        for t in clause.terms:
            out[t.stem] = None
            out[EXACT_PREFIX + t.exact] = None
    return list(out)


class PostgresSearchMixin:
    """Search methods of `PostgresStore` (uses its ``con``, ``_lock``, ``analyzer``,
    ``transaction``)."""

    # -- index ------------------------------------------------------------------------------
    def _index_forms(self, title: str, text: str) -> IndexForms:
        return convert_index_forms(self.analyzer.index_forms(title or ""),
                                   self.analyzer.index_forms(text))

    def _write_index(self, rowid: int, index: IndexForms) -> None:
        """The article's postings and its share of the statistics (inside the caller's
        transaction; its tsvector is written with the article row)."""
        con = self.con
        if index.postings:
            con.execute("INSERT INTO search_postings (lex, rowid, w, dl) SELECT l, %s, w, %s "
                        "FROM unnest(%s::text[], %s::real[]) AS t (l, w)",
                        (rowid, index.length, list(index.postings), list(index.postings.values())))
        con.execute("UPDATE search_stats SET n = n + 1, total_length = total_length + %s WHERE id = 1",
                    (index.length,))

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

    # -- search -----------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> list[SearchHit]:
        from ..search.query import convert_date_bound, parse_query

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
        where = ["a.search @@ %s::tsquery"]
        params: list[Any] = [convert_tsquery(parsed)]
        since = convert_date_bound(query.since)
        until = convert_date_bound(query.until, upper=True)
        if since:
            where.append("a.published >= %s")
            params.append(since)
        if until:
            where.append("a.published < %s")
            params.append(until)
        if query.source:
            sources = [query.source] if isinstance(query.source, str) else list(query.source)
            where.append("a.source = ANY(%s)")
            params.append(sources)
        rows = self._run_ranked(" AND ".join(where), params, query_lexemes(parsed), limit, offset)
        hits = []
        for id, title, source, published, url, text, score in rows:
            matches = find_matches(text, parsed, self.analyzer)
            snippet = make_snippet(text, matches)
            hits.append(SearchHit(id, title, source, published, url, float(score), snippet.text,
                                  matches, find_matches(title or "", parsed, self.analyzer)))
        return hits

    def _run_ranked(self, where: str, params: list[Any], lexemes: list[str], limit: int,
                    offset: int) -> list[tuple]:
        """The page of matching articles (``where`` over ``articles a``) by BM25 over the
        postings of `lexemes`: (id, title, source, published, url, text, score) rows."""
        import psycopg

        sql = f"""
            WITH stats AS (SELECT greatest(n, 1) AS n,
                                  greatest(total_length::float8 / greatest(n, 1), 1) AS avgdl
                           FROM search_stats WHERE id = 1),
                 k AS (SELECT q.lex, greatest(ln((s.n - d.df + 0.5) / (d.df + 0.5)), 1e-6) AS idf
                       FROM unnest(%s::text[]) AS q (lex) CROSS JOIN stats AS s
                       CROSS JOIN LATERAL (SELECT count(*) AS df FROM search_postings p
                                           WHERE p.lex = q.lex) AS d),
                 m AS MATERIALIZED (SELECT a.rowid FROM articles AS a WHERE {where}),
                 scored AS (
                    SELECT m.rowid, coalesce(sum(k.idf * p.w * {K1 + 1} / (p.w + {K1} * ({1 - B}
                           + {B} * p.dl / s.avgdl))), 0) AS score
                    FROM m CROSS JOIN stats AS s
                    LEFT JOIN search_postings AS p ON p.rowid = m.rowid
                         AND p.lex = ANY(%s::text[])
                    LEFT JOIN k ON k.lex = p.lex
                    GROUP BY m.rowid ORDER BY score DESC, m.rowid LIMIT %s OFFSET %s)
            SELECT a.id, a.title, a.source, a.published, a.url, a.text, scored.score
            FROM scored JOIN articles AS a ON a.rowid = scored.rowid
            ORDER BY scored.score DESC, scored.rowid"""
        with self._lock:
            try:
                with self.con.transaction():
                    # the planner does not count the cost of reading a tsvector: a sequential
                    # scan reads every article's; the GIN index reads none
                    self.con.execute("SET LOCAL enable_seqscan = off")
                    return self.con.execute(sql, [lexemes, *params, lexemes, limit, offset]).fetchall()
            except psycopg.errors.SyntaxError as exc:  # should not happen: lexemes are quoted
                raise QueryError(f"the search could not run: {exc}") from exc
