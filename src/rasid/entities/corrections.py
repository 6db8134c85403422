"""A user's corrections of entity resolution: merge two entities, split a name off one.

Both rewrite what the archive holds now (the articles' entity spans, mentions, keys, link
reasons, roles) and record the decision (``entity_decisions``), which
`rasid.entities.resolver.EntityResolver` consults before every rule, so the correction
also holds for articles ingested or analysed later:

* ``merge_entities(archive, keep, drop)``: `drop`'s names, mentions and roles go to `keep`;
  `drop` is deleted; each of `drop`'s names is recorded as belonging to `keep`.
* ``split_entity(archive, entity_id, alias)``: the mentions written `alias` (after
  normalisation) leave the entity for an entity of their own (new, or the one a name of
  that form was split to before); the name never links back to it.
"""
from __future__ import annotations

from typing import Any

from ..store.base import EntityRecord
from .linking import ENTITY_LAYER
from .names import normalize_entity_name, split_name
from .resolver import compute_name_keys
from .translit import compute_latin_name


class CorrectionError(ValueError):
    """A correction that cannot be made (unknown entity, a name it does not have, ...)."""


def _entity(archive: Any, entity_id: int) -> EntityRecord:
    record = archive.get_entity(int(entity_id))
    if record is None:
        raise CorrectionError(f"no entity with id {entity_id}")
    return record


def _reassign_mentions(archive: Any, entity_id: int, target_id: int, reason: str,
                       keep: Any = None) -> tuple[int, set[str], list[str]]:
    """Give the article spans of `entity_id` (those `keep(text)` accepts, all when None)
    to `target_id`; return (mentions moved, their surface forms, their days)."""
    moved, forms, days = 0, set(), []
    for article_id in archive.list_entity_article_ids(entity_id):
        doc = archive.get_document(article_id)
        if doc is None:
            continue
        spans = doc.layers.get(ENTITY_LAYER, [])
        changed = False
        for span in spans:
            text = doc.text[span.start:span.end]
            if span.attrs.get("entity_id") == entity_id and (keep is None or keep(text)):
                span.attrs["entity_id"] = target_id
                span.attrs["link_reason"] = reason
                moved += 1
                forms.add(text)
                changed = True
                if doc.published:
                    days.append(doc.published[:10])
        if changed:
            archive.set_entity_mentions(article_id, [
                {"start": s.start, "end": s.end, "text": doc.text[s.start:s.end], "attrs": dict(s.attrs)}
                for s in spans if s.attrs.get("entity_id")])
    return moved, forms, days


def merge_entities(archive: Any, keep_id: int, drop_id: int) -> EntityRecord:
    """Merge entity `drop_id` into `keep_id` (see module doc); return the kept record."""
    if int(keep_id) == int(drop_id):
        raise CorrectionError("an entity cannot be merged with itself")
    with archive.transaction():
        keep, drop = _entity(archive, keep_id), _entity(archive, drop_id)
        _reassign_mentions(archive, drop.id, keep.id, "user-merge")
        names = drop.aliases | {drop.canonical}
        archive.move_entity_rows(drop.id, keep.id)
        keep.aliases |= names
        keep.mention_count += drop.mention_count
        keep.first_seen = min(filter(None, [keep.first_seen, drop.first_seen]), default=None)
        keep.last_seen = max(filter(None, [keep.last_seen, drop.last_seen]), default=None)
        keys: set[str] = set()
        for form in names:
            keys |= compute_name_keys(form, keep.type)
        archive.update_entity(keep, keys)
        for form in names:
            archive.set_entity_link(keep.id, form, f"user-merge:{drop.canonical}")
        for key in sorted({normalize_entity_name(f) for f in names}):
            archive.add_entity_decision("merge", keep.id, key)
    return keep


def split_entity(archive: Any, entity_id: int, alias: str) -> EntityRecord:
    """Split the name `alias` off entity `entity_id` (see module doc); return the entity
    the name now belongs to."""
    key = normalize_entity_name(alias)
    with archive.transaction():
        record = _entity(archive, entity_id)
        forms = {f for f in record.aliases | {record.canonical} if normalize_entity_name(f) == key}
        spoken = {s["text"] for s in archive.entity_spellings(record.id) if normalize_entity_name(s["text"]) == key}
        if not forms and not spoken:
            raise CorrectionError(f"entity {record.id} ({record.canonical}) has no name {alias!r}")
        remaining = {f for f in record.aliases | {record.canonical} if normalize_entity_name(f) != key}
        if not remaining:
            raise CorrectionError(f"{alias!r} is the only name of entity {record.id}: nothing to split")
        earlier = [d["other_id"] for d in archive.list_entity_decisions()
                   if d["kind"] == "split" and d["entity_id"] == record.id and d["name"] == key]
        target = archive.get_entity(earlier[-1]) if earlier and earlier[-1] not in (None, record.id) else None
        name = max(forms | spoken, key=lambda f: (len(split_name(f)), len(f)))
        if target is None:
            target = archive.add_entity(EntityRecord(0, name, record.type, compute_latin_name(name, record.type)),
                                        compute_name_keys(name, record.type))
        moved, texts, days = _reassign_mentions(
            archive, record.id, target.id, f"user-split:{record.canonical}",
            keep=lambda text: normalize_entity_name(text) == key)
        target.aliases |= forms | texts
        target.mention_count += moved
        if days:
            target.first_seen = min(filter(None, [target.first_seen, *days]))
            target.last_seen = max(filter(None, [target.last_seen, *days]))
        new_keys: set[str] = set()
        for form in target.aliases | {target.canonical}:
            new_keys |= compute_name_keys(form, target.type)
        archive.update_entity(target, new_keys)
        for form in target.aliases:
            archive.set_entity_link(target.id, form, f"user-split:{record.canonical}")
        record.aliases = set(remaining)
        if normalize_entity_name(record.canonical) == key:
            record.canonical = max(remaining, key=lambda f: (len(split_name(f)), len(f)))
            record.latin = compute_latin_name(record.canonical, record.type)
        record.mention_count = max(0, record.mention_count - moved)
        kept_keys: set[str] = set()
        for form in record.aliases | {record.canonical}:
            kept_keys |= compute_name_keys(form, record.type)
        gone: set[str] = set()
        for form in forms | texts:
            gone |= compute_name_keys(form, record.type)
        archive.remove_entity_keys(record.id, gone - kept_keys)
        archive.update_entity(record, [])
        archive.add_entity_decision("split", record.id, key, target.id)
    return target
