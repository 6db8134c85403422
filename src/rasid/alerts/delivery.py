"""Delivering alerts: reading them back, a live feed, and webhooks.

* `list_alerts` / `alerts_since(store, last_id)`: alerts with their watch and article
  (the archive's ``list_alerts``),
  oldest first; a separate process (the web server) streams new alerts by polling
  `alerts_since` (`stream_alerts` is that loop, ready for an SSE response).
* `AlertBus` / `BUS`: in-process publish/subscribe; the alert engine publishes every new
  alert, each subscriber gets its own queue.
* `deliver_pending`: POST each undelivered alert of a watch with a webhook, as JSON, with
  retries and exponential backoff (``RASID_WEBHOOK_ATTEMPTS`` tries per run, waiting
  ``RASID_WEBHOOK_BACKOFF`` * 2**n seconds between them). Every attempt is logged
  (``archive.record_delivery``) with the alert's attempts and delivery time, and
  an alert still undelivered is tried again on the next run (up to `GIVE_UP_AFTER`).
"""
from __future__ import annotations

import json
import queue
import threading
import time
from typing import Any, Callable, Iterator

#: attempts in total across runs after which an alert is no longer retried
GIVE_UP_AFTER = 20
MAX_BACKOFF_S = 300.0


def webhook_settings() -> dict[str, float]:
    """``attempts`` per run, ``backoff`` base delay (s), ``timeout`` (s): the settings
    ``webhook_attempts``, ``webhook_backoff``, ``webhook_timeout`` (see `rasid.settings`)."""
    from ..settings import current_settings

    config = current_settings()
    return {"attempts": config.webhook_attempts, "backoff": config.webhook_backoff,
            "timeout": config.webhook_timeout}


# -- reading alerts (the archive's list_alerts / get_alerts) -----------------------------------
def alerts_since(store: Any, last_id: int = 0, limit: int = 100,
                 watch_id: int | None = None) -> list[dict[str, Any]]:
    """Alerts with ``id > last_id``, oldest first (the live feed's polling call)."""
    return store.list_alerts(watch_id=watch_id, since_id=int(last_id or 0), limit=limit)


def list_alerts(store: Any, watch_id: int | None = None, since_id: int | None = None,
                limit: int = 50) -> list[dict[str, Any]]:
    """With `since_id`: the alerts after it, oldest first; else the latest `limit`, oldest first."""
    return store.list_alerts(watch_id=watch_id, since_id=since_id, limit=limit)


def latest_alert_id(store: Any) -> int:
    return store.latest_alert_id()


def stream_alerts(store: Any, last_id: int = 0, poll_s: float = 1.0,
                  stop: threading.Event | None = None) -> Iterator[dict[str, Any]]:
    """Yield alerts as they are stored (by any process), polling the archive; for SSE."""
    stop = stop or threading.Event()
    while not stop.is_set():
        batch = alerts_since(store, last_id)
        for alert in batch:
            last_id = alert["id"]
            yield alert
        if not batch:
            stop.wait(poll_s)


