"""`SqliteStore`'s own event methods: many listings that differ only in their days read in one
statement (`find_events_batch`: the event groups step's), and group writes. Listing with filters,
the SELECT, the rows' dicts, streaming for exports and the watches' event criteria are
`sql_events`' (shared with PostgreSQL)."""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from typing import Any, Iterable

from .sql_events import EventReadingMethods, EventSQL, build_where, clamp_limit


def span_field(path: str) -> str:
    """SQL for the text of a (dotted) field of the attrs of the span ``s``."""
    return f"json_extract(s.attrs, '$.{path}')"


#: how SQLite writes the event filters (`sql_events.build_where`)
SQLITE_EVENTS = EventSQL(
    "?", span_field, lambda role: f"coalesce({span_field(role + '.entity_start')}, {span_field(role + '.start')})",
    "LIKE", lambda column, values: (f"{column} IN ({', '.join('?' * len(values))})", list(values)),
    lambda name: f"NOT {span_field(name)}", span_field, "s.attrs")


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


class SqliteEventsMixin(EventReadingMethods):
    """Event queries of `SqliteStore` (needs ``self.con`` and ``self._lock``)."""

    _EVENTS = SQLITE_EVENTS

    def find_events_batch(self, queries: list[dict[str, Any]], limit: int = 100,
                          compact: bool = False) -> list[list[dict[str, Any]]]:
        """Queries that differ only in their ``since`` / ``until`` days (the event groups
        step asks one per new event: same type and country, days around the event's) and
        whose days overlap are read in one statement over their joint span, then cut per
        query: each matching row is read and built once instead of once per query, and no
        row between two such spans is read. The answers are those of `find_events` (same
        rows, order and limit)."""
        limit = clamp_limit(limit)
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
        where, args = build_where(span, self._EVENTS)
        select, convert = self._event_shape(compact)
        with self._lock:
            rows = self.con.execute(f"{select}{where} ORDER BY {self._newest_first()}", args).fetchall()
        events = [convert(r) for r in rows]
        # newest first, by the day's text (SQLite compares it as Python does): each query's
        # events are one run of the list, found by bisection on the days oldest first
        days_up = [e["when"] for e in reversed(events)]
        n = len(events)
        for k, (since, until) in zip(ks, days):
            first = n - bisect_right(days_up, until)
            out[k] = [dict(e) for e in events[first:min(n - bisect_left(days_up, since), first + limit)]]

    def set_event_groups(self, members: Iterable[tuple[int, int]]) -> int:
        """Record ``(event id, group id)`` pairs (an event moves to the group given);
        return how many were written."""
        pairs = [(int(e), int(g)) for e, g in members]
        with self._lock:
            self.con.executemany(
                "INSERT INTO event_members (span_rowid, group_id) VALUES (?, ?) "
                "ON CONFLICT (span_rowid) DO UPDATE SET group_id = excluded.group_id", pairs)
        return len(pairs)
