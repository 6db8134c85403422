"""Exports read in pages (`interface_export.ExportMethods`): the SQL is the same on both
engines but for the parameter mark (``_PARAM``) and how a JSON attribute is read, so one
mixin serves both. Every page is one short query keyed by the last rowid (or id) seen."""
from __future__ import annotations

import json
from typing import Any, Iterator

from .interface_export import EXPORT_KINDS
from .sql_reading import _COLUMNS, convert_row_to_document


def decode_json(value: Any) -> Any:
    """A JSON column's value: PostgreSQL's JSONB arrives decoded, SQLite's TEXT does not."""
    if value is None or isinstance(value, (dict, list)):
        return value
    return json.loads(value)


class ExportReadingMethods:
    _PARAM = "?"

    def _json_text(self, column: str, key: str) -> str:
        if self._PARAM == "%s":  # PostgreSQL: JSONB
            return f"({column}->>'{key}')"
        return f"json_extract({column}, '$.{key}')"

    def _article_filter(self, filters: dict[str, Any], alias: str = "a") -> tuple[str, list]:
        """`` AND ...`` conditions on the articles table under `alias`, and their values."""
        p, sql, args = self._PARAM, "", []
        if filters.get("since"):
            sql += f" AND {alias}.published >= {p}"
            args.append(str(filters["since"]))
        if filters.get("until"):
            sql += f" AND substr({alias}.published, 1, 10) <= {p}"
            args.append(str(filters["until"])[:10])
        if filters.get("source"):
            sql += f" AND {alias}.source = {p}"
            args.append(filters["source"])
        if filters.get("entity_ids") is not None:
            ids = [int(i) for i in filters["entity_ids"]] or [-1]
            sql += (f" AND EXISTS (SELECT 1 FROM mentions fm WHERE fm.article_id = {alias}.id "
                    f"AND fm.entity_id IN ({', '.join([p] * len(ids))}))")
            args.extend(ids)
        if filters.get("country"):
            sql += (f" AND EXISTS (SELECT 1 FROM spans fc WHERE fc.article_id = {alias}.id AND "
                    f"fc.layer = 'places' AND {self._json_text('fc.attrs', 'country')} = {p})")
            args.append(str(filters["country"]).upper())
        if filters.get("article_ids") is not None:
            ids = list(filters["article_ids"]) or ["-"]
            sql += f" AND {alias}.id IN ({', '.join([p] * len(ids))})"
            args.extend(ids)
        return sql, args

    def _pages(self, sql: str, args: list, batch_size: int) -> Iterator[tuple]:
        """Rows of `sql` (a SELECT whose first column is the key, with a ``{after}``
        condition slot), page by page in key order."""
        last: Any = None
        while True:
            after = "" if last is None else f" AND k > {self._PARAM}"
            page_args = list(args) + ([] if last is None else [last]) + [batch_size]
            query = (f"SELECT * FROM ({sql}) AS q WHERE 1 = 1{after} ORDER BY k "
                     f"LIMIT {self._PARAM}")
            with self._lock:
                rows = self.con.execute(query, page_args).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1][0]
            if len(rows) < batch_size:
                return

    def iter_export(self, kind: str, filters: dict[str, Any] | None = None,
                    batch_size: int = 500) -> Iterator[dict[str, Any]]:
        if kind not in EXPORT_KINDS:
            raise ValueError(f"unknown export kind {kind!r}; choose one of {', '.join(EXPORT_KINDS)}")
        return getattr(self, f"_export_{kind}")(filters or {}, batch_size)

    def _export_articles(self, filters: dict[str, Any], batch_size: int) -> Iterator[dict[str, Any]]:
        where, args = self._article_filter(filters)
        cols = ", ".join(f"a.{c.strip()}" for c in _COLUMNS.split(","))
        sql = f"SELECT a.rowid AS k, {cols}, a.ingested_at FROM articles a WHERE 1 = 1{where}"
        for row in self._pages(sql, args, batch_size):
            out = convert_row_to_document(row[1:-1]).to_dict()
            out["ingested_at"] = row[-1]
            yield out

    def _span_rows(self, filters: dict[str, Any], batch_size: int,
                   layer: str | None) -> Iterator[tuple]:
        where, args = self._article_filter(filters)
        if layer:
            where += f" AND s.layer = {self._PARAM}"
            args.append(layer)
        else:
            where += " AND s.layer NOT IN ('tokens', 'sentences')"
        sql = ("SELECT s.rowid AS k, s.article_id, a.published, s.layer, s.start, s.\"end\", "
               "s.label, s.text, s.attrs FROM spans s JOIN articles a ON a.id = s.article_id "
               f"WHERE 1 = 1{where}")
        return self._pages(sql, args, batch_size)

    def _export_mentions(self, filters: dict[str, Any], batch_size: int) -> Iterator[dict[str, Any]]:
        for _, article_id, published, layer, start, end, label, text, attrs in \
                self._span_rows(filters, batch_size, None):
            attrs = decode_json(attrs) or {}
            yield {"article_id": article_id, "published": published, "layer": layer,
                   "start": start, "end": end, "label": label, "text": text,
                   "entity_id": attrs.get("entity_id"), "attrs": attrs}

    def _export_places(self, filters: dict[str, Any], batch_size: int) -> Iterator[dict[str, Any]]:
        for _, article_id, published, _, start, end, label, text, attrs in \
                self._span_rows(filters, batch_size, "places"):
            attrs = decode_json(attrs) or {}
            yield {"article_id": article_id, "published": published, "start": start, "end": end,
                   "text": text, "name": attrs.get("name"), "name_en": attrs.get("name_en"),
                   "country": attrs.get("country"), "lat": attrs.get("lat"),
                   "lon": attrs.get("lon"), "feature": attrs.get("feature"),
                   "geonameid": attrs.get("geonameid"), "gazetteer_id": attrs.get("gazetteer_id"),
                   "relation": attrs.get("relation"), "confidence": attrs.get("confidence")}

    def _export_dates(self, filters: dict[str, Any], batch_size: int) -> Iterator[dict[str, Any]]:
        for _, article_id, published, _, start, end, label, text, attrs in \
                self._span_rows(filters, batch_size, "dates"):
            attrs = decode_json(attrs) or {}
            yield {"article_id": article_id, "published": published, "start": start, "end": end,
                   "label": label, "text": text, "value": attrs.get("value"),
                   "granularity": attrs.get("granularity"), "calendar": attrs.get("calendar"),
                   "resolved": attrs.get("resolved"), "relative": attrs.get("relative")}

    def _export_entities(self, filters: dict[str, Any], batch_size: int) -> Iterator[dict[str, Any]]:
        where, args = self._article_filter(filters)
        if where:
            where = (" AND EXISTS (SELECT 1 FROM mentions m JOIN articles a ON a.id = m.article_id "
                     f"WHERE m.entity_id = e.id{where})")
        sql = ("SELECT e.id AS k, e.canonical, e.type, e.latin, e.aliases, e.mention_count, "
               f"e.first_seen, e.last_seen FROM entities e WHERE 1 = 1{where}")
        for k, canonical, type_, latin, aliases, mentions, first, last in self._pages(sql, args, batch_size):
            yield {"id": k, "canonical": canonical, "type": type_, "latin": latin,
                   "aliases": sorted(decode_json(aliases) or []), "mentions": mentions,
                   "first_seen": first, "last_seen": last}

    def _export_stories(self, filters: dict[str, Any], batch_size: int) -> Iterator[dict[str, Any]]:
        where, args = self._article_filter(filters)
        if where:
            where = (" AND EXISTS (SELECT 1 FROM story_articles sa JOIN articles a ON "
                     f"a.id = sa.article_id WHERE sa.story_id = st.id{where})")
        sql = ("SELECT st.id AS k, st.title, st.first_published, st.last_published, "
               f"st.article_count FROM stories st WHERE 1 = 1{where}")
        page: list[tuple] = []
        for row in self._pages(sql, args, batch_size):
            page.append(row)
            if len(page) >= batch_size:
                yield from self._story_records(page)
                page = []
        yield from self._story_records(page)

    def _story_records(self, page: list[tuple]) -> Iterator[dict[str, Any]]:
        if not page:
            return
        p = self._PARAM
        members: dict[int, list[str]] = {}
        with self._lock:
            rows = self.con.execute(
                f"SELECT story_id, article_id FROM story_articles WHERE story_id IN "
                f"({', '.join([p] * len(page))}) ORDER BY story_id, published, article_id",
                [r[0] for r in page]).fetchall()
        for story_id, article_id in rows:
            members.setdefault(story_id, []).append(article_id)
        for k, title, first, last, count in page:
            yield {"id": k, "title": title, "first_published": first, "last_published": last,
                   "article_count": count, "article_ids": members.get(k, [])}

    def _export_alerts(self, filters: dict[str, Any], batch_size: int) -> Iterator[dict[str, Any]]:
        where, args = self._article_filter(filters)
        sql = ("SELECT al.id AS k, al.watch_id, w.name, al.article_id, al.kind, al.event_time, "
               "al.created_at, al.reason, a.title, a.url, a.published FROM alerts al "
               "JOIN articles a ON a.id = al.article_id JOIN watches w ON w.id = al.watch_id "
               f"WHERE 1 = 1{where}")
        for (k, watch_id, watch, article_id, kind, event_time, created, reason, title, url,
             published) in self._pages(sql, args, batch_size):
            yield {"id": k, "watch_id": watch_id, "watch": watch, "article_id": article_id,
                   "kind": kind, "event_time": event_time, "created_at": created,
                   "reason": decode_json(reason), "title": title, "url": url,
                   "published": published}
