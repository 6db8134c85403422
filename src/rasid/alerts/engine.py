"""The after-store hook that turns stored articles into alerts.

`AlertEngine.process(store, docs)` runs after every committed batch (``monitor.after_store``):

1. the articles to evaluate: every stored article above the high-water mark
   (``alert_progress.last_rowid``), in rowid order: normally just `docs`, plus any article
   never evaluated because the process died between its commit and this hook. The
   in-memory `docs` are used where they are (earlier hooks annotate them);
   near-duplicates (``doc.meta["near_duplicate_of"]``) are skipped;
2. every active watch is matched against each article (outside the write lock);
3. one transaction: ``INSERT OR IGNORE`` the alerts (UNIQUE (watch_id, article_id), so a
   re-run creates nothing), the surge bookkeeping, and the new high-water mark;
4. the new alerts go to the in-process `BUS` and, in a background thread, to their webhooks.

Surge watches record each matching article in ``watch_matches`` and raise one alert (on
the article that brought the count to N) when N matching articles fall within the window,
at most once per window. An article's time is its publication time when that is a full
date and time, else the time it was stored (``articles.ingested_at``), in UTC.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable

from ..doc import Document
from .delivery import BUS, AlertBus, deliver_in_background, get_alerts
from .matcher import Match, match_document, resolve_entity_ids
from .watches import Watch, list_watches, update_entity_ids

ISO = "%Y-%m-%dT%H:%M:%SZ"
MAX_SURGE_ARTICLES = 50
CATCH_UP_BATCH = 200


def convert_event_time(published: str | None, ingested_at: str | None) -> str:
    """The article's time for surge windows, as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC)."""
    if published and "T" in published:
        try:
            dt = datetime.fromisoformat(published.replace("Z", "+00:00"))
        except ValueError:
            dt = None
        if dt is not None:
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=timezone.utc)
            return dt.astimezone(timezone.utc).strftime(ISO)
    return ingested_at or datetime.now(timezone.utc).strftime(ISO)


def _shift(iso: str, seconds: int) -> str:
    dt = datetime.strptime(iso, ISO).replace(tzinfo=timezone.utc)
    return (dt + timedelta(seconds=seconds)).strftime(ISO)


