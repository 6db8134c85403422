"""Watches: what to look out for in new articles, stored in the archive (``watches``).

A watch has one or more criteria, and all of them must match (AND):

* ``entity``: a name in any spelling, Arabic or Latin. It is resolved when the watch is
  added (`rasid.entities.archive.lookup_entities`, filtered by ``is_same_entity`` so that a loose key hit
  such as الأسد -> الشرق الأوسط is dropped) and again for every batch, so an entity first
  seen after the watch was added still matches; mentions are also compared by name.
* ``query``: the search syntax (words, "phrases", -exclusions), validated with
  ``parse_query`` when the watch is added.
* ``place``: a place name (باريس, فرنسا) or an ISO2 country code (FR), resolved with the
  gazetteer. A country matches every place in it; a city or region matches itself.
* ``event``: a PLOVER event type, optionally in a place: ``"ASSAULT in IQ"``. It matches
  an article with a factual (not negated, not hypothetical) event of that type whose
  place is in that country or is that place; the alert names the sentence, the trigger
  and the actor.

``surge`` ("5/24h", "3/6h", "10/30m", "2/1d") turns the watch into a breaking-news
detector: instead of one alert per article, one alert when the count of matching
articles within the window reaches N (at most once per window).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_SURGE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)?\s*([smhd])\s*$", re.IGNORECASE)
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class WatchError(ValueError):
    """A watch that cannot be created; the message is meant for the user. `code` and
    `params` let a shell say it in another language (`rasid.server.messages`)."""

    def __init__(self, message: str, code: str = "watch_invalid", **params: Any):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass
class Watch:
    id: int | None
    name: str
    entity: dict[str, Any] | None = None  # {"name": typed, "ids": [...], "canonical": ...}
    query: str | None = None
    place: dict[str, Any] | None = None  # {"name", "country", "gazetteer_id", "feature"}
    event: dict[str, Any] | None = None  # {"type": "ASSAULT", "place": {...} | None, "text"}
    surge_count: int | None = None
    surge_window_s: int | None = None
    webhook: str | None = None
    active: bool = True
    created_at: str | None = None
    #: per-process caches (parsed query), not stored
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def surge(self) -> str | None:
        if not self.surge_count or not self.surge_window_s:
            return None
        return f"{self.surge_count}/{format_window(self.surge_window_s)}"

    def criteria(self) -> list[str]:
        out = []
        if self.entity:
            ids = self.entity.get("ids") or []
            out.append(f"entity={self.entity['name']}" + (f" (ids {','.join(map(str, ids))})" if ids else ""))
        if self.query:
            out.append(f"query={self.query}")
        if self.place:
            out.append(f"place={self.place['name']}" + (f" ({self.place['country']})"
                                                          if self.place.get("country") else ""))
        if self.event:
            out.append(f"event={self.event['text']}")
        if self.surge:
            out.append(f"surge={self.surge}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "entity": self.entity, "query": self.query,
                "place": self.place, "event": self.event, "surge": self.surge, "surge_count": self.surge_count,
                "surge_window_s": self.surge_window_s, "webhook": self.webhook,
                "active": self.active, "created_at": self.created_at}


def parse_surge(text: str) -> tuple[int, int]:
    """``"5/24h"`` -> ``(5, 86400)``; units s, m, h, d; ``"3/h"`` means one hour."""
    m = _SURGE_RE.match(text or "")
    if not m:
        raise WatchError(f"surge must look like N/24h (N articles within a window), not {text!r}",
                         "watch_surge", value=text)
    count, amount, unit = int(m.group(1)), int(m.group(2) or 1), m.group(3).lower()
    window = amount * _UNIT_S[unit]
    if count < 1 or window < 1:
        raise WatchError(f"surge needs at least 1 article in a window of at least 1s: {text!r}",
                         "watch_surge", value=text)
    return count, window


def format_window(seconds: int) -> str:
    for unit in ("h", "m"):  # hours even for whole days: 24h, 48h
        if seconds % _UNIT_S[unit] == 0:
            return f"{seconds // _UNIT_S[unit]}{unit}"
    return f"{seconds}s"


# -- resolution ---------------------------------------------------------------------------
def is_entity_form(typed: str, record: Any) -> bool:
    """Whether an entity record is the entity typed: same normalised form (Latin too),
    or the same name by `is_same_entity` against one of its Arabic forms."""
    from ..entities.linking import is_same_entity
    from ..entities.names import normalize_entity_name
    from ..entities.translit import is_latin

    key = normalize_entity_name(typed)
    forms = {record.canonical} | set(record.aliases)
    if any(normalize_entity_name(f) == key for f in forms if f):
        return True
    if is_latin(typed):
        return False
    return any(is_same_entity(typed, f, record.type) for f in forms if f and not is_latin(f))


def resolve_entity(store: Any, name: str) -> dict[str, Any]:
    """The entity criterion of a watch: the name as typed and the archive ids it fits."""
    name = (name or "").strip()
    from ..entities.names import normalize_entity_name

    if not normalize_entity_name(name):
        raise WatchError("--entity needs a name (letters), e.g. أولاند or Hollande", "watch_entity")
    from ..entities.archive import lookup_entities

    records = [r for r in lookup_entities(store, name, limit=10) if is_entity_form(name, r)]
    out: dict[str, Any] = {"name": name, "ids": [r.id for r in records]}
    if records:
        out["canonical"] = records[0].canonical
    return out


def resolve_place(name: str) -> dict[str, Any]:
    """The place criterion: an ISO2 code (FR) or a name the gazetteer knows (فرنسا, باريس)."""
    from ..geo.gazetteer import load_gazetteer, lookup_place

    name = (name or "").strip()
    if not name:
        raise WatchError("--place needs a place name or an ISO2 country code", "watch_place")
    gaz = load_gazetteer()
    if len(name) == 2 and name.isascii() and name.isalpha():
        country = gaz.country(name.upper())
        if country is None:
            raise WatchError(f"unknown country code {name!r} (ISO 3166 alpha-2, e.g. FR)",
                             "watch_country_unknown", value=name)
        return {"name": name.upper(), "country": country.country, "feature": "country",
                "gazetteer_id": country.key, "label": country.name}
    places = lookup_place(name)
    if not places:
        raise WatchError(f"unknown place {name!r}: the gazetteer has no such name "
                         "(try the Arabic name or an ISO2 country code)", "watch_place_unknown",
                         value=name)
    best = places[0]
    return {"name": name, "country": best.country, "feature": best.feature,
            "gazetteer_id": best.key, "label": best.name}


def parse_event_watch(text: str) -> dict[str, Any]:
    """``"ASSAULT in IQ"`` / ``"PROTEST في بغداد"`` / ``"ASSAULT"``: a PLOVER type and an
    optional place (a name or an ISO2 country code, resolved like ``--place``)."""
    from ..events.lexicon import PLOVER_TYPES

    m = re.match(r"^\s*([A-Za-z]+)\s*(?:(?:in|في|ب)\s+(.+?))?\s*$", text or "")
    if not m or m.group(1).upper() not in PLOVER_TYPES:
        raise WatchError(f"--event must look like 'ASSAULT in IQ' (a PLOVER type: "
                         f"{', '.join(PLOVER_TYPES)}), not {text!r}", "watch_event", value=text or "",
                         types=", ".join(PLOVER_TYPES))
    place = resolve_place(m.group(2)) if m.group(2) else None
    return {"type": m.group(1).upper(), "place": place, "text": text.strip()}


def validate_query(query: str) -> str:
    from ..search.query import QueryError, parse_query

    try:
        parse_query(query)
    except QueryError as exc:
        raise WatchError(f"bad query: {exc}", exc.code, **exc.params) from exc
    return query


def validate_webhook(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise WatchError(f"--webhook must be an http:// or https:// URL, not {url!r}", "watch_webhook",
                         value=url)
    return url


# -- CRUD (through the archive interface) ----------------------------------------------------
def _to_watch(d: dict[str, Any], event: dict[str, Any] | None = None) -> Watch:
    return Watch(d["id"], d["name"], d["entity"], d["query"], d["place"], event, d["surge_count"],
                 d["surge_window_s"], d["webhook"], bool(d["active"]), d["created_at"])


def _events_of(store: Any, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The event criteria of watches (kept by the events store methods, `watch_events`)."""
    getter = getattr(store, "get_watch_events", None)
    return getter(ids) if getter and ids else {}


