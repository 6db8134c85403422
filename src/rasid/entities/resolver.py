"""Across-archive entity resolution: every article cluster to one entity record.

`EntityResolver.resolve(doc)` takes the article's clusters (from the resolve stage's
span attributes, or computed here) and, for each, finds the entity record by, in order:
the alias table (key ``a:``), exact normalised name (``n:``), phonetic skeleton (``s:``),
then surname / Latin skeleton candidates (``t:``, ``l:``) scored with ``compare_names``
(type must match; same surname + different given name never merges). A lone surname
links to an existing record only when one candidate fits, or one dominates by mentions
(>= 3x the next); otherwise it gets a record of its own. No candidate: a new record.

The index sits behind `EntityIndex` (keys -> records); `MemoryEntityIndex` is the
in-memory version, `rasid.entities.archive.ArchiveEntityIndex` the archive's (its
``find_entity_candidates`` / ``add_entity`` / ``update_entity`` / ``get_entity``).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Iterable, Protocol

from ..doc import Document, Span
from ..store.base import EntityRecord
from .aliases import AliasEntry, find_alias
from .linking import ENTITY_LAYER, link_mentions, mention_name
from .names import compare_names, normalize_entity_name, skeleton_key, skeleton_token, split_name
from .translit import compute_latin_name, is_latin, name_skeleton

DOMINANCE = 3.0


@dataclass
class EntityRecordUpdate:
    record: EntityRecord
    created: bool
    mentions: list[Span]
    how: str  # "alias", "name", "surname", "new", "new-ambiguous"


def compute_name_keys(name: str, kind: str) -> set[str]:
    """Index keys for one surface form of an entity of type `kind`."""
    keys: set[str] = set()
    norm = normalize_entity_name(name)
    if not norm:
        return keys
    alias = find_alias(name)
    if alias is not None:
        keys.add("a:" + normalize_entity_name(alias.canonical))
    keys.add("n:" + norm)
    if not is_latin(name):
        keys.add("s:" + skeleton_key(name))
        parts = split_name(name)
        if parts:
            keys.add(f"t:{kind}:" + skeleton_token(parts[-1]))
    skel = name_skeleton(name)
    if skel:
        keys.add("l:" + skel)
    if not is_latin(name):
        parts = split_name(name)
        if len(parts) > 1:
            last = name_skeleton(parts[-1])
            if last:
                keys.add("l:" + last)
    return keys


class EntityIndex(Protocol):
    def find_candidates(self, keys: Iterable[str]) -> list[EntityRecord]: ...
    def add(self, record: EntityRecord, keys: Iterable[str]) -> EntityRecord: ...
    def update(self, record: EntityRecord, keys: Iterable[str]) -> None: ...
    def get(self, entity_id: int) -> EntityRecord | None: ...


class MemoryEntityIndex:
    """Dict-backed `EntityIndex`: key -> entity ids, id -> record."""

    def __init__(self) -> None:
        self.records: dict[int, EntityRecord] = {}
        self.keys: dict[str, set[int]] = {}
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        return next(self._ids)

    def find_candidates(self, keys: Iterable[str]) -> list[EntityRecord]:
        ids: set[int] = set()
        for k in keys:
            ids |= self.keys.get(k, set())
        return [self.records[i] for i in sorted(ids)]

    def add(self, record: EntityRecord, keys: Iterable[str]) -> EntityRecord:
        if not record.id:
            record.id = self.next_id()
        self.records[record.id] = record
        self.update(record, keys)
        return record

    def update(self, record: EntityRecord, keys: Iterable[str]) -> None:
        self.records[record.id] = record
        for k in keys:
            self.keys.setdefault(k, set()).add(record.id)

    def get(self, entity_id: int) -> EntityRecord | None:
        return self.records.get(entity_id)


@dataclass
class _Group:
    type: str
    alias: AliasEntry | None
    names: list[str]
    spans: list[Span]
    ambiguous: bool

    @property
    def longest(self) -> str:
        return max(self.names, key=lambda n: (len(split_name(n)), len(n)))


def _groups_of(doc: Document, layer: str) -> list[_Group]:
    spans = doc.layers.get(layer, [])
    if any("cluster" not in s.attrs for s in spans):
        link_mentions(doc, layer)
    by_cluster: dict[int, _Group] = {}
    for span in spans:
        if "cluster" not in span.attrs:
            continue
        name = mention_name(doc, span)
        g = by_cluster.get(span.attrs["cluster"])
        if g is None:
            alias = find_alias(span.attrs.get("canonical", name))
            g = by_cluster[span.attrs["cluster"]] = _Group(
                alias.type if alias else span.label, alias, [], [], bool(span.attrs.get("ambiguous")))
        g.names.append(name)
        g.spans.append(span)
    return list(by_cluster.values())


def _lookup_keys(g: _Group) -> tuple[str | None, set[str]]:
    """The group's alias key (None without an alias) and the name keys its candidates are
    found by (the Latin ``l:`` keys are for lookups by a Latin name only)."""
    alias_key = "a:" + normalize_entity_name(g.alias.canonical) if g.alias is not None else None
    keys: set[str] = set()
    for name in g.names:
        keys |= compute_name_keys(name, g.type)
    return alias_key, {k for k in keys if not k.startswith("l:")}


class EntityResolver:
    def __init__(self, index: EntityIndex | None = None, layer: str = ENTITY_LAYER):
        self.index: EntityIndex = index if index is not None else MemoryEntityIndex()
        self.layer = layer

    # -- archive resolution -------------------------------------------------------
    def resolve(self, doc: Document) -> list[EntityRecordUpdate]:
        """Assign every entity cluster of `doc` to a record; writes ``entity_id`` on spans."""
        day = (doc.published or "")[:10] or None
        updates = []
        for g in _groups_of(doc, self.layer):
            record, how = self._match(g)
            created = record is None
            if record is None:
                canonical = g.alias.canonical if g.alias else g.longest
                latin = g.alias.latin if g.alias else compute_latin_name(canonical, g.type)
                record = EntityRecord(0, canonical, g.type, latin)
                if g.alias:
                    record.aliases.update(g.alias.forms)
                how = "new-ambiguous" if g.ambiguous else "new"
            elif not g.alias and len(split_name(g.longest)) > len(split_name(record.canonical)) \
                    and find_alias(record.canonical) is None:
                record.canonical = g.longest  # a fuller name arrived
                record.latin = compute_latin_name(record.canonical, record.type)
            record.aliases.update(g.names)
            record.mention_count += len(g.spans)
            if day:
                record.first_seen = min(filter(None, [record.first_seen, day]))
                record.last_seen = max(filter(None, [record.last_seen, day]))
            keys = set()
            for form in record.aliases | {record.canonical}:
                keys |= compute_name_keys(form, record.type)
            if created:
                self.index.add(record, keys)
            else:
                self.index.update(record, keys)
            for span in g.spans:
                span.attrs["entity_id"] = record.id
            updates.append(EntityRecordUpdate(record, created, g.spans, how))
        return updates

    def find_lookup_keys(self, doc: Document) -> set[str]:
        """Every key `resolve(doc)` looks records up by (an index may read them at once)."""
        keys: set[str] = set()
        for g in _groups_of(doc, self.layer):
            alias_key, name_keys = _lookup_keys(g)
            keys |= name_keys | ({alias_key} if alias_key else set())
        return keys

    def _match(self, g: _Group) -> tuple[EntityRecord | None, str]:
        alias_key, keys = _lookup_keys(g)
        if alias_key is not None:
            found = self.index.find_candidates([alias_key])
            if found:
                return found[0], "alias"
        candidates = [r for r in self.index.find_candidates(keys) if r.type == g.type]
        if g.alias is not None:
            # a table entity seen before only under names the table does not list
            candidates = [r for r in candidates if find_alias(r.canonical) in (None, g.alias)]
        full = g.longest
        lone = len(split_name(full)) == 1
        scored: list[tuple[float, EntityRecord]] = []
        for r in candidates:
            best, related = 0.0, False
            for form in {r.canonical} | r.aliases:
                if is_latin(form):
                    continue
                m = compare_names(form, full, g.type)
                if m.relation == "same" or (lone and m.relation == "subset"):
                    related = True
                    best = max(best, m.score)
            if related:
                scored.append((best, r))
        if not scored:
            return None, "new"
        if not lone:
            scored.sort(key=lambda x: (-x[0], -x[1].mention_count))
            return scored[0][1], "name"
        exact = [r for _, r in scored if normalize_entity_name(r.canonical) == normalize_entity_name(full)]
        if exact:
            return exact[0], "name"
        if len(scored) == 1:
            return scored[0][1], "surname"
        counts = sorted((r.mention_count, r.id) for _, r in scored)
        top, runner = counts[-1][0], counts[-2][0]
        if top >= DOMINANCE * max(runner, 1):
            return self.index.get(counts[-1][1]), "surname"
        return None, "new-ambiguous"
