"""`PostgresStore`'s event methods (the twin of `sqlite_events`): listing with filters,
streaming for exports, cross-article groups, and the event criterion of watches.

An event is a row of ``spans`` (layer ``events``, attrs JSONB); its id is that row's
``rowid``. Rows come back as the same dicts as on SQLite (`sqlite_events.row_to_event`).
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from .sql_events import EventSQL
from .sql_events import build_where as build_event_where
from .sqlite_events import MAX_LIMIT, row_to_compact_event, row_to_event


def _j(path: str) -> str:
    """The text of a (dotted) attrs field, NULL when absent or JSON null."""
    return "(s.attrs #>> '{%s}')" % path.replace(".", ",")


def _start(role: str) -> str:
    """The start offset of the entity of an event's actor or recipient."""
    return f"coalesce({_j(role + '.entity_start')}::int, {_j(role + '.start')}::int)"


_SELECT = (
    "SELECT s.rowid, s.article_id, s.start, s.\"end\", s.label, s.attrs::text, a.title, a.url, "
    f"a.source, a.published, substr(a.text, {_j('sentence_start')}::int + 1, "
    f"{_j('sentence_end')}::int - {_j('sentence_start')}::int), "
    "(SELECT m.entity_id FROM mentions m WHERE m.article_id = s.article_id AND m.start = "
    f"{_start('actor')} LIMIT 1), "
    "(SELECT m.entity_id FROM mentions m WHERE m.article_id = s.article_id AND m.start = "
    f"{_start('recipient')} LIMIT 1), "
    "g.group_id, (SELECT count(*) FROM event_members g2 WHERE g2.group_id = g.group_id) "
    "FROM spans s JOIN articles a ON a.id = s.article_id "
    "LEFT JOIN event_members g ON g.span_rowid = s.rowid "
    "WHERE s.layer = 'events'"
)
#: `_SELECT` with only what `row_to_compact_event` reads (no article row, no sentence)
_SELECT_COMPACT = (
    "SELECT s.rowid, s.article_id, s.label, s.attrs::text, "
    "(SELECT m.entity_id FROM mentions m WHERE m.article_id = s.article_id AND m.start = "
    f"{_start('actor')} LIMIT 1), g.group_id "
    "FROM spans s LEFT JOIN event_members g ON g.span_rowid = s.rowid "
    "WHERE s.layer = 'events'"
)
#: the SELECT and its row's conversion, full (False) or compact (True)
_SHAPES = {False: (_SELECT, row_to_event), True: (_SELECT_COMPACT, row_to_compact_event)}


#: how PostgreSQL writes the event filters (`sql_events.build_where`)
PG_EVENTS = EventSQL(
    "%s", _j, _start, "ILIKE", lambda column, values: (f"{column} = ANY(%s)", [list(values)]),
    lambda field: f"{_j(field)} IN ('false', '0')")


def build_where(f: dict[str, Any]) -> tuple[str, list]:
    """SQL conditions for event filters (see `sqlite_events.SqliteEventsMixin.find_events`)."""
    return build_event_where(f, PG_EVENTS)


class PostgresEventMethods:
    """Mixin for `PostgresStore` (uses its ``_rows``, ``_write`` and ``_atomic``)."""

    def find_events(self, filters: dict[str, Any] | None = None, limit: int = 100,
                    offset: int = 0) -> list[dict[str, Any]]:
        where, args = build_where(filters or {})
        limit = max(1, min(int(limit), MAX_LIMIT))
        rows = self._rows(  # type: ignore[attr-defined]
            f"{_SELECT}{where} ORDER BY {_j('when')} DESC NULLS LAST, s.rowid DESC "
            "LIMIT %s OFFSET %s", [*args, limit, max(0, int(offset))])
        return [row_to_event(r) for r in rows]

    def find_events_batch(self, queries: list[dict[str, Any]], limit: int = 100,
                          compact: bool = False, per_statement: int = 50) -> list[list[dict[str, Any]]]:
        """`find_events` of each query, `per_statement` queries to a statement (their
        UNION ALL, each tagged with its position): one round trip for many."""
        limit = max(1, min(int(limit), MAX_LIMIT))
        select, convert = _SHAPES[compact]
        out: list[list[dict[str, Any]]] = [[] for _ in queries]
        for first in range(0, len(queries), per_statement):
            parts, args = [], []
            for i, filters in enumerate(queries[first:first + per_statement], first):
                where, wargs = build_where(filters or {})
                parts.append(f"(SELECT {i}, {select[len('SELECT '):]}{where} ORDER BY {_j('when')} "
                             "DESC NULLS LAST, s.rowid DESC LIMIT %s)")
                args += [*wargs, limit]
            for row in self._rows(" UNION ALL ".join(parts), args):  # type: ignore[attr-defined]
                out[row[0]].append(convert(row[1:]))
        return out

    def iter_events(self, filters: dict[str, Any] | None = None, batch_size: int = 500,
                    compact: bool = False) -> Iterator[dict[str, Any]]:
        where, args = build_where(filters or {})
        select, convert = _SHAPES[compact]
        last = 0
        while True:
            rows = self._rows(f"{select}{where} AND s.rowid > %s ORDER BY s.rowid LIMIT %s",  # type: ignore[attr-defined]
                              [*args, last, batch_size])
            if not rows:
                return
            for r in rows:
                yield convert(r)
            last = rows[-1][0]

    def set_watch_event(self, watch_id: int, event: dict[str, Any]) -> None:
        self._write("INSERT INTO watch_events (watch_id, event) VALUES (%s, %s) "  # type: ignore[attr-defined]
                    "ON CONFLICT (watch_id) DO UPDATE SET event = excluded.event",
                    (int(watch_id), json.dumps(event, ensure_ascii=False)))

    def get_watch_events(self, watch_ids: list[int]) -> dict[int, dict[str, Any]]:
        ids = [int(i) for i in watch_ids]
        if not ids:
            return {}
        rows = self._rows("SELECT watch_id, event FROM watch_events WHERE watch_id = ANY(%s)",  # type: ignore[attr-defined]
                          (ids,))
        return {r[0]: json.loads(r[1]) for r in rows}

    def find_group_days(self, group_ids: Iterable[int]) -> dict[int, list[str]]:
        ids = sorted({int(g) for g in group_ids})
        out: dict[int, list[str]] = {}
        if not ids:
            return out
        for group, when in self._rows(  # type: ignore[attr-defined]
                f"SELECT g.group_id, {_j('when')} FROM event_members g JOIN spans s ON "
                "s.rowid = g.span_rowid WHERE s.layer = 'events' AND g.group_id = ANY(%s) "
                "ORDER BY g.span_rowid", (ids,)):
            if when:
                out.setdefault(group, []).append(when)
        return out

    def set_event_groups(self, members: Iterable[tuple[int, int]]) -> int:
        pairs = [(int(e), int(g)) for e, g in members]
        with self._atomic():  # type: ignore[attr-defined]
            with self.con.cursor() as cur:  # type: ignore[attr-defined]
                cur.executemany("INSERT INTO event_members (span_rowid, group_id) VALUES (%s, %s) "
                                "ON CONFLICT (span_rowid) DO UPDATE SET group_id = excluded.group_id",
                                pairs)
        return len(pairs)
