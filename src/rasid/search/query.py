"""Safe query parsing: user text never reaches FTS5 syntax.

The grammar is ours and tiny: words, ``"quoted phrases"`` (an unclosed quote runs to the
end) and a leading ``-`` to exclude a word or phrase. Everything else (``*``, ``(``,
``NEAR``, ``OR``, ``:``, ``^``) is plain text and goes through the analyzer like any other
word, so only letters and digits survive. The FTS5 MATCH string is then built from the
analysed terms, each phrase double-quoted, with column filters of our own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .analyzer import Analyzer, Term, get_analyzer

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32

STEM_COLUMNS = ("title_stem", "body_stem")
EXACT_COLUMNS = ("title_exact", "body_exact")


class QueryError(ValueError):
    """A query that cannot be run; the message is meant for the user."""


@dataclass(slots=True)
class Clause:
    """A word or phrase of the query, with its analysed terms."""

    text: str
    terms: list[Term]
    phrase: bool = False
    negated: bool = False


@dataclass(slots=True)
class ParsedQuery:
    text: str
    clauses: list[Clause] = field(default_factory=list)

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    @property
    def negative(self) -> list[Clause]:
        return [c for c in self.clauses if c.negated]

    def match_terms(self) -> tuple[set[str], set[str]]:
        """``(stems, exacts)`` of the positive clauses, for highlighting."""
        stems = {t.stem for c in self.positive for t in c.terms}
        exacts = {t.exact for c in self.positive for t in c.terms}
        return stems, exacts

    def to_fts(self, mode: str = "all", stem_columns=STEM_COLUMNS,
               exact_columns=EXACT_COLUMNS) -> str:
        """The FTS5 MATCH expression. ``mode``: ``"all"`` clauses must match (AND) or
        ``"any"`` (OR, for ranking experiments)."""
        if mode not in ("all", "any"):
            raise ValueError("mode must be 'all' or 'any'")
        pos = [convert_clause(c, stem_columns, exact_columns) for c in self.positive]
        if not pos:
            raise QueryError("the query has no words to search for, only excluded ones")
        expr = "(" + (" AND " if mode == "all" else " OR ").join(pos) + ")"
        neg = [convert_clause(c, stem_columns, exact_columns) for c in self.negative]
        if neg:
            expr += " NOT (" + " OR ".join(neg) + ")"
        return expr


def quote_fts(text: str) -> str:
    """An FTS5 string literal: double quotes, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def _colset(columns) -> str:
    return "{" + " ".join(columns) + "}"


def convert_clause(clause: Clause, stem_columns=STEM_COLUMNS, exact_columns=EXACT_COLUMNS) -> str:
    stems = quote_fts(" ".join(t.stem for t in clause.terms))
    exacts = quote_fts(" ".join(t.exact for t in clause.terms))
    parts = []
    if stem_columns:
        parts.append(f"{_colset(stem_columns)} : {stems}")
    if exact_columns:
        parts.append(f"{_colset(exact_columns)} : {exacts}")
    return "(" + " OR ".join(parts) + ")"


def split_query(text: str) -> list[tuple[str, bool, bool]]:
    """Split raw query text into ``(text, is_phrase, negated)`` pieces."""
    pieces: list[tuple[str, bool, bool]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
            ch = text[i]
        if ch == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            pieces.append((text[i + 1:end], True, negated))
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] != '"':
                j += 1
            pieces.append((text[i:j], False, negated))
            i = j
    return pieces


def parse_query(text: str, analyzer: Analyzer | None = None) -> ParsedQuery:
    """Parse user query text; raise `QueryError` with a readable message if it cannot run."""
    if not isinstance(text, str):
        raise QueryError(f"the query must be text, not {type(text).__name__}")
    if "\x00" in text:
        text = text.replace("\x00", " ")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is too long ({len(text)} characters; the limit is {MAX_QUERY_CHARS})")
    if not text.strip():
        raise QueryError("the query is empty: type at least one word")
    analyzer = analyzer or get_analyzer()
    parsed = ParsedQuery(text)
    for piece, phrase, negated in split_query(text):
        terms = analyzer.analyze(piece)
        if not terms:
            continue
        if phrase or len(terms) == 1:
            parsed.clauses.append(Clause(piece, terms, phrase and len(terms) > 1, negated))
        else:  # "word-with-dashes" or "a/b": each part is its own word
            parsed.clauses.extend(Clause(piece, [t], False, negated) for t in terms)
    if not parsed.clauses:
        raise QueryError("the query has no searchable words (only punctuation or symbols)")
    if len(parsed.clauses) > MAX_CLAUSES:
        raise QueryError(
            f"the query has too many words ({len(parsed.clauses)}; the limit is {MAX_CLAUSES})")
    if not parsed.positive:
        raise QueryError("the query has no words to search for, only excluded ones")
    return parsed


def convert_date_bound(value, upper: bool = False) -> str | None:
    """Turn a `since`/`until` bound (ISO string, date or datetime) into a string that
    compares correctly with stored ISO ``published`` values. Upper bounds are used with
    ``<`` and include the whole of `until` (a date gives the next day)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat() + ("\x7f" if upper else "")
    if isinstance(value, date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise QueryError(f"a date bound must be an ISO date, not {value!r}")
    value = value.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return (day + timedelta(days=1)).isoformat() if upper else day.isoformat()
        if len(value) == 7:  # YYYY-MM
            y, m = int(value[:4]), int(value[5:])
            if upper:
                return f"{y + (m == 12):04d}-{m % 12 + 1:02d}"
            return date(y, m, 1).isoformat()
        if len(value) == 4 and value.isdigit():
            return f"{int(value) + 1:04d}" if upper else value
        return datetime.fromisoformat(value).isoformat() + ("\x7f" if upper else "")
    except ValueError as exc:
        raise QueryError(f"not an ISO date: {value!r} (use YYYY-MM-DD)") from exc
