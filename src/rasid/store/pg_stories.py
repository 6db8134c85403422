"""`PostgresStore`'s near-duplicate and story methods (tables of migration 0004; the
counterpart of `sqlite_stories`): what differs from SQLite; the rest is `sql_stories`."""
from __future__ import annotations

from typing import Any

from .pg_articles import NOW


class PostgresStoryMethods:
    """Mixin for `PostgresStore` (uses its ``con``, ``_rows``, ``_row``, ``_atomic``); the
    tracker's reads and writes are `sql_stories.StoryTrackingMethods` (shared)."""

    _NOW = NOW

    def _find_latest_per_key(self, table: str, column: str, sql_type: str, keys: list,
                             since: str, limit: int) -> list[tuple[Any, int]]:
        """One round trip for all keys (`sql_stories`): the same per-key query, laterally."""
        if not keys:
            return []
        return self._rows(
            f"SELECT k.key, t.story_id FROM unnest(%s::{sql_type}[]) WITH ORDINALITY AS k (key, i) "
            f"CROSS JOIN LATERAL (SELECT story_id, last_published FROM {table} WHERE {column} = k.key "
            "AND last_published >= %s ORDER BY last_published DESC LIMIT %s) AS t "
            "ORDER BY k.i, t.last_published DESC", (keys, since, limit))


    # -- near-duplicates -----------------------------------------------------------------------
    def add_signature(self, article_id: str, signature: bytes,
                      band_keys: list[tuple[int, int]]) -> None:
        with self._atomic():  # one statement (one round trip): the bands after the signature
            self.con.execute(
                "WITH sig AS (INSERT INTO neardup_signatures (article_id, signature) VALUES (%s, %s)) "
                "INSERT INTO neardup_bands (band, bucket_hash, article_id) "
                "SELECT b, h, %s FROM unnest(%s::int[], %s::bigint[]) AS t (b, h)",
                (article_id, bytes(signature), article_id, [b for b, _ in band_keys],
                 [h for _, h in band_keys]))

    def find_band_matches(self, band_keys: list[tuple[int, int]],
                          per_band_limit: int) -> dict[str, int]:
        hits: dict[str, int] = {}
        if not band_keys:
            return hits
        # one round trip: the first `per_band_limit` articles of each key, as SQLite's LIMIT
        for (aid,) in self._rows(
                "SELECT m.article_id FROM unnest(%s::int[], %s::bigint[]) WITH ORDINALITY AS k (b, h, i) "
                "CROSS JOIN LATERAL (SELECT article_id FROM neardup_bands WHERE band = k.b "
                "AND bucket_hash = k.h LIMIT %s) AS m ORDER BY k.i",
                ([b for b, _ in band_keys], [h for _, h in band_keys], per_band_limit)):
            hits[aid] = hits.get(aid, 0) + 1
        return hits

    def add_near_duplicate(self, article_id: str, duplicate_of: str, similarity: float) -> None:
        with self._atomic():
            cur = self.con.execute("INSERT INTO near_duplicates (article_id, duplicate_of, similarity) "
                                   "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                                   (article_id, duplicate_of, similarity))
            if cur.rowcount:
                self.con.execute("UPDATE articles SET meta = jsonb_set(meta::jsonb, '{near_duplicate_of}', "
                                 "to_jsonb(%s::text))::text WHERE id = %s", (duplicate_of, article_id))
