"""The boolean expression of a search `QueryPlan`, once for both engines: FTS5's MATCH syntax
(`sqlite_search.compile_match`) and PostgreSQL's tsquery (`pg_search.compile_tsquery`) differ
only in how one clause is written and in their three operators; and the plan's filters
(`compile_filters`), which differ only in the parameter mark and the membership test."""
from __future__ import annotations

from itertools import combinations
from typing import Any, Callable, NamedTuple

from ..search.plan import PlanClause, QueryPlan, spell_min_should_match
from ..search.query import QueryError


class Operators(NamedTuple):
    any_of: str  # between alternatives: " OR ", " | "
    all_of: str  # between requirements: " AND ", " & "
    but_not: str  # between what must match and what must not: " NOT ", " & !"


def compile_at_least(clauses: list[str], m: int, ops: Operators) -> str:
    """An expression true when at least `m` of `clauses` match: the OR of every m-subset
    ANDed, `m` lowered as `rasid.search.plan.spell_min_should_match` says."""
    n = len(clauses)
    m = spell_min_should_match(n, m)
    if m <= 1:
        return "(" + ops.any_of.join(clauses) + ")"
    if m >= n:
        return "(" + ops.all_of.join(clauses) + ")"
    return "(" + ops.any_of.join("(" + ops.all_of.join(sub) + ")" for sub in combinations(clauses, m)) + ")"


def compile_plan(plan: QueryPlan, clause: Callable[[PlanClause], str], ops: Operators) -> str | None:
    """The expression of a plan (None when it has no positive clause): the required clauses,
    at least ``min_should_match`` of the optional ones (any of them when nothing is required),
    one of the anchors, and none of the excluded clauses nor ``above_min`` of the ``above``."""
    required = [clause(c) for c in plan.required]
    optional = [clause(c) for c in plan.optional]
    parts = list(required)
    if optional:
        if plan.min_should_match >= 1:
            parts.append(compile_at_least(optional, plan.min_should_match, ops))
        elif not required:  # no required clause: any optional word (rank-only otherwise)
            parts.append("(" + ops.any_of.join(optional) + ")")
    if not parts:
        return None
    if plan.anchors:
        parts.append("(" + ops.any_of.join(clause(c) for c in plan.anchors) + ")")
    expr = ops.all_of.join(parts)
    left_out = [clause(c) for c in plan.excluded]
    if plan.above_min >= 1 and plan.above:
        left_out.append(compile_at_least([clause(c) for c in plan.above], plan.above_min, ops))
    if left_out:
        expr = f"({expr}){ops.but_not}(" + ops.any_of.join(left_out) + ")"
    return expr


def compile_filters(plan: QueryPlan, match: str | None, mark: str,
                    is_in: Callable[[str, list], tuple[str, list]]) -> tuple[list[str], list[Any]]:
    """The WHERE conditions on the article ``a`` of a plan's filters (published since and
    before, sources, entities named, articles left out) and their parameters, written with
    `mark` and the store's membership test `is_in`; a QueryError when the plan has neither a
    `match` expression nor an entity to search for."""
    if match is None and not plan.entity_ids:
        raise QueryError("the query has no words to search for")
    where: list[str] = []
    params: list[Any] = []

    def add(condition: str, values: list) -> None:
        where.append(condition)
        params.extend(values)

    if plan.since:
        add(f"a.published >= {mark}", [plan.since])
    if plan.until:
        add(f"a.published < {mark}", [plan.until])
    if plan.sources:
        add(*is_in("a.source", list(plan.sources)))
    for entity_id in plan.entity_ids:
        add(f"a.id IN (SELECT article_id FROM mentions WHERE entity_id = {mark})", [int(entity_id)])
    if plan.exclude_ids:
        condition, values = is_in("a.id", [str(i) for i in plan.exclude_ids])
        add(f"NOT ({condition})", values)
    return where, params
