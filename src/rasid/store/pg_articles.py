"""`PostgresStore`'s article methods beyond storing and reading documents (the counterpart
of `sqlite_articles`): meta and entity marks on stored articles, their entity and
place spans by article (the listings and sequence reads are `sql_reading`)."""
from __future__ import annotations

import json
from typing import Any

#: ISO 8601 UTC "now" as SQLite's strftime('%Y-%m-%dT%H:%M:%SZ', 'now') writes it
NOW = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"


def convert_entity_id(expr: str) -> str:
    """SQL for a span's numeric ``entity_id`` attribute as bigint (NULL when absent)."""
    return f"CASE WHEN jsonb_typeof({expr}->'entity_id') = 'number' THEN ({expr}->>'entity_id')::bigint END"


class PostgresArticleMethods:
    """Mixin for `PostgresStore` (uses its ``con``, ``_rows``, ``_row``, ``_write``, ``_atomic``)."""

    def set_article_meta(self, article_id: str, key: str, value: Any) -> None:
        self._write("UPDATE articles SET meta = jsonb_set(meta::jsonb, ARRAY[%s], %s::jsonb)::text "
                    "WHERE id = %s", (key, json.dumps(value, ensure_ascii=False), article_id))

    def collect_article_layers(self, ids: list[str]) -> dict[str, dict[str, list]]:
        out: dict[str, dict[str, list]] = {i: {"entities": [], "places": []} for i in ids}
        if not ids:
            return out
        for aid, label, eid, canon, text in self._rows(
                f"SELECT s.article_id, s.label, {convert_entity_id('s.attrs')}, "
                "coalesce(e.canonical, s.attrs->>'canonical', s.text), s.text FROM spans s "
                f"LEFT JOIN entities e ON e.id = {convert_entity_id('s.attrs')} "
                "WHERE s.layer = 'entities' AND s.article_id = ANY(%s) ORDER BY s.rowid", (list(ids),)):
            out[aid]["entities"].append((eid, label, canon or text))
        for aid, gid, name, lat, lon in self._rows(
                "SELECT article_id, attrs->'gazetteer_id', attrs->>'name', attrs->'lat', attrs->'lon' "
                "FROM spans WHERE layer = 'places' AND (attrs->>'relation') IS NULL "
                "AND article_id = ANY(%s) ORDER BY rowid", (list(ids),)):
            if gid:
                out[aid]["places"].append((gid, name, lat, lon))
        return out
