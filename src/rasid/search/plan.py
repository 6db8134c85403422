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
* ``anchors``: when not empty, at least one of these (also optional) clauses must match;
* ``above`` / ``above_min``: when ``above_min`` is at least 1, articles where at least
  ``above_min`` of the ``above`` clauses match are left out: such a plan fills a page
  below the strict matches of another plan (`fill_plan`);
* ``window``: engines score at most this many matches, the most recently added (0: all),
  so that a query matching most of a large archive stays fast; with fewer matches the
  ranking is exact.

Engines return `SearchRow`s; snippets, highlights and the final order are built here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from .query import Clause, ParsedQuery

#: field weights (title_stem, title_exact, body_stem, body_exact): docs/search.md
DEFAULT_WEIGHTS = (3.0, 3.0, 1.0, 1.0)
#: matches scored at most, the newest first (docs/search.md, bench/bench_search.py)
DEFAULT_WINDOW = 5000
#: articles a query's optional words may reach before only its rarest ones select them
MATCH_BUDGET = 2000
#: the largest number of m-subsets an engine spells out for min-should-match
MAX_SUBSETS = 10


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
    #: the rarest optional clauses, when the query's words are common: at least one of
    #: them must match (`bound_matches`), so that scoring stays within a budget
    anchors: list[PlanClause] = field(default_factory=list)
    #: the strict matches this plan continues below: left out when at least ``above_min``
    #: of these clauses match (`fill_plan`)
    above: list[PlanClause] = field(default_factory=list)
    above_min: int = 0
    #: for the user, not the engine: common words left out (`bound_matches`)
    dropped: list[PlanClause] = field(default_factory=list)
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


def spell_min_should_match(n: int, m: int) -> int:
    """The "at least `m` of `n`" an engine spells out as the OR of every m-subset: `m`
    lowered while there would be more than `MAX_SUBSETS` subsets (down to 1, the OR),
    because an engine reads every term's postings once per subset; BM25 still ranks
    articles with more of the words first."""
    m = min(max(m, 1), n)
    while 1 < m < n and math.comb(n, m) > MAX_SUBSETS:
        m -= 1
    return m


def fill_plan(plan: QueryPlan) -> QueryPlan | None:
    """The plan that fills a page below `plan`'s strict matches: its plain words as an
    OR (any one of them), leaving out the articles `plan` matches; None when `plan` already
    takes any one of them (nothing to fill). Required clauses (``+word``, quoted phrases),
    excluded ones and the filters are kept as they are: only min-should-match is relaxed."""
    if not plan.optional or plan.min_should_match < 1:
        return None
    m = spell_min_should_match(len(plan.optional), plan.min_should_match)
    if m <= 1:
        return None
    return replace(plan, min_should_match=1, anchors=[], above=list(plan.optional), above_min=m,
                   dropped=[])


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


#: a word in more than this share of the archive's articles is left out of a query that
#: has rarer words (its BM25 weight is small, and reading its postings is what costs)
COMMON_SHARE = 0.1
#: below this many articles `bound_matches` changes nothing: every query is exact
COMMON_MIN_ARCHIVE = 20_000


class TermCounts:
    """Document counts of index terms, cached per store: reading one from FTS5 walks the
    term's whole posting list, which is the very cost being avoided. Counts are only used
    to choose anchors and leave out common words, never to score, so a count a few
    thousand articles stale does no harm; the cache is emptied when the archive has
    grown by a tenth."""

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self.counts: dict[str, int] = {}
        self.size = 0

    def lookup(self, store: Any, terms: list[str]) -> tuple[dict[str, int], int]:
        """``({term: articles}, archive size)``."""
        size = store.count_documents()
        if abs(size - self.size) > self.size / 10 or len(self.counts) > self.limit:
            self.counts.clear()
            self.size = size
        missing = [t for t in terms if t not in self.counts]
        if missing:
            found = store.count_documents_with_terms(missing)
            for t in missing:
                self.counts[t] = found.get(t, 0)
        return {t: self.counts[t] for t in terms}, size


def bound_matches(plan: QueryPlan, store: Any, budget: int = MATCH_BUDGET) -> None:
    """Keep a query over common words cheap on an archive of at least
    `COMMON_MIN_ARCHIVE` articles; on a smaller one every match is scored (no window).

    1. Optional clauses whose words are in more than `COMMON_SHARE` of the articles are
       left out when rarer ones remain (``plan.dropped``).
    2. When the remaining optional clauses together reach more than `budget` articles,
       ``plan.anchors`` is set to the rarest of them that stay within it (at least one): an
       article must hold one of those to be scored at all, and min-should-match drops to 1
       (spelt-out subsets would re-read every posting list). An article with only the
       common words would rank low anyway (MaxScore's "essential terms", kept simple).
    """
    if store.count_documents() < COMMON_MIN_ARCHIVE:
        plan.window = 0  # a small archive: every match is scored
        return
    if plan.required or len(plan.optional) < 2 or plan.min_should_match >= len(plan.optional):
        return  # anchored already, or every word required (an intersection: cheap)
    counter = getattr(store, "_term_counts", None)
    if counter is None:
        counter = TermCounts()
        try:
            store._term_counts = counter
        except AttributeError:  # a store with slots: no cache
            pass
    terms = sorted({f.stems[0] for c in plan.optional for f in c.forms if f.stems})
    df, size = counter.lookup(store, terms)
    counted = sorted(((sum(df.get(f.stems[0], 0) for f in c.forms if f.stems), i, c)
                      for i, c in enumerate(plan.optional)), key=lambda x: (x[0], x[1]))
    rare = [x for x in counted if x[0] <= COMMON_SHARE * size]
    if rare and len(rare) < len(counted):
        plan.dropped = [c for n, i, c in counted if n > COMMON_SHARE * size]
        kept = {i for _, i, _ in rare}
        plan.optional = [c for i, c in enumerate(plan.optional) if i in kept]
        plan.min_should_match = min(plan.min_should_match, len(plan.optional))
        counted = rare
    if sum(n for n, _, _ in counted) <= budget:
        return
    anchors, total = [], 0
    for n, _, clause in counted:
        if anchors and total + n > budget:
            break
        anchors.append(clause)
        total += n
    if len(anchors) < len(plan.optional):
        plan.anchors = anchors
        # the anchors bound the matches; spelling "m of n" out as subsets would re-read
        # every posting list once per subset, so any one word (and an anchor) suffices
        plan.min_should_match = min(plan.min_should_match, 1)
