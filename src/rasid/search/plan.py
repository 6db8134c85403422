"""The compiled query plan: what a store engine receives from `rasid.search`.

A `QueryPlan` holds plain, already analysed values and nothing engine-specific, so the
SQLite engine (FTS5, `rasid.store.sqlite_search`) and the PostgreSQL engine (tsvector)
run the same plan:

* every clause is a `PlanClause`: one or more alternative spellings (`Form`), each a
  sequence of analysed terms in two forms, ``stems`` (for the stemmed fields) and
  ``exacts`` (for the exact fields). A clause matches a document when any alternative
  occurs as consecutive terms in any field, in its stem form in a stem field or in its
  exact form in an exact field (one term: a word; several: a phrase);
* ``required`` clauses must all match, ``excluded`` ones must not, and at least
  ``min_should_match`` of the ``optional`` ones should match (an engine may lower it where
  it cannot express it cheaply, never below 1: it says how in its docstring);
* the score is BM25 (k1 1.2, b 0.75) summed over the positive clauses' alternatives and
  fields, each field's term frequency weighted by ``weights`` (``title_stem``,
  ``title_exact``, ``body_stem``, ``body_exact``); higher is better;
* filters: ``since`` (inclusive) / ``until`` (exclusive) compared as strings with the ISO
  ``published`` value, ``sources`` (any of), ``entity_ids`` (the article mentions every one),
  ``exclude_ids`` (never returned);
* ``limit`` / ``offset`` page the rows in score order (ties by insertion order);
* ``window``: engines score at most this many matches, the most recently added (0: all),
  so that a query matching most of a large archive stays fast; with fewer matches the
  ranking is exact.

Engines return `SearchRow`s; snippets, highlights and the final order are built here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

from .query import Clause, ParsedQuery

#: field weights (title_stem, title_exact, body_stem, body_exact): docs/search.md
DEFAULT_WEIGHTS = (3.0, 3.0, 1.0, 1.0)
#: matches scored at most, the newest first (docs/search.md, bench/bench_search.py)
DEFAULT_WINDOW = 2000


class Form(NamedTuple):
    """One spelling of a clause: its analysed terms in order."""

    stems: tuple[str, ...]
    exacts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanClause:
    text: str
    forms: tuple[Form, ...]

    @property
    def is_phrase(self) -> bool:
        return any(len(f.stems) > 1 for f in self.forms)


@dataclass(slots=True)
class QueryPlan:
    required: list[PlanClause] = field(default_factory=list)
    optional: list[PlanClause] = field(default_factory=list)
    excluded: list[PlanClause] = field(default_factory=list)
    min_should_match: int = 0
    weights: tuple[float, float, float, float] = DEFAULT_WEIGHTS
    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] = ()
    entity_ids: tuple[int, ...] = ()
    #: article ids never returned (more-like-this leaves out its own article)
    exclude_ids: tuple[str, ...] = ()
    limit: int = 10
    offset: int = 0
    window: int = DEFAULT_WINDOW
    #: for the user, not the engine: the spellings entity expansion added
    expansions: list = field(default_factory=list)

    @property
    def positive(self) -> list[PlanClause]:
        return self.required + self.optional


@dataclass(slots=True)
class SearchRow:
    """What an engine returns for one matching article."""

    id: str
    title: str
    text: str
    source: str | None
    published: str | None
    url: str | None
    score: float


#: share of a long query's optional clauses that must match (docs/search.md)
MSM_SHARE = 0.34


def compute_min_should_match(n_optional: int, n_required: int = 0,
                             share: float = MSM_SHARE, question: bool = False) -> int:
    """How many optional clauses must match: all of one or two words (short name queries
    keep their precision; not so for a question, which had question words dropped), then
    ``share`` of them rounded, at least one; none when required clauses anchor the query."""
    if n_optional == 0 or n_required:
        return 0
    if n_optional <= 2 and not question:
        return n_optional
    return max(1, math.floor(share * n_optional + 0.5))


def convert_clause(clause: Clause, variants: dict[str, list[Form]] | None = None) -> PlanClause:
    forms = [Form(tuple(t.stem for t in clause.terms), tuple(t.exact for t in clause.terms))]
    for extra in (variants or {}).get(clause.text, []):
        if extra not in forms:
            forms.append(extra)
    return PlanClause(clause.text, tuple(forms))


def build_plan(parsed: ParsedQuery, variants: dict[str, list[Form]] | None = None,
               msm: int | None = None, msm_share: float = MSM_SHARE, **settings) -> QueryPlan:
    """The plan of a parsed query; `variants` adds other spellings to a clause (by its
    text), `msm` overrides `compute_min_should_match`, `settings` sets plan fields."""
    required = [convert_clause(c, variants) for c in parsed.required]
    optional = []
    seen = {c.forms for c in required}
    for c in parsed.optional:
        pc = convert_clause(c, variants)
        if pc.forms not in seen:  # a repeated word counts once
            seen.add(pc.forms)
            optional.append(pc)
    excluded = [convert_clause(c, variants) for c in parsed.negative]
    plan = QueryPlan(required, optional, excluded, entity_ids=tuple(parsed.entity_ids), **settings)
    plan.min_should_match = (compute_min_should_match(len(optional), len(required), msm_share,
                                                      parsed.question)
                             if msm is None else min(msm, len(optional)))
    return plan