# -- in-process live feed -----------------------------------------------------------------------
class AlertBus:
    """Thread-safe publish/subscribe: each subscriber gets a queue of alert dicts. A full
    queue (a subscriber that stopped reading) drops its oldest alert."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: list[queue.Queue] = []

    def subscribe(self, maxsize: int = 1000) -> queue.Queue:
        q: queue.Queue = queue.Queue(maxsize=maxsize)
        with self._lock:
            self._queues.append(q)
        return q

    def unsubscribe(self, q: queue.Queue) -> None:
        with self._lock:
            if q in self._queues:
                self._queues.remove(q)

    @property
    def subscribers(self) -> int:
        with self._lock:
            return len(self._queues)

    def publish(self, alert: dict[str, Any]) -> None:
        with self._lock:
            queues = list(self._queues)
        for q in queues:
            while True:
                try:
                    q.put_nowait(alert)
                    break
                except queue.Full:
                    try:
                        q.get_nowait()
                    except queue.Empty:
                        pass


#: The process-wide bus the alert engine publishes to.
BUS = AlertBus()


# -- webhooks -----------------------------------------------------------------------------------
def build_payload(alert: dict[str, Any]) -> dict[str, Any]:
    """The JSON body POSTed for one alert (see docs/alerts.md)."""
    return {
        "alert": {"id": alert["id"], "kind": alert["kind"], "watch_id": alert["watch_id"],
                  "watch_name": alert["watch_name"], "created_at": alert["created_at"],
                  "event_time": alert["event_time"]},
        "article": {"id": alert["article_id"], "title": alert["title"], "url": alert["url"],
                    "source": alert["source"], "published": alert["published"]},
        "reason": alert["reason"],
    }


def post_webhook(url: str, payload: dict[str, Any], timeout: float = 10.0) -> tuple[int | None, str | None]:
    """POST JSON; return ``(status, error)``: error is None on a 2xx response. Goes through
    `rasid.net.fetch`: refused for private addresses, redirects not followed, answer bounded."""
    from ..net import FetchError, fetch

    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    try:
        resp = fetch(url, method="POST", data=body, timeout=timeout, max_bytes=1024 * 1024,
                     follow_redirects=False, headers={
                         "Content-Type": "application/json; charset=utf-8",
                         "X-Rasid-Alert-Id": str(payload.get("alert", {}).get("id", ""))})
    except FetchError as exc:
        return None, f"{type(exc).__name__}: {exc}"
    status = resp.status
    if 200 <= status < 300:
        return status, None
    return status, f"HTTP {status}"


def deliver_pending(store: Any, alert_ids: list[int] | None = None, *, attempts: int | None = None,
                    backoff: float | None = None, timeout: float | None = None,
                    sleep: Callable[[float], None] = time.sleep,
                    on_event: Callable[[str], None] | None = None) -> dict[str, int]:
    """Deliver undelivered alerts of watches with a webhook (only `alert_ids`, if given).

    Each alert gets up to `attempts` tries, waiting ``backoff * 2**n`` seconds after the
    n-th failure; a URL that failed every try is skipped for the rest of this run.
    Returns ``{"delivered": n, "failed": m}``."""
    settings = webhook_settings()
    attempts = int(attempts if attempts is not None else settings["attempts"])
    backoff = float(backoff if backoff is not None else settings["backoff"])
    timeout = float(timeout if timeout is not None else settings["timeout"])
    pending = store.list_pending_deliveries(alert_ids, GIVE_UP_AFTER)
    done = {"delivered": 0, "failed": 0}
    dead_urls: set[str] = set()
    for item in pending:
        alert_id, url, tried = item["alert_id"], item["url"], item["attempts"]
        if url in dead_urls:
            done["failed"] += 1
            continue
        alerts = store.get_alerts([alert_id])
        if not alerts:
            continue
        if not _claim(store, alert_id):
            continue  # a background delivery of this alert is under way
        try:
            payload = build_payload(alerts[0])
            ok = False
            for n in range(attempts):
                status, error = post_webhook(url, payload, timeout)
                tried += 1
                store.record_delivery(alert_id, url, tried, status, error)
                if error is None:
                    ok = True
                    break
                if on_event:
                    on_event(f"webhook {url}: alert {alert_id} attempt {tried} failed ({error})")
                if n + 1 < attempts:
                    sleep(min(backoff * (2 ** n), MAX_BACKOFF_S))
        finally:
            _release(store, alert_id)
        if ok:
            done["delivered"] += 1
        else:
            done["failed"] += 1
            dead_urls.add(url)
    return done


# -- in the background ----------------------------------------------------------------------------
_workers: dict[int, list[threading.Thread]] = {}  # id(store) -> delivery threads
_workers_lock = threading.Lock()
_in_flight: set[tuple[int, int]] = set()  # (id(store), alert id) being delivered now


def _claim(store: Any, alert_id: int) -> bool:
    """Mark an alert as being delivered; False when another thread of this process is
    delivering it already (a background delivery and the monitor loop's retry)."""
    with _workers_lock:
        if (id(store), alert_id) in _in_flight:
            return False
        _in_flight.add((id(store), alert_id))
        return True


def _release(store: Any, alert_id: int) -> None:
    with _workers_lock:
        _in_flight.discard((id(store), alert_id))


def deliver_in_background(store: Any, alert_ids: list[int],
                          on_event: Callable[[str], None] | None = None) -> threading.Thread:
    """`deliver_pending` for `alert_ids` in a thread of its own, so that the caller (the
    after-store hook, under the API's write lock) never waits on a webhook. Every request
    has a timeout (``RASID_WEBHOOK_TIMEOUT``); `wait_for_deliveries` joins the threads
    before the archive is closed."""
    def run() -> None:
        try:
            deliver_pending(store, list(alert_ids), on_event=on_event)
        except Exception as exc:  # noqa: BLE001 - a closed archive, a full disk: report it
            if on_event:
                on_event(f"webhooks: delivery stopped: {type(exc).__name__}: {exc}")

    thread = threading.Thread(target=run, name="rasid-webhooks", daemon=True)
    with _workers_lock:
        threads = [t for t in _workers.get(id(store), []) if t.is_alive()]
        threads.append(thread)
        _workers[id(store)] = threads
    thread.start()
    return thread


def wait_for_deliveries(store: Any, timeout: float | None = None) -> None:
    """Wait for the background deliveries started for `store` (each at most `timeout` s)."""
    with _workers_lock:
        threads = _workers.pop(id(store), [])
    for thread in threads:
        thread.join(timeout)
