"""`PostgresStore`'s watch, alert and delivery methods (tables of migration 0005; the
counterpart of `sqlite_alerts`)."""
from __future__ import annotations

from typing import Any

from .pg_articles import NOW
from .sqlite_alerts import _ALERT_SQL, _WATCH_COLUMNS, _alert_dict, _json, _watch_dict


class PostgresAlertMethods:
    """Mixin for `PostgresStore` (uses its ``con``, ``_rows``, ``_row``, ``_write``, ``_atomic``)."""

    # -- watches ---------------------------------------------------------------------------
    def add_watch(self, name, entity, query, place, surge_count, surge_window_s, webhook) -> int:
        cur = self._write(
            "INSERT INTO watches (name, entity, query, place, surge_count, surge_window_s, webhook) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
            (name, _json(entity), query, _json(place), surge_count, surge_window_s, webhook))
        return cur.returned[0][0]

    def get_watch(self, watch_id: int) -> dict[str, Any] | None:
        row = self._row(f"SELECT {_WATCH_COLUMNS} FROM watches WHERE id = %s", (watch_id,))
        return _watch_dict(row) if row else None

    def list_watches(self, active_only: bool = False) -> list[dict[str, Any]]:
        where = " WHERE active = 1" if active_only else ""
        return [_watch_dict(r) for r in self._rows(f"SELECT {_WATCH_COLUMNS} FROM watches{where} "
                                                   "ORDER BY id")]

    def remove_watch(self, watch_id: int) -> bool:
        return self._write("DELETE FROM watches WHERE id = %s", (watch_id,)).rowcount > 0

    def set_watch_active(self, watch_id: int, active: bool) -> bool:
        return self._write("UPDATE watches SET active = %s WHERE id = %s",
                           (1 if active else 0, watch_id)).rowcount > 0

    def set_watch_entity(self, watch_id: int, entity: dict[str, Any]) -> None:
        self._write("UPDATE watches SET entity = %s WHERE id = %s", (_json(entity), watch_id))

    # -- alerts ----------------------------------------------------------------------------
    def add_alert(self, watch_id, article_id, kind, event_time, reason) -> int | None:
        cur = self._write("INSERT INTO alerts (watch_id, article_id, kind, event_time, reason) "
                          "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (watch_id, article_id) DO NOTHING "
                          "RETURNING id", (watch_id, article_id, kind, event_time, _json(reason)))
        return cur.returned[0][0] if cur.returned else None

    def add_watch_match(self, watch_id, article_id, event_time, reason) -> bool:
        cur = self._write("INSERT INTO watch_matches (watch_id, article_id, event_time, reason) "
                          "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                          (watch_id, article_id, event_time, _json(reason)))
        return cur.rowcount > 0

    def last_surge_time(self, watch_id: int) -> str | None:
        return self._row("SELECT max(event_time) FROM alerts WHERE watch_id = %s AND kind = 'surge'",
                         (watch_id,))[0]

    def list_watch_matches(self, watch_id: int, after: str, until: str) -> list[dict[str, Any]]:
        return [{"article_id": i, "event_time": t, "title": title} for i, t, title in self._rows(
            "SELECT m.article_id, m.event_time, a.title FROM watch_matches m "
            "LEFT JOIN articles a ON a.id = m.article_id WHERE m.watch_id = %s "
            "AND m.event_time > %s AND m.event_time <= %s "
            "ORDER BY m.event_time COLLATE \"C\", m.article_id COLLATE \"C\"", (watch_id, after, until))]

    def get_alert_mark(self) -> int:
        row = self._row("SELECT last_rowid FROM alert_progress WHERE id = 1")
        return row[0] if row else 0

    def set_alert_mark(self, seq: int) -> None:
        self._write("INSERT INTO alert_progress (id, last_rowid) VALUES (1, %s) ON CONFLICT (id) "
                    "DO UPDATE SET last_rowid = greatest(alert_progress.last_rowid, excluded.last_rowid)",
                    (int(seq),))

    def list_alerts(self, watch_id: int | None = None, since_id: int | None = None,
                    limit: int = 50) -> list[dict[str, Any]]:
        sql = _ALERT_SQL
        if since_id is not None:
            sql, args = sql + " WHERE al.id > %s", [int(since_id or 0)]
            if watch_id is not None:
                sql += " AND al.watch_id = %s"
                args.append(int(watch_id))
            return [_alert_dict(r) for r in self._rows(sql + " ORDER BY al.id LIMIT %s",
                                                       [*args, int(limit)])]
        args = []
        if watch_id is not None:
            sql += " WHERE al.watch_id = %s"
            args.append(int(watch_id))
        rows = self._rows(sql + " ORDER BY al.id DESC LIMIT %s", [*args, int(limit)])
        return [_alert_dict(r) for r in reversed(rows)]

    def get_alerts(self, ids: list[int]) -> list[dict[str, Any]]:
        if not ids:
            return []
        return [_alert_dict(r) for r in self._rows(_ALERT_SQL + " WHERE al.id = ANY(%s) ORDER BY al.id",
                                                   ([int(i) for i in ids],))]

    def latest_alert_id(self) -> int:
        return self._row("SELECT coalesce(max(id), 0) FROM alerts")[0]

    def count_alerts(self, since_id: int = 0) -> int:
        return self._row("SELECT count(*) FROM alerts WHERE id > %s", (int(since_id),))[0]

    def count_alerts_by_watch(self) -> dict[int, int]:
        return dict(self._rows("SELECT watch_id, count(*) FROM alerts GROUP BY watch_id"))

    # -- deliveries ------------------------------------------------------------------------
    def list_pending_deliveries(self, alert_ids: list[int] | None,
                                max_attempts: int) -> list[dict[str, Any]]:
        sql = ("SELECT al.id, w.webhook, al.attempts FROM alerts al JOIN watches w ON w.id = al.watch_id "
               "WHERE w.webhook IS NOT NULL AND al.delivered_at IS NULL AND al.attempts < %s")
        args: list[Any] = [max_attempts]
        if alert_ids is not None:
            if not alert_ids:
                return []
            sql += " AND al.id = ANY(%s)"
            args.append([int(i) for i in alert_ids])
        return [{"alert_id": i, "url": u, "attempts": n}
                for i, u, n in self._rows(sql + " ORDER BY al.id", args)]

    def record_delivery(self, alert_id: int, url: str, attempt: int, status: int | None,
                        error: str | None) -> None:
        with self._atomic():
            self.con.execute("INSERT INTO deliveries (alert_id, url, attempt, status, error) "
                             "VALUES (%s, %s, %s, %s, %s)", (alert_id, url, attempt, status, error))
            self.con.execute(f"UPDATE alerts SET attempts = attempts + 1, delivered_at = CASE WHEN %s "
                             f"THEN {NOW} ELSE delivered_at END WHERE id = %s", (error is None, alert_id))

    def list_deliveries(self, alert_id: int) -> list[dict[str, Any]]:
        return [{"attempt": a, "url": u, "status": s, "error": e} for a, u, s, e in self._rows(
            "SELECT attempt, url, status, error FROM deliveries WHERE alert_id = %s ORDER BY id",
            (alert_id,))]
