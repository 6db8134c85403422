"""Run a search: parse the query, compile a `QueryPlan`, let the store's engine find the
rows, then build hits with snippets and highlight offsets on the original text."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from .analyzer import Analyzer, get_analyzer
from .expand import expand_entities
from .plan import QueryPlan, SearchRow, bound_matches, build_plan
from .query import ParsedQuery, QueryError, convert_date_bound, parse_query, unquote_phrases
from .snippets import make_snippet

MAX_LIMIT = 1000


def check_page(limit: Any, offset: Any) -> tuple[int, int]:
    try:
        limit, offset = int(limit), int(offset)
    except (TypeError, ValueError) as exc:
        raise QueryError("limit and offset must be whole numbers", "page_invalid") from exc
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}", "page_invalid")
    if offset < 0:
        raise QueryError("offset must not be negative", "page_invalid")
    return limit, offset


def compile_query(query: Any, analyzer: Analyzer | None = None, store: Any = None,
                  parsed: ParsedQuery | None = None, **settings: Any) -> tuple[ParsedQuery, QueryPlan]:
    """Parse a `rasid.store.SearchQuery` (unless `parsed` is given) and compile its plan
    (`settings` override plan fields such as ``weights``; ``msm`` overrides
    min-should-match). With a `store`, words naming an entity gain its other spellings
    (`rasid.search.expand`); the plan's ``expansions`` say which."""
    limit, offset = check_page(query.limit, query.offset)
    analyzer = analyzer or get_analyzer()
    parsed = parsed or parse_query(query.text, analyzer)
    variants, expansions = (expand_entities(store, parsed, analyzer)
                            if store is not None and getattr(query, "expand", True) else ({}, []))
    sources: tuple[str, ...] = ()
    if query.source:
        sources = (query.source,) if isinstance(query.source, str) else tuple(query.source)
    entity_ids = tuple(getattr(query, "entity_ids", None) or ())
    plan = build_plan(parsed, variants, since=convert_date_bound(query.since),
                      until=convert_date_bound(query.until, upper=True), sources=sources,
                      limit=limit, offset=offset, **settings)
    if entity_ids:
        plan.entity_ids = tuple(dict.fromkeys(plan.entity_ids + entity_ids))
    plan.expansions = expansions
    return parsed, plan


class SearchResult(list):
    """The hits, in order, with ``expansions`` (the other spellings the query gained),
    ``relaxed`` (no article had enough of the words, so any one of them was enough) and
    ``phrases_relaxed`` (no article had the quoted phrases as written, so their words were
    searched as ordinary words)."""

    expansions: list[dict[str, Any]]
    relaxed: bool = False
    phrases_relaxed: bool = False
    #: words left out of the query as too common in the archive (`bound_matches`)
    dropped: list[str] = []

    def page(self, start: int, end: int) -> "SearchResult":
        """A slice that keeps ``expansions``, ``relaxed``, ``phrases_relaxed`` and ``dropped``."""
        out = SearchResult(self[start:end])
        out.expansions, out.relaxed, out.dropped = self.expansions, self.relaxed, self.dropped
        out.phrases_relaxed = self.phrases_relaxed
        return out


def make_hits(rows: list[SearchRow], plan: QueryPlan, analyzer: Analyzer | None = None) -> SearchResult:
    """`SearchHit`s with snippets and highlight offsets in the original title and text."""
    from ..store.base import SearchHit

    analyzer = analyzer or get_analyzer()
    hits = SearchResult()
    hits.expansions = plan.expansions
    stems = {s for c in plan.positive for f in c.forms for s in f.stems}
    exacts = {e for c in plan.positive for f in c.forms for e in f.exacts}
    for row in rows:
        matches = analyzer.find_terms(row.text, stems, exacts)
        snippet = make_snippet(row.text, matches)
        hits.append(SearchHit(row.id, row.title, row.source, row.published, row.url, row.score,
                              snippet.text, matches,
                              analyzer.find_terms(row.title or "", stems, exacts)))
    return hits


def search_store(store: Any, query: Any, analyzer: Analyzer | None = None,
                 **settings: Any) -> SearchResult:
    """Ranked `SearchHit`s of `query` (a `SearchQuery`) in `store`. When no article has
    enough of a question's or long query's words, the first page falls back to any one of
    them (``relaxed``); a short name query never does. When no article has the query's
    quoted phrases, their words are searched as ordinary words (``phrases_relaxed``)."""
    analyzer = analyzer or getattr(store, "analyzer", None) or get_analyzer()
    parsed, plan = compile_query(query, analyzer, store, **settings)
    rows, relaxed = run_plan(store, parsed, plan)
    phrases_relaxed = False
    if not rows and (plan.offset == 0 or not matches_any(store, plan)):
        loose = unquote_phrases(parsed)
        if loose is not None:
            parsed, plan = compile_query(query, analyzer, store, parsed=loose, **settings)
            rows, relaxed = run_plan(store, parsed, plan)
            phrases_relaxed = bool(rows) or matches_any(store, plan)
    hits = make_hits(rows, plan, analyzer)
    hits.relaxed = bool(relaxed and rows)
    hits.phrases_relaxed = phrases_relaxed
    hits.dropped = [c.text for c in plan.dropped]
    return hits


def run_plan(store: Any, parsed: ParsedQuery, plan: QueryPlan) -> tuple[list[SearchRow], bool]:
    """The plan's rows, and whether min-should-match was relaxed to find any."""
    bound_matches(plan, store)
    rows = store.search_rows(plan)
    long_query = parsed.question or len(plan.optional) > 2  # never a short name query
    if not rows and long_query and plan.min_should_match > 1 and plan.offset == 0:
        plan.min_should_match = 1
        plan.anchors = []
        bound_matches(plan, store)
        rows = store.search_rows(plan)
        return rows, True
    return rows, False


def matches_any(store: Any, plan: QueryPlan) -> bool:
    """Whether the plan matches any article at all (filters included)."""
    return bool(store.search_rows(replace(plan, offset=0, limit=1)))


def count_facets(store: Any, query: Any, size: int = 12) -> dict[str, list[dict[str, Any]]]:
    """Exact facet counts (source, day, entity, place, country) over every match; over the
    matches of the phrases' words when no article has the quoted phrases (as
    `search_store`)."""
    analyzer = getattr(store, "analyzer", None)
    parsed, plan = compile_query(query, analyzer, store)
    counts = store.count_facets(plan, size)
    loose = None if any(counts.values()) else unquote_phrases(parsed)
    if loose is not None:
        _, plan = compile_query(query, analyzer, store, parsed=loose)
        counts = store.count_facets(plan, size)
    return counts
