"""`PostgresStore`'s place-page methods (`interface_places.PlaceMethods`; the twin of
`sqlite_places`). Place spans live in `spans` (layer ``places``) with their attrs as JSONB;
a place is its ``gazetteer_id``."""
from __future__ import annotations

import json
from typing import Any

_PLACE = "s.layer = 'places' AND s.attrs ->> 'gazetteer_id' = %s"
_FIELDS = ("name", "name_en", "country", "lat", "lon", "feature")


class PostgresPlaceMethods:
    """Mixin for `PostgresStore` (uses its ``_rows`` and ``_row``)."""

    def count_place_articles(self, keys: list[str]) -> dict[str, int]:
        if not keys:
            return {}
        rows = self._rows(  # type: ignore[attr-defined]
            "SELECT s.attrs ->> 'gazetteer_id' AS k, count(DISTINCT s.article_id) FROM spans s "
            "WHERE s.layer = 'places' AND s.attrs ->> 'gazetteer_id' = ANY(%s) GROUP BY k",
            ([str(k) for k in keys],))
        return {k: n for k, n in rows}

    def place_profile(self, key: str, limit: int = 20) -> dict[str, Any] | None:
        row = self._row(  # type: ignore[attr-defined]
            "SELECT (array_agg(s.attrs::text ORDER BY s.rowid DESC))[1], count(*), "
            f"count(DISTINCT s.article_id) FROM spans s WHERE {_PLACE}", (key,))
        if row is None or not row[1]:
            return None
        attrs = json.loads(row[0])
        place = {k: attrs.get(k) for k in (*_FIELDS, "geonameid", "gazetteer_id")}
        place.update(mentions=row[1], articles=row[2])
        rows = self._rows  # type: ignore[attr-defined]
        timeline = [{"date": d, "articles": n} for d, n in rows(
            "SELECT substr(a.published, 1, 10) AS d, count(DISTINCT a.id) FROM spans s "
            f"JOIN articles a ON a.id = s.article_id WHERE {_PLACE} GROUP BY d ORDER BY d NULLS FIRST",
            (key,))]
        articles = [{"id": i, "title": t, "published": p, "source": src, "mentions": n}
                    for i, t, p, src, n in rows(
            "SELECT a.id, a.title, a.published, a.source, count(*) FROM spans s "
            f"JOIN articles a ON a.id = s.article_id WHERE {_PLACE} "
            "GROUP BY a.id, a.title, a.published, a.source "
            "ORDER BY a.published DESC NULLS LAST, a.id LIMIT %s", (key, limit))]
        in_articles = f"SELECT article_id FROM spans s WHERE {_PLACE}"
        entities = [{"id": i, "canonical": c, "type": t, "articles": n} for i, c, t, n in rows(
            "SELECT e.id, e.canonical, e.type, count(DISTINCT m.article_id) AS n FROM mentions m "
            f"JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN ({in_articles}) "
            "AND e.type != 'LOC' GROUP BY e.id, e.canonical, e.type, e.mention_count "
            "ORDER BY n DESC, e.mention_count DESC, e.id LIMIT %s", (key, limit))]
        # one row per place: the fields of its latest span (all spans of a place agree);
        # ties in the order SQLite gives them (its sorter returns equal rows last group first)
        others = [{**json.loads(attrs), "gazetteer_id": k, "articles": cnt}
                  for k, attrs, cnt in rows(
            "SELECT (s.attrs ->> 'gazetteer_id') COLLATE \"C\" AS k, "
            "(array_agg(s.attrs::text ORDER BY s.rowid DESC))[1], count(DISTINCT s.article_id) AS n "
            "FROM spans s WHERE s.layer = 'places' AND s.attrs ->> 'gazetteer_id' IS NOT NULL "
            f"AND s.attrs ->> 'gazetteer_id' != %s AND s.article_id IN ({in_articles}) "
            "GROUP BY k ORDER BY n DESC, k DESC LIMIT %s", (key, key, limit))]
        others = [{f: o.get(f) for f in (*_FIELDS, "gazetteer_id", "articles")} for o in others]
        return {"place": place, "timeline": timeline, "articles": articles, "entities": entities,
                "co_mentioned_places": others}
