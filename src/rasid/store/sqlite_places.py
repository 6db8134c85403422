"""`SqliteStore`'s place-page methods (`interface_places.PlaceMethods`): the SQL behind
`rasid place NAME`, ``/place`` and ``GET /api/v1/places/lookup``. Place spans live in the
`spans` table (layer ``places``) with their attrs as JSON; a place is its ``gazetteer_id``."""
from __future__ import annotations

import json
from typing import Any

_PLACE = "s.layer = 'places' AND json_extract(s.attrs, '$.gazetteer_id') = ?"


class SqlitePlaceMethods:
    """Mixin for `SqliteStore` (uses its ``_rows`` and ``_row``)."""

    def count_place_articles(self, keys: list[str]) -> dict[str, int]:
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        rows = self._rows(  # type: ignore[attr-defined]
            "SELECT json_extract(s.attrs, '$.gazetteer_id') AS k, count(DISTINCT s.article_id) "
            f"FROM spans s WHERE s.layer = 'places' AND k IN ({marks}) GROUP BY k", keys)
        return {k: n for k, n in rows}

    def place_profile(self, key: str, limit: int = 20) -> dict[str, Any] | None:
        row = self._row(f"SELECT s.attrs, count(*), count(DISTINCT s.article_id) FROM spans s "  # type: ignore[attr-defined]
                        f"WHERE {_PLACE}", (key,))
        if row is None or not row[1]:
            return None
        attrs = json.loads(row[0])
        place = {k: attrs.get(k) for k in ("name", "name_en", "country", "lat", "lon", "feature",
                                            "geonameid", "gazetteer_id")}
        place.update(mentions=row[1], articles=row[2])
        rows = self._rows  # type: ignore[attr-defined]
        timeline = [{"date": d, "articles": n} for d, n in rows(
            "SELECT substr(a.published, 1, 10) AS d, count(DISTINCT a.id) FROM spans s "
            f"JOIN articles a ON a.id = s.article_id WHERE {_PLACE} GROUP BY d ORDER BY d", (key,))]
        articles = [{"id": i, "title": t, "published": p, "source": src, "mentions": n}
                    for i, t, p, src, n in rows(
            "SELECT a.id, a.title, a.published, a.source, count(*) FROM spans s "
            f"JOIN articles a ON a.id = s.article_id WHERE {_PLACE} GROUP BY a.id "
            "ORDER BY a.published DESC, a.id LIMIT ?", (key, limit))]
        in_articles = f"SELECT article_id FROM spans s WHERE {_PLACE}"
        entities = [{"id": i, "canonical": c, "type": t, "articles": n} for i, c, t, n in rows(
            "SELECT e.id, e.canonical, e.type, count(DISTINCT m.article_id) AS n FROM mentions m "
            f"JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN ({in_articles}) "
            "AND e.type != 'LOC' GROUP BY e.id ORDER BY n DESC, e.mention_count DESC LIMIT ?",
            (key, limit))]
        others = [{"name": n, "name_en": ne, "country": c, "lat": la, "lon": lo, "feature": f,
                   "gazetteer_id": k, "articles": cnt}
                  for k, n, ne, c, la, lo, f, cnt in rows(
            "SELECT json_extract(s.attrs, '$.gazetteer_id') AS k, json_extract(s.attrs, '$.name'), "
            "json_extract(s.attrs, '$.name_en'), json_extract(s.attrs, '$.country'), "
            "json_extract(s.attrs, '$.lat'), json_extract(s.attrs, '$.lon'), "
            "json_extract(s.attrs, '$.feature'), count(DISTINCT s.article_id) AS n FROM spans s "
            f"WHERE s.layer = 'places' AND k IS NOT NULL AND k != ? AND s.article_id IN ({in_articles}) "
            "GROUP BY k ORDER BY n DESC LIMIT ?", (key, key, limit))]
        return {"place": place, "timeline": timeline, "articles": articles, "entities": entities,
                "co_mentioned_places": others}
