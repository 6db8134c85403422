"""Across-archive entity resolution: every article cluster to one entity record.

`EntityResolver.resolve(doc)` takes the article's clusters (from the resolve stage's
span attributes, or computed here) and, for each, finds the entity record by, in order:
the alias table (key ``a:``), exact normalised name (``n:``), phonetic skeleton (``s:``),
the gazetteer entry of a country, province or big city (``g:``: سوريا / سورية), a
person's given name and father in a بن chain (``c:``: محمد بن سلمان / محمد بن سلمان بن
عبدالعزيز), then surname / Latin skeleton candidates (``t:``, ``l:``) scored with ``compare_names``
(type must match; same surname + different given name never merges). A lone family
name (a person named by one word in the whole article) links only to a record of that very
name, never across articles to a full name (the same article must name the person in full);
a lone organisation or place name links when one candidate fits, or one dominates by
mentions (>= 3x the next). No candidate: a new record.

The index sits behind `EntityIndex` (keys -> records); `MemoryEntityIndex` is the
in-memory version, `rasid.entities.archive.ArchiveEntityIndex` the archive's (its
``find_entity_candidates`` / ``add_entity`` / ``update_entity`` / ``get_entity``).

A user's decisions (`EntityDecisions`: a name merged into an entity, a name split off one)
come before every rule. Each new surface form of an entity gets the reason it was linked
(`rasid.entities.reasons`); each role written with a name is counted for the entity, so the
archive learns who held an office when, and an office mention the shipped table does not
know goes to the entity the archive saw holding it around the article's day.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterable, Protocol

from ..doc import Document, Span
from ..store.base import EntityRecord
from .aliases import AliasEntry, find_alias
from .linking import ENTITY_LAYER, OFFICE_LAYER, link_mentions, linked_name, mention_name
from .names import (compare_names, find_lineage, find_major_places, normalize_entity_name,
                    skeleton_key, skeleton_token, split_name)
from .offices import find_holder_latin, is_learnable_office, is_office_name, office_key
from .translit import compute_latin_name, is_latin, name_skeleton

DOMINANCE = 3.0


@dataclass
class EntityRecordUpdate:
    record: EntityRecord
    created: bool
    mentions: list[Span]
    how: str  # "alias", "name", "surname", "new", "new-ambiguous"


#: name keys computed where the articles were analysed (`list_name_keys` in a worker
#: process), given by `give_name_keys` and taken by `compute_name_keys` instead of computing
_GIVEN_KEYS: dict[tuple[str, str], frozenset[str]] = {}


def give_name_keys(keys: dict[tuple[str, str], frozenset[str]]) -> None:
    """Let `compute_name_keys` take these ``{(name, kind): keys}`` (`list_name_keys` of the
    batch's articles, from the worker that analysed each) instead of computing them; they
    replace those given before."""
    _GIVEN_KEYS.clear()
    _GIVEN_KEYS.update(keys)


@lru_cache(maxsize=10_000)  # 88 % hits on 300 SaudiNewsNet articles
def compute_name_keys(name: str, kind: str) -> frozenset[str]:
    """Index keys for one surface form of an entity of type `kind` (cached: a record's
    every name is keyed again each time the record is updated; the tables read are the
    shipped ones, so keys computed in another process are the same: `give_name_keys`)."""
    given = _GIVEN_KEYS.get((name, kind))
    if given is not None:
        return given
    keys: set[str] = set()
    norm = normalize_entity_name(name)
    if not norm:
        return frozenset()
    if kind == "PER" and is_office_name(name):
        return frozenset({"n:" + norm})  # an office (ولي العهد): its exact name only, no surname keys
    alias = find_alias(name)
    if alias is not None:
        keys.add("a:" + normalize_entity_name(alias.canonical))
    keys.add("n:" + norm)
    if kind == "LOC" and not is_latin(name):
        # one gazetteer place under two spellings (سوريا / سورية): one key
        keys.update(f"g:{i}" for i in find_major_places(name))
    if not is_latin(name):
        keys.add("s:" + skeleton_key(name))
        parts = split_name(name)
        if parts:
            keys.add(f"t:{kind}:" + skeleton_token(parts[-1]))
        chain, _ = find_lineage(norm)
        if kind == "PER" and len(chain) >= 2:
            # a بن chain: its given name and father (محمد بن سلمان = محمد بن سلمان بن عبدالعزيز)
            keys.add("c:" + " ".join(skeleton_token(w) for w in chain[:2]))
    skel = name_skeleton(name)
    if skel:
        keys.add("l:" + skel)
    if not is_latin(name):
        parts = split_name(name)
        if len(parts) > 1:
            last = name_skeleton(parts[-1])
            if last:
                keys.add("l:" + last)
    return frozenset(keys)


@lru_cache(maxsize=50_000)
def compare_name_pair(form: str, name: str, kind: str) -> tuple[str, float]:
    """``compare_names(form, name, kind)``'s relation and score (cached: the resolver compares
    a record's every form with each name it meets, and the same records come up article
    after article; the tables read are the shipped ones)."""
    match = compare_names(form, name, kind)
    return match.relation, match.score


class EntityIndex(Protocol):
    def find_candidates(self, keys: Iterable[str]) -> list[EntityRecord]: ...
    def add(self, record: EntityRecord, keys: Iterable[str]) -> EntityRecord: ...
    def update(self, record: EntityRecord, keys: Iterable[str]) -> None: ...
    def get(self, entity_id: int) -> EntityRecord | None: ...
    def list_decisions(self) -> list[dict]: ...
    def add_links(self, entity_id: int, reasons: dict[str, str]) -> None: ...
    def add_roles(self, entity_id: int, roles: list[tuple[str, str, str | None]]) -> None: ...
    def find_role_holders(self, role: str) -> list[dict]: ...


class EntityDecisions:
    """The user's merges and splits, by normalised name (see `rasid.entities.corrections`)."""

    def __init__(self, rows: Iterable[dict]):
        self.merged: dict[str, int] = {}
        self.split: dict[tuple[int, str], int | None] = {}
        for d in rows:  # oldest first: a later decision on the same name wins
            if d["kind"] == "merge":
                self.merged[d["name"]] = d["entity_id"]
                self.split = {k: v for k, v in self.split.items()
                              if not (k[1] == d["name"] and k[0] == d["entity_id"])}
            elif d["kind"] == "split":
                self.split[(d["entity_id"], d["name"])] = d["other_id"]
                if self.merged.get(d["name"]) == d["entity_id"]:
                    del self.merged[d["name"]]

    def find_merged(self, name: str) -> int | None:
        return self.merged.get(normalize_entity_name(name))

    def is_split(self, entity_id: int, name: str) -> bool:
        return (entity_id, normalize_entity_name(name)) in self.split

    def find_split_target(self, entity_id: int, name: str) -> int | None:
        return self.split.get((entity_id, normalize_entity_name(name)))


