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
        """The surface forms mentioned for the entity: [{text, mentions, first_seen,
        last_seen}] (days of the articles' publication), most first."""

    @abc.abstractmethod
    def top_places(self, country: str | None = None, since: str | None = None,
                   until: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Resolved places (demonyms left out), most mentioned first: {name, name_en,
        country, lat, lon, feature, geonameid, mentions, articles}."""

    # -- why names were linked, roles, the user's decisions (store/sql_entity_names.py) ---
    @abc.abstractmethod
    def add_entity_links(self, entity_id: int, reasons: dict[str, str]) -> None:
        """Record why each surface form was linked to the entity ({name: reason}); a name
        that has a reason already keeps it."""

    @abc.abstractmethod
    def add_entity_links_many(self, items: Iterable[tuple[int, dict[str, str]]]) -> None:
        """`add_entity_links` for several ``(entity_id, reasons)`` at once, in order."""

    @abc.abstractmethod
    def set_entity_link(self, entity_id: int, name: str, reason: str) -> None:
        """Record (or replace) the reason of one name."""

    @abc.abstractmethod
    def list_entity_links(self, entity_id: int) -> dict[str, str]:
        """``{name: reason}`` for the entity."""

    @abc.abstractmethod
    def add_entity_roles(self, entity_id: int, roles: Iterable[tuple[str, str, str | None]]) -> None:
        """Count one mention of each ``(role key, role as written, day)``, widening the
        role's first/last seen days."""

    @abc.abstractmethod
    def add_entity_roles_many(self, items: Iterable[tuple[int, Iterable[tuple[str, str, str | None]]]]) -> None:
        """`add_entity_roles` for several ``(entity_id, roles)`` at once, in order."""

    @abc.abstractmethod
    def list_entity_roles(self, entity_id: int) -> list[dict[str, Any]]:
        """[{role, text, first_seen, last_seen, mentions}] of the entity, most first."""

    @abc.abstractmethod
    def find_role_holders(self, role: str) -> list[dict[str, Any]]:
        """Entities seen with the role key: [{entity_id, text, first_seen, last_seen,
        mentions}], most mentions first."""

    @abc.abstractmethod
    def add_entity_decision(self, kind: str, entity_id: int, name: str,
                            other_id: int | None = None) -> None:
        """Record a user's decision: ``merge`` (the normalised `name` belongs to `entity_id`)
        or ``split`` (`name` left `entity_id` for `other_id`)."""

    @abc.abstractmethod
    def list_entity_decisions(self) -> list[dict[str, Any]]:
        """Every decision: [{id, kind, entity_id, name, other_id, created_at}], oldest first."""

    @abc.abstractmethod
    def list_entity_article_ids(self, entity_id: int) -> list[str]:
        """Ids of the articles that mention the entity."""

    @abc.abstractmethod
    def move_entity_rows(self, from_id: int, to_id: int) -> None:
        """Give `to_id` the keys, link reasons, roles, mentions and decisions of `from_id`,
        then delete `from_id` (the articles' span attributes are the caller's business)."""

    @abc.abstractmethod
    def remove_entity_keys(self, entity_id: int, keys: Iterable[str]) -> None:
        """Forget matching keys of the entity."""
