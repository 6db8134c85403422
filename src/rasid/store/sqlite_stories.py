"""`SqliteStore`'s near-duplicate and story methods (tables of migration 0004)."""
from __future__ import annotations

import json
from typing import Any

_LIST_COLUMNS = "id, title, first_published, last_published, article_count, updated_at"
_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


def _story_row(row: tuple) -> dict[str, Any]:
    return {"id": row[0], "title": row[1], "first_published": row[2], "last_published": row[3],
            "article_count": row[4], "updated_at": row[5]}


class SqliteStoryMethods:
    """Mixin for `SqliteStore` (uses its ``con``, ``_rows``, ``_row``, ``transaction``); the
    tracker's reads and writes are `sql_stories.StoryTrackingMethods` (shared)."""

    _NOW = _NOW

    # -- near-duplicates -----------------------------------------------------------------------
    def add_signature(self, article_id: str, signature: bytes,
                      band_keys: list[tuple[int, int]]) -> None:
        with self._atomic():
            self.con.execute("INSERT INTO neardup_signatures (article_id, signature) VALUES (?, ?)",
                             (article_id, bytes(signature)))
            self.con.executemany("INSERT INTO neardup_bands (band, bucket_hash, article_id) "
                                 "VALUES (?, ?, ?)", [(b, h, article_id) for b, h in band_keys])

    def find_band_matches(self, band_keys: list[tuple[int, int]],
                          per_band_limit: int) -> dict[str, int]:
        """Each band's lookup, all in one statement (one arm per band, in order)."""
        hits: dict[str, int] = {}
        if not band_keys:
            return hits
        arm = "SELECT * FROM (SELECT article_id FROM neardup_bands WHERE band = ? AND bucket_hash = ? LIMIT ?)"
        with self._lock:
            for (aid,) in self.con.execute(" UNION ALL ".join([arm] * len(band_keys)),
                                           [x for band, h in band_keys for x in (band, h, per_band_limit)]):
                hits[aid] = hits.get(aid, 0) + 1
        return hits

    def add_near_duplicate(self, article_id: str, duplicate_of: str, similarity: float) -> None:
        with self._atomic():
            cur = self.con.execute("INSERT OR IGNORE INTO near_duplicates (article_id, duplicate_of, "
                                   "similarity) VALUES (?, ?, ?)", (article_id, duplicate_of, similarity))
            if cur.rowcount:
                self.con.execute("UPDATE articles SET meta = json_set(meta, '$.near_duplicate_of', ?) "
                                 "WHERE id = ?", (duplicate_of, article_id))

    def list_near_duplicates(self) -> list[dict[str, Any]]:
        return [{"article_id": a, "duplicate_of": d, "similarity": s} for a, d, s in self._rows(
            "SELECT article_id, duplicate_of, similarity FROM near_duplicates ORDER BY article_id")]

    # -- stories: reading -------------------------------------------------------------------
    def list_stories(self, since: str | None = None, until: str | None = None, limit: int = 20,
                     offset: int = 0, min_articles: int = 1) -> list[dict[str, Any]]:
        where, args = ["article_count >= ?"], [min_articles]
        if since:
            where.append("last_published >= ?")
            args.append(since[:19])
        if until:
            where.append("substr(first_published, 1, 10) <= ?")
            args.append(until[:10])
        limit = max(1, min(int(limit), 1000))
        rows = self._rows(f"SELECT {_LIST_COLUMNS} FROM stories WHERE {' AND '.join(where)} "
                          "ORDER BY last_published DESC, id DESC LIMIT ? OFFSET ?",
                          [*args, limit, max(0, int(offset))])
        return [_story_row(r) for r in rows]

    def story_of_article(self, article_id: str) -> dict[str, Any] | None:
        row = self._row(f"SELECT {', '.join('s.' + c.strip() for c in _LIST_COLUMNS.split(','))}, "
                        "sa.similarity, sa.duplicate_of FROM story_articles sa JOIN stories s "
                        "ON s.id = sa.story_id WHERE sa.article_id = ?", (article_id,))
        if not row:
            return None
        out = _story_row(row[:6])
        out.update({"similarity": row[6], "duplicate_of": row[7]})
        return out

    def get_story(self, story_id: int, limit: int = 15) -> dict[str, Any] | None:
        with self._lock:
            con = self.con
            row = con.execute(f"SELECT {_LIST_COLUMNS}, centroid FROM stories WHERE id = ?",
                              (story_id,)).fetchone()
            if not row:
                return None
            out = _story_row(row[:6])
            centroid = json.loads(row[6])
            members = "SELECT article_id FROM story_articles WHERE story_id = ?"
            # story_time: when the article counts in the story (its publication time, or
            # when it was first seen for an undated article)
            articles = [{"id": i, "title": t, "published": p, "source": s, "url": u,
                         "similarity": sim, "duplicate_of": d, "story_time": st}
                        for i, t, p, s, u, sim, d, st in con.execute(
                "SELECT a.id, a.title, a.published, a.source, a.url, sa.similarity, sa.duplicate_of, "
                "sa.published "
                "FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? "
                "ORDER BY coalesce(sa.published, a.published), a.rowid", (story_id,))]
            entities = [{"id": i, "canonical": c, "type": t, "latin": la, "mentions": m, "articles": n}
                        for i, c, t, la, m, n in con.execute(
                "SELECT e.id, e.canonical, e.type, e.latin, count(*) AS m, count(DISTINCT m.article_id) "
                f"AS n FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN ({members}) "
                "GROUP BY e.id ORDER BY n DESC, m DESC, e.id LIMIT ?", (story_id, limit))]
            places = [{"name": r[0], "name_en": r[1], "country": r[2], "lat": r[3], "lon": r[4],
                       "feature": r[5], "mentions": r[6], "articles": r[7]} for r in con.execute(
                "SELECT json_extract(attrs, '$.name'), json_extract(attrs, '$.name_en'), "
                "json_extract(attrs, '$.country'), json_extract(attrs, '$.lat'), "
                "json_extract(attrs, '$.lon'), json_extract(attrs, '$.feature'), count(*) AS m, "
                f"count(DISTINCT article_id) AS n FROM spans WHERE layer = 'places' AND article_id IN ({members}) "
                "AND json_extract(attrs, '$.relation') IS NULL "
                "GROUP BY json_extract(attrs, '$.gazetteer_id') ORDER BY n DESC, m DESC LIMIT ?",
                (story_id, limit))]
            timeline = [{"date": d, "articles": n, "first_seen": f} for d, n, f in con.execute(
                "SELECT substr(coalesce(sa.published, a.published), 1, 10) AS d, count(*), "
                "sum(CASE WHEN a.published IS NULL OR a.published = '' THEN 1 ELSE 0 END) "
                "FROM story_articles sa "
                "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? GROUP BY d ORDER BY d",
                (story_id,))]
        out.update({"centroid": centroid, "articles": articles, "entities": entities,
                    "places": places, "timeline": timeline})
        return out

    def list_story_members(self) -> list[dict[str, Any]]:
        return [{"story_id": s, "article_id": a, "similarity": sim, "duplicate_of": d}
                for s, a, sim, d in self._rows("SELECT story_id, article_id, similarity, duplicate_of "
                                               "FROM story_articles ORDER BY article_id")]