class MemoryEntityIndex:
    """Dict-backed `EntityIndex`: key -> entity ids, id -> record."""

    def __init__(self) -> None:
        self.records: dict[int, EntityRecord] = {}
        self.keys: dict[str, set[int]] = {}
        self.decisions: list[dict] = []
        self.links: dict[int, dict[str, str]] = {}
        self.roles: dict[tuple[int, str], dict] = {}
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

    def list_decisions(self) -> list[dict]:
        return self.decisions

    def add_links(self, entity_id: int, reasons: dict[str, str]) -> None:
        for name, reason in reasons.items():
            self.links.setdefault(entity_id, {}).setdefault(name, reason)

    def add_roles(self, entity_id: int, roles: list[tuple[str, str, str | None]]) -> None:
        for role, text, day in roles:
            row = self.roles.setdefault((entity_id, role), {
                "entity_id": entity_id, "role": role, "text": text, "first_seen": day,
                "last_seen": day, "mentions": 0})
            row["mentions"] += 1
            if day:
                row["first_seen"] = min(filter(None, [row["first_seen"], day]))
                row["last_seen"] = max(filter(None, [row["last_seen"], day]))

    def find_role_holders(self, role: str) -> list[dict]:
        rows = [r for (_, k), r in self.roles.items() if k == role]
        return sorted(rows, key=lambda r: (-r["mentions"], r["entity_id"]))


@dataclass
class _Group:
    type: str
    alias: AliasEntry | None
    names: list[str]
    spans: list[Span]
    ambiguous: bool

    @cached_property  # asked for by every rule and every mention's reason; names are final by then
    def longest(self) -> str:
        return max(self.names, key=lambda n: (len(split_name(n)), len(n)))

    @cached_property  # asked for by `find_lookup_keys` and again by `_match`
    def lookup_keys(self) -> tuple[str | None, set[str]]:
        """The group's alias key (None without an alias) and the name keys its candidates
        are found by (the Latin ``l:`` keys are for lookups by a Latin name only)."""
        alias_key = "a:" + normalize_entity_name(self.alias.canonical) if self.alias is not None else None
        keys: set[str] = set()
        for name in self.names:
            keys |= compute_name_keys(name, self.type)
        return alias_key, {k for k in keys if not k.startswith("l:")}


