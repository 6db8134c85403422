"""Run a search: parse the query, compile a `QueryPlan`, let the store's engine find the
rows, then build hits with snippets and highlight offsets on the original text."""
from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any, Callable

from ..doc import title_end
from ..store.base import SearchHit
from .analyzer import Analyzer, get_analyzer
from .expand import expand_entities
from .plan import QueryPlan, SearchRow, bound_matches, build_plan, fill_plan
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
    ``relaxed`` (fewer articles than the page asks have enough of the words, so the page
    goes on with articles that have some of them, each hit marked ``partial``) and
    ``phrases_relaxed`` (no article had the quoted phrases as written, so their words were
    searched as ordinary words)."""

    expansions: list[dict[str, Any]]
    phrases_relaxed: bool = False
    #: words left out of the query as too common in the archive (`bound_matches`)
    dropped: list[str] = []

    @property
    def relaxed(self) -> bool:
        return any(h.partial for h in self)

    def page(self, start: int, end: int) -> "SearchResult":
        """A slice that keeps ``expansions``, ``phrases_relaxed`` and ``dropped``."""
        out = SearchResult(self[start:end])
        out.expansions, out.dropped = self.expansions, self.dropped
        out.phrases_relaxed = self.phrases_relaxed
        return out


def make_hits(rows: list[SearchRow], plan: QueryPlan, analyzer: Analyzer | None = None,
              strict: int | None = None) -> SearchResult:
    """`SearchHit`s with snippets and highlight offsets in the original title and text,
    worked out when a hit's are first read (`DeferredHit`); the rows from index
    `strict` on are marked ``partial`` (they fill the page below the strict matches)."""
    analyzer = analyzer or get_analyzer()
    hits = SearchResult()
    hits.expansions = plan.expansions
    stems = {s for c in plan.positive for f in c.forms for s in f.stems}
    exacts = {e for c in plan.positive for f in c.forms for e in f.exacts}
    for i, row in enumerate(rows):
        hits.append(make_deferred_hit(row, strict is not None and i >= strict,
                                      partial(highlight_row, row, analyzer, stems, exacts)))
    return hits


def highlight_row(row: SearchRow, analyzer: Analyzer, stems: set[str], exacts: set[str]) -> tuple:
    """``(snippet, matches, title_matches)`` of a hit."""
    matches = analyzer.find_terms(row.text, stems, exacts)
    snippet = make_snippet(row.text, matches, skip=title_end(row.title, row.text))
    return snippet.text, matches, analyzer.find_terms(row.title or "", stems, exacts)


class DeferredHit(SearchHit):
    """A `SearchHit` whose ``snippet``, ``matches`` and ``title_matches`` are those its
    ``_highlight()`` returns, worked out when one of them is first read: a search that
    pools hundreds of hits to count them (`Monitor.search_page`, the web UI's facets)
    highlights only the page it shows (that was about a third of a cold ``rasid search``)."""

    def __getattr__(self, name: str) -> Any:  # only called for attributes not set yet
        highlight = self.__dict__.get("_highlight")
        if highlight is None or name not in ("snippet", "matches", "title_matches"):
            raise AttributeError(name)
        self.snippet, self.matches, self.title_matches = highlight()
        self.__dict__.pop("_highlight", None)
        return getattr(self, name)


def make_deferred_hit(row: SearchRow, partial_match: bool, highlight: Callable[[], tuple]) -> DeferredHit:
    hit = DeferredHit.__new__(DeferredHit)
    hit.id, hit.title, hit.source, hit.published = row.id, row.title, row.source, row.published
    hit.url, hit.score, hit.partial, hit._highlight = row.url, row.score, partial_match, highlight
    return hit


def search_store(store: Any, query: Any, analyzer: Analyzer | None = None,
                 fill: bool = True, **settings: Any) -> SearchResult:
    """Ranked `SearchHit`s of `query` (a `SearchQuery`) in `store`. When fewer articles
    than the page asks have enough of the plain words (all of one or two words, a share
    of more), the page goes on below them with articles that have some of the words
    (`fill_plan`, hits marked ``partial``; `fill` False leaves them out). When no article
    has the query's quoted phrases, their words are searched as ordinary words
    (``phrases_relaxed``)."""
    analyzer = analyzer or getattr(store, "analyzer", None) or get_analyzer()
    parsed, plan = compile_query(query, analyzer, store, **settings)
    rows, strict = run_plan(store, plan, fill)
    phrases_relaxed = False
    if not rows and (plan.offset == 0 or not matches_any(store, plan)):
        loose = unquote_phrases(parsed)
        if loose is not None:
            parsed, plan = compile_query(query, analyzer, store, parsed=loose, **settings)
            rows, strict = run_plan(store, plan, fill)
            phrases_relaxed = bool(rows) or matches_any(store, plan)
    hits = make_hits(rows, plan, analyzer, strict)
    hits.phrases_relaxed = phrases_relaxed
    hits.dropped = [c.text for c in plan.dropped]
    return hits


def run_plan(store: Any, plan: QueryPlan, fill: bool = True) -> tuple[list[SearchRow], int]:
    """The page's rows: the plan's strict matches, then (when they end on this page) the
    articles with only some of its plain words (`fill_plan`); and how many are strict.
    The fill costs nothing when the strict matches fill the page."""
    bound_matches(plan, store)
    rows = store.search_rows(plan)
    below = fill_plan(plan) if fill and len(rows) < plan.limit else None
    if below is None:
        return rows, len(rows)
    # how many strict matches come before this page's fill (counted only for a page
    # past their end)
    strict_total = plan.offset + len(rows) if rows or not plan.offset else store.count_matches(plan)
    below.offset, below.limit = max(0, plan.offset - strict_total), plan.limit - len(rows)
    bound_matches(below, store)
    return rows + store.search_rows(below), len(rows)


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
