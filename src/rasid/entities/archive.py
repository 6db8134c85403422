"""Entity resolution across the archive: the `resolve_entities` archive step's work.

`resolve_batch_entities(archive, docs)` assigns each entity cluster of stored articles
to an archive entity (`EntityResolver` over `BatchEntityIndex`, which reads the records
of the batch's names at once, keeps the batch's changes in memory and writes them at the
end through the archive's named methods) and records the spans' new attributes with
``archive.set_entity_mentions_many``. `ArchiveEntityIndex` reads the archive directly
(lookups by name). `lookup_entities` finds the records of
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


class BatchEntityIndex:
    """`EntityIndex` for resolving a batch of articles inside one write transaction: it
    reads the records holding a set of keys in one go (`load`), keeps the batch's new and
    changed records in memory and writes them all with `flush`, so a batch costs a handful
    of statements instead of several per entity (each a round trip on PostgreSQL). New
    records take the ids after the archive's highest, in the order they are made, as
    `add_entity` would number them; the candidates it returns are those the archive would
    return at that point of the batch."""

    def __init__(self, archive: Any):
        self.archive = archive
        self.records: dict[int, EntityRecord] = {}
        self.key_ids: dict[str, set[int]] = {}
        self.loaded: set[str] = set()
        self.pending_keys: dict[int, set[str]] = {}
        self.changed: set[int] = set()
        self.last_id: int | None = None
        #: why names were linked and the roles written with them, kept until `flush`
        #: (new records exist in the archive only then)
        self.links: list[tuple[int, dict[str, str]]] = []
        self.roles: list[tuple[int, list[tuple[str, str, str | None]]]] = []
        #: role -> the archive's holders as read, and the batch's ``(entity, text, day)``
        self.archive_roles: dict[str, list[dict]] = {}
        self.batch_roles: dict[str, list[tuple[int, str, str | None]]] = {}
        self.decisions: list[dict] | None = None

    def load(self, keys: Iterable[str]) -> None:
        """Read the archive's records holding any of `keys` not read yet (one lookup)."""
        missing = set(keys) - self.loaded
        if not missing:
            return
        found = self.archive.find_entity_keys(missing)
        unread = {i for ids in found.values() for i in ids} - self.records.keys()
        for record in self.archive.get_entities(unread):
            self.records[record.id] = record
        for key in missing:
            self.key_ids.setdefault(key, set()).update(found.get(key, ()))
        self.loaded |= missing

    def find_candidates(self, keys: Iterable[str]) -> list[EntityRecord]:
        keys = set(keys)
        self.load(keys)
        ids = set().union(*(self.key_ids.get(k, set()) for k in keys))
        return [self.records[i] for i in sorted(ids)]

    def add(self, record: EntityRecord, keys: Iterable[str]) -> EntityRecord:
        if self.last_id is None:
            self.last_id = self.archive.latest_entity_id()
        self.last_id += 1
        record.id = self.last_id
        self.update(record, keys)
        return record

    def update(self, record: EntityRecord, keys: Iterable[str]) -> None:
        self.records[record.id] = record
        self.changed.add(record.id)
        for key in keys:
            self.key_ids.setdefault(key, set()).add(record.id)
            self.pending_keys.setdefault(record.id, set()).add(key)

    def get(self, entity_id: int) -> EntityRecord | None:
        return self.records.get(entity_id) or self.archive.get_entity(entity_id)

    def list_decisions(self) -> list[dict]:
        """The users' merge/split decisions (read once per batch)."""
        if self.decisions is None:
            self.decisions = self.archive.list_entity_decisions()
        return self.decisions

    def add_links(self, entity_id: int, reasons: dict[str, str]) -> None:
        self.links.append((entity_id, reasons))

    def add_roles(self, entity_id: int, roles: list[tuple[str, str, str | None]]) -> None:
        self.roles.append((entity_id, roles))
        for role, text, day in roles:
            if role:
                self.batch_roles.setdefault(role, []).append((entity_id, text, day))

    def find_role_holders(self, role: str) -> list[dict]:
        """Who the archive saw holding `role`, the batch's roles so far included: the
        archive's rows (read once per role and batch: only `flush` writes roles) with the
        batch's added as `add_entity_roles_many` adds them (a first row keeps its text;
        mentions counted, first and last days widened), in the archive's order."""
        if role not in self.archive_roles:
            self.archive_roles[role] = self.archive.find_role_holders(role)
        rows = {r["entity_id"]: dict(r) for r in self.archive_roles[role]}
        for entity_id, text, day in self.batch_roles.get(role, ()):
            row = rows.setdefault(entity_id, {"entity_id": entity_id, "text": text, "first_seen": day,
                                              "last_seen": day, "mentions": 0})
            row["mentions"] += 1
            if day:
                row["first_seen"] = min(filter(None, [row["first_seen"], day]))
                row["last_seen"] = max(filter(None, [row["last_seen"], day]))
        return sorted(rows.values(), key=lambda r: (-r["mentions"], r["entity_id"]))

    def flush(self) -> None:
        """Write the new and changed records and their keys (`Store.save_entities`), then
        the link reasons and roles recorded with them."""
        self.archive.save_entities([self.records[i] for i in sorted(self.changed)], self.pending_keys)
        self.archive.add_entity_links_many(self.links)
        self.archive.add_entity_roles_many(self.roles)
        self.changed, self.pending_keys, self.links, self.roles = set(), {}, [], []
        self.archive_roles, self.batch_roles = {}, {}


