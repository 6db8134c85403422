"""Search with facets: counts by source, date, entity, place and country over every match
(`Monitor.search_facets`, exact), by entity type over the best `FACET_POOL` hits, and
filters on those facets (`Monitor.search_with_facets`; the API's ``/search`` and the web
UI's search page).

Source, date and entity filters go to the store's search; entity-type and place filters
keep the pooled hits that carry them (so then every count covers at most `FACET_POOL` hits).
"""
from __future__ import annotations

from collections import Counter
from typing import Any

FACET_POOL = 300
FACET_SIZE = 12
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")


def search_with_facets(monitor: Any, q: str, since: str | None = None, until: str | None = None,
                       source: str | None = None, entity_type: str | None = None,
                       entity: int | None = None, place: str | None = None, limit: int = 20,
                       offset: int = 0, with_facets: bool = True) -> dict[str, Any]:
    """``{"hits", "total", "total_capped", "facets"}``; raises `QueryError` for a bad query."""
    filters: dict[str, Any] = {"since": since, "until": until, "source": source}
    if entity:
        filters["entity_ids"] = (entity,)
    post_filter = bool(entity_type or place)
    if not with_facets and not post_filter and not entity:
        hits = monitor.search(q, limit=limit, offset=offset, **filters)
        return {"hits": hits, "total": None, "total_capped": False, "facets": None}
    pool = monitor.search(q, limit=FACET_POOL, offset=0, **filters)
    layers = monitor.article_layers([h.id for h in pool])
    if post_filter:
        kept = [h for h in pool if keep_hit(layers[h.id], entity_type, entity, place)]
        pool = pool.page(0, 0)  # a SearchResult: keeps the query's expansions
        pool.extend(kept)
        page = pool.page(offset, offset + limit)
    elif offset + limit <= len(pool):
        page = pool.page(offset, offset + limit)
    else:
        page = monitor.search(q, limit=limit, offset=offset, **filters)
    facets = count_facets(pool, layers) if with_facets else None
    if facets is not None and not post_filter:
        merge_exact_counts(facets, monitor.search_facets(q, size=FACET_SIZE, **filters))
    return {"hits": page, "total": len(pool), "total_capped": len(pool) >= FACET_POOL,
            "facets": facets}


def merge_exact_counts(facets: dict[str, list], exact: dict[str, list]) -> None:
    """Replace the pooled counts with the exact ones over every match (dates by month
    when they span more than 31 days)."""
    facets["source"] = exact["source"]
    facets["entity"] = exact["entity"]
    facets["place"] = exact["place"]
    facets["country"] = exact["country"]
    days = exact["day"]
    if len(days) > 31:
        months: Counter = Counter()
        for d in days:
            months[d["value"][:7]] += d["count"]
        facets["date"] = [{"value": m, "count": n, "granularity": "month"} for m, n in sorted(months.items())]
    else:
        facets["date"] = [{"value": d["value"], "count": d["count"], "granularity": "day"} for d in days]


def keep_hit(layer: dict[str, list], entity_type: str | None, entity: int | None,
             place: str | None) -> bool:
    if entity_type and not any(t == entity_type for _, t, _ in layer["entities"]):
        return False
    if entity and not any(eid == entity for eid, _, _ in layer["entities"]):
        return False
    if place and not any(gid == place for gid, *_ in layer["places"]):
        return False
    return True


def count_facets(hits: list[Any], layers: dict[str, dict[str, list]]) -> dict[str, list[dict[str, Any]]]:
    """Per facet, values with the number of hits carrying them, most frequent first."""
    sources: Counter = Counter(h.source for h in hits if h.source)
    days = sorted({(h.published or "")[:10] for h in hits if h.published})
    by_month = len(days) > 31
    dates: Counter = Counter((h.published or "")[:7 if by_month else 10] for h in hits if h.published)
    types: Counter = Counter()
    entities: Counter = Counter()
    entity_names: dict[int, tuple[str, str]] = {}
    places: Counter = Counter()
    place_names: dict[str, str] = {}
    for h in hits:
        layer = layers.get(h.id) or {"entities": [], "places": []}
        types.update({t for _, t, _ in layer["entities"] if t})
        ids = set()
        for eid, etype, canon in layer["entities"]:
            if eid is not None:
                ids.add(eid)
                entity_names.setdefault(eid, (canon, etype))
        entities.update(ids)
        gids = set()
        for gid, name, *_ in layer["places"]:
            gids.add(gid)
            place_names.setdefault(gid, name or gid)
        places.update(gids)
    return {
        "source": [{"value": s, "count": n} for s, n in sources.most_common(FACET_SIZE)],
        "date": [{"value": d, "count": n, "granularity": "month" if by_month else "day"}
                 for d, n in sorted(dates.items())],
        "entity_type": [{"value": t, "count": types[t]} for t in ENTITY_TYPES if types[t]],
        "entity": [{"value": e, "label": entity_names[e][0], "type": entity_names[e][1], "count": n}
                   for e, n in entities.most_common(FACET_SIZE)],
        "place": [{"value": g, "label": place_names[g], "count": n}
                  for g, n in places.most_common(FACET_SIZE)],
    }
