"""The work of the ``alerts`` archive step: turning stored articles into alerts.

`AlertEngine.evaluate(archive, docs)` runs inside the transaction of the batch it follows
(`rasid.archive_steps`), through the archive interface:

1. the articles to evaluate: every stored article above the high-water mark
   (``archive.get_alert_mark()``), in insertion order: normally just `docs`, plus any
   article stored without the step (e.g. before the first watch). The in-memory `docs`
   are used where they are (earlier steps annotate them); near-duplicates
   (``doc.meta["near_duplicate_of"]``) are skipped;
2. every active watch is matched against each article;
3. the alerts (one per (watch, article): a re-run creates nothing), the surge
   bookkeeping and the new high-water mark are written;
4. after the commit, `announce` sends the new alerts to the in-process `BUS` and, in a
   background thread, to their webhooks (delivery stays outside the write transaction and
   the API's write lock; undelivered alerts are retried later).

Surge watches record each matching article in ``watch_matches`` and raise one alert (on
the article that brought the count to N) when N matching articles fall within the window,
at most once per window. An article's time is its publication time when that is a full
date and time, else the time it was stored (its ``ingested_at``), in UTC.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable

from ..doc import Document
from .delivery import BUS, AlertBus, deliver_in_background
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


def describe_time_basis(published: str | None) -> str:
    """What `convert_event_time` used: ``published`` (a publication date-time) or
    ``first_seen`` (the article is undated, or dated without a time: when it was stored)."""
    return "published" if published and "T" in published else "first_seen"


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

    def process(self, store: Any, docs: Iterable[Document]) -> list[int]:
        """Evaluate `docs` (just stored) and any unevaluated stored article, then announce
        the new alerts; return their ids."""
        created = self.evaluate(store, docs)
        self.announce(store, created)
        return created

    def catch_up(self, store: Any) -> list[int]:
        """Evaluate stored articles never evaluated; return new alert ids."""
        return self.process(store, [])

    # -- steps ------------------------------------------------------------------------------
    def evaluate(self, store: Any, docs: Iterable[Document]) -> list[int]:
        """Match every stored article above the mark (the in-memory `docs` where there are,
        since they carry what earlier steps set) and store the alerts and the new mark, in
        one transaction (nested in the caller's); return the ids of the alerts created."""
        by_id = {d.id: d for d in docs}
        created: list[int] = []
        with store.transaction():
            if not store.list_watches(active_only=True):
                store.set_alert_mark(store.latest_article_seq())  # nothing stored now is watched
                return created
            while True:
                pending = store.list_articles_after(store.get_alert_mark(), CATCH_UP_BATCH)
                if not pending:
                    break
                created += self._evaluate(store, pending, by_id)
                if len(pending) < CATCH_UP_BATCH:
                    break
        self.created += created
        return created

    def announce(self, store: Any, created: list[int]) -> None:
        """Publish committed alerts on the bus and deliver their webhooks (in the background)."""
        if not created:
            return
        for alert in store.get_alerts(created):
            self.bus.publish(alert)
        if self.deliver:
            deliver_in_background(store, created, on_event=self.on_event)

    def _evaluate(self, store: Any, pending: list[dict[str, Any]],
                  by_id: dict[str | None, Document]) -> list[int]:
        watches = list_watches(store, active_only=True)
        created: list[int] = []
        entity_ids: dict[int, set[int]] = {}
        for w in watches:
            if w.entity:
                entity_ids[w.id] = resolve_entity_ids(w, store)
                update_entity_ids(store, w, sorted(entity_ids[w.id]))
        for art in pending:
            doc = by_id.get(art["id"]) or store.get_document(art["id"])
            if doc is None or doc.meta.get("near_duplicate_of"):
                continue
            when = convert_event_time(art["published"], art["ingested_at"])
            for w in watches:
                m = match_document(w, doc, store, entity_ids.get(w.id))
                if m is None:
                    continue
                m.article_id = art["id"]
                reason = {"matches": m.reasons, "time_basis": describe_time_basis(art["published"])}
                if w.surge_count and w.surge_window_s:
                    new_id = self._record_surge(store, w, m, when, reason)
                else:
                    new_id = store.add_alert(w.id, m.article_id, "match", when, reason)
                if new_id:
                    created.append(new_id)
        store.set_alert_mark(max(a["seq"] for a in pending))
        return created

    @staticmethod
    def _record_surge(store: Any, watch: Watch, match: Match, when: str,
                      reason: dict[str, Any]) -> int | None:
        if not store.add_watch_match(watch.id, match.article_id, when, reason):
            return None  # seen before
        window = int(watch.surge_window_s or 0)
        start = _shift(when, -window)
        last = store.last_surge_time(watch.id)
        if last is not None and last > start:
            return None  # fired within this window already
        rows = store.list_watch_matches(watch.id, start, when)
        if len(rows) < int(watch.surge_count or 0):
            return None
        reason = dict(reason, surge={
            "count": len(rows), "threshold": watch.surge_count, "window_s": window,
            "since": start, "until": when,
            "articles": [{"id": r["article_id"], "event_time": r["event_time"], "title": r["title"]}
                         for r in rows[:MAX_SURGE_ARTICLES]]})
        return store.add_alert(watch.id, match.article_id, "surge", when, reason)
