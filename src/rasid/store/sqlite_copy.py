"""`SqliteStore.iter_records` / `import_records`: an archive's content as plain records,
for `rasid copy` between any two backends (see `base.RECORD_KINDS`)."""
from __future__ import annotations

import json
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


class SqliteCopyMethods:
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
                    row = self._row("SELECT rowid FROM articles ORDER BY rowid LIMIT 1 OFFSET ?",
                                    (int(rec["value"]) - 1,))
                    if row:
                        self.set_alert_mark(row[0])
                n += 1
            return n
        if kind not in TABLES:
            raise ValueError(f"unknown record kind {kind!r}")
        table, columns, json_columns = TABLES[kind]
        sql = (f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
               f"VALUES ({', '.join('?' * len(columns))})")
        with self.transaction():
            for rec in records:
                values = []
                for c in columns:
                    v = rec.get(c)
                    if c in json_columns and v is not None:
                        v = json.dumps(v, ensure_ascii=False)
                    elif kind == "neardup_signatures" and c == "signature":
                        v = _decode_signature(v)
                    values.append(v)
                self.con.execute(sql, values)
                n += 1
        return n
