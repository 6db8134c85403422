"""`SqliteStore`'s article methods beyond storing and reading documents: meta and entity
marks on stored articles, the alert engine's sequence reads, listings for the API/web."""
from __future__ import annotations

import json
from typing import Any


class SqliteArticleMethods:
    """Mixin for `SqliteStore` (uses its ``con``, ``_rows``, ``_row``, ``transaction``)."""

    def set_article_meta(self, article_id: str, key: str, value: Any) -> None:
        self._write("UPDATE articles SET meta = json_set(meta, '$.' || ?, json(?)) WHERE id = ?",
                    (key, json.dumps(value, ensure_ascii=False), article_id))


    def list_articles_after(self, seq: int, limit: int = 200) -> list[dict[str, Any]]:
        return [{"seq": r[0], "id": r[1], "published": r[2], "ingested_at": r[3]}
                for r in self._rows("SELECT rowid, id, published, ingested_at FROM articles "
                                    "WHERE rowid > ? ORDER BY rowid LIMIT ?", (seq, limit))]

    def latest_article_seq(self) -> int:
        return self._row("SELECT coalesce(max(rowid), 0) FROM articles")[0]

    def list_articles(self, limit: int = 20, offset: int = 0, source: str | None = None,
                      since: str | None = None, until: str | None = None) -> dict[str, Any]:
        where, args = ["1=1"], []
        if source:
            where.append("source = ?")
            args.append(source)
        if since:
            where.append("published >= ?")
            args.append(since)
        if until:
            where.append("published < ?")
            args.append(until)
        cond = " AND ".join(where)
        with self._lock:
            total = self.con.execute(f"SELECT count(*) FROM articles WHERE {cond}", args).fetchone()[0]
            rows = self.con.execute(
                f"SELECT id, title, source, published, url, substr(text, 1, 240) FROM articles "
                f"WHERE {cond} ORDER BY coalesce(published, '') DESC, rowid DESC LIMIT ? OFFSET ?",
                [*args, limit, offset]).fetchall()
        return {"total": total, "articles": [
            {"id": r[0], "title": r[1], "source": r[2], "published": r[3], "url": r[4],
             "excerpt": r[5]} for r in rows]}

    def get_texts(self, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i:i + 500])
            marks = ",".join("?" * len(chunk))
            out.update(self._rows(f"SELECT id, text FROM articles WHERE id IN ({marks})", chunk))
        return out

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