def _groups_of(doc: Document, layer: str) -> list[_Group]:
    spans = doc.layers.get(layer, [])
    if any("cluster" not in s.attrs for s in spans):
        link_mentions(doc, layer)
    by_cluster: dict[int, _Group] = {}
    for span in spans:
        if "cluster" not in span.attrs:
            continue
        name = linked_name(doc, span)
        g = by_cluster.get(span.attrs["cluster"])
        if g is None:
            alias = find_alias(span.attrs.get("canonical", name))
            g = by_cluster[span.attrs["cluster"]] = _Group(
                alias.type if alias else span.label, alias, [], [], bool(span.attrs.get("ambiguous")))
        g.names.append(name)
        g.spans.append(span)
    return list(by_cluster.values())


def list_name_keys(doc: Document, layer: str = ENTITY_LAYER) -> dict[tuple[str, str], frozenset[str]] | None:
    """``{(name, kind): compute_name_keys(name, kind)}`` for the names of the article's
    clusters (and the alias table's forms of those it lists): what `EntityResolver.resolve`
    keys first, from the article alone (a worker process computes them: `give_name_keys`).
    None when the layer has no span or a span without its cluster (`resolve` would make
    them, changing the layer)."""
    spans = doc.layers.get(layer, [])
    if not spans or any("cluster" not in s.attrs for s in spans):
        return None
    out = {}
    for g in _groups_of(doc, layer):
        for name in [*g.names, *(g.alias.forms if g.alias else ())]:
            out[(name, g.type)] = compute_name_keys(name, g.type)
    return out


