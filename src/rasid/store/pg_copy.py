"""`PostgresStore`'s side of `rasid copy`: a table's rows in the order SQLite reads them, and the
identity columns moved past imported ids (`iter_records` and `import_records` are `sql_copy`'s,
shared), so `rasid copy` moves an archive between SQLite and PostgreSQL in either direction."""
from __future__ import annotations

from typing import Iterator

from .sql_copy import RecordImportMethods

#: the order records are read in, the order SQLite reads the same records in: its rowid
#: tables in insertion order (a serial key here, else the physical order: ctid, which is
#: insertion order for rows never updated), its WITHOUT ROWID tables by all their columns
#: (binary collation, NULLs first)
_C = 'COLLATE "C"'
ORDER_BY = {
    "entities": "id", "neardup_signatures": "ctid", "neardup_bands": "ctid",
    "near_duplicates": "ctid", "stories": "id", "story_articles": "ctid", "watches": "id",
    "alerts": "id", "deliveries": "id", "state": "ctid",
    "entity_keys": f"key {_C}, entity_id",
    "entity_links": f"entity_id, name {_C}, reason {_C}",
    "entity_roles": f"entity_id, role {_C}, text {_C}, first_seen {_C} NULLS FIRST, "
                    f"last_seen {_C} NULLS FIRST, mentions",
    "entity_decisions": "id",
    "story_terms": f"term {_C}, story_id, last_published {_C} NULLS FIRST",
    "story_entities": f"entity_id, story_id, articles, last_published {_C} NULLS FIRST",
    "watch_matches": f"watch_id, article_id {_C}, event_time {_C}, reason {_C}",
}
#: tables whose identity column must move past the imported ids
IDENTITY = {"entities": "id", "stories": "id", "watches": "id", "alerts": "id", "deliveries": "id",
            "entity_decisions": "id"}


class PostgresCopyMethods(RecordImportMethods):
    """Mixin for `PostgresStore`."""

    def _table_rows(self, kind: str, table: str, columns: tuple[str, ...],
                    batch_size: int) -> Iterator[tuple]:
        """The rows of `table` (its `columns`) in the order SQLite reads them (`ORDER_BY`)."""
        cols = ", ".join(f'"{c}"' for c in columns)
        if kind == "articles":
            last = 0
            while rows := self._rows(f"SELECT rowid, {cols} FROM articles WHERE rowid > %s "
                                     "ORDER BY rowid LIMIT %s", (last, batch_size)):
                yield from (row[1:] for row in rows)
                last = rows[-1][0]
            return
        offset = 0
        while rows := self._rows(f"SELECT {cols} FROM {table} ORDER BY {ORDER_BY[kind]} "
                                 "LIMIT %s OFFSET %s", (batch_size, offset)):
            yield from rows
            offset += len(rows)

    def _after_import(self, table: str) -> None:
        if table in IDENTITY:
            col = IDENTITY[table]
            self.con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{col}'), "
                             f"coalesce((SELECT max({col}) FROM {table}), 0) + 1, false)")
