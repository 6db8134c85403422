"""Watches, alerts and webhook deliveries (tables of migration 0005): one mixin for both
engines, written against ``_PARAM`` and the stores' hooks (``_in``, ``_atomic``, ``_NOW``,
``_BYTEWISE``: how to order text by its bytes, ``_GREATEST``: the larger of two values)."""
from __future__ import annotations

import json
from typing import Any

_WATCH_COLUMNS = ("id, name, entity, query, place, surge_count, surge_window_s, webhook, active, "
                  "created_at")
_ALERT_SQL = ("SELECT al.id, al.watch_id, w.name, al.kind, al.article_id, a.title, a.url, a.source, "
              "a.published, al.event_time, al.created_at, al.reason, al.delivered_at, al.attempts "
              "FROM alerts al JOIN watches w ON w.id = al.watch_id "
              "LEFT JOIN articles a ON a.id = al.article_id")
_ALERT_KEYS = ("id", "watch_id", "watch_name", "kind", "article_id", "title", "url", "source",
               "published", "event_time", "created_at", "reason", "delivered_at", "attempts")


def _watch_dict(row: tuple) -> dict[str, Any]:
    return {"id": row[0], "name": row[1], "entity": json.loads(row[2]) if row[2] else None,
            "query": row[3], "place": json.loads(row[4]) if row[4] else None,
            "surge_count": row[5], "surge_window_s": row[6], "webhook": row[7],
            "active": bool(row[8]), "created_at": row[9]}


def _alert_dict(row: tuple) -> dict[str, Any]:
    out = dict(zip(_ALERT_KEYS, row))
    out["reason"] = json.loads(out["reason"] or "{}")
    return out


def _json(value: Any) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value is not None else None