def is_resolved(doc: Document) -> bool:
    """Whether the document's entity spans carry archive entity ids already."""
    return any("entity_id" in s.attrs for s in doc.layers.get(ENTITY_LAYER, []))


def resolve_batch_entities(archive: Any, docs: list[Document]) -> list[EntityRecordUpdate]:
    """Resolve the entity spans of stored articles, in order, as `resolve_article_entities`
    would one by one (``entity_id`` set on them, in memory and in the archive), in one
    transaction and with a few statements for the whole batch (`BatchEntityIndex`);
    return what changed per entity and article."""
    docs = [d for d in docs if d.layers.get(ENTITY_LAYER) or d.layers.get(OFFICE_LAYER)]
    if not docs:
        return []
    index = BatchEntityIndex(archive)
    resolver = EntityResolver(index)
    with archive.transaction():
        index.load(set().union(*(resolver.find_lookup_keys(d) for d in docs)))
        updates = [u for doc in docs for u in resolver.resolve(doc)]
        index.flush()
        archive.set_entity_mentions_many({doc.id: [
            {"start": s.start, "end": s.end, "label": s.label, "text": doc.text[s.start:s.end],
             "attrs": dict(s.attrs)}
            # linking may have dropped non-entities and added office mentions
            for s in doc.layers.get(ENTITY_LAYER, [])] for doc in docs})
    return updates


def resolve_article_entities(archive: Any, doc: Document) -> list[EntityRecordUpdate]:
    """Resolve the entity spans of one stored article (`resolve_batch_entities`)."""
    return resolve_batch_entities(archive, [doc])


def lookup_entities(archive: Any, name: str, type: str | None = None,
                    limit: int = 10) -> list[EntityRecord]:
    """Entity records with a form equal to `name` after normalisation, Arabic or Latin
    ("Hollande" -> هولاند), best first by mentions; [] when none (`rasid.entities.lookup`)."""
    return find_entities(ArchiveEntityIndex(archive), name, type, limit)


def suggest_entity_names(archive: Any, name: str, type: str | None = None,
                         limit: int = 5) -> list[EntityRecord]:
    """The records spelled closest to `name`, for a "did you mean" list."""
    return suggest_entities(ArchiveEntityIndex(archive), name, type, limit)
