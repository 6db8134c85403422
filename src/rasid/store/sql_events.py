"""Events across the archive, once for both engines: the event filters (`find_events` and the
exports and groups that share them) as SQL conditions, the SELECT that reads an event with its
article, sentence, entities and group, and what turns its row into the dict every reader gets.
`EventSQL` says how each engine writes what differs (JSON fields, LIKE, membership).

An event is a row of ``spans`` (layer ``events``); its id is that row's ``rowid``. Rows
come back as plain dicts (`EVENT_FIELDS` plus the article's ``title``, ``url``,
``source``, ``published``, the ``sentence`` text, the archive entity ids of the actor and
recipient, and the ``group`` id with its ``group_size``)."""
from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Iterator, NamedTuple

#: The event fields of a row, in export order.
EVENT_FIELDS = ("id", "article_id", "type", "mode", "trigger", "start", "end", "actor",
                "recipient", "place", "date", "when", "negated", "hypothetical", "confidence",
                "sentence_start", "sentence_end")
MAX_LIMIT = 1000
#: the fields of a compact event (``compact=True``): what event grouping compares
COMPACT_EVENT_FIELDS = ("id", "article_id", "type", "when", "place", "actor", "actor_entity_id", "group")


class EventSQL(NamedTuple):
    """How an engine writes the parts of an event filter."""

    param: str  # the parameter mark
    field: Callable[[str], str]  # the value of a dotted attrs field (NULL when absent)
    start: Callable[[str], str]  # the start offset of the actor's or recipient's entity
    like: str  # substring match, ignoring case where the engine can
    is_in: Callable[[str, list], tuple[str, list]]  # column in values: SQL and its arguments
    false: Callable[[str], str]  # a boolean attrs field is false (absent or null: not)
    number: Callable[[str], str]  # the value of an integer attrs field
    attrs: str  # the span's attrs as JSON text


def select_events(e: EventSQL, compact: bool = False) -> str:
    """The SELECT of events (before their filters' ``AND ...``): `row_to_event`'s columns, or
    with `compact` only what `row_to_compact_event` reads (no article row, no sentence)."""
    def entity_of(role: str) -> str:
        return (f"(SELECT m.entity_id FROM mentions m WHERE m.article_id = s.article_id "
                f"AND m.start = {e.start(role)} LIMIT 1)")

    if compact:
        return (f"SELECT s.rowid, s.article_id, s.label, {e.attrs}, {entity_of('actor')}, g.group_id "
                "FROM spans s LEFT JOIN event_members g ON g.span_rowid = s.rowid WHERE s.layer = 'events'")
    start, end = e.number("sentence_start"), e.number("sentence_end")
    return (f"SELECT s.rowid, s.article_id, s.start, s.\"end\", s.label, {e.attrs}, a.title, a.url, "
            f"a.source, a.published, substr(a.text, {start} + 1, {end} - {start}), "
            f"{entity_of('actor')}, {entity_of('recipient')}, "
            "g.group_id, (SELECT count(*) FROM event_members g2 WHERE g2.group_id = g.group_id) "
            "FROM spans s JOIN articles a ON a.id = s.article_id "
            "LEFT JOIN event_members g ON g.span_rowid = s.rowid WHERE s.layer = 'events'")


def row_to_event(row: tuple) -> dict[str, Any]:
    attrs = json.loads(row[5])
    ev = {"id": row[0], "article_id": row[1], "type": row[4], "start": row[2], "end": row[3],
          "span_id": attrs.get("id")}
    for key in EVENT_FIELDS:
        if key not in ev:
            ev[key] = attrs.get(key)
    ev.update({"title": row[6], "url": row[7], "source": row[8], "published": row[9],
               "sentence": row[10], "actor_entity_id": row[11], "recipient_entity_id": row[12],
               "group": row[13], "group_size": row[14] or 1})
    for key in ("threatened", "also", "ellipsis_of"):
        if key in attrs:
            ev[key] = attrs[key]
    return ev


def row_to_compact_event(row: tuple) -> dict[str, Any]:
    """The `COMPACT_EVENT_FIELDS` of an event (a compact `select_events` row): those
    `row_to_event` gives of it."""
    attrs = json.loads(row[3])
    return {"id": row[0], "article_id": row[1], "type": row[2], "when": attrs.get("when"),
            "place": attrs.get("place"), "actor": attrs.get("actor"), "actor_entity_id": row[4],
            "group": row[5]}


def clamp_limit(limit: int) -> int:
    """A listing's limit within 1 and `MAX_LIMIT`."""
    return max(1, min(int(limit), MAX_LIMIT))


