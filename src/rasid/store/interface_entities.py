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
