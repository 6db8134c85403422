"""`SqliteStore`'s article methods beyond storing and reading documents: meta and entity
marks on stored articles, their entity and place spans by article (the listings and
sequence reads both engines share are `sql_reading`)."""
from __future__ import annotations

import json
from typing import Any


class SqliteArticleMethods:
    """Mixin for `SqliteStore` (uses its ``con``, ``_rows``, ``_row``, ``transaction``)."""

    def set_article_meta(self, article_id: str, key: str, value: Any) -> None:
        self._write("UPDATE articles SET meta = json_set(meta, '$.' || ?, json(?)) WHERE id = ?",
                    (key, json.dumps(value, ensure_ascii=False), article_id))

    def collect_article_layers(self, ids: list[str]) -> dict[str, dict[str, list]]:
        out: dict[str, dict[str, list]] = {i: {"entities": [], "places": []} for i in ids}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i:i + 500])
            marks = ",".join("?" * len(chunk))
            for aid, label, eid, canon, text in self._rows(
                    "SELECT s.article_id, s.label, json_extract(s.attrs, '$.entity_id'), "
                    "coalesce(e.canonical, json_extract(s.attrs, '$.canonical'), s.text), s.text "
                    "FROM spans s LEFT JOIN entities e ON e.id = json_extract(s.attrs, '$.entity_id') "
                    f"WHERE s.layer = 'entities' AND s.article_id IN ({marks})", chunk):
                out[aid]["entities"].append((eid, label, canon or text))
            for aid, gid, name, lat, lon in self._rows(
                    "SELECT article_id, json_extract(attrs, '$.gazetteer_id'), "
                    "json_extract(attrs, '$.name'), json_extract(attrs, '$.lat'), "
                    "json_extract(attrs, '$.lon') FROM spans WHERE layer = 'places' AND "
                    f"json_extract(attrs, '$.relation') IS NULL AND article_id IN ({marks})", chunk):
                if gid:
                    out[aid]["places"].append((gid, name, lat, lon))
        return out
