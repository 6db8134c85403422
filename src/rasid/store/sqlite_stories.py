"""`SqliteStore`'s near-duplicate and story methods (tables of migration 0004): what differs
from PostgreSQL; the rest is `sql_stories`."""
from __future__ import annotations

from typing import Any

_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


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