def add_watch(store: Any, *, name: str | None = None, entity: str | None = None,
              query: str | None = None, place: str | None = None, surge: str | None = None,
              webhook: str | None = None, event: str | None = None) -> Watch:
    """Validate, resolve and store a watch; raise `WatchError` with a readable message."""
    if not (entity or query or place or event):
        raise WatchError("a watch needs at least one of --entity, --query, --place, --event",
                         "watch_empty")
    ent = resolve_entity(store, entity) if entity else None
    q = validate_query(query) if query else None
    pl = resolve_place(place) if place else None
    ev = parse_event_watch(event) if event else None
    count, window = parse_surge(surge) if surge else (None, None)
    hook = validate_webhook(webhook) if webhook else None
    if not name:
        name = " + ".join(x for x in (entity, query, place, event) if x)
    with store.transaction():
        watch_id = store.add_watch(name, ent, q, pl, count, window, hook)
        if ev:
            store.set_watch_event(watch_id, ev)
    watch = get_watch(store, watch_id)
    assert watch is not None
    return watch


def get_watch(store: Any, watch_id: int) -> Watch | None:
    found = store.get_watch(watch_id)
    return _to_watch(found, _events_of(store, [watch_id]).get(watch_id)) if found else None


def list_watches(store: Any, active_only: bool = False) -> list[Watch]:
    rows = store.list_watches(active_only=active_only)
    events = _events_of(store, [d["id"] for d in rows])
    return [_to_watch(d, events.get(d["id"])) for d in rows]


def remove_watch(store: Any, watch_id: int) -> bool:
    """Delete a watch and its alerts; False when there is no such watch."""
    return store.remove_watch(watch_id)


def set_watch_active(store: Any, watch_id: int, active: bool) -> bool:
    return store.set_watch_active(watch_id, active)


def update_entity_ids(store: Any, watch: Watch, ids: list[int]) -> None:
    """Remember entity ids found after the watch was added (shown by `rasid watch list`)."""
    if not watch.entity or not watch.id:
        return
    merged = sorted(set(watch.entity.get("ids") or []) | set(ids))
    if merged == sorted(watch.entity.get("ids") or []):
        return
    watch.entity["ids"] = merged
    store.set_watch_entity(watch.id, watch.entity)
