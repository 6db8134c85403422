"""The archive interface the CLI, API and Monitor use; `sqlite.py` is the default backend.

Every document offered to `Store.add_documents` ends with one recorded `DocOutcome`:
``stored``, ``duplicate`` (with the id it duplicates and why: ``url`` or ``content``),
or ``failed`` (with the reason).
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ..doc import Document

#: Layers that are not copied into the `spans` table (they are per-token bookkeeping).
UNINDEXED_LAYERS = frozenset({"tokens", "sentences"})


@dataclass(slots=True)
class DocOutcome:
    id: str | None
    outcome: str  # "stored", "duplicate" or "failed"
    reason: str = ""  # duplicate: "url" / "content" / "id"; failed: the error
    duplicate_of: str | None = None
    origin: str | None = None


@dataclass
class IngestReport:
    stored: int = 0
    duplicate: int = 0
    failed: int = 0
    batches: int = 0
    outcomes: list[DocOutcome] = field(default_factory=list)

    def add(self, outcome: DocOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.outcome == "stored":
            self.stored += 1
        elif outcome.outcome == "duplicate":
            self.duplicate += 1
        else:
            self.failed += 1

    @property
    def total(self) -> int:
        return self.stored + self.duplicate + self.failed

    def to_dict(self, with_outcomes: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"stored": self.stored, "duplicate": self.duplicate,
                               "failed": self.failed, "batches": self.batches}
        if with_outcomes:
            out["outcomes"] = [
                {"id": o.id, "outcome": o.outcome, "reason": o.reason,
                 "duplicate_of": o.duplicate_of, "origin": o.origin}
                for o in self.outcomes
            ]
        return out


@dataclass(slots=True)
class SearchQuery:
    text: str
    since: Any = None  # ISO date/datetime string, date or datetime; inclusive
    until: Any = None  # inclusive (a date includes the whole day)
    source: str | list[str] | None = None
    limit: int = 10
    offset: int = 0
    #: only articles mentioning every one of these archive entities
    entity_ids: tuple[int, ...] = ()
    #: add other spellings of the entities the query names (rasid.search.expand)
    expand: bool = True


@dataclass(slots=True)
class SearchHit:
    id: str
    title: str
    source: str | None
    published: str | None
    url: str | None
    score: float  # higher is better (negated FTS5 bm25)
    snippet: str
    #: `[start, end)` offsets of matched words in the original body text
    matches: list[tuple[int, int]] = field(default_factory=list)
    title_matches: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "source": self.source,
                "published": self.published, "url": self.url, "score": self.score,
                "snippet": self.snippet, "matches": [list(m) for m in self.matches],
                "title_matches": [list(m) for m in self.title_matches]}


class Store(abc.ABC):
    """An article archive with search and small key/value state (e.g. per-feed state)."""

    @abc.abstractmethod
    def add_documents(self, docs: Iterable[Document], batch_size: int = 500) -> IngestReport:
        """Store documents, skipping duplicates by canonical URL and by normalised content.
        One transaction per batch: if `docs` raises, the batches already committed stay
        and the exception propagates; running again resumes without duplicates."""

    def add_document(self, doc: Document) -> DocOutcome:
        return self.add_documents([doc]).outcomes[0]

    @abc.abstractmethod
    def get_document(self, id: str) -> Document | None:
        """The stored document with its layers, or None."""

    @abc.abstractmethod
    def count_documents(self) -> int: ...

    @abc.abstractmethod
    def iter_documents(self, batch_size: int = 500) -> Iterator[Document]:
        """All documents in insertion order."""

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]:
        """``articles``, ``sources`` ({source: count}), ``published`` ({min, max}),
        ``spans`` ({layer: count}) and ``entities`` ({label: count})."""

    def search(self, query: SearchQuery) -> list[SearchHit]:
        """BM25-ranked hits; raises `rasid.search.QueryError` for a query that cannot run.
        Parsing, ranking settings and snippets are `rasid.search`'s; the engine runs the
        compiled plan in `search_rows`."""
        from ..search.searcher import search_store

        if not isinstance(query, SearchQuery):
            from ..search.query import QueryError

            raise QueryError("search() takes a SearchQuery")
        return search_store(self, query)

    @abc.abstractmethod
    def search_rows(self, plan: Any) -> list[Any]:
        """Run a `rasid.search.plan.QueryPlan` (analysed terms, filters, page; its docstring
        says what each field means) and return `rasid.search.plan.SearchRow`s, best first."""

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
        """Articles holding each analysed term in any search field (for key terms)."""

    @abc.abstractmethod
    def get_state(self, key: str, default: Any = None) -> Any:
        """A JSON value stored with `set_state`, or `default`."""

    @abc.abstractmethod
    def set_state(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value (None deletes the key)."""

    @abc.abstractmethod
    def has_document(self, doc: Document) -> bool:
        """Whether `doc` (same id, canonical URL or normalised content) is stored already."""

    @property
    @abc.abstractmethod
    def location(self) -> str:
        """Where the archive lives (a path or URL without password)."""

    # -- entities and places ---------------------------------------------------------
    @abc.abstractmethod
    def top_entities(self, type: str | None = None, since: str | None = None,
                     until: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Entities by mentions (within articles published in the range, if given)."""

    @abc.abstractmethod
    def find_entities(self, name: str, type: str | None = None, limit: int = 10) -> list[Any]:
        """Entity records for a name in any spelling, Arabic or Latin."""

    @abc.abstractmethod
    def entity_profile(self, entity_id: int, limit: int = 10) -> dict[str, Any] | None:
        """Aliases, articles over time, co-mentioned entities and places of one entity."""

    @abc.abstractmethod
    def top_places(self, country: str | None = None, since: str | None = None,
                   until: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Resolved places with coordinates and mention counts."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
