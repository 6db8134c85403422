"""Watches and alerts: entity / query / place watches (optionally with a surge rule),
one alert per (watch, article) with the reason, webhooks and a live feed, and the
`rasid monitor` polling loop. Design: docs/alerts.md.

The ``alerts`` archive step (`rasid.archive_steps`) runs the `AlertEngine` on every
stored batch; ``monitor.archive_step("alerts").engine`` is the monitor's engine.
"""
from __future__ import annotations

from .delivery import BUS, AlertBus, alerts_since, deliver_pending, list_alerts, stream_alerts
from .engine import AlertEngine
from .matcher import Match, match_document
from .watches import Watch, WatchError, add_watch, get_watch, list_watches, parse_surge, remove_watch

__all__ = ["AlertBus", "AlertEngine", "BUS", "Match", "Watch", "WatchError", "add_watch",
           "alerts_since", "deliver_pending", "get_watch",
           "list_alerts", "list_watches", "match_document", "parse_surge", "remove_watch",
           "stream_alerts"]
