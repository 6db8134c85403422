"""Archive interface, part 2: entity records, their matching keys, mentions, statistics.

Entity resolution itself (which record an article's names belong to) is analysis and
lives in `rasid.entities.archive`; it reads and writes through these methods.
"""
from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from .base import EntityRecord


class EntityMethods(abc.ABC):
    @abc.abstractmethod
    def find_entity_candidates(self, keys: Iterable[str]) -> list["EntityRecord"]:
        """Records holding any of the matching `keys`, by ascending id."""

    @abc.abstractmethod
    def add_entity(self, record: "EntityRecord", keys: Iterable[str]) -> "EntityRecord":
        """Insert a new record with its keys; sets and returns it with its new ``id``."""

    @abc.abstractmethod
    def update_entity(self, record: "EntityRecord", keys: Iterable[str]) -> None:
        """Overwrite the record's fields (by ``id``) and add `keys` (existing keys stay)."""

    @abc.abstractmethod
    def get_entity(self, entity_id: int) -> "EntityRecord | None":
        """One record, or None."""

    # -- batches: a whole ingest batch resolved with a few statements (rasid.entities.archive)
    @abc.abstractmethod
    def find_entity_keys(self, keys: Iterable[str]) -> dict[str, set[int]]:
        """``{key: ids of the records holding it}`` for those of `keys` that any record holds."""

    @abc.abstractmethod
    def get_entities(self, entity_ids: Iterable[int]) -> list["EntityRecord"]:
        """The records of the known ids among `entity_ids`, by ascending id."""

    @abc.abstractmethod
    def latest_entity_id(self) -> int:
        """The highest record id, 0 when there is none (inside a write transaction, the
        next new records may take the ids after it: see `save_entities`)."""

    @abc.abstractmethod
    def save_entities(self, records: list["EntityRecord"], keys: dict[int, Iterable[str]]) -> None:
        """Write `records` by their ``id``: a record with a new id is inserted under that id
        (one above `latest_entity_id`, in the same write transaction), a known one
        overwritten; then add ``keys[id]`` to each record (existing keys stay)."""

    @abc.abstractmethod
    def count_entity_mentions(self, entity_ids: list[int]) -> dict[int, int]:
        """``{entity_id: mention_count}`` (the records' totals) for the known ids."""

    @abc.abstractmethod
    def count_article_mentions(self, article_id: str) -> dict[int, int]:
        """``{entity_id: mentions in this article}``."""

    @abc.abstractmethod
    def top_entities(self, type: str | None = None, since: str | None = None,
                     until: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Entities by mentions, most first: `EntityRecord.to_dict()` plus ``articles``
        (distinct articles); with a date range, ``mentions``/``articles`` count only
        articles published in [since, until] (until: a day, inclusive)."""

    @abc.abstractmethod
    def entity_profile(self, entity_id: int, limit: int = 10) -> dict[str, Any] | None:
        """`EntityRecord.to_dict()` plus ``timeline`` [{date, articles}], ``articles``
        [{id, title, published, source, mentions}] (latest first), ``co_mentioned``
        [{id, canonical, type, articles}] and ``places`` [{name, country, articles}];
        None for an unknown id."""

    @abc.abstractmethod
    def entity_spellings(self, entity_id: int) -> list[dict[str, Any]]:
        """The surface forms mentioned for the entity: [{text, mentions}], most first."""

    @abc.abstractmethod
    def top_places(self, country: str | None = None, since: str | None = None,
                   until: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Resolved places (demonyms left out), most mentioned first: {name, name_en,
        country, lat, lon, feature, geonameid, mentions, articles}."""
