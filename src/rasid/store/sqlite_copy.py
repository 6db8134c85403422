"""`SqliteStore.iter_records`: an archive's content as plain records, for `rasid copy`
between any two backends (see `base.RECORD_KINDS`); `import_records` is `sql_copy`'s."""
from __future__ import annotations

import json
from typing import Any, Iterator

from .sql_copy import _ARTICLE_COLUMNS, TABLES, RecordImportMethods, _encode_signature


class SqliteCopyMethods(RecordImportMethods):
    """Mixin for `SqliteStore`."""

    def iter_records(self, kind: str, batch_size: int = 500) -> Iterator[dict[str, Any]]:
        if kind == "articles":
            yield from self._iter_table("articles", _ARTICLE_COLUMNS, ("images", "meta", "layers"),
                                        batch_size)
        elif kind == "progress":
            mark = self.get_alert_mark()
            n = self._row("SELECT count(*) FROM articles WHERE rowid <= ?", (mark,))[0]
            yield {"name": "alerts_evaluated", "value": n}  # a count: portable across engines
        elif kind in TABLES:
            table, columns, json_columns = TABLES[kind]
            for rec in self._iter_table(table, columns, json_columns, batch_size):
                if kind == "neardup_signatures":
                    rec["signature"] = _encode_signature(rec["signature"])
                yield rec
        else:
            raise ValueError(f"unknown record kind {kind!r}")

    def _iter_table(self, table: str, columns: tuple[str, ...], json_columns: tuple[str, ...],
                    batch_size: int) -> Iterator[dict[str, Any]]:
        cols = ", ".join(f'"{c}"' for c in columns)
        last = 0
        while True:
            rows = self._rows(f"SELECT rowid, {cols} FROM {table} WHERE rowid > ? ORDER BY rowid "
                              "LIMIT ?", (last, batch_size)) if not self._without_rowid(table) else \
                self._rows(f"SELECT 0, {cols} FROM {table} ORDER BY {cols} LIMIT ? OFFSET ?",
                           (batch_size, last))
            if not rows:
                return
            for row in rows:
                rec = dict(zip(columns, row[1:]))
                for c in json_columns:
                    if rec[c] is not None:
                        rec[c] = json.loads(rec[c])
                yield rec
            last = last + len(rows) if self._without_rowid(table) else rows[-1][0]

    @staticmethod
    def _without_rowid(table: str) -> bool:
        return table in ("entity_keys", "entity_links", "entity_roles", "story_terms",
                         "story_entities", "watch_matches")
