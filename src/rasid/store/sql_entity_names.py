"""How entities came by their names, the roles they hold, and the user's corrections
(tables ``entity_links``, ``entity_roles``, ``entity_decisions``; migration 0013). The SQL is
the same on both engines but for the parameter mark, which each store names in ``_PARAM``
(see `sql_reading`); both provide ``con``, ``_lock``, ``_rows``, ``_row`` and ``transaction``.
"""
from __future__ import annotations

from typing import Any, Iterable


class EntityNameMethods:
    _PARAM = "?"

    # -- why a name was linked ----------------------------------------------------------
    def add_entity_links(self, entity_id: int, reasons: dict[str, str]) -> None:
        self.add_entity_links_many([(entity_id, reasons)])

    def add_entity_links_many(self, items: Iterable[tuple[int, dict[str, str]]]) -> None:
        p = self._PARAM
        rows = [(entity_id, name, reason) for entity_id, reasons in items
                for name, reason in sorted(reasons.items()) if name]
        if not rows:
            return
        with self._atomic():
            self._executemany(f"INSERT INTO entity_links (entity_id, name, reason) "
                              f"VALUES ({p}, {p}, {p}) ON CONFLICT DO NOTHING", rows)

    def set_entity_link(self, entity_id: int, name: str, reason: str) -> None:
        p = self._PARAM
        with self.transaction():
            self.con.execute(f"DELETE FROM entity_links WHERE entity_id = {p} AND name = {p}",
                             (entity_id, name))
            self.con.execute(f"INSERT INTO entity_links (entity_id, name, reason) "
                             f"VALUES ({p}, {p}, {p})", (entity_id, name, reason))

    def list_entity_links(self, entity_id: int) -> dict[str, str]:
        return dict(self._rows(f"SELECT name, reason FROM entity_links WHERE entity_id = "
                               f"{self._PARAM} ORDER BY name", (entity_id,)))

    # -- roles and offices --------------------------------------------------------------
    def add_entity_roles(self, entity_id: int, roles: Iterable[tuple[str, str, str | None]]) -> None:
        self.add_entity_roles_many([(entity_id, roles)])

    def add_entity_roles_many(self, items: Iterable[tuple[int, Iterable[tuple[str, str, str | None]]]]) -> None:
        p = self._PARAM
        rows = [(entity_id, role, text, day, day) for entity_id, roles in items
                for role, text, day in roles if role]
        if not rows:
            return
        with self._atomic():
            self._executemany(
                    f"INSERT INTO entity_roles (entity_id, role, text, first_seen, last_seen, "
                    f"mentions) VALUES ({p}, {p}, {p}, {p}, {p}, 1) ON CONFLICT (entity_id, role) "
                    f"DO UPDATE SET mentions = entity_roles.mentions + 1, "
                    f"first_seen = CASE WHEN entity_roles.first_seen IS NULL OR "
                    f"excluded.first_seen < entity_roles.first_seen THEN coalesce("
                    f"excluded.first_seen, entity_roles.first_seen) ELSE entity_roles.first_seen END, "
                    f"last_seen = CASE WHEN entity_roles.last_seen IS NULL OR "
                    f"excluded.last_seen > entity_roles.last_seen THEN coalesce("
                    f"excluded.last_seen, entity_roles.last_seen) ELSE entity_roles.last_seen END", rows)

    def list_entity_roles(self, entity_id: int) -> list[dict[str, Any]]:
        return [{"role": r, "text": t, "first_seen": f, "last_seen": l, "mentions": n}
                for r, t, f, l, n in self._rows(
                    f"SELECT role, text, first_seen, last_seen, mentions FROM entity_roles "
                    f"WHERE entity_id = {self._PARAM} ORDER BY mentions DESC, role", (entity_id,))]

    def find_role_holders(self, role: str) -> list[dict[str, Any]]:
        return [{"entity_id": e, "text": t, "first_seen": f, "last_seen": l, "mentions": n}
                for e, t, f, l, n in self._rows(
                    f"SELECT entity_id, text, first_seen, last_seen, mentions FROM entity_roles "
                    f"WHERE role = {self._PARAM} ORDER BY mentions DESC, entity_id", (role,))]

    # -- the user's decisions -----------------------------------------------------------
    def add_entity_decision(self, kind: str, entity_id: int, name: str,
                            other_id: int | None = None) -> None:
        p = self._PARAM
        with self.transaction():
            self.con.execute(f"INSERT INTO entity_decisions (kind, entity_id, name, other_id) "
                             f"VALUES ({p}, {p}, {p}, {p})", (kind, entity_id, name, other_id))

    def list_entity_decisions(self) -> list[dict[str, Any]]:
        return [{"id": i, "kind": k, "entity_id": e, "name": n, "other_id": o, "created_at": c}
                for i, k, e, n, o, c in self._rows(
                    "SELECT id, kind, entity_id, name, other_id, created_at FROM entity_decisions "
                    "ORDER BY id")]

    # -- moving what an entity holds ----------------------------------------------------
    def list_entity_article_ids(self, entity_id: int) -> list[str]:
        return [r[0] for r in self._rows(
            f"SELECT DISTINCT article_id FROM mentions WHERE entity_id = {self._PARAM} "
            f"ORDER BY article_id", (entity_id,))]

    def move_entity_rows(self, from_id: int, to_id: int) -> None:
        p = self._PARAM
        with self.transaction():
            con = self.con
            con.execute(f"INSERT INTO entity_keys (key, entity_id) SELECT key, {p} FROM "
                        f"entity_keys WHERE entity_id = {p} ON CONFLICT DO NOTHING", (to_id, from_id))
            con.execute(f"INSERT INTO entity_links (entity_id, name, reason) SELECT {p}, name, "
                        f"reason FROM entity_links WHERE entity_id = {p} ON CONFLICT DO NOTHING",
                        (to_id, from_id))
            for role, text, first, last, n in con.execute(
                    f"SELECT role, text, first_seen, last_seen, mentions FROM entity_roles "
                    f"WHERE entity_id = {p}", (from_id,)).fetchall():
                con.execute(
                    f"INSERT INTO entity_roles (entity_id, role, text, first_seen, last_seen, "
                    f"mentions) VALUES ({p}, {p}, {p}, {p}, {p}, {p}) ON CONFLICT (entity_id, role) "
                    f"DO UPDATE SET mentions = entity_roles.mentions + excluded.mentions, "
                    f"first_seen = coalesce(min(entity_roles.first_seen, excluded.first_seen), "
                    f"entity_roles.first_seen, excluded.first_seen), "
                    f"last_seen = coalesce(max(entity_roles.last_seen, excluded.last_seen), "
                    f"entity_roles.last_seen, excluded.last_seen)"
                    .replace("min(", self._MIN_OF).replace("max(", self._MAX_OF),
                    (to_id, role, text, first, last, n))
            con.execute(f"UPDATE mentions SET entity_id = {p} WHERE entity_id = {p}", (to_id, from_id))
            con.execute(f"UPDATE entity_decisions SET entity_id = {p} WHERE entity_id = {p}",
                        (to_id, from_id))
            con.execute(f"UPDATE entity_decisions SET other_id = {p} WHERE other_id = {p}",
                        (to_id, from_id))
            con.execute(f"DELETE FROM entity_keys WHERE entity_id = {p}", (from_id,))
            con.execute(f"DELETE FROM entity_links WHERE entity_id = {p}", (from_id,))
            con.execute(f"DELETE FROM entity_roles WHERE entity_id = {p}", (from_id,))
            con.execute(f"DELETE FROM entities WHERE id = {p}", (from_id,))

    def remove_entity_keys(self, entity_id: int, keys: Iterable[str]) -> None:
        p = self._PARAM
        keys = sorted(set(keys))
        with self.transaction():
            for key in keys:
                self.con.execute(f"DELETE FROM entity_keys WHERE entity_id = {p} AND key = {p}",
                                 (entity_id, key))

    _MIN_OF, _MAX_OF = "min(", "max("  # two-argument min/max: least/greatest on PostgreSQL