class WatchAlertMethods:
    """Mixin for both stores (uses their ``con``, ``_rows``, ``_row`` and the hooks above).
    Its SQL is written with SQLite's parameter mark; `_change`, `_select` and `_select_one`
    put the store's ``_PARAM`` in its place."""

    _PARAM = "?"

    def _change(self, sql: str, args: tuple) -> tuple[int, list[tuple]]:
        """Run one write statement atomically: its rowcount and RETURNING rows."""
        with self._atomic():
            cur = self.con.execute(sql.replace("?", self._PARAM), args)
            returned = cur.fetchall() if cur.description else []
            return cur.rowcount, returned

    def _select(self, sql: str, args: Any = ()) -> list[tuple]:
        return self._rows(sql.replace("?", self._PARAM), args)

    def _select_one(self, sql: str, args: Any = ()) -> tuple | None:
        return self._row(sql.replace("?", self._PARAM), args)

    # -- watches ---------------------------------------------------------------------------
    def add_watch(self, name, entity, query, place, surge_count, surge_window_s, webhook) -> int:
        return self._change(
            "INSERT INTO watches (name, entity, query, place, surge_count, surge_window_s, webhook) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (name, _json(entity), query, _json(place), surge_count, surge_window_s, webhook))[1][0][0]

    def get_watch(self, watch_id: int) -> dict[str, Any] | None:
        row = self._select_one(f"SELECT {_WATCH_COLUMNS} FROM watches WHERE id = ?", (watch_id,))
        return _watch_dict(row) if row else None

    def list_watches(self, active_only: bool = False) -> list[dict[str, Any]]:
        where = " WHERE active = 1" if active_only else ""
        return [_watch_dict(r) for r in self._select(f"SELECT {_WATCH_COLUMNS} FROM watches{where} "
                                                   "ORDER BY id")]

    def remove_watch(self, watch_id: int) -> bool:
        return self._change("DELETE FROM watches WHERE id = ?", (watch_id,))[0] > 0

    def set_watch_active(self, watch_id: int, active: bool) -> bool:
        return self._change("UPDATE watches SET active = ? WHERE id = ?",
                            (1 if active else 0, watch_id))[0] > 0

    def set_watch_entity(self, watch_id: int, entity: dict[str, Any]) -> None:
        self._change("UPDATE watches SET entity = ? WHERE id = ?", (_json(entity), watch_id))

    # -- alerts ----------------------------------------------------------------------------
    def add_alert(self, watch_id, article_id, kind, event_time, reason) -> int | None:
        returned = self._change("INSERT INTO alerts (watch_id, article_id, kind, event_time, reason) "
                                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (watch_id, article_id) DO NOTHING "
                                "RETURNING id", (watch_id, article_id, kind, event_time, _json(reason)))[1]
        return returned[0][0] if returned else None

    def add_watch_match(self, watch_id, article_id, event_time, reason) -> bool:
        return self._change("INSERT INTO watch_matches (watch_id, article_id, event_time, reason) "
                            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                            (watch_id, article_id, event_time, _json(reason)))[0] > 0

    def last_surge_time(self, watch_id: int) -> str | None:
        return self._select_one("SELECT max(event_time) FROM alerts WHERE watch_id = ? AND kind = 'surge'",
                         (watch_id,))[0]

    def list_watch_matches(self, watch_id: int, after: str, until: str) -> list[dict[str, Any]]:
        return [{"article_id": i, "event_time": t, "title": title} for i, t, title in self._select(
            "SELECT m.article_id, m.event_time, a.title FROM watch_matches m "
            "LEFT JOIN articles a ON a.id = m.article_id WHERE m.watch_id = ? "
            f"AND m.event_time > ? AND m.event_time <= ? ORDER BY m.event_time{self._BYTEWISE}, "
            f"m.article_id{self._BYTEWISE}", (watch_id, after, until))]

    def get_alert_mark(self) -> int:
        row = self._select_one("SELECT last_rowid FROM alert_progress WHERE id = 1")
        return row[0] if row else 0

    def set_alert_mark(self, seq: int) -> None:
        self._change("INSERT INTO alert_progress (id, last_rowid) VALUES (1, ?) ON CONFLICT (id) "
                     f"DO UPDATE SET last_rowid = {self._GREATEST}(alert_progress.last_rowid, "
                     "excluded.last_rowid)", (int(seq),))

    def list_alerts(self, watch_id: int | None = None, since_id: int | None = None,
                    limit: int = 50) -> list[dict[str, Any]]:
        if since_id is not None:
            sql, args = _ALERT_SQL + " WHERE al.id > ?", [int(since_id or 0)]
            if watch_id is not None:
                sql += " AND al.watch_id = ?"
                args.append(int(watch_id))
            return [_alert_dict(r) for r in self._select(sql + " ORDER BY al.id LIMIT ?",
                                                       [*args, int(limit)])]
        sql, args = _ALERT_SQL, []
        if watch_id is not None:
            sql += " WHERE al.watch_id = ?"
            args.append(int(watch_id))
        rows = self._select(sql + " ORDER BY al.id DESC LIMIT ?", [*args, int(limit)])
        return [_alert_dict(r) for r in reversed(rows)]

    def get_alerts(self, ids: list[int]) -> list[dict[str, Any]]:
        if not ids:
            return []
        cond, args = self._in("al.id", [int(i) for i in ids])
        return [_alert_dict(r) for r in self._select(_ALERT_SQL + f" WHERE {cond} ORDER BY al.id", args)]

    def latest_alert_id(self) -> int:
        return self._select_one("SELECT coalesce(max(id), 0) FROM alerts")[0]

    def count_alerts(self, since_id: int = 0) -> int:
        return self._select_one("SELECT count(*) FROM alerts WHERE id > ?", (int(since_id),))[0]

    def count_alerts_by_watch(self) -> dict[int, int]:
        return dict(self._select("SELECT watch_id, count(*) FROM alerts GROUP BY watch_id"))

    # -- deliveries ------------------------------------------------------------------------
    def list_pending_deliveries(self, alert_ids: list[int] | None,
                                max_attempts: int) -> list[dict[str, Any]]:
        sql = ("SELECT al.id, w.webhook, al.attempts FROM alerts al JOIN watches w ON w.id = al.watch_id "
               "WHERE w.webhook IS NOT NULL AND al.delivered_at IS NULL AND al.attempts < ?")
        args: list[Any] = [max_attempts]
        if alert_ids is not None:
            if not alert_ids:
                return []
            cond, cargs = self._in("al.id", [int(i) for i in alert_ids])
            sql, args = sql + f" AND {cond}", [*args, *cargs]
        return [{"alert_id": i, "url": u, "attempts": n}
                for i, u, n in self._select(sql + " ORDER BY al.id", args)]

    def record_delivery(self, alert_id: int, url: str, attempt: int, status: int | None,
                        error: str | None) -> None:
        with self._atomic():
            self._change("INSERT INTO deliveries (alert_id, url, attempt, status, error) "
                         "VALUES (?, ?, ?, ?, ?)", (alert_id, url, attempt, status, error))
            self._change("UPDATE alerts SET attempts = attempts + 1, delivered_at = CASE WHEN ? "
                         f"THEN {self._NOW} ELSE delivered_at END WHERE id = ?",
                         (error is None, alert_id))

    def list_deliveries(self, alert_id: int) -> list[dict[str, Any]]:
        return [{"attempt": a, "url": u, "status": s, "error": e} for a, u, s, e in self._select(
            "SELECT attempt, url, status, error FROM deliveries WHERE alert_id = ? ORDER BY id",
            (alert_id,))]
