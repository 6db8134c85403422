"""Event exports, streamed: JSON Lines, CSV (one row per event) and GeoJSON points.

``iter_export`` turns an iterable of event dicts (``Store.iter_events``) into text chunks
as it reads them (no list in memory, no cap); ``write_events`` writes those to a stream.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Iterator, TextIO

FORMATS = ("jsonl", "csv", "geojson")
CSV_COLUMNS = ("id", "type", "mode", "when", "trigger", "actor", "actor_code", "actor_entity_id",
               "recipient", "recipient_code", "recipient_entity_id", "place", "country", "lat",
               "lon", "date", "negated", "hypothetical", "confidence", "group", "source", "url",
               "published", "article_id", "start", "end", "sentence")


def arg_text(arg: dict[str, Any] | None) -> str:
    if not arg:
        return ""
    return arg.get("entity") or arg.get("text") or ""


def flatten_event(ev: dict[str, Any]) -> dict[str, Any]:
    """One CSV row: PLOVER fields, argument texts and codes, place, the source URL."""
    place = ev.get("place") or {}
    actor, recipient = ev.get("actor") or {}, ev.get("recipient") or {}
    return {
        "id": ev["id"], "type": ev["type"], "mode": ev.get("mode") or "", "when": ev.get("when") or "",
        "trigger": ev.get("trigger") or "", "actor": arg_text(actor), "actor_code": actor.get("code", ""),
        "actor_entity_id": ev.get("actor_entity_id") or "", "recipient": arg_text(recipient),
        "recipient_code": recipient.get("code", ""), "recipient_entity_id": ev.get("recipient_entity_id") or "",
        "place": place.get("name") or place.get("text") or "", "country": place.get("country") or "",
        "lat": place.get("lat", ""), "lon": place.get("lon", ""),
        "date": (ev.get("date") or {}).get("text", ""), "negated": int(bool(ev.get("negated"))),
        "hypothetical": int(bool(ev.get("hypothetical"))), "confidence": ev.get("confidence", ""),
        "group": ev.get("group") or "", "source": ev.get("source") or "", "url": ev.get("url") or "",
        "published": ev.get("published") or "", "article_id": ev["article_id"], "start": ev["start"],
        "end": ev["end"], "sentence": " ".join((ev.get("sentence") or "").split()),
    }


def iter_jsonl(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    for ev in events:
        yield json.dumps(ev, ensure_ascii=False) + "\n"


def iter_csv(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for ev in events:
        writer.writerow(flatten_event(ev))
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    if buf.getvalue():
        yield buf.getvalue()


def iter_geojson(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A FeatureCollection of the events that have coordinates, feature by feature."""
    yield '{"type": "FeatureCollection", "features": [\n'
    n = 0
    for ev in events:
        place = ev.get("place") or {}
        if place.get("lat") is None or place.get("lon") is None:
            continue
        props = {k: v for k, v in flatten_event(ev).items() if k not in ("lat", "lon", "sentence")}
        props["sentence"] = ev.get("sentence")
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
                   "properties": props}
        yield ("" if n == 0 else ",\n") + json.dumps(feature, ensure_ascii=False)
        n += 1
    yield "\n]}\n"


def iter_export(fmt: str, events: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The export as text chunks, produced as the events are read."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return {"jsonl": iter_jsonl, "csv": iter_csv, "geojson": iter_geojson}[fmt](events)


def write_events(fmt: str, events: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write the export to `out`; return how many events were read."""
    counted = _Counter(events)
    for chunk in iter_export(fmt, counted):
        out.write(chunk)
    return counted.n


class _Counter:
    def __init__(self, events: Iterable[dict[str, Any]]):
        self.events, self.n = events, 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for ev in self.events:
            self.n += 1
            yield ev
