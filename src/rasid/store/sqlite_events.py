"""SQL for events across the archive: listing with filters, streaming for exports,
cross-article groups, and the event criterion of watches. `SqliteStore` inherits `SqliteEventsMixin`.

An event is a row of ``spans`` (layer ``events``); its id is that row's ``rowid``. Rows
come back as plain dicts (`EVENT_FIELDS` plus the article's ``title``, ``url``,
``source``, ``published``, the ``sentence`` text, the archive entity ids of the actor and
recipient, and the ``group`` id with its ``group_size``).
"""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from typing import Any, Iterable, Iterator

from .sql_events import EventSQL
from .sql_events import build_where as build_event_where

#: The event fields of a row, in export order.
EVENT_FIELDS = ("id", "article_id", "type", "mode", "trigger", "start", "end", "actor",
                "recipient", "place", "date", "when", "negated", "hypothetical", "confidence",
                "sentence_start", "sentence_end")
MAX_LIMIT = 1000

_SELECT = (
    "SELECT s.rowid, s.article_id, s.start, s.\"end\", s.label, s.attrs, a.title, a.url, a.source, "
    "a.published, substr(a.text, json_extract(s.attrs, '$.sentence_start') + 1, "
    "json_extract(s.attrs, '$.sentence_end') - json_extract(s.attrs, '$.sentence_start')), "
    "(SELECT m.entity_id FROM mentions m WHERE m.article_id = s.article_id AND m.start = "
    "coalesce(json_extract(s.attrs, '$.actor.entity_start'), json_extract(s.attrs, '$.actor.start')) "
    "LIMIT 1), "
    "(SELECT m.entity_id FROM mentions m WHERE m.article_id = s.article_id AND m.start = "
    "coalesce(json_extract(s.attrs, '$.recipient.entity_start'), json_extract(s.attrs, '$.recipient.start')) "
    "LIMIT 1), "
    "g.group_id, (SELECT count(*) FROM event_members g2 WHERE g2.group_id = g.group_id) "
    "FROM spans s JOIN articles a ON a.id = s.article_id "
    "LEFT JOIN event_members g ON g.span_rowid = s.rowid "
    "WHERE s.layer = 'events'"
)
#: `_SELECT` with only what `row_to_compact_event` reads (no article row, no sentence)
_SELECT_COMPACT = (
    "SELECT s.rowid, s.article_id, s.label, s.attrs, "
    "(SELECT m.entity_id FROM mentions m WHERE m.article_id = s.article_id AND m.start = "
    "coalesce(json_extract(s.attrs, '$.actor.entity_start'), json_extract(s.attrs, '$.actor.start')) "
    "LIMIT 1), g.group_id "
    "FROM spans s LEFT JOIN event_members g ON g.span_rowid = s.rowid "
    "WHERE s.layer = 'events'"
)


def _field(path: str) -> str:
    return f"json_extract(s.attrs, '$.{path}')"


#: how SQLite writes the event filters (`sql_events.build_where`)
SQLITE_EVENTS = EventSQL(
    "?", _field, lambda role: f"coalesce({_field(role + '.entity_start')}, {_field(role + '.start')})",
    "LIKE", lambda column, values: (f"{column} IN ({', '.join('?' * len(values))})", list(values)),
    lambda name: f"NOT {_field(name)}")


def build_where(f: dict[str, Any]) -> tuple[str, list]:
    """SQL conditions for event filters (see `SqliteEventsMixin.find_events`)."""
    return build_event_where(f, SQLITE_EVENTS)


def _overlapping(ks: list[int], queries: list[dict[str, Any]]) -> list[list[int]]:
    """The queries `ks` in groups whose day ranges overlap one another's (by ``since``,
    ``until``; a query's range is its first ten characters of each): no event can answer
    queries of two groups."""
    ranges = sorted((str(queries[k]["since"])[:10], str(queries[k]["until"])[:10], k) for k in ks)
    groups: list[list[int]] = []
    end = ""
    for since, until, k in ranges:
        if groups and since <= end:
            groups[-1].append(k)
            end = max(end, until)
        else:
            groups.append([k])
            end = until
    return [sorted(g) for g in groups]


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


#: the fields of a compact event (``compact=True``): what event grouping compares
COMPACT_EVENT_FIELDS = ("id", "article_id", "type", "when", "place", "actor", "actor_entity_id", "group")


def row_to_compact_event(row: tuple) -> dict[str, Any]:
    """The `COMPACT_EVENT_FIELDS` of an event (a `_SELECT_COMPACT` row): those `row_to_event`
    gives of it."""
    attrs = json.loads(row[3])
    return {"id": row[0], "article_id": row[1], "type": row[2], "when": attrs.get("when"),
            "place": attrs.get("place"), "actor": attrs.get("actor"), "actor_entity_id": row[4],
            "group": row[5]}


#: the SELECT and its row's conversion, full (False) or compact (True)
_SHAPES = {False: (_SELECT, row_to_event), True: (_SELECT_COMPACT, row_to_compact_event)}


