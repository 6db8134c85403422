"""PostgreSQL full-text search over rasid's own analysed terms (no PostgreSQL parser).

The index is a stored ``tsvector`` written as a literal, built from
`rasid.search.analyzer.Analyzer.index_forms` exactly as the SQLite FTS5 columns are:

* stems as they are and exact forms with a leading ``=`` (the two FTS5 column groups
  ``*_stem`` / ``*_exact`` of SQLite), each at its token position;
* title terms at positions 1..n with weight ``A``; body terms after a gap of one position
  with weight ``D`` (so a phrase never runs from the title into the body, as FTS5 columns);
* PostgreSQL caps positions at 16383: terms further into a very long article share the
  last position (they are still found; only phrases that far in can be missed).

A `ParsedQuery` becomes a ``tsquery`` literal with the SQLite MATCH semantics: every
positive clause must match (AND); a clause matches its stems as a phrase OR its exact
forms as a phrase; negated clauses are excluded. Ranking is ``ts_rank`` with the title
weighted `TITLE_WEIGHT` times the body (the FTS5 bm25 weights 3:1) and length
normalisation 1 (rank / (1 + log(length))).
"""
from __future__ import annotations

from ..search.query import Clause, ParsedQuery, QueryError

EXACT_PREFIX = "="
MAX_POSITION = 16383
#: ts_rank weights {D, C, B, A}: body (D) 1/3 of title (A), as the FTS5 bm25 weights 3:1
RANK_WEIGHTS = "{0.333333, 0, 0, 1.0}"
RANK_NORMALIZATION = 1


def quote_lexeme(term: str) -> str:
    """A tsvector/tsquery lexeme literal: single quotes, quotes and backslashes escaped."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def convert_tsvector(title_forms: tuple[str, str], body_forms: tuple[str, str]) -> str:
    """The tsvector literal of an article from its ``(stems, exacts)`` index forms (as
    returned by `Analyzer.index_forms`) of the title and of the body."""
    positions: dict[str, list[str]] = {}
    offset = 0
    for (stems, exacts), weight in ((title_forms, "A"), (body_forms, "")):  # "" = D
        stem_list, exact_list = stems.split(), exacts.split()
        for i, (stem, exact) in enumerate(zip(stem_list, exact_list)):
            pos = f"{min(offset + i + 1, MAX_POSITION)}{weight}"
            positions.setdefault(stem, []).append(pos)
            positions.setdefault(EXACT_PREFIX + exact, []).append(pos)
        offset += len(stem_list) + 1
    parts = []
    for lexeme, pos in positions.items():
        # a lexeme holds at most 256 positions; more add nothing to ts_rank
        parts.append(f"{quote_lexeme(lexeme)}:{','.join(_dedupe(pos)[:256])}")
    return " ".join(parts)


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
