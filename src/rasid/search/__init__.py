"""Search: analysis into index terms, safe query parsing, the engine-neutral query plan,
re-ranking, snippets on the original text, trend, facets and more-like-this."""
from __future__ import annotations

from .analyzer import Analyzer, Term, get_analyzer
from .plan import QueryPlan, SearchRow, build_plan
from .query import ParsedQuery, QueryError, parse_query
from .snippets import Snippet, find_matches, highlight, make_snippet

__all__ = ["Analyzer", "ParsedQuery", "QueryError", "QueryPlan", "SearchRow", "Snippet", "Term",
           "build_plan", "find_matches", "get_analyzer", "highlight", "make_snippet",
           "parse_query"]
