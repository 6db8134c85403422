"""Safe query parsing: user text never reaches an engine's query syntax.

The grammar is ours and tiny:

* plain words are optional and ranked (a query of one or two of them needs all; longer
  queries need a growing share, see `rasid.search.plan`); Arabic question and function
  words (`rasid.search.stopwords`) are dropped unless the query has nothing else (in a
  question also prepositions and question-template words);
* ``"quoted phrases"`` are required, words next to each other in order (an unclosed
  quote runs to the end). Only the ASCII ``"`` quotes: Arabic guillemets ``«»`` and
  typographic ``“”`` are ordinary punctuation, because news text (titles, pasted
  sentences) uses them to mark names and quotations, not phrases. When a query with
  phrases matches nothing, `rasid.search.searcher` runs it again with the phrases' words
  as ordinary words (`unquote_phrases`) and says so;
* ``+word`` / ``+"phrase"`` is required, ``-word`` / ``-"phrase"`` excluded;
* ``entity:ID`` keeps articles that mention archive entity ID.

Everything else (``*``, ``(``, ``NEAR``, ``OR``, ``:``, ``^``) is plain text and goes through
the analyzer like any other word, so only letters and digits survive. The engine receives
analysed terms in a `rasid.search.plan.QueryPlan`, never the user's text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .analyzer import Analyzer, Term, get_analyzer
from .stopwords import is_question, is_stopword, mark_question_words

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
_ENTITY_RE = re.compile(r"^entity:(\d{1,12})$", re.IGNORECASE)


class QueryError(ValueError):
    """A query that cannot be run; the message is meant for the user. `code` names the kind
    of error and `params` its values, so a shell can say it in another language
    (`rasid.server.messages`)."""

    def __init__(self, message: str, code: str = "query_invalid", **params: Any):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(slots=True)
class Clause:
    """A word or phrase of the query, with its analysed terms."""

    text: str
    terms: list[Term]
    phrase: bool = False
    negated: bool = False
    #: must match: a quoted phrase or a ``+word``
    required: bool = False
    #: a question or function word (only kept when the query has nothing else)
    stopword: bool = False
    #: typed with ``+``
    forced: bool = False


@dataclass(slots=True)
class ParsedQuery:
    text: str
    clauses: list[Clause] = field(default_factory=list)
    #: archive entity ids named with ``entity:ID``
    entity_ids: list[int] = field(default_factory=list)
    #: question or function words were dropped: the query is a question or a sentence
    question: bool = False

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    @property
    def negative(self) -> list[Clause]:
        return [c for c in self.clauses if c.negated]

    @property
    def required(self) -> list[Clause]:
        return [c for c in self.clauses if c.required and not c.negated]

    @property
    def optional(self) -> list[Clause]:
        return [c for c in self.clauses if not c.required and not c.negated]

    def match_terms(self) -> tuple[set[str], set[str]]:
        """``(stems, exacts)`` of the positive clauses, for highlighting."""
        stems = {t.stem for c in self.positive for t in c.terms}
        exacts = {t.exact for c in self.positive for t in c.terms}
        return stems, exacts


def split_query(text: str) -> list[tuple[str, bool, str]]:
    """Split raw query text into ``(text, is_phrase, sign)`` pieces; sign is ``""``,
    ``"+"`` or ``"-"``."""
    pieces: list[tuple[str, bool, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        sign = ""
        if ch in "-+" and i + 1 < n and not text[i + 1].isspace():
            sign = ch
            i += 1
            ch = text[i]
        if ch == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            pieces.append((text[i + 1:end], True, sign))
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] != '"':
                j += 1
            pieces.append((text[i:j], False, sign))
            i = j
    return pieces


def parse_query(text: str, analyzer: Analyzer | None = None) -> ParsedQuery:
    """Parse user query text; raise `QueryError` with a readable message if it cannot run."""
    if not isinstance(text, str):
        raise QueryError(f"the query must be text, not {type(text).__name__}", "query_not_text")
    if "\x00" in text:
        text = text.replace("\x00", " ")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is too long ({len(text)} characters; the limit is {MAX_QUERY_CHARS})",
            "query_too_long", length=len(text), limit=MAX_QUERY_CHARS)
    if not text.strip():
        raise QueryError("the query is empty: type at least one word", "query_empty")
    analyzer = analyzer or get_analyzer()
    parsed = ParsedQuery(text)
    for piece, phrase, sign in split_query(text):
        m = _ENTITY_RE.match(piece) if not phrase and sign != "-" else None
        if m:
            parsed.entity_ids.append(int(m.group(1)))
            continue
        terms = analyzer.analyze(piece)
        if not terms:
            continue
        negated, forced = sign == "-", sign == "+"
        if phrase and len(terms) > 1:
            parsed.clauses.append(Clause(piece, terms, True, negated, not negated, False, forced))
        else:  # one word, or "word-with-dashes" / "a/b": each part is its own word
            for t in terms:
                stop = not (phrase or forced or negated) and is_stopword(t.exact)
                parsed.clauses.append(Clause(piece if len(terms) == 1 else t.exact, [t], False,
                                             negated, (forced or phrase) and not negated, stop,
                                             forced))
    if not parsed.clauses and not parsed.entity_ids:
        raise QueryError("the query has no searchable words (only punctuation or symbols)",
                         "query_no_words")
    drop_stopwords(parsed)
    if len(parsed.clauses) > MAX_CLAUSES:
        raise QueryError(
            f"the query has too many words ({len(parsed.clauses)}; the limit is {MAX_CLAUSES})",
            "query_too_many_words", words=len(parsed.clauses), limit=MAX_CLAUSES)
    if not parsed.positive and not parsed.entity_ids:
        raise QueryError("the query has no words to search for, only excluded ones",
                         "query_only_excluded")
    return parsed


def drop_stopwords(parsed: ParsedQuery) -> None:
    """Leave out question and function words (in a question also its glue and template
    words, `rasid.search.stopwords.mark_question_words`) unless the query has nothing else
    (then it is a question or a sentence: ``parsed.question``)."""
    if is_question(parsed.text):
        mark_question_words(parsed.clauses)
    content = [c for c in parsed.clauses if not c.stopword]
    if content and any(not c.negated for c in content):
        parsed.question = parsed.question or len(content) < len(parsed.clauses)
        parsed.clauses = content


def unquote_phrases(parsed: ParsedQuery) -> ParsedQuery | None:
    """The query with its quoted phrases' (and quoted single words') words as ordinary
    words (``+"a b"`` gives ``+a +b``; question and function words in them go as in plain
    text), or None when it has nothing quoted to relax. ``+word`` stays required and
    excluded phrases (``-"a b"``) stay phrases."""
    def quoted(c: Clause) -> bool:
        return c.required and (c.phrase or not c.forced)

    if not any(quoted(c) for c in parsed.clauses):
        return None
    out = ParsedQuery(parsed.text, entity_ids=list(parsed.entity_ids), question=parsed.question)
    for c in parsed.clauses:
        if not quoted(c):
            out.clauses.append(c)
            continue
        for t in c.terms:
            text = c.text[t.start:t.end] if c.phrase else c.text
            out.clauses.append(Clause(text, [t], False, False, c.forced,
                                      not c.forced and is_stopword(t.exact), c.forced))
    drop_stopwords(out)
    return out


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
        raise QueryError(f"a date bound must be an ISO date, not {value!r}", "date_invalid",
                         value=str(value))
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
        raise QueryError(f"not an ISO date: {value!r} (use YYYY-MM-DD)", "date_invalid",
                         value=value) from exc
