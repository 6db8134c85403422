"""Entity resolution across the archive: the `resolve_entities` archive step's work.

`resolve_article_entities(archive, doc)` assigns each entity cluster of a stored article
to an archive entity (`EntityResolver` over `ArchiveEntityIndex`, which reads and writes
entity records through the archive's named methods) and records the spans' new
attributes with ``archive.set_entity_mentions``. `lookup_entities` finds the records of
a name (exact after normalisation), `suggest_entity_names` the closest others.
"""
from __future__ import annotations

from typing import Any, Iterable

from ..doc import Document
from ..store.base import EntityRecord
from .linking import ENTITY_LAYER, OFFICE_LAYER
from .lookup import find_entities, suggest_entities
from .resolver import EntityRecordUpdate, EntityResolver


class ArchiveEntityIndex:
    """`EntityIndex` over an archive (`rasid.store.Store`)."""

    def __init__(self, archive: Any):
        self.archive = archive

    def find_candidates(self, keys: Iterable[str]) -> list[EntityRecord]:
        return self.archive.find_entity_candidates(keys)

    def find_similar_keys(self, keys: Iterable[str]) -> list[str]:
        """Stored keys spelled like `keys` where the archive has a fuzzy index (PostgreSQL's
        pg_trgm); [] otherwise (SQLite: suggestions come from the skeleton keys alone)."""
        find = getattr(self.archive, "find_similar_keys", None)
        return find(keys) if find is not None else []

    def add(self, record: EntityRecord, keys: Iterable[str]) -> EntityRecord:
        return self.archive.add_entity(record, keys)

    def update(self, record: EntityRecord, keys: Iterable[str]) -> None:
        self.archive.update_entity(record, keys)

    def get(self, entity_id: int) -> EntityRecord | None:
        return self.archive.get_entity(entity_id)

    def list_decisions(self) -> list[dict]:
        return self.archive.list_entity_decisions()

    def add_links(self, entity_id: int, reasons: dict[str, str]) -> None:
        self.archive.add_entity_links(entity_id, reasons)

    def add_roles(self, entity_id: int, roles: list[tuple[str, str, str | None]]) -> None:
        self.archive.add_entity_roles(entity_id, roles)

    def find_role_holders(self, role: str) -> list[dict]:
        return self.archive.find_role_holders(role)


def is_resolved(doc: Document) -> bool:
    """Whether the document's entity spans carry archive entity ids already."""
    return any("entity_id" in s.attrs for s in doc.layers.get(ENTITY_LAYER, []))


def resolve_article_entities(archive: Any, doc: Document) -> list[EntityRecordUpdate]:
    """Resolve the entity spans of a stored article (``entity_id`` set on them, in memory
    and in the archive) in one transaction; return what changed per entity."""
    if not doc.layers.get(ENTITY_LAYER) and not doc.layers.get(OFFICE_LAYER):
        return []
    with archive.transaction():
        updates = EntityResolver(ArchiveEntityIndex(archive)).resolve(doc)
        spans = doc.layers.get(ENTITY_LAYER, [])  # linking may have dropped non-entities, added offices
        archive.set_entity_mentions(doc.id, [
            {"start": s.start, "end": s.end, "text": doc.text[s.start:s.end], "attrs": dict(s.attrs)}
            for s in spans])
    return updates


def lookup_entities(archive: Any, name: str, type: str | None = None,
                    limit: int = 10) -> list[EntityRecord]:
    """Entity records with a form equal to `name` after normalisation, Arabic or Latin
    ("Hollande" -> هولاند), best first by mentions; [] when none (`rasid.entities.lookup`)."""
    return find_entities(ArchiveEntityIndex(archive), name, type, limit)


def suggest_entity_names(archive: Any, name: str, type: str | None = None,
                         limit: int = 5) -> list[EntityRecord]:
    """The records spelled closest to `name`, for a "did you mean" list."""
    return suggest_entities(ArchiveEntityIndex(archive), name, type, limit)
