"""Reads `Monitor` offers that combine more than one archive call. Each takes the archive
(`rasid.store.Store`); every value reaches it as a parameter."""
from __future__ import annotations

from typing import Any


def list_sources(store: Any) -> list[tuple[str, int]]:
    """(source, articles) for every named source of the archive."""
    stats = store.stats()
    return [(s, n) for s, n in (stats.get("sources") or {}).items() if s]


def get_entity_profile(store: Any, entity_id: int, limit: int = 20) -> dict[str, Any] | None:
    """One entity's profile plus the spellings seen in the archive (``spellings``)."""
    profile = store.entity_profile(entity_id, limit=limit)
    if profile:
        profile["spellings"] = store.entity_spellings(entity_id)
    return profile
