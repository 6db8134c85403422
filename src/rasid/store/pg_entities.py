"""`PostgresStore`'s own entity methods: what only PostgreSQL does, trigram-similar name keys; the rest is
`sql_entities.EntityRecordMethods` and `sql_places.PlaceQueryMethods`, shared.

Name lookup: `rasid.entities.lookup` finds entities by the same name keys as on SQLite,
exact after normalisation (a name that matches none is "not found", never a near one).
"""
from __future__ import annotations

from typing import Any, Iterable

from .sql_entity_names import EntityNameMethods

#: pg_trgm similarity a key must reach to count as a fuzzy match
TRIGRAM_THRESHOLD = 0.5

class PostgresEntityMethods(EntityNameMethods):
    """Mixin for `PostgresStore`: the engine's own SQL; the rest is `sql_entities.EntityRecordMethods`."""

    _MIN_OF, _MAX_OF = "least(", "greatest("

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
