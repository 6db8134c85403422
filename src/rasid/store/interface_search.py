"""Archive interface, part 5: search. `search` is the same for every backend (parsing,
ranking settings, snippets and highlights are `rasid.search`'s); a backend implements the
engine: it runs a compiled `rasid.search.plan.QueryPlan` (plain, analysed values) and
returns plain rows, and counts matches per period and per facet. No analysis happens in
the store."""
from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import SearchHit, SearchQuery


class SearchMethods(abc.ABC):
    def search(self, query: "SearchQuery") -> list["SearchHit"]:
        """Ranked hits (a `rasid.search.searcher.SearchResult`: a list with the query's
        ``expansions``, ``relaxed`` and ``dropped``); raises `rasid.search.QueryError` for
        a query that cannot run."""
        from ..search.query import QueryError
        from ..search.searcher import search_store
        from .base import SearchQuery

        if not isinstance(query, SearchQuery):
            raise QueryError("search() takes a SearchQuery")
        return search_store(self, query)

    @abc.abstractmethod
    def reindex(self, batch_size: int = 500) -> int:
        """Rebuild the search index from the stored articles when it was built by another
        analyzer (its signature in ``index_info``: an opened store calls this, and a second
        process waiting for the first rebuild finds it done); return how many were indexed."""

    @abc.abstractmethod
    def search_rows(self, plan: Any) -> list[Any]:
        """Run a `rasid.search.plan.QueryPlan` (analysed terms, filters, page, window; its
        docstring says what each field means) and return `rasid.search.plan.SearchRow`s,
        best first."""

    @abc.abstractmethod
    def count_matches(self, plan: Any) -> int:
        """How many rows `search_rows` ranks for the plan (at most its ``window``), the
        page ignored (to page on below the strict matches of a query)."""

    @abc.abstractmethod
    def count_by_period(self, plan: Any, width: int = 10) -> list[tuple[str, int]]:
        """``(period, articles)`` for the plan's matches: ``published[:width]`` (10: day,
        13: hour), in order; undated articles left out; the page ignored."""

    @abc.abstractmethod
    def count_facets(self, plan: Any, size: int = 12) -> dict[str, list[dict[str, Any]]]:
        """Exact counts over the plan's matches: ``source``, ``day``, ``entity``,
        ``place``, ``country`` (`rasid.store.sqlite_search` documents the shapes)."""

    @abc.abstractmethod
    def count_documents_with_terms(self, terms: list[str]) -> dict[str, int]:
        """Articles holding each analysed term in any search field (document frequency,
        for key terms and for leaving out common words)."""
