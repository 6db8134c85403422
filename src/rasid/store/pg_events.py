"""`PostgresStore`'s own event methods (the twin of `sqlite_events`): many listings in one round
trip, and group writes. Listing with filters, the SELECT, the rows' dicts, streaming for exports and
the watches' event criteria are `sql_events`' (shared with SQLite); attrs are JSONB here."""
from __future__ import annotations

from typing import Any, Iterable

from .sql_events import EventReadingMethods, EventSQL, build_where, clamp_limit


def span_field(path: str) -> str:
    """The text of a (dotted) attrs field, NULL when absent or JSON null."""
    return "(s.attrs #>> '{%s}')" % path.replace(".", ",")


def _start(role: str) -> str:
    """The start offset of the entity of an event's actor or recipient."""
    return f"coalesce({span_field(role + '.entity_start')}::int, {span_field(role + '.start')}::int)"


#: how PostgreSQL writes the event filters (`sql_events.build_where`)
PG_EVENTS = EventSQL(
    "%s", span_field, _start, "ILIKE", lambda column, values: (f"{column} = ANY(%s)", [list(values)]),
    lambda field: f"{span_field(field)} IN ('false', '0')", lambda field: f"{span_field(field)}::int", "s.attrs::text")


class PostgresEventMethods(EventReadingMethods):
    """Mixin for `PostgresStore` (uses its ``_rows``, ``_write`` and ``_atomic``)."""

    _EVENTS = PG_EVENTS

    def find_events_batch(self, queries: list[dict[str, Any]], limit: int = 100,
                          compact: bool = False, per_statement: int = 50) -> list[list[dict[str, Any]]]:
        """`find_events` of each query, `per_statement` queries to a statement (their
        UNION ALL, each tagged with its position): one round trip for many."""
        limit = clamp_limit(limit)
        select, convert = self._event_shape(compact)
        out: list[list[dict[str, Any]]] = [[] for _ in queries]
        for first in range(0, len(queries), per_statement):
            parts, args = [], []
            for i, filters in enumerate(queries[first:first + per_statement], first):
                where, wargs = build_where(filters or {}, self._EVENTS)
                parts.append(f"(SELECT {i}, {select[len('SELECT '):]}{where} ORDER BY {self._newest_first()} LIMIT %s)")
                args += [*wargs, limit]
            for row in self._rows(" UNION ALL ".join(parts), args):  # type: ignore[attr-defined]
                out[row[0]].append(convert(row[1:]))
        return out

    def set_event_groups(self, members: Iterable[tuple[int, int]]) -> int:
        pairs = [(int(e), int(g)) for e, g in members]
        with self._atomic():  # type: ignore[attr-defined]
            with self.con.cursor() as cur:  # type: ignore[attr-defined]
                cur.executemany("INSERT INTO event_members (span_rowid, group_id) VALUES (%s, %s) "
                                "ON CONFLICT (span_rowid) DO UPDATE SET group_id = excluded.group_id",
                                pairs)
        return len(pairs)
