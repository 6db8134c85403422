"""Helpers for the place page: which gazetteer entries a typed name means, which
archive places lie near one, and the events there per day. No I/O beyond the shipped gazetteer; the SQL is in
store/sql_places.py and `Monitor.place_profiles` ties them together."""
from __future__ import annotations

import math
from typing import Any

from .gazetteer import load_gazetteer, lookup_place

KEY_PREFIXES = ("gn:", "dr5hn-city:", "dr5hn-state:", "rasid:")
NEIGHBOUR_KM = 300.0


def find_place_keys(name: str, limit: int = 10) -> list[str]:
    """Gazetteer keys for a place name: a key as is, an Arabic name (best prior first) or
    an English name (case-insensitive, exact)."""
    name = name.strip()
    if name.startswith(KEY_PREFIXES):
        return [name] if name in load_gazetteer().by_key else []
    keys = [p.key for p in lookup_place(name)]
    if not keys and name.isascii():
        low = name.lower()
        found = [p for p in load_gazetteer().places if p.name_en.lower() == low]
        found.sort(key=lambda p: (p.feature != "country", -p.population))
        keys = [p.key for p in found]
    return keys[:limit]


def measure_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def select_neighbours(place: dict[str, Any], places: list[dict[str, Any]],
                      km: float = NEIGHBOUR_KM) -> list[dict[str, Any]]:
    """Archive places (rows of `Store.top_places`) within `km` of `place`, nearest first;
    countries and continents are left out (they are not neighbours of a town)."""
    if place.get("lat") is None or place.get("lon") is None:
        return []
    out = []
    for p in places:
        if p.get("lat") is None or p.get("feature") in ("country", "continent"):
            continue
        if p.get("name") == place.get("name") and p.get("country") == place.get("country"):
            continue
        d = measure_km(place["lat"], place["lon"], p["lat"], p["lon"])
        if d <= km:
            out.append({**p, "km": round(d)})
    return sorted(out, key=lambda p: p["km"])


def count_events_by_day(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events (rows of `Store.find_events`) per day, oldest first: ``{"date", "events",
    "types": {TYPE: n}}``; the day is the event's own date (``when``) when the text gave
    one, else its article's publication day; events with neither come last, with
    ``date`` None."""
    days: dict[str, dict[str, int]] = {}
    for ev in events:
        day = str(ev.get("when") or ev.get("published") or "")[:10]
        types = days.setdefault(day, {})
        types[ev["type"]] = types.get(ev["type"], 0) + 1
    return [{"date": d or None, "events": sum(t.values()), "types": dict(sorted(t.items()))}
            for d, t in sorted(days.items(), key=lambda dt: (not dt[0], dt[0]))]
