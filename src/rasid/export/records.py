"""Which records an export holds: one kind, chosen by the filters of search.

Filters: ``query`` (search syntax; the matching articles, page by page in rank order),
``since``/``until`` (publication day, inclusive), ``source``, ``entity`` (an archive
entity id, or a name in any spelling: every entity it may be), ``country`` (ISO 3166
alpha-2 of a place the article names). They choose articles; a kind other than articles
holds what belongs to the chosen articles.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from ..store.interface_export import EXPORT_KINDS

KINDS = EXPORT_KINDS + ("events",)
SEARCH_PAGE = 500
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


class ExportFilterError(ValueError):
    """A filter that cannot be used (a bad date, an unknown kind or entity)."""


def build_store_filters(archive: Any, since: str | None = None, until: str | None = None,
                        source: str | None = None, entity: str | int | None = None,
                        country: str | None = None) -> dict[str, Any]:
    """The store's filters from the user's: dates checked, the entity resolved to ids."""
    for name, value in (("since", since), ("until", until)):
        if value:
            check_day(name, str(value))
    if country and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise ExportFilterError(f"country: {country!r} is not an ISO 3166 alpha-2 code (e.g. FR)")
    filters: dict[str, Any] = {"since": since, "until": until, "source": source,
                               "country": country and country.upper()}
    if entity not in (None, ""):
        filters["entity_ids"] = resolve_entity_ids(archive, str(entity))
    return {k: v for k, v in filters.items() if v not in (None, "")}


def check_day(name: str, value: str) -> None:
    from datetime import date

    try:
        if not _DAY.match(value):
            raise ValueError("not YYYY-MM-DD")
        date.fromisoformat(value[:10])
    except ValueError as exc:
        raise ExportFilterError(f"{name}: {value!r} is not a date (YYYY-MM-DD): {exc}") from None


def resolve_entity_ids(archive: Any, entity: str) -> list[int]:
    """An archive entity id as typed, else the ids of the entities named `entity`."""
    from ..entities.archive import lookup_entities

    if entity.isdigit():
        if archive.get_entity(int(entity)) is None:
            raise ExportFilterError(f"entity: no entity with id {entity}")
        return [int(entity)]
    ids = [r.id for r in lookup_entities(archive, entity, limit=5)]
    if not ids:
        raise ExportFilterError(f"entity: no entity named {entity!r} in the archive")
    return ids


def iter_records(archive: Any, kind: str, query: str | None = None,
                 batch_size: int = 500, **filters: Any) -> Iterator[dict[str, Any]]:
    """Every record of `kind` matching the filters (see the module), streamed."""
    if kind not in KINDS:
        raise ExportFilterError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    store_filters = build_store_filters(archive, **filters)
    if not query:
        return read_kind(archive, kind, store_filters, batch_size)
    return read_matching(archive, kind, query, store_filters, batch_size)


def read_kind(archive: Any, kind: str, filters: dict[str, Any],
              batch_size: int) -> Iterator[dict[str, Any]]:
    if kind == "events":
        return read_events(archive, filters, batch_size)
    return archive.iter_export(kind, filters, batch_size=batch_size)


def read_events(archive: Any, filters: dict[str, Any], batch_size: int) -> Iterator[dict[str, Any]]:
    """Events of the chosen articles (the article filters; events have their own days)."""
    event_filters = {"uncertain": True}
    if {"since", "until", "source"} & filters.keys():
        # published range and source choose articles: read their ids page by page
        ids_filter = {k: v for k, v in filters.items() if k != "article_ids"}
        ids: list[str] = []
        for article in archive.iter_export("articles", ids_filter, batch_size=batch_size):
            ids.append(article["id"])
            if len(ids) >= batch_size:
                yield from archive.iter_events({**event_filters, **_event_terms(filters), "article_ids": ids})
                ids = []
        if ids:
            yield from archive.iter_events({**event_filters, **_event_terms(filters), "article_ids": ids})
        return
    yield from archive.iter_events({**event_filters, **_event_terms(filters)}, batch_size=batch_size)


def _event_terms(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in filters.items() if k in ("country", "entity_ids", "article_ids")}


def read_matching(archive: Any, kind: str, query: str, filters: dict[str, Any],
                  batch_size: int) -> Iterator[dict[str, Any]]:
    """The records of the articles `query` finds, a page of hits at a time (rank order).
    Entities and stories shared by several pages come once."""
    from ..store.base import SearchQuery

    seen: set[Any] = set()
    offset = 0
    while True:
        hits = archive.search(SearchQuery(query, since=filters.get("since"), until=filters.get("until"),
                                          source=filters.get("source"),
                                          entity_ids=tuple(filters.get("entity_ids", ())),
                                          limit=SEARCH_PAGE, offset=offset))
        ids = [h.id for h in hits]
        if not ids:
            return
        page_filters = {**filters, "article_ids": ids}
        page_filters.pop("entity_ids", None)  # the search applied them
        for record in read_kind(archive, kind, page_filters, batch_size):
            if kind in ("entities", "stories"):
                if record["id"] in seen:
                    continue
                seen.add(record["id"])
            yield record
        if len(ids) < SEARCH_PAGE:
            return
        offset += SEARCH_PAGE
