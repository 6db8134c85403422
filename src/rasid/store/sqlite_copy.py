"""`SqliteStore`'s side of `rasid copy`: a table's rows in SQLite's order (`iter_records` and
`import_records` are `sql_copy`'s, shared)."""
from __future__ import annotations

from typing import Iterator

from .sql_copy import RecordImportMethods

#: the tables without a rowid, read by all their columns
WITHOUT_ROWID = ("entity_keys", "entity_links", "entity_roles", "story_terms", "story_entities",
                 "watch_matches")


class SqliteCopyMethods(RecordImportMethods):
    """Mixin for `SqliteStore`."""

    def _table_rows(self, kind: str, table: str, columns: tuple[str, ...],
                    batch_size: int) -> Iterator[tuple]:
        """The rows of `table` (its `columns`), in insertion order (rowid), or by all their
        columns for a table without rowid."""
        cols = ", ".join(f'"{c}"' for c in columns)
        last = 0
        while True:
            if table in WITHOUT_ROWID:
                rows = self._rows(f"SELECT 0, {cols} FROM {table} ORDER BY {cols} LIMIT ? OFFSET ?",
                                  (batch_size, last))
            else:
                rows = self._rows(f"SELECT rowid, {cols} FROM {table} WHERE rowid > ? ORDER BY rowid "
                                  "LIMIT ?", (last, batch_size))
            if not rows:
                return
            for row in rows:
                yield row[1:]
            last = last + len(rows) if table in WITHOUT_ROWID else rows[-1][0]
