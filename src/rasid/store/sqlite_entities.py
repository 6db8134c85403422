"""`SqliteStore`'s entity methods: records and their matching keys (``entities``,
``entity_keys``), mentions, and the queries behind `rasid entities`, `rasid entity NAME`
and `rasid places`.
The records and keys themselves are `sql_entities.EntityRecordMethods` (shared)."""
from __future__ import annotations

import json
from typing import Any

from .base import EntityRecord
from .sql_entities import make_date_clause
from .sql_entity_names import EntityNameMethods


def query_entity_profile(con: Any, record: EntityRecord, limit: int = 10) -> dict[str, Any]:
    """Aliases, articles over time, co-mentioned entities and places of one entity."""
    eid = record.id
    timeline = [{"date": d, "articles": n} for d, n in con.execute(
        "SELECT substr(a.published, 1, 10) AS d, count(DISTINCT a.id) FROM mentions m "
        "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? GROUP BY d ORDER BY d", (eid,))]
    articles = [{"id": i, "title": t, "published": p, "source": s, "mentions": n}
                for i, t, p, s, n in con.execute(
        "SELECT a.id, a.title, a.published, a.source, count(*) FROM mentions m "
        "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? GROUP BY a.id "
        "ORDER BY a.published DESC, a.id LIMIT ?", (eid, limit))]
    co = [{"id": i, "canonical": c, "type": t, "articles": n} for i, c, t, n in con.execute(
        "SELECT e.id, e.canonical, e.type, count(DISTINCT m2.article_id) AS n FROM mentions m1 "
        "JOIN mentions m2 ON m2.article_id = m1.article_id AND m2.entity_id != m1.entity_id "
        "JOIN entities e ON e.id = m2.entity_id WHERE m1.entity_id = ? "
        "GROUP BY e.id ORDER BY n DESC, e.mention_count DESC LIMIT ?", (eid, limit))]
    places = [{"name": json.loads(a).get("name"), "country": json.loads(a).get("country"), "articles": n}
              for a, n in con.execute(
        "SELECT s.attrs, count(DISTINCT s.article_id) AS n FROM spans s WHERE s.layer = 'places' "
        "AND json_extract(s.attrs, '$.relation') IS NULL AND s.article_id IN "
        "(SELECT article_id FROM mentions WHERE entity_id = ?) "
        "GROUP BY json_extract(s.attrs, '$.gazetteer_id') ORDER BY n DESC LIMIT ?", (eid, limit))]
    out = record.to_dict()
    out.update({"timeline": timeline, "articles": articles, "co_mentioned": co, "places": places})
    return out


def query_places(con: Any, country: str | None = None, since: str | None = None,
                 until: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Resolved places with coordinates, by mentions (demonyms excluded)."""
    where, args = "", []
    if country:
        where += " AND json_extract(s.attrs, '$.country') = ?"
        args.append(country.upper())
    dsql, dargs = make_date_clause("?", since, until)
    rows = con.execute(
        "SELECT json_extract(s.attrs, '$.name'), json_extract(s.attrs, '$.name_en'), "
        "json_extract(s.attrs, '$.country'), json_extract(s.attrs, '$.lat'), "
        "json_extract(s.attrs, '$.lon'), json_extract(s.attrs, '$.feature'), "
        "json_extract(s.attrs, '$.geonameid'), count(*) AS n, count(DISTINCT s.article_id) "
        "FROM spans s JOIN articles a ON a.id = s.article_id WHERE s.layer = 'places' "
        f"AND json_extract(s.attrs, '$.relation') IS NULL {where}{dsql} "
        "GROUP BY json_extract(s.attrs, '$.gazetteer_id') ORDER BY n DESC LIMIT ?",
        [*args, *dargs, limit]).fetchall()
    return [{"name": r[0], "name_en": r[1], "country": r[2], "lat": r[3], "lon": r[4],
             "feature": r[5], "geonameid": r[6], "mentions": r[7], "articles": r[8]} for r in rows]


class SqliteEntityMethods(EntityNameMethods):
    """Mixin for `SqliteStore`: the engine's own SQL; the rest is `sql_entities.EntityRecordMethods`."""

    _query_entity_profile = staticmethod(query_entity_profile)
    _query_places = staticmethod(query_places)

    def entity_spellings(self, entity_id: int) -> list[dict[str, Any]]:
        return [{"text": t, "mentions": n, "first_seen": f, "last_seen": l} for t, n, f, l in self._rows(
            "SELECT m.text, count(*) AS n, min(substr(a.published, 1, 10)), "
            "max(substr(a.published, 1, 10)) FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.entity_id = ? GROUP BY m.text ORDER BY n DESC, m.text", (entity_id,))]