class EntityResolver:
    def __init__(self, index: EntityIndex | None = None, layer: str = ENTITY_LAYER):
        self.index: EntityIndex = index if index is not None else MemoryEntityIndex()
        self.layer = layer
        #: id(doc) -> (doc, its groups): made by `find_lookup_keys`, taken by `resolve`
        self._groups: dict[int, tuple[Document, list[_Group]]] = {}
        #: record id -> the forms whose keys this resolver gave the index with it (`_commit`
        #: gives only a record's new forms' keys: the index keeps the others)
        self._keyed: dict[int, set[str]] = {}

    def _take_groups(self, doc: Document) -> list[_Group]:
        """`_groups_of(doc)`: those `find_lookup_keys` made for this very document (taken
        once: `resolve` changes its spans), else made now."""
        made = self._groups.pop(id(doc), None)
        return made[1] if made is not None and made[0] is doc else _groups_of(doc, self.layer)

    # -- archive resolution -------------------------------------------------------
    def resolve(self, doc: Document) -> list[EntityRecordUpdate]:
        """Assign every entity cluster of `doc` to a record; writes ``entity_id`` on spans."""
        day = (doc.published or "")[:10] or None
        decisions = EntityDecisions(self.index.list_decisions())
        updates = []
        for g in self._take_groups(doc):
            record, how = self._match(g, decisions)
            if record is not None:
                away = [s for s in g.spans if decisions.is_split(record.id, linked_name(doc, s))]
                if away:  # names a user split off this record go where the user sent them
                    target = decisions.find_split_target(record.id, linked_name(doc, away[0]))
                    sub = _Group(g.type, None, [linked_name(doc, s) for s in away], away, False)
                    updates.append(self._commit(doc, sub, self.index.get(target) if target else None,
                                                "decision", day))
                    rest = [s for s in g.spans if all(s is not a for a in away)]
                    if not rest:
                        continue
                    g = _Group(g.type, g.alias, list(dict.fromkeys(linked_name(doc, s) for s in rest)),
                               rest, g.ambiguous)
            updates.append(self._commit(doc, g, record, how, day))
        updates += self._resolve_offices(doc, day)
        return updates

    def find_record(self, names: list[str], type: str) -> EntityRecord | None:
        """The record a cluster named `names` (of `type`) would be linked to, by the rules of
        `resolve` without the user's decisions; None where it would make a new one."""
        alias = find_alias(names[0])
        g = _Group(alias.type if alias else type, alias, names, [], False)
        return self._match(g, EntityDecisions([]))[0]

    def find_lookup_keys(self, doc: Document) -> set[str]:
        """Every key `resolve(doc)` looks records up by (an index may read them at once; the
        groups made for it are kept for `resolve`)."""
        keys: set[str] = set()
        groups = _groups_of(doc, self.layer)
        self._groups[id(doc)] = (doc, groups)
        for g in groups:
            alias_key, name_keys = g.lookup_keys
            keys |= name_keys | ({alias_key} if alias_key else set())
        return keys

    def _commit(self, doc: Document, g: _Group, record: EntityRecord | None, how: str,
                day: str | None) -> EntityRecordUpdate:
        """Create or update `g`'s record; set ``entity_id`` on its spans; record why each new
        name was linked and the roles written with it."""
        created = record is None
        known = set() if created else {normalize_entity_name(f) for f in record.aliases | {record.canonical}}
        if record is None:
            canonical = g.alias.canonical if g.alias else g.longest
            latin = g.alias.latin if g.alias else (
                find_holder_latin(canonical) or compute_latin_name(canonical, g.type))
            record = EntityRecord(0, canonical, g.type, latin)
            if g.alias:
                record.aliases.update(g.alias.forms)
            if how != "decision":
                how = "new-ambiguous" if g.ambiguous else "new"
        elif not g.alias and len(split_name(g.longest)) > len(split_name(record.canonical)) \
                and find_alias(record.canonical) is None:
            record.canonical = g.longest  # a fuller name arrived
            record.latin = find_holder_latin(record.canonical) or compute_latin_name(record.canonical, record.type)
        record.aliases.update(g.names)
        # an office it was named by (ولي العهد) is one of its names, with its reason
        record.aliases.update(doc.text[s.start:s.end] for s in g.spans
                              if s.attrs.get("link") in ("office", "office-archive"))
        record.mention_count += len(g.spans)
        if day:
            record.first_seen = min(filter(None, [record.first_seen, day]))
            record.last_seen = max(filter(None, [record.last_seen, day]))
        forms = record.aliases | {record.canonical}
        keys = set()
        for form in (forms if created else forms - self._keyed.get(record.id, set())):
            keys |= compute_name_keys(form, record.type)
        if created:
            self.index.add(record, keys)
        else:
            self.index.update(record, keys)
        self._keyed[record.id] = forms
        for span in g.spans:
            span.attrs["entity_id"] = record.id
        reasons = {}
        for span in g.spans:
            text = doc.text[span.start:span.end]
            if text not in reasons:
                reasons[text] = explain_link(doc, span, g, record, how, created, known)
        self.index.add_links(record.id, reasons)
        roles = list_written_roles(g.spans, day)
        if roles:
            self.index.add_roles(record.id, roles)
        return EntityRecordUpdate(record, created, g.spans, how)

    def _resolve_offices(self, doc: Document, day: str | None) -> list[EntityRecordUpdate]:
        """Office mentions the shipped table left without a holder: the entity the archive
        saw holding the office (a role written with its name) within `OFFICE_WINDOW_DAYS`
        of `day`, when one stands out; otherwise they stay unresolved."""
        out = []
        if not day:
            return out
        for span in find_unresolved_offices(doc, self.layer):
            holder = choose_role_holder(self.index.find_role_holders(span.attrs["office"]), day)
            record = self.index.get(holder["entity_id"]) if holder else None
            if record is None:
                continue
            link_office_to_holder(doc, span, self.layer, holder, record.canonical)
            g = _Group(record.type, None, [record.canonical], [span], False)
            out.append(self._commit(doc, g, record, "office", day))
        return out

    def _match(self, g: _Group, decisions: EntityDecisions) -> tuple[EntityRecord | None, str]:
        for name in g.names:
            merged = decisions.find_merged(name)
            record = self.index.get(merged) if merged else None
            if record is not None:
                return record, "decision"
        alias_key, keys = g.lookup_keys
        if alias_key is not None:
            found = [r for r in self.index.find_candidates([alias_key])
                     if not all(decisions.is_split(r.id, n) for n in g.names)]
            if found:
                return found[0], "alias"
        candidates = [r for r in self.index.find_candidates(keys) if r.type == g.type and
                      not all(decisions.is_split(r.id, n) for n in g.names)]
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
                relation, score = compare_name_pair(form, full, g.type)
                if relation == "same" or (lone and relation == "subset"):
                    related = True
                    best = max(best, score)
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
        if g.type == "PER":
            # a bare family name joins a full name only where the same article names the
            # person in full (then the group is not lone); across articles it is its own entity
            return None, "new"
        if len(scored) == 1:
            return scored[0][1], "surname" if g.type == "PER" else "name"
        counts = sorted((r.mention_count, r.id) for _, r in scored)
        top, runner = counts[-1][0], counts[-2][0]
        if top >= DOMINANCE * max(runner, 1):
            return self.index.get(counts[-1][1]), "surname"
        return None, "new-ambiguous"


