"""`PostgresStore.iter_records` / `import_records`: the archive's content as the same plain
records as `sqlite_copy` (see `base.RECORD_KINDS`), so `rasid copy` moves an archive
between SQLite and PostgreSQL in either direction."""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from ..doc import Document
from .sqlite_copy import _ARTICLE_COLUMNS, TABLES, _decode_signature, _encode_signature

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


class PostgresCopyMethods:
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

    def import_records(self, kind: str, records: Iterable[dict[str, Any]]) -> int:
        n = 0
        if kind == "articles":
            for rec in records:
                rec = dict(rec)
                ingested_at = rec.pop("ingested_at", None)
                doc = Document.from_dict(rec)
                prep = self._prepare(doc)
                with self.transaction():
                    self._insert_article(prep["row"], prep["index"], doc, ingested_at)
                n += 1
            return n
        if kind == "progress":
            for rec in records:
                if rec.get("name") == "alerts_evaluated" and rec.get("value"):
                    row = self._row("SELECT rowid FROM articles ORDER BY rowid LIMIT 1 OFFSET %s",
                                    (int(rec["value"]) - 1,))
                    if row:
                        self.set_alert_mark(row[0])
                n += 1
            return n
        if kind not in TABLES:
            raise ValueError(f"unknown record kind {kind!r}")
        table, columns, json_columns = TABLES[kind]
        sql = (f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
               f"VALUES ({', '.join(['%s'] * len(columns))})")
        rows = []
        for rec in records:
            values = []
            for c in columns:
                v = rec.get(c)
                if c in json_columns and v is not None:
                    v = json.dumps(v, ensure_ascii=False)
                elif kind == "neardup_signatures" and c == "signature":
                    v = _decode_signature(v)
                values.append(v)
            rows.append(values)
        with self.transaction():
            with self.con.cursor() as cur:
                for i in range(0, len(rows), 1000):
                    cur.executemany(sql, rows[i:i + 1000])
            if table in IDENTITY:
                col = IDENTITY[table]
                self.con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{col}'), "
                                 f"coalesce((SELECT max({col}) FROM {table}), 0) + 1, false)")
        return len(rows)
