"""`rasid monitor FEED_URL...`: poll feeds on an interval, ingest, analyse, alert; repeat.

Crash safety comes from three things, none of them specific to this loop:

* articles are committed in batches and deduplicated by canonical URL and content, so
  reading an item again stores nothing;
* a feed's state (ETag, Last-Modified, seen item keys) is saved only after its articles
  are committed (``Monitor.ingest``), so a crash in between re-reads the items rather
  than losing them;
* a batch's articles and its alerts are committed in one transaction (the archive
  steps, `rasid.archive_steps`), and the alert engine keeps a high-water mark of
  evaluated articles, evaluating at start (and on every batch) the stored articles above
  it; one alert per (watch, article) at most.

The loop stops cleanly on SIGINT/SIGTERM: the feed being read is finished (its batch
committed), then it exits. A second signal interrupts at once.
"""
from __future__ import annotations

import signal
import threading
import time
from typing import Any, Callable

from .delivery import deliver_pending


def _say(message: str) -> None:
    print(message, flush=True)


def _stamp() -> str:
    return time.strftime("%H:%M:%S")


class _Stopper:
    """SIGINT/SIGTERM set an event (main thread only); a second signal raises."""

    def __init__(self, on_event: Callable[[str], None], event: threading.Event | None = None):
        self.event = event or threading.Event()
        self.on_event = on_event
        self.signal: str | None = None  # the name of the signal that stopped the loop
        self._old: dict[int, Any] = {}

    def _handle(self, signum: int, frame: Any) -> None:
        if self.event.is_set():
            raise KeyboardInterrupt
        self.signal = signal.Signals(signum).name
        self.on_event(f"[{_stamp()}] {signal.Signals(signum).name}: stopping after the current feed "
                      "(again to stop now)")
        self.event.set()

    def __enter__(self) -> "_Stopper":
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: Any) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)


def run_monitor(monitor: Any, feed_urls: list[str], interval_s: float = 300, once: bool = False,
                max_cycles: int | None = None, on_event: Callable[[str], None] = _say,
                stop: threading.Event | None = None) -> dict[str, int]:
    """Poll every feed each cycle until stopped (a signal, `stop`, `once`, `max_cycles`).

    Returns the totals: cycles, read, stored, duplicates, updated, rejected, failed, alerts,
    unreachable (feed fetches that failed), and ``signal``: the name of the signal that
    stopped the loop (``SIGINT``, ``SIGTERM``) or None."""
    engine = monitor.archive_step("alerts").engine
    if engine.on_event is None:  # report webhook failures here too
        engine.on_event = on_event
    store = monitor.store
    totals: dict[str, Any] = {"cycles": 0, "read": 0, "stored": 0, "duplicates": 0, "updated": 0,
                              "rejected": 0,
                              "failed": 0, "alerts": 0, "unreachable": 0, "signal": None}
    with _Stopper(on_event, stop) as stopper:
        stop_event = stopper.event
        on_event(f"[{_stamp()}] monitoring {len(feed_urls)} feed(s) every {interval_s:g}s "
                 f"into {store.location}")
        caught = engine.catch_up(store)
        if caught:
            on_event(f"[{_stamp()}] resumed: {len(caught)} alert(s) for articles stored before "
                     "the last stop")
            totals["alerts"] += len(caught)
        while not stop_event.is_set():
            started = time.monotonic()
            totals["cycles"] += 1
            cycle = totals["cycles"]
            for url in feed_urls:
                if stop_event.is_set():
                    break
                before = store.latest_alert_id()
                try:
                    summary = monitor.ingest([url])
                except Exception as exc:  # one broken feed must not stop the others
                    on_event(f"[{_stamp()}] cycle {cycle} {url}: error {type(exc).__name__}: {exc}")
                    totals["failed"] += 1
                    continue
                alerts = store.count_alerts(since_id=before)
                totals["unreachable"] += len(summary.unreachable)
                if summary.unreachable and not summary.read:  # a failed fetch: no articles
                    reasons = "; ".join(r.reason for r in summary.unreachable)
                    on_event(f"[{_stamp()}] cycle {cycle} {url}: {reasons}")
                    continue
                for key in ("read", "stored", "duplicates", "updated"):
                    totals[key] += getattr(summary, key)
                totals["rejected"] += len(summary.rejected)
                totals["failed"] += len(summary.failed)
                totals["alerts"] += alerts
                line = (f"[{_stamp()}] cycle {cycle} {url}: new {summary.read}, stored "
                        f"{summary.stored}, duplicates {summary.duplicates}, updated "
                        f"{summary.updated}, alerts {alerts}")
                for rej in summary.rejected:
                    line += f"\n  rejected {rej.origin}: {rej.reason}"
                for origin, reason in summary.failed:
                    line += f"\n  failed {origin}: {reason}"
                on_event(line)
            retried = deliver_pending(store, on_event=on_event)  # earlier undelivered alerts
            if retried["delivered"] or retried["failed"]:
                on_event(f"[{_stamp()}] webhooks: delivered {retried['delivered']}, "
                         f"still failing {retried['failed']}")
            if once or (max_cycles is not None and cycle >= max_cycles):
                break
            wait = max(0.0, interval_s - (time.monotonic() - started))
            if not stop_event.is_set():
                on_event(f"[{_stamp()}] cycle {cycle} done; next in {wait:.0f}s")
            stop_event.wait(wait)
        totals["signal"] = stopper.signal
    on_event(f"[{_stamp()}] stopped after {totals['cycles']} cycle(s): stored {totals['stored']}, "
             f"alerts {totals['alerts']}")
    return totals
