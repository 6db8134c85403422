"""Places and the pages built on them: `rasid places`, `rasid place NAME` (`interface_places`) and
`rasid entity NAME`'s profile. The SQL is the same on both engines but for the parameter mark
(``_PARAM``) and the hooks of the stores: ``_in`` (a membership test), ``_NULLS_FIRST`` /
``_NULLS_LAST`` (NULLs sorted as the smallest value, as SQLite does), ``_BYTEWISE`` (text ordered
by its bytes), ``_span_attr(field)`` (the text of one field of the attrs of the span ``s``) and
``_ATTRS_TEXT`` (what turns ``attrs`` into JSON text).

Place spans live in ``spans`` (layer ``places``); a place is its ``gazetteer_id`` (places no table
holds have none and are left out of the lists: they have no coordinates). Every span of a place
carries the same fields; the latest one's are read. Ties are broken by the place's key, so both
engines list the same places in the same order."""
from __future__ import annotations

import json
from typing import Any

from .base import EntityRecord

#: the fields of a place as the lists show it
PLACE_FIELDS = ("name", "name_en", "country", "lat", "lon", "feature")


class PlaceQueryMethods:
    """Mixin for both stores (uses ``_rows``, ``_row``, ``_lock`` and the hooks above)."""

    def _places(self, where: str, args: list, order: str, limit: int) -> list[tuple[str, dict, int, int]]:
        """``(key, fields of its latest span, mentions, articles)`` of each place among the place
        spans `where` keeps (SQL after ``AND``, over the span ``s`` and its article ``a``), in
        `order` (SQL over ``n``, its mentions, ``na``, its articles, and ``{k}``, its key)."""
        k, p = self._span_attr("gazetteer_id"), self._PARAM
        rows = self._rows(
            f"SELECT g.k, l.attrs{self._ATTRS_TEXT}, g.n, g.na FROM (SELECT {k} AS k, max(s.rowid) AS last, "
            "count(*) AS n, count(DISTINCT s.article_id) AS na FROM spans s JOIN articles a ON a.id = s.article_id "
            f"WHERE s.layer = 'places' AND {k} IS NOT NULL {where} GROUP BY {k}) g "
            f"JOIN spans l ON l.rowid = g.last ORDER BY {order.format(k='g.k' + self._BYTEWISE)} LIMIT {p}",
            [*args, limit])
        return [(key, json.loads(attrs), n, na) for key, attrs, n, na in rows]

    def top_places(self, country: str | None = None, since: str | None = None, until: str | None = None,
                   limit: int = 50) -> list[dict[str, Any]]:
        """Resolved places with coordinates, by mentions (demonyms excluded)."""
        from .sql_entities import make_date_clause

        where, args = f"AND {self._span_attr('relation')} IS NULL", []
        if country:
            where += f" AND {self._span_attr('country')} = {self._PARAM}"
            args.append(country.upper())
        dsql, dargs = make_date_clause(self._PARAM, since, until)
        with self._lock:
            rows = self._places(where + dsql, [*args, *dargs], "n DESC, {k}", limit)
        return [{**{f: attrs.get(f) for f in PLACE_FIELDS}, "geonameid": attrs.get("geonameid"),
                 "mentions": n, "articles": na} for _, attrs, n, na in rows]

    def count_place_articles(self, keys: list[str]) -> dict[str, int]:
        k, out = self._span_attr("gazetteer_id"), {}
        for chunk in self._chunks(sorted({str(key) for key in keys})):
            cond, args = self._in(k, chunk)
            out.update(self._rows(f"SELECT {k}, count(DISTINCT s.article_id) FROM spans s "
                                  f"WHERE s.layer = 'places' AND {cond} GROUP BY {k}", args))
        return out

    def place_profile(self, key: str, limit: int = 20) -> dict[str, Any] | None:
        p, k = self._PARAM, self._span_attr("gazetteer_id")
        with self._lock:
            found = self._places(f"AND {k} = {p}", [key], "{k}", 1)
            if not found:
                return None
            _, attrs, mentions, n_articles = found[0]
            place = {f: attrs.get(f) for f in (*PLACE_FIELDS, "geonameid", "gazetteer_id")}
            place.update(mentions=mentions, articles=n_articles)
            of_place = f"s.layer = 'places' AND {k} = {p}"
            timeline = [{"date": d, "articles": n} for d, n in self._rows(
                "SELECT substr(a.published, 1, 10) AS d, count(DISTINCT a.id) FROM spans s "
                f"JOIN articles a ON a.id = s.article_id WHERE {of_place} GROUP BY d ORDER BY d{self._NULLS_FIRST}",
                (key,))]
            articles = self._articles_of(f"spans s JOIN articles a ON a.id = s.article_id WHERE {of_place}",
                                         key, limit)
            in_articles = f"SELECT article_id FROM spans s WHERE {of_place}"
            entities = [{"id": i, "canonical": c, "type": t, "articles": n} for i, c, t, n in self._rows(
                "SELECT e.id, e.canonical, e.type, count(DISTINCT m.article_id) AS n FROM mentions m "
                f"JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN ({in_articles}) "
                "AND e.type != 'LOC' GROUP BY e.id, e.canonical, e.type, e.mention_count "
                f"ORDER BY n DESC, e.mention_count DESC, e.id LIMIT {p}", (key, limit))]
            others = self._places(f"AND {k} != {p} AND s.article_id IN ({in_articles})", [key, key],
                                  "na DESC, {k} DESC", limit)
        return {"place": place, "timeline": timeline, "articles": articles, "entities": entities,
                "co_mentioned_places": [{**{f: attrs.get(f) for f in PLACE_FIELDS}, "gazetteer_id": other,
                                         "articles": na} for other, attrs, _, na in others]}

    def entity_profile(self, entity_id: int, limit: int = 10) -> dict[str, Any] | None:
        """Aliases, articles over time, co-mentioned entities and places of one entity."""
        p = self._PARAM
        with self._lock:
            record: EntityRecord | None = self.get_entity(entity_id)
            if record is None:
                return None
            eid = record.id
            timeline = [{"date": d, "articles": n} for d, n in self._rows(
                "SELECT substr(a.published, 1, 10) AS d, count(DISTINCT a.id) FROM mentions m "
                f"JOIN articles a ON a.id = m.article_id WHERE m.entity_id = {p} GROUP BY d "
                f"ORDER BY d{self._NULLS_FIRST}", (eid,))]
            articles = self._articles_of(f"mentions m JOIN articles a ON a.id = m.article_id "
                                         f"WHERE m.entity_id = {p}", eid, limit)
            co = [{"id": i, "canonical": c, "type": t, "articles": n} for i, c, t, n in self._rows(
                "SELECT e.id, e.canonical, e.type, count(DISTINCT m2.article_id) AS n FROM mentions m1 "
                "JOIN mentions m2 ON m2.article_id = m1.article_id AND m2.entity_id != m1.entity_id "
                f"JOIN entities e ON e.id = m2.entity_id WHERE m1.entity_id = {p} "
                "GROUP BY e.id, e.canonical, e.type, e.mention_count "
                f"ORDER BY n DESC, e.mention_count DESC, e.id LIMIT {p}", (eid, limit))]
            places = self._places(f"AND {self._span_attr('relation')} IS NULL AND s.article_id IN "
                                  f"(SELECT article_id FROM mentions WHERE entity_id = {p})", [eid],
                                  "na DESC, {k} DESC", limit)
        out = record.to_dict()
        out.update({"timeline": timeline, "articles": articles, "co_mentioned": co,
                    "places": [{"name": attrs.get("name"), "country": attrs.get("country"), "articles": na}
                               for _, attrs, _, na in places]})
        return out

    def _articles_of(self, source: str, arg: Any, limit: int) -> list[dict[str, Any]]:
        """The articles of rows `source` (FROM ... WHERE, over the article ``a``, with one
        parameter, `arg`), latest first, with how many rows each has."""
        return [{"id": i, "title": t, "published": pub, "source": src, "mentions": n}
                for i, t, pub, src, n in self._rows(
            f"SELECT a.id, a.title, a.published, a.source, count(*) FROM {source} "
            f"GROUP BY a.id, a.title, a.published, a.source "
            f"ORDER BY a.published DESC{self._NULLS_LAST}, a.id LIMIT {self._PARAM}", (arg, limit))]
