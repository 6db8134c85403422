"""Watches and alerts: entity / query / place watches (optionally with a surge rule),
one alert per (watch, article) with the reason, webhooks and a live feed, and the
`rasid monitor` polling loop. Design: docs/alerts.md.

``install(monitor)`` adds the `AlertEngine` to ``monitor.after_store`` (once).
"""
from __future__ import annotations

from typing import Any

from .delivery import BUS, AlertBus, alerts_since, deliver_pending, list_alerts, stream_alerts
from .engine import AlertEngine
from .matcher import Match, match_document
from .watches import Watch, WatchError, add_watch, get_watch, list_watches, parse_surge, remove_watch

__all__ = ["AlertBus", "AlertEngine", "BUS", "Match", "Watch", "WatchError", "add_watch",
           "alerts_since", "deliver_pending", "find_engine", "get_watch", "install",
           "list_alerts", "list_watches", "match_document", "parse_surge", "remove_watch",
           "stream_alerts"]


def find_engine(monitor: Any) -> AlertEngine | None:
    return next((h for h in monitor.after_store if isinstance(h, AlertEngine)), None)


def install(monitor: Any, **kwargs: Any) -> AlertEngine:
    """Append an `AlertEngine` to ``monitor.after_store`` unless one is there; return it.
    Keyword arguments go to `AlertEngine` (``deliver``, ``bus``, ``on_event``)."""
    engine = find_engine(monitor)
    if engine is None:
        engine = AlertEngine(**kwargs)
        monitor.after_store.append(engine)
    return engine
