"""How many articles match a query, per day (or per hour over a short range), with the
surges marked: the series drawn above the results (CLI ``--trend``, API, web UI)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from .query import unquote_phrases
from .searcher import compile_query, matches_any

#: a range of at most this many days is counted per hour (when the dates carry a time)
HOURLY_MAX_DAYS = 3
#: a period surges when it has at least this many times the median count of the series
#: (and at least `SURGE_MIN` articles)
SURGE_FACTOR = 3.0
SURGE_MIN = 3


def _fill(counts: dict[str, int], unit: str) -> list[str]:
    """Every period from the first to the last, so quiet days show as zeros."""
    keys = sorted(counts)
    if len(keys) < 2:
        return keys
    try:
        if unit == "hour":
            step, fmt = timedelta(hours=1), "%Y-%m-%dT%H"
            first = datetime.strptime(keys[0].replace(" ", "T"), fmt)
            last = datetime.strptime(keys[-1].replace(" ", "T"), fmt)
        else:
            step, fmt = timedelta(days=1), "%Y-%m-%d"
            first, last = (datetime.combine(date.fromisoformat(k), datetime.min.time())
                           for k in (keys[0], keys[-1]))
    except ValueError:  # a date we cannot step through: show what there is
        return keys
    if (last - first) / step > 5000:
        return keys
    out, t = [], first
    while t <= last:
        out.append(t.strftime(fmt))
        t += step
    return out


def mark_surges(series: list[dict[str, Any]]) -> None:
    """Set ``surge`` on each period whose count stands far above the series' median."""
    counts = [p["count"] for p in series]
    base = max(1.0, median(counts)) if counts else 1.0
    for p in series:
        p["surge"] = p["count"] >= SURGE_MIN and p["count"] >= SURGE_FACTOR * base


def compute_trend(store: Any, query: Any, unit: str | None = None) -> dict[str, Any]:
    """``{"unit": "day"|"hour", "total", "series": [{"period", "count", "surge"}]}`` for a
    `SearchQuery`; `unit` None picks hours when the matches span at most
    `HOURLY_MAX_DAYS` days and carry times."""
    if unit not in (None, "day", "hour"):
        raise ValueError("unit must be 'day' or 'hour'")
    analyzer = getattr(store, "analyzer", None)
    parsed, plan = compile_query(query, analyzer)
    days = dict(store.count_by_period(plan, 10))
    loose = None if days else unquote_phrases(parsed)
    if loose is not None and not matches_any(store, plan):  # no article has the phrases
        # as written (undated ones included): their words as ordinary words, as `search_store`
        _, plan = compile_query(query, analyzer, parsed=loose)
        days = dict(store.count_by_period(plan, 10))
    if unit is None:
        unit = "day"
        if days and len(_fill(days, "day")) <= HOURLY_MAX_DAYS:
            hours = dict(store.count_by_period(plan, 13))
            if any(len(k) == 13 for k in hours):
                unit = "hour"
    counts = days if unit == "day" else dict(store.count_by_period(plan, 13))
    if unit == "hour":
        counts = {k.replace(" ", "T"): v for k, v in counts.items() if len(k) == 13}
    series = [{"period": k, "count": counts.get(k, 0)} for k in _fill(counts, unit)]
    mark_surges(series)
    return {"unit": unit, "total": sum(counts.values()), "series": series}
