"""Near-duplicates and story tracking: the part of the story interface whose SQL is the
same on both engines but for the parameter mark and the hooks of `sql_entities` (``_in``,
``_chunks``, ``_executemany``), plus ``_NOW`` (SQL for the current UTC time as ISO text)
``_find_latest_per_key`` (the latest rows of several keys in one statement where the
engine can), ``_BYTEWISE``, ``_NULLS_FIRST`` / ``_NULLS_LAST`` (NULLs sorted as the smallest
value, as SQLite does); a story's places are `sql_places.PlaceQueryMethods._places`'. The engine files (`sqlite_stories`, `pg_stories`) keep what really differs: band
lookups, JSON updates."""
from __future__ import annotations

import json
from typing import Any, Iterable

from .sql_places import PLACE_FIELDS
from .sql_writing import encode_json


#: the most keys whose latest rows `_find_latest_per_key` reads in one statement
KEYS_PER_STATEMENT = 100
_LIST_COLUMNS = "id, title, first_published, last_published, article_count, updated_at"


def _story_row(row: tuple) -> dict[str, Any]:
    return {"id": row[0], "title": row[1], "first_published": row[2], "last_published": row[3],
            "article_count": row[4], "updated_at": row[5]}


class StoryTrackingMethods:
    _PARAM = "?"

    def _find_latest_per_key(self, table: str, column: str, sql_type: str, keys: list,
                             since: str, limit: int) -> list[tuple[Any, int]]:
        """``(key, story_id)`` of the `limit` latest rows of `table` per key (``last_published
        >= since``), key by key, latest first: here each key's query is one arm of a UNION ALL,
        in the keys' order (up to `KEYS_PER_STATEMENT` keys a statement); `sql_type` is the
        key's SQL type (for an engine that sends an array)."""
        p = self._PARAM
        arm = (f"SELECT * FROM (SELECT {p}, story_id FROM {table} WHERE {column} = {p} AND "
               f"last_published >= {p} ORDER BY last_published DESC LIMIT {p})")
        out: list[tuple[Any, int]] = []
        for i in range(0, len(keys), KEYS_PER_STATEMENT):
            chunk = keys[i:i + KEYS_PER_STATEMENT]
            out += self._rows(" UNION ALL ".join([arm] * len(chunk)),
                              [x for key in chunk for x in (key, key, since, limit)])
        return out

    # -- near-duplicates -----------------------------------------------------------------------
    def get_near_duplicate(self, article_id: str) -> tuple[str, float] | None:
        row = self._row("SELECT duplicate_of, similarity FROM near_duplicates WHERE article_id = "
                        f"{self._PARAM}", (article_id,))
        return (row[0], row[1]) if row else None

    def get_near_duplicates(self, article_ids: list[str]) -> dict[str, tuple[str, float]]:
        out: dict[str, tuple[str, float]] = {}
        for chunk in self._chunks(article_ids):
            cond, args = self._in("article_id", chunk)
            out.update((a, (d, sim)) for a, d, sim in self._rows(
                f"SELECT article_id, duplicate_of, similarity FROM near_duplicates WHERE {cond}", args))
        return out

    def has_signature(self, article_id: str) -> bool:
        return self._row(f"SELECT 1 FROM neardup_signatures WHERE article_id = {self._PARAM}",
                         (article_id,)) is not None

    def get_signatures(self, article_ids: list[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for chunk in self._chunks(article_ids):
            cond, args = self._in("article_id", chunk)
            out.update((a, bytes(s)) for a, s in self._rows(
                f"SELECT article_id, signature FROM neardup_signatures WHERE {cond}", args))
        return out

    # -- stories: tracker -------------------------------------------------------------------
    def get_story_id(self, article_id: str) -> int | None:
        row = self._row(f"SELECT story_id FROM story_articles WHERE article_id = {self._PARAM}",
                        (article_id,))
        return row[0] if row else None

    def get_story_ids(self, article_ids: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in self._chunks(article_ids):
            cond, args = self._in("article_id", chunk)
            out.update(self._rows(f"SELECT article_id, story_id FROM story_articles WHERE {cond}", args))
        return out

    def find_stories_by_terms(self, terms: Iterable[str], since: str, limit: int) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for term, sid in self._find_latest_per_key("story_terms", "term", "text", list(dict.fromkeys(terms)),
                                                   since, limit):
            out.setdefault(term, []).append(sid)
        return out

    def find_stories_by_entities(self, entity_ids: Iterable[int], since: str,
                                 limit: int) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        ids = list(dict.fromkeys(int(e) for e in entity_ids))
        for eid, sid in self._find_latest_per_key("story_entities", "entity_id", "bigint", ids,
                                                  since, limit):
            out.setdefault(eid, []).append(sid)
        return out

    def get_story_entities(self, story_ids: list[int], entity_ids: list[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        entity_ids = list(entity_ids)
        if not entity_ids:
            return out
        for chunk in self._chunks(story_ids):
            scond, sargs = self._in("story_id", chunk)
            econd, eargs = self._in("entity_id", entity_ids)
            for sid, eid in self._rows(f"SELECT story_id, entity_id FROM story_entities WHERE {scond} "
                                       f"AND {econd}", [*sargs, *eargs]):
                out.setdefault(sid, set()).add(eid)
        return out

    def get_story_centroids(self, story_ids: list[int]) -> list[dict[str, Any]]:
        out = []
        for chunk in self._chunks(sorted(set(story_ids))):
            cond, args = self._in("id", chunk)
            out += [{"id": sid, "centroid": json.loads(c), "first_published": f, "last_published": la}
                    for sid, c, f, la in self._rows(
                        "SELECT id, centroid, first_published, last_published FROM stories "
                        f"WHERE {cond} ORDER BY id", args)]
        return out

    def create_story(self, title: str, published: str, centroid: dict[str, float],
                     index_terms: list[str], entity_ids: list[int]) -> int:
        p = self._PARAM
        with self._atomic():
            sid = self._row("INSERT INTO stories (title, first_published, last_published, article_count, "
                            f"centroid, n_vectors) VALUES ({p}, {p}, {p}, 0, {p}, 1) RETURNING id",
                            (title, published, published, encode_json(centroid)))[0]
            self._index_terms(sid, index_terms, published, new_story=True)
            if entity_ids:
                self._executemany("INSERT INTO story_entities (entity_id, story_id, articles, "
                                  f"last_published) VALUES ({p}, {p}, 1, {p})",
                                  [(e, sid, published) for e in entity_ids])
        return sid

    def _index_terms(self, sid: int, terms: list[str], last: str, new_story: bool = False) -> None:
        """Make the story's ``story_terms`` rows `terms`, each with `last`: only the rows that
        change are written (a story's index terms change a few at a time as articles join)."""
        p = self._PARAM
        stored = {} if new_story else dict(self._rows(
            f"SELECT term, last_published FROM story_terms WHERE story_id = {p}", (sid,)))
        wanted = set(terms)
        gone = [(t, sid) for t in stored if t not in wanted]
        if gone:
            self._executemany(f"DELETE FROM story_terms WHERE term = {p} AND story_id = {p}", gone)
        moved = [(last, t, sid) for t in terms if t in stored and stored[t] != last]
        if moved:
            self._executemany(f"UPDATE story_terms SET last_published = {p} WHERE term = {p} AND "
                              f"story_id = {p}", moved)
        added = [(t, sid, last) for t in dict.fromkeys(terms) if t not in stored]
        if added:
            self._executemany(f"INSERT INTO story_terms (term, story_id, last_published) VALUES ({p}, {p}, {p})",
                              added)

    def update_story(self, story_id: int, centroid: dict[str, float], first_published: str,
                     last_published: str, index_terms: list[str], entity_ids: list[int]) -> None:
        p = self._PARAM
        with self._atomic():
            con = self.con
            con.execute(f"UPDATE stories SET centroid = {p}, n_vectors = n_vectors + 1, "
                        f"first_published = {p}, last_published = {p}, updated_at = {self._NOW} "
                        f"WHERE id = {p}", (encode_json(centroid), first_published,
                                            last_published, story_id))
            self._index_terms(story_id, index_terms, last_published)
            con.execute(f"UPDATE story_entities SET last_published = {p} WHERE story_id = {p} AND "
                        f"(last_published IS NULL OR last_published <> {p})",
                        (last_published, story_id, last_published))
            if entity_ids:
                self._executemany(
                    f"INSERT INTO story_entities (entity_id, story_id, articles, last_published) VALUES "
                    f"({p}, {p}, 1, {p}) ON CONFLICT (entity_id, story_id) DO UPDATE SET "
                    "articles = story_entities.articles + 1",
                    [(e, story_id, last_published) for e in entity_ids])

    def add_story_article(self, story_id: int, article_id: str, published: str,
                          similarity: float, duplicate_of: str | None = None) -> None:
        p = self._PARAM
        with self._atomic():
            self.con.execute("INSERT INTO story_articles (story_id, article_id, published, similarity, "
                             f"duplicate_of) VALUES ({p}, {p}, {p}, {p}, {p})",
                             (story_id, article_id, published, similarity, duplicate_of))
            self.con.execute(f"UPDATE stories SET article_count = article_count + 1, updated_at = "
                             f"{self._NOW} WHERE id = {p}", (story_id,))

    # -- near-duplicates and stories: reading ---------------------------------------------------
    def list_near_duplicates(self) -> list[dict[str, Any]]:
        return [{"article_id": a, "duplicate_of": d, "similarity": s} for a, d, s in self._rows(
            "SELECT article_id, duplicate_of, similarity FROM near_duplicates "
            f"ORDER BY article_id{self._BYTEWISE}")]

    def list_stories(self, since: str | None = None, until: str | None = None, limit: int = 20,
                     offset: int = 0, min_articles: int = 1) -> list[dict[str, Any]]:
        p = self._PARAM
        where, args = [f"article_count >= {p}"], [min_articles]
        if since:
            where.append(f"last_published >= {p}")
            args.append(since[:19])
        if until:
            where.append(f"substr(first_published, 1, 10) <= {p}")
            args.append(until[:10])
        limit = max(1, min(int(limit), 1000))
        rows = self._rows(f"SELECT {_LIST_COLUMNS} FROM stories WHERE {' AND '.join(where)} "
                          f"ORDER BY last_published DESC{self._NULLS_LAST}, id DESC LIMIT {p} OFFSET {p}",
                          [*args, limit, max(0, int(offset))])
        return [_story_row(r) for r in rows]

    def story_of_article(self, article_id: str) -> dict[str, Any] | None:
        row = self._row(f"SELECT {', '.join('s.' + c.strip() for c in _LIST_COLUMNS.split(','))}, "
                        "sa.similarity, sa.duplicate_of FROM story_articles sa JOIN stories s "
                        f"ON s.id = sa.story_id WHERE sa.article_id = {self._PARAM}", (article_id,))
        if not row:
            return None
        out = _story_row(row[:6])
        out.update({"similarity": row[6], "duplicate_of": row[7]})
        return out

    def get_story(self, story_id: int, limit: int = 15) -> dict[str, Any] | None:
        p = self._PARAM
        with self._lock:
            con = self.con
            row = con.execute(f"SELECT {_LIST_COLUMNS}, centroid FROM stories WHERE id = {p}",
                              (story_id,)).fetchone()
            if not row:
                return None
            out = _story_row(row[:6])
            centroid = json.loads(row[6])
            members = f"SELECT article_id FROM story_articles WHERE story_id = {p}"
            # story_time: when the article counts in the story (its publication time, or
            # when it was first seen for an undated article)
            articles = [{"id": i, "title": t, "published": pub, "source": s, "url": u,
                         "similarity": sim, "duplicate_of": d, "story_time": st}
                        for i, t, pub, s, u, sim, d, st in con.execute(
                "SELECT a.id, a.title, a.published, a.source, a.url, sa.similarity, sa.duplicate_of, "
                "sa.published "
                f"FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = {p} "
                f"ORDER BY coalesce(sa.published, a.published){self._NULLS_FIRST}, a.rowid", (story_id,))]
            entities = [{"id": i, "canonical": c, "type": t, "latin": la, "mentions": m, "articles": n}
                        for i, c, t, la, m, n in con.execute(
                "SELECT e.id, e.canonical, e.type, e.latin, count(*) AS m, count(DISTINCT m.article_id) "
                f"AS n FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN ({members}) "
                f"GROUP BY e.id ORDER BY n DESC, m DESC, e.id LIMIT {p}", (story_id, limit))]
            places = [{**{f: attrs.get(f) for f in PLACE_FIELDS}, "mentions": n, "articles": na}
                      for _, attrs, n, na in self._places(
                f"AND {self._span_attr('relation')} IS NULL AND s.article_id IN ({members})", [story_id],
                "na DESC, n DESC, {k}", limit)]
            timeline = [{"date": d, "articles": n, "first_seen": f} for d, n, f in con.execute(
                "SELECT substr(coalesce(sa.published, a.published), 1, 10) AS d, count(*), "
                "sum(CASE WHEN a.published IS NULL OR a.published = '' THEN 1 ELSE 0 END) "
                f"FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = {p} "
                f"GROUP BY d ORDER BY d{self._NULLS_FIRST}", (story_id,))]
        out.update({"centroid": centroid, "articles": articles, "entities": entities,
                    "places": places, "timeline": timeline})
        return out

    def list_story_members(self) -> list[dict[str, Any]]:
        return [{"story_id": s, "article_id": a, "similarity": sim, "duplicate_of": d}
                for s, a, sim, d in self._rows("SELECT story_id, article_id, similarity, duplicate_of "
                                               f"FROM story_articles ORDER BY article_id{self._BYTEWISE}")]