#: an office learnt from the archive holds this many days before and after it was seen
OFFICE_WINDOW_DAYS = 120


def list_written_roles(spans: Iterable[Span], day: str | None) -> list[tuple[str, str, str | None]]:
    """``(office key, role as written, day)`` of the spans written with a role (وزير
    الخارجية عادل الجبير; an office mention is written as its role): what the archive
    learns of who holds an office, counted for the spans' entity."""
    roles = [(office_key(s.attrs["role"]), s.attrs["role"], day) for s in spans if s.attrs.get("role")]
    return [r for r in roles if r[0]]


def find_unresolved_offices(doc: Document, layer: str = ENTITY_LAYER) -> list[Span]:
    """The article's office mentions the shipped table left without a holder that the
    archive may resolve: a learnable office (`is_learnable_office`) not resolved before
    (an office resolved before is in the entities layer already: stored with it, then
    exported and imported, or analysed again, it is linked with its cluster there)."""
    linked = {(s.start, s.end) for s in doc.layers.get(layer, [])}
    return [s for s in doc.layers.get(OFFICE_LAYER, []) if s.attrs.get("office") and
            "entity_id" not in s.attrs and is_learnable_office(s.attrs["office"]) and
            (s.start, s.end) not in linked]


def link_office_to_holder(doc: Document, span: Span, layer: str, holder: dict, canonical: str) -> None:
    """Make the office mention `span` a mention of the entity named `canonical`, whom the
    archive saw holding the office (`holder`: a row of `find_role_holders`): its link and
    source, and a cluster of its own in the entities layer, which stays in text order."""
    span.attrs["link"] = "office-archive"
    span.attrs["office_source"] = (f"{holder['text']} = {canonical} "
                                   f"{holder['first_seen']}..{holder['last_seen']} (archive)")
    spans = doc.layers.setdefault(layer, [])
    clusters = [x.attrs.get("cluster", -1) for x in spans]
    span.attrs.update(holder=canonical, key=normalize_entity_name(canonical), canonical=canonical,
                      cluster=max(clusters, default=-1) + 1)
    spans.append(span)
    spans.sort(key=lambda s: (s.start, s.end))


def choose_role_holder(holders: list[dict], day: str) -> dict | None:
    """The holder seen with the role closest to `day` (inside its first..last seen days, or
    within `OFFICE_WINDOW_DAYS`); None when two fit equally well or none does."""
    from datetime import date

    def distance(h: dict) -> int:
        d = date.fromisoformat(day)
        first = date.fromisoformat(h["first_seen"]) if h.get("first_seen") else None
        last = date.fromisoformat(h["last_seen"]) if h.get("last_seen") else None
        if first is None or last is None:
            return 10**6
        if first <= d <= last:
            return 0
        return min(abs((d - first).days), abs((d - last).days))

    fits = sorted(((distance(h), h["mentions"], h) for h in holders), key=lambda x: (x[0], -x[1]))
    fits = [f for f in fits if f[0] <= OFFICE_WINDOW_DAYS]
    if not fits:
        return None
    if len(fits) > 1 and fits[1][0] == fits[0][0] and fits[0][1] < DOMINANCE * fits[1][1]:
        return None
    return fits[0][2]


def explain_link(doc: Document, span: Span, g: _Group, record: EntityRecord, how: str,
                 created: bool, known: set[str]) -> str:
    """Why the mention's surface form belongs to `record` (a `rasid.entities.reasons` code,
    with its detail after a colon)."""
    text = doc.text[span.start:span.end]
    if span.attrs.get("link") in ("office", "office-archive"):
        return f"{span.attrs['link']}:{span.attrs.get('office_source', '')}"
    if how == "decision":
        return "user"
    if span.attrs.get("link") == "parenthesis":
        return f"parenthesis:{g.longest}"
    norm = normalize_entity_name(mention_name(doc, span))
    if g.alias is not None and find_alias(text) is g.alias:
        return f"alias-table:{g.alias.canonical}"
    if norm == normalize_entity_name(record.canonical) and created:
        return "new"
    if norm != normalize_entity_name(g.longest):
        return f"same-article:{g.longest}"
    if created:
        return "new"
    if norm in known:
        return "name"
    return f"archive-{how}:{record.canonical}"
