"""Reads `Monitor` offers that combine more than one archive call. Each takes the archive
(`rasid.store.Store`); every value reaches it as a parameter."""
from __future__ import annotations

from typing import Any


def list_sources(store: Any) -> list[tuple[str, int]]:
    """(source, articles) for every named source of the archive."""
    stats = store.stats()
    return [(s, n) for s, n in (stats.get("sources") or {}).items() if s]


def get_entity_profile(store: Any, entity_id: int, limit: int = 20) -> dict[str, Any] | None:
    """One entity's profile plus its names (`add_entity_names`)."""
    profile = store.entity_profile(entity_id, limit=limit)
    if profile:
        add_entity_names(store, profile)
    return profile


def add_entity_names(store: Any, profile: dict[str, Any]) -> dict[str, Any]:
    """Add to an entity profile every name it was mentioned by (``spellings``: text,
    mentions, first/last seen day, ``reason`` it was linked, in words: ``why`` in English,
    ``why_ar`` in Arabic) and the roles written with it (``roles``: role, text, first/last
    seen, mentions)."""
    from .entities.reasons import describe_reason

    reasons = store.list_entity_links(profile["id"])
    spellings = store.entity_spellings(profile["id"])
    for s in spellings:
        reason = reasons.get(s["text"], "")
        s.update(reason=reason, why=describe_reason(reason, "en"), why_ar=describe_reason(reason, "ar"))
    profile["spellings"] = spellings
    profile["roles"] = store.list_entity_roles(profile["id"])
    return profile