class AlertEngine:
    """Matches stored articles against the active watches; see the module docstring."""

    def __init__(self, bus: AlertBus | None = None, deliver: bool = True,
                 on_event: Callable[[str], None] | None = None) -> None:
        self.bus = bus or BUS
        self.deliver = deliver
        self.on_event = on_event
        #: ids of the alerts created by this engine, in order (for reports)
        self.created: list[int] = []

    def __call__(self, store: Any, docs: list[Document]) -> None:
        self.process(store, docs)

    # -- the hook ---------------------------------------------------------------------------
    def process(self, store: Any, docs: Iterable[Document]) -> list[int]:
        """Evaluate `docs` (just stored) and any unevaluated stored article; return the ids
        of the alerts created."""
        if getattr(store, "con", None) is None:
            return []  # only the SQLite archive has the alert tables for now
        by_id = {d.id: d for d in docs}
        created: list[int] = []
        if not list_watches(store, active_only=True):
            self._skip_all(store)  # nothing to look for: articles stored now are not watched
            return created
        while True:
            rows = self._pending_rows(store)
            if not rows:
                break
            created += self._evaluate(store, rows, by_id)
            if len(rows) < CATCH_UP_BATCH:
                break
        if created:
            self.created += created
            alerts = get_alerts(store, created)
            for alert in alerts:
                self.bus.publish(alert)
            if self.deliver:
                deliver_in_background(store, created, on_event=self.on_event)
        return created

    def catch_up(self, store: Any) -> list[int]:
        """Evaluate stored articles never evaluated (after a crash); return new alert ids."""
        return self.process(store, [])

    # -- steps ------------------------------------------------------------------------------
    @staticmethod
    def _skip_all(store: Any) -> None:
        with store._lock:
            store.con.execute("UPDATE alert_progress SET last_rowid = max(last_rowid, "
                              "(SELECT coalesce(max(rowid), 0) FROM articles)) WHERE id = 1")

    @staticmethod
    def _pending_rows(store: Any) -> list[tuple[int, str, str | None, str]]:
        """``(rowid, id, published, ingested_at)`` of the stored articles above the mark
        (not evaluated yet), in rowid order, at most CATCH_UP_BATCH."""
        with store._lock:
            con = store.con
            mark = con.execute("SELECT last_rowid FROM alert_progress WHERE id = 1").fetchone()
            mark = mark[0] if mark else 0
            return con.execute("SELECT rowid, id, published, ingested_at FROM articles "
                               "WHERE rowid > ? ORDER BY rowid LIMIT ?",
                               (mark, CATCH_UP_BATCH)).fetchall()

    def _evaluate(self, store: Any, rows: list[tuple], by_id: dict[str | None, Document]) -> list[int]:
        """Match the articles of `rows` (in-memory copies from `by_id` when there are, since
        they carry what earlier hooks set) and commit the alerts and the new mark."""
        watches = list_watches(store, active_only=True)
        matches: list[tuple[Watch, Match, str]] = []
        if watches:
            entity_ids: dict[int, set[int]] = {}
            for w in watches:
                if w.entity:
                    entity_ids[w.id] = resolve_entity_ids(w, store)
                    update_entity_ids(store, w, sorted(entity_ids[w.id]))
            for rowid, doc_id, published, ingested_at in rows:
                doc = by_id.get(doc_id) or store.get_document(doc_id)
                if doc is None or doc.meta.get("near_duplicate_of"):
                    continue
                when = convert_event_time(published, ingested_at)
                for w in watches:
                    m = match_document(w, doc, store, entity_ids.get(w.id))
                    if m is not None:
                        m.article_id = doc_id
                        matches.append((w, m, when))
        return self._commit(store, matches, max(r[0] for r in rows))

    def _commit(self, store: Any, matches: list[tuple[Watch, Match, str]], last_rowid: int) -> list[int]:
        created: list[int] = []
        with store._lock:
            con = store.con
            con.execute("BEGIN IMMEDIATE")
            try:
                for watch, match, when in matches:
                    reason = {"matches": match.reasons}
                    if watch.surge_count and watch.surge_window_s:
                        new_id = self._record_surge(con, watch, match, when, reason)
                    else:
                        cur = con.execute(
                            "INSERT OR IGNORE INTO alerts (watch_id, article_id, kind, event_time, "
                            "reason) VALUES (?, ?, 'match', ?, ?)",
                            (watch.id, match.article_id, when, json.dumps(reason, ensure_ascii=False)))
                        new_id = cur.lastrowid if cur.rowcount else None
                    if new_id:
                        created.append(new_id)
                con.execute("UPDATE alert_progress SET last_rowid = max(last_rowid, ?) WHERE id = 1",
                            (last_rowid,))
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        return created

    @staticmethod
    def _record_surge(con: Any, watch: Watch, match: Match, when: str,
                      reason: dict[str, Any]) -> int | None:
        cur = con.execute("INSERT OR IGNORE INTO watch_matches (watch_id, article_id, event_time, "
                          "reason) VALUES (?, ?, ?, ?)",
                          (watch.id, match.article_id, when, json.dumps(reason, ensure_ascii=False)))
        if not cur.rowcount:
            return None  # seen before
        window = int(watch.surge_window_s or 0)
        start = _shift(when, -window)
        last = con.execute("SELECT max(event_time) FROM alerts WHERE watch_id = ? AND kind = 'surge'",
                           (watch.id,)).fetchone()[0]
        if last is not None and last > start:
            return None  # fired within this window already
        rows = con.execute(
            "SELECT m.article_id, m.event_time, a.title FROM watch_matches m "
            "LEFT JOIN articles a ON a.id = m.article_id WHERE m.watch_id = ? "
            "AND m.event_time > ? AND m.event_time <= ? ORDER BY m.event_time, m.article_id",
            (watch.id, start, when)).fetchall()
        if len(rows) < int(watch.surge_count or 0):
            return None
        reason = dict(reason, surge={
            "count": len(rows), "threshold": watch.surge_count, "window_s": window,
            "since": start, "until": when,
            "articles": [{"id": i, "event_time": t, "title": title}
                         for i, t, title in rows[:MAX_SURGE_ARTICLES]]})
        cur = con.execute("INSERT OR IGNORE INTO alerts (watch_id, article_id, kind, event_time, "
                          "reason) VALUES (?, ?, 'surge', ?, ?)",
                          (watch.id, match.article_id, when, json.dumps(reason, ensure_ascii=False)))
        return cur.lastrowid if cur.rowcount else None
