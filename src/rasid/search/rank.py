"""Re-rank the engine's best rows with what BM25 does not see: how many of the query's
clauses an article matches (coordination) and how close together they occur (proximity).

The engine's order stands beyond `RERANK_DEPTH` rows, so pages stay consistent. The
factors were chosen by cross-validation on ARCD questions (bench/search_arcd.py,
docs/search.md); with both set to 0 the order is the engine's BM25.
"""
from __future__ import annotations

from dataclasses import dataclass

from .analyzer import Analyzer
from .plan import QueryPlan, SearchRow

RERANK_DEPTH = 30


@dataclass(frozen=True, slots=True)
class RankSettings:
    #: score multiplied by ``1 + coord * (share of positive clauses matched)``
    coord: float = 0.0
    #: added per pair of distinct clauses found within `window` words of each other,
    #: times the best score of the page
    proximity: float = 0.0
    window: int = 4


def index_clauses(plan: QueryPlan) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Maps from stem and from exact form to the positive clauses holding them."""
    by_stem: dict[str, set[int]] = {}
    by_exact: dict[str, set[int]] = {}
    for i, clause in enumerate(plan.positive):
        for form in clause.forms:
            for s in form.stems:
                by_stem.setdefault(s, set()).add(i)
            for e in form.exacts:
                by_exact.setdefault(e, set()).add(i)
    return by_stem, by_exact


def measure_row(row: SearchRow, by_stem, by_exact, analyzer: Analyzer, window: int) -> tuple[int, int]:
    """``(clauses matched, close pairs)`` of one row's title and text."""
    matched: set[int] = set()
    pairs: set[tuple[int, int]] = set()
    for text in (row.title or "", row.text):
        recent: list[tuple[int, int]] = []  # (token position, clause)
        for pos, term in enumerate(analyzer.analyze(text)):
            ids = by_stem.get(term.stem, set()) | by_exact.get(term.exact, set())
            if not ids:
                continue
            recent = [(p, c) for p, c in recent if pos - p <= window]
            for c in ids:
                matched.add(c)
                for _, other in recent:
                    if other != c:
                        pairs.add((min(c, other), max(c, other)))
                recent.append((pos, c))
    return len(matched), len(pairs)


def rerank_rows(rows: list[SearchRow], plan: QueryPlan, analyzer: Analyzer,
                settings: RankSettings) -> list[SearchRow]:
    """The first `RERANK_DEPTH` rows re-scored and re-ordered; the rest as they came."""
    n = len(plan.positive)
    if n < 2 or not rows or (settings.coord == 0 and settings.proximity == 0):
        return rows
    head, tail = rows[:RERANK_DEPTH], rows[RERANK_DEPTH:]
    by_stem, by_exact = index_clauses(plan)
    top = max(r.score for r in head) or 1.0
    scored = []
    for order, row in enumerate(head):
        matched, pairs = measure_row(row, by_stem, by_exact, analyzer, settings.window)
        score = row.score * (1 + settings.coord * matched / n)
        score += settings.proximity * top * pairs / max(1, n - 1)
        scored.append((-score, order, row))
    scored.sort()
    out = []
    for neg, _, row in scored:
        row.score = -neg
        out.append(row)
    return out + tail
