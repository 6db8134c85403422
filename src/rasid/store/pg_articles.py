"""`PostgresStore`'s article methods beyond storing and reading documents (the counterpart
of `sqlite_articles`): meta and entity marks on stored articles, the alert engine's
sequence reads, listings for the API/web."""
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


    def list_articles_after(self, seq: int, limit: int = 200) -> list[dict[str, Any]]:
        return [{"seq": r[0], "id": r[1], "published": r[2], "ingested_at": r[3]}
                for r in self._rows("SELECT rowid, id, published, ingested_at FROM articles "
                                    "WHERE rowid > %s ORDER BY rowid LIMIT %s", (seq, limit))]

    def latest_article_seq(self) -> int:
        return self._row("SELECT coalesce(max(rowid), 0) FROM articles")[0]

    def list_articles(self, limit: int = 20, offset: int = 0, source: str | None = None,
                      since: str | None = None, until: str | None = None) -> dict[str, Any]:
        where, args = ["true"], []
        if source:
            where.append("source = %s")
            args.append(source)
        if since:
            where.append("published >= %s")
            args.append(since)
        if until:
            where.append("published < %s")
            args.append(until)
        cond = " AND ".join(where)
        with self._lock:
            total = self.con.execute(f"SELECT count(*) FROM articles WHERE {cond}", args).fetchone()[0]
            rows = self.con.execute(
                f"SELECT id, title, source, published, url, substr(text, 1, 240) FROM articles "
                f"WHERE {cond} ORDER BY coalesce(published, '') COLLATE \"C\" DESC, rowid DESC "
                "LIMIT %s OFFSET %s", [*args, limit, offset]).fetchall()
        return {"total": total, "articles": [
            {"id": r[0], "title": r[1], "source": r[2], "published": r[3], "url": r[4],
             "excerpt": r[5]} for r in rows]}

    def get_texts(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        return dict(self._rows("SELECT id, text FROM articles WHERE id = ANY(%s)", (list(ids),)))

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
