"""`PostgresStore`'s entity methods (the counterpart of `sqlite_entities`: same results,
PostgreSQL SQL): records and their matching keys, mentions, and the queries behind
`rasid entities`, `rasid entity NAME` and `rasid places`.

Name lookup: `rasid.entities.lookup` finds entities by the same name keys as on SQLite,
exact after normalisation (a name that matches none is "not found", never a near one).
"""
from __future__ import annotations

from typing import Any, Iterable

from .base import EntityRecord
from .sql_entities import make_date_clause
from .sql_entity_names import EntityNameMethods

#: pg_trgm similarity a key must reach to count as a fuzzy match
TRIGRAM_THRESHOLD = 0.5

def query_entity_profile(con: Any, record: EntityRecord, limit: int = 10) -> dict[str, Any]:
    """Aliases, articles over time, co-mentioned entities and places of one entity."""
    eid = record.id
    timeline = [{"date": d, "articles": n} for d, n in con.execute(
        "SELECT substr(a.published, 1, 10) AS d, count(DISTINCT a.id) FROM mentions m "
        "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = %s GROUP BY d "
        "ORDER BY d NULLS FIRST", (eid,))]
    articles = [{"id": i, "title": t, "published": p, "source": s, "mentions": n}
                for i, t, p, s, n in con.execute(
        "SELECT a.id, a.title, a.published, a.source, count(*) FROM mentions m "
        "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = %s "
        "GROUP BY a.id, a.title, a.published, a.source "
        "ORDER BY a.published DESC NULLS LAST, a.id LIMIT %s", (eid, limit))]
    co = [{"id": i, "canonical": c, "type": t, "articles": n} for i, c, t, n in con.execute(
        "SELECT e.id, e.canonical, e.type, count(DISTINCT m2.article_id) AS n FROM mentions m1 "
        "JOIN mentions m2 ON m2.article_id = m1.article_id AND m2.entity_id != m1.entity_id "
        "JOIN entities e ON e.id = m2.entity_id WHERE m1.entity_id = %s "
        "GROUP BY e.id ORDER BY n DESC, e.mention_count DESC, e.id LIMIT %s", (eid, limit))]
    places = [{"name": name, "country": country, "articles": n} for name, country, n in con.execute(
        "SELECT min(s.attrs->>'name'), min(s.attrs->>'country'), count(DISTINCT s.article_id) AS n "
        "FROM spans s WHERE s.layer = 'places' AND (s.attrs->>'relation') IS NULL "
        "AND s.article_id IN (SELECT article_id FROM mentions WHERE entity_id = %s) "
        "GROUP BY (s.attrs->>'gazetteer_id') COLLATE \"C\" "
        "ORDER BY n DESC, (s.attrs->>'gazetteer_id') COLLATE \"C\" DESC LIMIT %s",
        (eid, limit))]
    out = record.to_dict()
    out.update({"timeline": timeline, "articles": articles, "co_mentioned": co, "places": places})
    return out


def query_places(con: Any, country: str | None = None, since: str | None = None,
                 until: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Resolved places with coordinates, by mentions (demonyms excluded)."""
    where, args = "", []
    if country:
        where += " AND s.attrs->>'country' = %s"
        args.append(country.upper())
    dsql, dargs = make_date_clause("%s", since, until)
    rows = con.execute(
        "SELECT min(s.attrs->>'name'), min(s.attrs->>'name_en'), min(s.attrs->>'country'), "
        "(array_agg(s.attrs->'lat'))[1], (array_agg(s.attrs->'lon'))[1], "
        "min(s.attrs->>'feature'), (array_agg(s.attrs->'geonameid'))[1], count(*) AS n, "
        "count(DISTINCT s.article_id) "
        "FROM spans s JOIN articles a ON a.id = s.article_id WHERE s.layer = 'places' "
        f"AND (s.attrs->>'relation') IS NULL {where}{dsql} "
        "GROUP BY s.attrs->>'gazetteer_id' ORDER BY n DESC LIMIT %s",
        [*args, *dargs, limit]).fetchall()
    return [{"name": r[0], "name_en": r[1], "country": r[2], "lat": r[3], "lon": r[4],
             "feature": r[5], "geonameid": r[6], "mentions": r[7], "articles": r[8]} for r in rows]


class PostgresEntityMethods(EntityNameMethods):
    """Mixin for `PostgresStore`: the engine's own SQL; the rest is `sql_entities.EntityRecordMethods`."""

    _MIN_OF, _MAX_OF = "least(", "greatest("
    _query_entity_profile = staticmethod(query_entity_profile)
    _query_places = staticmethod(query_places)

    def find_similar_keys(self, keys: Iterable[str], limit: int = 20) -> list[str]:
        """Stored full-name keys (``n:``) trigram-similar to the ``n:`` keys among `keys`,
        best first (the shorter, noisier key kinds are left out)."""
        out: dict[str, float] = {}
        for key in {k for k in keys if k.startswith("n:")}:
            for k, sim in self._rows(
                    "SELECT key, similarity(key, %s) AS s FROM entity_keys WHERE key %% %s "
                    "AND key LIKE 'n:%%' AND similarity(key, %s) >= %s ORDER BY s DESC LIMIT %s",
                    (key, key, key, TRIGRAM_THRESHOLD, limit)):
                out[k] = max(out.get(k, 0.0), sim)
        return [k for k, _ in sorted(out.items(), key=lambda x: -x[1])][:limit]

    def entity_spellings(self, entity_id: int) -> list[dict[str, Any]]:
        return [{"text": t, "mentions": n, "first_seen": f, "last_seen": l} for t, n, f, l in self._rows(
            "SELECT m.text, count(*) AS n, min(substr(a.published, 1, 10)), "
            "max(substr(a.published, 1, 10)) FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.entity_id = %s GROUP BY m.text ORDER BY n DESC, m.text COLLATE \"C\"", (entity_id,))]
