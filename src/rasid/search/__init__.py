"""Search: analysis into index terms, safe query parsing, snippets on the original text."""
from __future__ import annotations

from .analyzer import Analyzer, Term, get_analyzer
from .query import ParsedQuery, QueryError, parse_query
from .snippets import Snippet, find_matches, highlight, make_snippet

__all__ = ["Analyzer", "ParsedQuery", "QueryError", "Snippet", "Term", "find_matches",
           "get_analyzer", "highlight", "make_snippet", "parse_query"]
