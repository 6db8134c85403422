"""Archive interface, part 4: watches, alerts, surge bookkeeping, webhook deliveries.

A watch is the dict ``{id, name, entity, query, place, surge_count, surge_window_s,
webhook, active, created_at}`` (entity and place: JSON dicts or None). An alert is
``{id, watch_id, watch_name, kind, article_id, title, url, source, published,
event_time, created_at, reason, delivered_at, attempts}`` (reason: a dict; title to
published: the article's, None when it is gone).
"""
from __future__ import annotations

import abc
from typing import Any


class AlertMethods(abc.ABC):
    # -- watches ------------------------------------------------------------------------------
    @abc.abstractmethod
    def add_watch(self, name: str, entity: dict | None, query: str | None, place: dict | None,
                  surge_count: int | None, surge_window_s: int | None,
                  webhook: str | None) -> int:
        """Store an active watch; return its id."""

    @abc.abstractmethod
    def get_watch(self, watch_id: int) -> dict[str, Any] | None:
        """One watch, or None."""

    @abc.abstractmethod
    def list_watches(self, active_only: bool = False) -> list[dict[str, Any]]:
        """Watches by id."""

    @abc.abstractmethod
    def remove_watch(self, watch_id: int) -> bool:
        """Delete a watch and its alerts; False when there is none."""

    @abc.abstractmethod
    def set_watch_active(self, watch_id: int, active: bool) -> bool:
        """False when there is no such watch."""

    @abc.abstractmethod
    def set_watch_entity(self, watch_id: int, entity: dict[str, Any]) -> None:
        """Replace the watch's entity criterion."""

    # -- alerts -------------------------------------------------------------------------------
    @abc.abstractmethod
    def add_alert(self, watch_id: int, article_id: str, kind: str, event_time: str,
                  reason: dict[str, Any]) -> int | None:
        """Insert an alert; None (and nothing changes) when the watch already has one for
        the article."""

    @abc.abstractmethod
    def add_watch_match(self, watch_id: int, article_id: str, event_time: str,
                        reason: dict[str, Any]) -> bool:
        """Record a surge watch's matching article; False when recorded before."""

    @abc.abstractmethod
    def last_surge_time(self, watch_id: int) -> str | None:
        """The latest event_time of the watch's surge alerts, or None."""

    @abc.abstractmethod
    def list_watch_matches(self, watch_id: int, after: str, until: str) -> list[dict[str, Any]]:
        """Matches with after < event_time <= until, by time then article id:
        [{article_id, event_time, title}] (title None when the article is gone)."""

    @abc.abstractmethod
    def get_alert_mark(self) -> int:
        """The alert high-water mark: every article with seq <= mark has been evaluated."""

    @abc.abstractmethod
    def set_alert_mark(self, seq: int) -> None:
        """Raise the mark to `seq` (never lowers it)."""

    @abc.abstractmethod
    def list_alerts(self, watch_id: int | None = None, since_id: int | None = None,
                    limit: int = 50) -> list[dict[str, Any]]:
        """With `since_id`: alerts with a greater id, oldest first, at most `limit`;
        else the latest `limit`, oldest first."""

    @abc.abstractmethod
    def get_alerts(self, ids: list[int]) -> list[dict[str, Any]]:
        """The alerts of `ids` that exist, by id."""

    @abc.abstractmethod
    def latest_alert_id(self) -> int:
        """The highest alert id (0 when none)."""

    @abc.abstractmethod
    def count_alerts(self, since_id: int = 0) -> int:
        """How many alerts have an id above `since_id`."""

    @abc.abstractmethod
    def count_alerts_by_watch(self) -> dict[int, int]:
        """``{watch_id: alerts}`` for watches with alerts."""

    # -- webhook deliveries --------------------------------------------------------------------
    @abc.abstractmethod
    def list_pending_deliveries(self, alert_ids: list[int] | None,
                                max_attempts: int) -> list[dict[str, Any]]:
        """Undelivered alerts of watches with a webhook tried fewer than `max_attempts`
        times (only `alert_ids`, when given), by id: [{alert_id, url, attempts}]."""

    @abc.abstractmethod
    def record_delivery(self, alert_id: int, url: str, attempt: int, status: int | None,
                        error: str | None) -> None:
        """Log one attempt; count it on the alert, marked delivered when `error` is None."""

    @abc.abstractmethod
    def list_deliveries(self, alert_id: int) -> list[dict[str, Any]]:
        """The attempts logged for an alert, in order: [{attempt, url, status, error}]."""
