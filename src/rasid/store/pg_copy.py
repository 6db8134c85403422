"""`PostgresStore.iter_records` / `import_records`: the archive's content as the same plain
records as `sqlite_copy` (see `base.RECORD_KINDS`), so `rasid copy` moves an archive
between SQLite and PostgreSQL in either direction."""
from __future__ import annotations

import json
from typing import Any, Iterator

from .sql_copy import _ARTICLE_COLUMNS, TABLES, RecordImportMethods, _encode_signature

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

    def iter_records(self, kind: str, batch_size: int = 500) -> Iterator[dict[str, Any]]:
        if kind == "articles":
            cols = ", ".join(f'"{c}"' for c in _ARTICLE_COLUMNS)
            last = 0
            while True:
                rows = self._rows(f"SELECT rowid, {cols} FROM articles WHERE rowid > %s "
                                  "ORDER BY rowid LIMIT %s", (last, batch_size))
                if not rows:
                    return
                for row in rows:
                    rec = dict(zip(_ARTICLE_COLUMNS, row[1:]))
                    for c in ("images", "meta", "layers"):
                        rec[c] = json.loads(rec[c])
                    yield rec
                last = rows[-1][0]
        elif kind == "progress":
            mark = self.get_alert_mark()
            n = self._row("SELECT count(*) FROM articles WHERE rowid <= %s", (mark,))[0]
            yield {"name": "alerts_evaluated", "value": n}  # a count: portable across engines
        elif kind in TABLES:
            table, columns, json_columns = TABLES[kind]
            cols = ", ".join(f'"{c}"' for c in columns)
            offset = 0
            while True:
                rows = self._rows(f"SELECT {cols} FROM {table} ORDER BY {ORDER_BY[kind]} "
                                  "LIMIT %s OFFSET %s", (batch_size, offset))
                if not rows:
                    return
                for row in rows:
                    rec = dict(zip(columns, row))
                    for c in json_columns:
                        if rec[c] is not None:
                            rec[c] = json.loads(rec[c])
                    if kind == "neardup_signatures":
                        rec["signature"] = _encode_signature(bytes(rec["signature"]))
                    yield rec
                offset += len(rows)
        else:
            raise ValueError(f"unknown record kind {kind!r}")

    def _after_import(self, table: str) -> None:
        if table in IDENTITY:
            col = IDENTITY[table]
            self.con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{col}'), "
                             f"coalesce((SELECT max({col}) FROM {table}), 0) + 1, false)")