class SqliteEventsMixin:
    """Event queries of `SqliteStore` (needs ``self.con`` and ``self._lock``)."""

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
        where, args = build_where(filters or {})
        limit = max(1, min(int(limit), MAX_LIMIT))
        select, convert = _SHAPES[compact]
        with self._lock:
            rows = self.con.execute(
                f"{select}{where} ORDER BY {_field('when')} DESC, s.rowid DESC LIMIT ? OFFSET ?",
                [*args, limit, max(0, int(offset))]).fetchall()
        return [convert(r) for r in rows]

    def find_events_batch(self, queries: list[dict[str, Any]], limit: int = 100,
                          compact: bool = False) -> list[list[dict[str, Any]]]:
        """Queries that differ only in their ``since`` / ``until`` days (the event groups
        step asks one per new event: same type and country, days around the event's) and
        whose days overlap are read in one statement over their joint span, then cut per
        query: each matching row is read and built once instead of once per query, and no
        row between two such spans is read. The answers are those of `find_events` (same
        rows, order and limit)."""
        limit = max(1, min(int(limit), MAX_LIMIT))
        out: list[list[dict[str, Any]]] = [[] for _ in queries]
        shared: dict[str, list[int]] = {}
        for k, q in enumerate(queries):
            if q.get("since") and q.get("until"):
                rest = {key: v for key, v in q.items() if key not in ("since", "until")}
                shared.setdefault(json.dumps(rest, sort_keys=True, default=str), []).append(k)
            else:
                out[k] = self._find_events(q, limit, compact=compact)
        for ks in shared.values():
            for cluster in _overlapping(ks, queries):
                if len(cluster) == 1:
                    out[cluster[0]] = self._find_events(queries[cluster[0]], limit, compact=compact)
                else:
                    self._cut_span(queries, cluster, limit, out, compact)
        return out

    def _cut_span(self, queries: list[dict[str, Any]], ks: list[int], limit: int,
                  out: list[list[dict[str, Any]]], compact: bool) -> None:
        """Answer the queries `ks` (the same filters, overlapping days) from one statement."""
        days = [(str(queries[k]["since"])[:10], str(queries[k]["until"])[:10]) for k in ks]
        span = dict(queries[ks[0]], since=min(d[0] for d in days), until=max(d[1] for d in days))
        where, args = build_where(span)
        select, convert = _SHAPES[compact]
        with self._lock:
            rows = self.con.execute(f"{select}{where} ORDER BY {_field('when')} DESC, s.rowid DESC",
                                    args).fetchall()
        events = [convert(r) for r in rows]
        # newest first, by the day's text (SQLite compares it as Python does): each query's
        # events are one run of the list, found by bisection on the days oldest first
        days_up = [e["when"] for e in reversed(events)]
        n = len(events)
        for k, (since, until) in zip(ks, days):
            first = n - bisect_right(days_up, until)
            out[k] = [dict(e) for e in events[first:min(n - bisect_left(days_up, since), first + limit)]]

    def iter_events(self, filters: dict[str, Any] | None = None, batch_size: int = 500,
                    compact: bool = False) -> Iterator[dict[str, Any]]:
        """Every event matching `filters`, oldest first, read in batches (no cap)."""
        where, args = build_where(filters or {})
        select, convert = _SHAPES[compact]
        last = 0
        while True:
            with self._lock:
                rows = self.con.execute(f"{select}{where} AND s.rowid > ? ORDER BY s.rowid LIMIT ?",
                                        [*args, last, batch_size]).fetchall()
            if not rows:
                return
            for r in rows:
                yield convert(r)
            last = rows[-1][0]

    def set_watch_event(self, watch_id: int, event: dict[str, Any]) -> None:
        """Store the event criterion of a watch (``{"type", "place", "text"}``)."""
        with self._lock:
            self.con.execute("INSERT INTO watch_events (watch_id, event) VALUES (?, ?) "
                             "ON CONFLICT (watch_id) DO UPDATE SET event = excluded.event",
                             (int(watch_id), json.dumps(event, ensure_ascii=False)))

    def get_watch_events(self, watch_ids: list[int]) -> dict[int, dict[str, Any]]:
        """``{watch id: event criterion}`` for the watches that have one."""
        ids = [int(i) for i in watch_ids]
        if not ids:
            return {}
        with self._lock:
            rows = self.con.execute(f"SELECT watch_id, event FROM watch_events WHERE watch_id IN "
                                    f"({', '.join('?' * len(ids))})", ids).fetchall()
        return {r[0]: json.loads(r[1]) for r in rows}

    def find_group_days(self, group_ids: Iterable[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for chunk in self._chunks(sorted({int(g) for g in group_ids})):  # type: ignore[attr-defined]
            cond, args = self._in("g.group_id", chunk)  # type: ignore[attr-defined]
            with self._lock:
                rows = self.con.execute(
                    f"SELECT g.group_id, {_field('when')} FROM event_members g JOIN spans s ON "
                    f"s.rowid = g.span_rowid WHERE s.layer = 'events' AND {cond} ORDER BY g.span_rowid",
                    args).fetchall()
            for group, when in rows:
                if when:
                    out.setdefault(group, []).append(when)
        return out

    def set_event_groups(self, members: Iterable[tuple[int, int]]) -> int:
        """Record ``(event id, group id)`` pairs (an event moves to the group given);
        return how many were written."""
        pairs = [(int(e), int(g)) for e, g in members]
        with self._lock:
            self.con.executemany(
                "INSERT INTO event_members (span_rowid, group_id) VALUES (?, ?) "
                "ON CONFLICT (span_rowid) DO UPDATE SET group_id = excluded.group_id", pairs)
        return len(pairs)