class EventReadingMethods:
    """The engines' shared event methods (mixin; uses the store's ``_rows``, ``_write``,
    ``_in``, ``_PARAM``, ``_NULLS_LAST`` and the engine's ``_EVENTS``, an `EventSQL`)."""

    def _event_shape(self, compact: bool) -> tuple[str, Callable[[tuple], dict[str, Any]]]:
        """The SELECT of events and its row's conversion, full or compact."""
        return select_events(self._EVENTS, compact), (row_to_compact_event if compact else row_to_event)

    def _newest_first(self) -> str:
        """The ORDER BY of event listings: by day, newest first (undated last), then newest row."""
        return f"{self._EVENTS.field('when')} DESC{self._NULLS_LAST}, s.rowid DESC"

    def find_events(self, filters: dict[str, Any] | None = None, limit: int = 100,
                    offset: int = 0) -> list[dict[str, Any]]:
        """Events, newest first. Filters: ``type`` (comma list), ``mode``, ``actor`` /
        ``recipient`` (text in the argument or its entity name) and ``actor_ids`` /
        ``recipient_ids`` (archive entity ids), ``entity_ids`` (actor or recipient),
        ``country`` (ISO2 of the place), ``place`` (name), ``place_id`` (gazetteer id), ``since`` / ``until`` (the
        event's day, inclusive), ``uncertain`` (also negated and hypothetical events),
        ``article_ids``, ``group``, ``located`` (only events with coordinates)."""
        return self._find_events(filters, limit, offset)

    def _find_events(self, filters: dict[str, Any] | None, limit: int, offset: int = 0,
                     compact: bool = False) -> list[dict[str, Any]]:
        where, args = build_where(filters or {}, self._EVENTS)
        select, convert = self._event_shape(compact)
        p = self._PARAM
        rows = self._rows(f"{select}{where} ORDER BY {self._newest_first()} LIMIT {p} OFFSET {p}",
                          [*args, clamp_limit(limit), max(0, int(offset))])
        return [convert(r) for r in rows]

    def iter_events(self, filters: dict[str, Any] | None = None, batch_size: int = 500,
                    compact: bool = False) -> Iterator[dict[str, Any]]:
        """Every event matching `filters`, oldest first, read in batches (no cap)."""
        where, args = build_where(filters or {}, self._EVENTS)
        select, convert = self._event_shape(compact)
        p, last = self._PARAM, 0
        while True:
            rows = self._rows(f"{select}{where} AND s.rowid > {p} ORDER BY s.rowid LIMIT {p}",
                              [*args, last, batch_size])
            if not rows:
                return
            for r in rows:
                yield convert(r)
            last = rows[-1][0]

    def set_watch_event(self, watch_id: int, event: dict[str, Any]) -> None:
        """Store the event criterion of a watch (``{"type", "place", "text"}``)."""
        p = self._PARAM
        self._write(f"INSERT INTO watch_events (watch_id, event) VALUES ({p}, {p}) "
                    "ON CONFLICT (watch_id) DO UPDATE SET event = excluded.event",
                    (int(watch_id), json.dumps(event, ensure_ascii=False)))

    def get_watch_events(self, watch_ids: list[int]) -> dict[int, dict[str, Any]]:
        """``{watch id: event criterion}`` for the watches that have one."""
        out: dict[int, dict[str, Any]] = {}
        for chunk in self._chunks([int(i) for i in watch_ids]):
            cond, args = self._in("watch_id", chunk)
            out.update((w, json.loads(e)) for w, e in self._rows(
                f"SELECT watch_id, event FROM watch_events WHERE {cond}", args))
        return out

    def find_group_days(self, group_ids: Iterable[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for chunk in self._chunks(sorted({int(g) for g in group_ids})):
            cond, args = self._in("g.group_id", chunk)
            for group, when in self._rows(
                    f"SELECT g.group_id, {self._EVENTS.field('when')} FROM event_members g JOIN spans s ON "
                    f"s.rowid = g.span_rowid WHERE s.layer = 'events' AND {cond} ORDER BY g.span_rowid", args):
                if when:
                    out.setdefault(group, []).append(when)
        return out


def build_where(f: dict[str, Any], e: EventSQL) -> tuple[str, list]:
    """SQL conditions for event filters (see `EventReadingMethods.find_events`)."""
    p, field = e.param, e.field
    sql, args = "", []

    def add(cond: str, *values: Any) -> None:
        nonlocal sql
        sql += f" AND {cond}"
        args.extend(values)

    def member(column: str, values: list) -> None:
        cond, values = e.is_in(column, values)
        add(cond, *values)

    def entity_at(starts: str, ids: list) -> tuple[str, list]:
        cond, values = e.is_in("m.entity_id", [int(i) for i in ids])
        return (f"EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = s.article_id AND m.start {starts} "
                f"AND {cond})", values)

    if f.get("type"):
        member("s.label", [t.strip().upper() for t in str(f["type"]).split(",") if t.strip()])
    if f.get("mode"):
        add(f"{field('mode')} = {p}", f["mode"])
    for role in ("actor", "recipient"):
        ids = f.get(f"{role}_ids") or []
        text = f.get(role)
        conds, cargs = [], []
        if ids:
            cond, values = entity_at(f"= {e.start(role)}", ids)
            conds.append(cond)
            cargs += values
        if text:
            conds.append(f"({field(role + '.text')} {e.like} {p} OR {field(role + '.entity')} {e.like} {p})")
            cargs += [f"%{text}%", f"%{text}%"]
        if conds:
            add(f"({' OR '.join(conds)})", *cargs)
    if f.get("entity_ids"):
        cond, values = entity_at(f"IN ({e.start('actor')}, {e.start('recipient')})", f["entity_ids"])
        add(cond, *values)
    if f.get("country"):
        add(f"{field('place.country')} = {p}", str(f["country"]).upper())
    if f.get("place"):
        add(f"({field('place.text')} {e.like} {p} OR {field('place.name')} {e.like} {p} "
            f"OR {field('place.name_en')} {e.like} {p})", *[f"%{f['place']}%"] * 3)
    if f.get("place_id"):
        add(f"{field('place.gazetteer_id')} = {p}", str(f["place_id"]))
    if f.get("since"):
        add(f"{field('when')} >= {p}", str(f["since"])[:10])
    if f.get("until"):
        add(f"{field('when')} <= {p}", str(f["until"])[:10])
    if not f.get("uncertain"):
        add(f"{e.false('negated')} AND {e.false('hypothetical')}")
    if f.get("article_ids"):
        member("s.article_id", [str(i) for i in f["article_ids"]])
    if f.get("group"):
        add(f"g.group_id = {p}", int(f["group"]))
    if f.get("located"):
        add(f"{field('place.lat')} IS NOT NULL")
    return sql, args
