"""`iter_records` and `import_records` for both engines (records: see `base.RECORD_KINDS`),
written against the stores' ``_PARAM``, ``_row`` and ``_executemany``; each engine reads a
table's rows in its own order (`_table_rows`: SQLite's, which PostgreSQL reproduces) and an
engine whose identity columns must move past the imported ids does it in `_after_import`."""
from __future__ import annotations

import json
from itertools import islice
from typing import Any, Iterable, Iterator

from ..doc import Document

#: kind -> (table, columns, JSON columns); "articles" and "progress" are special
TABLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "entities": ("entities", ("id", "canonical", "type", "latin", "aliases", "mention_count",
                              "first_seen", "last_seen"), ("aliases",)),
    "entity_keys": ("entity_keys", ("key", "entity_id"), ()),
    "entity_links": ("entity_links", ("entity_id", "name", "reason"), ()),
    "entity_roles": ("entity_roles", ("entity_id", "role", "text", "first_seen", "last_seen",
                                      "mentions"), ()),
    "entity_decisions": ("entity_decisions", ("id", "kind", "entity_id", "name", "other_id",
                                              "created_at"), ()),
    "neardup_signatures": ("neardup_signatures", ("article_id", "signature"), ()),
    "neardup_bands": ("neardup_bands", ("band", "bucket_hash", "article_id"), ()),
    "near_duplicates": ("near_duplicates", ("article_id", "duplicate_of", "similarity"), ()),
    "stories": ("stories", ("id", "title", "first_published", "last_published", "article_count",
                            "centroid", "n_vectors", "created_at", "updated_at"), ("centroid",)),
    "story_articles": ("story_articles", ("story_id", "article_id", "published", "added_at",
                                          "similarity", "duplicate_of"), ()),
    "story_terms": ("story_terms", ("term", "story_id", "last_published"), ()),
    "story_entities": ("story_entities", ("entity_id", "story_id", "articles", "last_published"), ()),
    "watches": ("watches", ("id", "name", "entity", "query", "place", "surge_count",
                            "surge_window_s", "webhook", "active", "created_at"), ("entity", "place")),
    "watch_matches": ("watch_matches", ("watch_id", "article_id", "event_time", "reason"), ("reason",)),
    "alerts": ("alerts", ("id", "watch_id", "article_id", "kind", "event_time", "created_at",
                          "reason", "delivered_at", "attempts"), ("reason",)),
    "deliveries": ("deliveries", ("id", "alert_id", "url", "attempt", "attempted_at", "status",
                                  "error"), ()),
    "state": ("state", ("key", "value", "updated_at"), ("value",)),
}
_ARTICLE_COLUMNS = ("id", "url", "title", "text", "source", "author", "published", "summary",
                    "images", "meta", "origin", "layers", "ingested_at")


def _encode_signature(blob: bytes) -> list[int]:
    return [int.from_bytes(blob[i:i + 4], "little") for i in range(0, len(blob), 4)]


def _decode_signature(values: list[int]) -> bytes:
    return b"".join(int(v).to_bytes(4, "little") for v in values)


class RecordImportMethods:
    """Mixin for both stores' copy methods (uses their ``_PARAM``, ``_row``, ``_executemany``,
    ``transaction``, ``_prepare``, ``_insert_article``, ``get_alert_mark``, ``set_alert_mark``
    and the engine's ``_table_rows``)."""

    _PARAM = "?"
    #: rows sent to the engine in one `_executemany`
    IMPORT_CHUNK = 1000

    def iter_records(self, kind: str, batch_size: int = 500) -> Iterator[dict[str, Any]]:
        if kind == "progress":
            mark = self.get_alert_mark()
            n = self._row(f"SELECT count(*) FROM articles WHERE rowid <= {self._PARAM}", (mark,))[0]
            yield {"name": "alerts_evaluated", "value": n}  # a count: portable across engines
            return
        if kind == "articles":
            table, columns, json_columns = "articles", _ARTICLE_COLUMNS, ("images", "meta", "layers")
        elif kind in TABLES:
            table, columns, json_columns = TABLES[kind]
        else:
            raise ValueError(f"unknown record kind {kind!r}")
        for row in self._table_rows(kind, table, columns, batch_size):
            rec = dict(zip(columns, row))
            for c in json_columns:
                if rec[c] is not None:
                    rec[c] = json.loads(rec[c])
            if kind == "neardup_signatures":
                rec["signature"] = _encode_signature(bytes(rec["signature"]))
            yield rec

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
                    row = self._row(f"SELECT rowid FROM articles ORDER BY rowid LIMIT 1 OFFSET {self._PARAM}",
                                    (int(rec["value"]) - 1,))
                    if row:
                        self.set_alert_mark(row[0])
                n += 1
            return n
        if kind not in TABLES:
            raise ValueError(f"unknown record kind {kind!r}")
        table, columns, json_columns = TABLES[kind]
        sql = (f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
               f"VALUES ({', '.join([self._PARAM] * len(columns))})")
        rows = (_record_values(rec, kind, columns, json_columns) for rec in records)
        with self.transaction():
            while chunk := list(islice(rows, self.IMPORT_CHUNK)):
                self._executemany(sql, chunk)
                n += len(chunk)
            self._after_import(table)
        return n

    def _after_import(self, table: str) -> None:
        """What the engine does after importing `table`'s rows (nothing here)."""


def _record_values(rec: dict[str, Any], kind: str, columns: tuple[str, ...],
                   json_columns: tuple[str, ...]) -> list[Any]:
    values = []
    for c in columns:
        v = rec.get(c)
        if c in json_columns and v is not None:
            v = json.dumps(v, ensure_ascii=False)
        elif kind == "neardup_signatures" and c == "signature":
            v = _decode_signature(v)
        values.append(v)
    return values
