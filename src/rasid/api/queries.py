"""Read queries the API and web UI need beyond `Monitor`'s methods, through the archive
interface (`rasid.store.Store`). Every value reaches the archive as a parameter."""
from __future__ import annotations

from typing import Any

MAX_PAGE = 200


def list_articles(store: Any, limit: int = 20, offset: int = 0, source: str | None = None,
                  since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """Newest first: ``{"total", "articles": [{id, title, source, published, url, excerpt}]}``.
    `since`/`until` are normalised ISO bounds (until exclusive)."""
    return store.list_articles(limit=limit, offset=offset, source=source, since=since, until=until)


def list_sources(store: Any) -> list[tuple[str, int]]:
    stats = store.stats()
    return [(s, n) for s, n in (stats.get("sources") or {}).items() if s]


def get_entity_profile(store: Any, entity_id: int, limit: int = 20) -> dict[str, Any] | None:
    """One entity's profile plus the spellings seen in the archive (``spellings``)."""
    profile = store.entity_profile(entity_id, limit=limit)
    if profile:
        profile["spellings"] = store.entity_spellings(entity_id)
    return profile


def collect_article_layers(store: Any, ids: list[str]) -> dict[str, dict[str, list]]:
    """For each article id: ``entities`` [(entity_id, type, canonical)] and ``places``
    [(gazetteer_id, name, lat, lon)] (demonyms left out)."""
    return store.collect_article_layers(ids)
