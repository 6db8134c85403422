"""The archive interface: every read and write of the archive goes through `Store`.

`Store` is the union of small abstract method groups, one module each:

* `interface_articles.ArticleMethods`: transactions, articles (with their spans), search,
  article listings, feed state, export/import for `rasid copy`;
* `interface_entities.EntityMethods`: entity records and their matching keys, mentions,
  entity and place statistics;
* `interface_stories.StoryMethods`: near-duplicate signatures and links, stories;
* `interface_alerts.AlertMethods`: watches, alerts, surge bookkeeping, webhook deliveries;
* `interface_places.PlaceMethods`: the place page (one place's articles, entities, places);
* `interface_export.ExportMethods`: every kind of record, streamed page by page (exports).

A backend (``sqlite.py``; ``postgres.py``) implements every abstract method. Methods return
plain values (str/int/float/None, dicts, lists, the dataclasses below), never rows or
cursors. The store does no analysis: callers hand it computed values.

Every document offered to `Store.add_documents` ends with one recorded `DocOutcome`:
``stored``, ``duplicate`` (with the id it duplicates and why: ``url``, ``content`` or
``id``), or ``failed`` (with the reason); `Store.replace_document` (a fuller version of a
stored article) ends ``updated``.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

#: Layers that are not copied into the `spans` table (they are per-token bookkeeping).
UNINDEXED_LAYERS = frozenset({"tokens", "sentences"})


def iter_batches(items: Iterable[Any], size: int) -> Iterator[list]:
    """`items` in lists of `size` (the last one shorter), read as they come: the batches
    that one transaction each writes (`Store.add_documents`, `Monitor.store_documents`)."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(slots=True)
class DocOutcome:
    id: str | None
    outcome: str  # "stored", "duplicate", "failed" or "updated" (replace_document)
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
    #: the article has only some of the query's words: it fills the page below the
    #: articles that have enough of them (`rasid.search.plan.fill_plan`)
    partial: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "source": self.source,
                "published": self.published, "url": self.url, "score": self.score,
                "snippet": self.snippet, "matches": [list(m) for m in self.matches],
                "title_matches": [list(m) for m in self.title_matches], "partial": self.partial}


@dataclass
class EntityRecord:
    """One archive entity: ``id`` is 0 until the archive assigns one."""

    id: int
    canonical: str
    type: str
    latin: str
    aliases: set[str] = field(default_factory=set)
    mention_count: int = 0
    first_seen: str | None = None
    last_seen: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "canonical": self.canonical, "type": self.type, "latin": self.latin,
                "aliases": sorted(self.aliases), "mentions": self.mention_count,
                "first_seen": self.first_seen, "last_seen": self.last_seen}


#: What `Store.iter_records` / `Store.import_records` move, in dependency order (an
#: archive copy imports them in this order). Articles bring their spans and mentions.
RECORD_KINDS = ("entities", "entity_keys", "entity_links", "entity_roles", "entity_decisions",
                "articles", "neardup_signatures", "neardup_bands", "near_duplicates", "stories",
                "story_articles", "story_terms", "story_entities", "watches", "watch_matches", "alerts", "deliveries", "state", "progress")

from .interface_alerts import AlertMethods  # noqa: E402
from .interface_articles import ArticleMethods  # noqa: E402
from .interface_entities import EntityMethods  # noqa: E402
from .interface_export import ExportMethods  # noqa: E402
from .interface_places import PlaceMethods  # noqa: E402
from .interface_search import SearchMethods  # noqa: E402
from .interface_stories import StoryMethods  # noqa: E402


class Store(ArticleMethods, EntityMethods, StoryMethods, AlertMethods, PlaceMethods,
            SearchMethods, ExportMethods):
    """The archive: every abstract method of the seven groups, and the events block below.
    A backend subclasses this."""

    # -- events (rasid.events; SQLite: store/sqlite_events.py) ---------------------------
    @abc.abstractmethod
    def find_events(self, filters: dict[str, Any] | None = None, limit: int = 100,
                    offset: int = 0) -> list[dict[str, Any]]:
        """Event records (the ``events`` layer across articles), newest first, as dicts
        with the article's title/url/source/published, the sentence text, archive entity
        ids of actor and recipient and the cross-article ``group``. Filters: ``type``,
        ``mode``, ``actor``/``recipient`` (text), ``actor_ids``/``recipient_ids``/
        ``entity_ids``, ``country`` (ISO2), ``place``, ``place_id`` (gazetteer id), ``since``/``until`` (event day),
        ``uncertain`` (include negated/hypothetical), ``article_ids``, ``group``, ``located``."""

    @abc.abstractmethod
    def find_events_batch(self, queries: list[dict[str, Any]], limit: int = 100,
                          compact: bool = False) -> list[list[dict[str, Any]]]:
        """`find_events(filters, limit)` for each of `queries` (filter dicts), in one go
        where the engine can (PostgreSQL: one statement for many): a list per query.
        `compact`: each event with only its `sql_events.COMPACT_EVENT_FIELDS` (what event grouping
        compares: no article row or sentence is read)."""

    @abc.abstractmethod
    def iter_events(self, filters: dict[str, Any] | None = None, batch_size: int = 500,
                    compact: bool = False) -> Iterator[dict[str, Any]]:
        """Every matching event, oldest first, streamed in batches (exports: no cap);
        `compact` as in `find_events_batch`."""

    @abc.abstractmethod
    def find_group_days(self, group_ids: Iterable[int]) -> dict[int, list[str]]:
        """``{group id: the event days of its members}`` (each event's ``when`` as stored,
        members without one left out; a group without members is absent): what the event
        groups step needs to keep a group within its span, without building event rows."""

    @abc.abstractmethod
    def set_event_groups(self, members: Iterable[tuple[int, int]]) -> int:
        """Record ``(event id, group id)`` memberships of cross-article event groups."""

    @abc.abstractmethod
    def set_watch_event(self, watch_id: int, event: dict[str, Any]) -> None:
        """Store a watch's event criterion (``{"type", "place", "text"}``)."""

    @abc.abstractmethod
    def get_watch_events(self, watch_ids: list[int]) -> dict[int, dict[str, Any]]:
        """``{watch id: event criterion}`` for those of `watch_ids` that have one."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
