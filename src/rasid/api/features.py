"""Optional parts of the core the API and UI use when they are installed: stories
(`rasid.stories.queries`) and watches/alerts (`rasid.alerts`). Each function is looked up
once by name; a missing one makes its endpoints answer 503 (never 500), so the app starts
whatever is installed."""
from __future__ import annotations

import functools
import importlib
import inspect
from typing import Any, Callable

STORY_MODULES = ("rasid.stories.queries", "rasid.stories")
ALERT_MODULES = ("rasid.alerts", "rasid.alerts.watches", "rasid.alerts.store", "rasid.alerts.queries")

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "list_stories": (STORY_MODULES, ("list_stories",)),
    "get_story": (STORY_MODULES, ("get_story",)),
    "story_of_article": (STORY_MODULES, ("story_of_article",)),
    "list_watches": (ALERT_MODULES, ("list_watches",)),
    "add_watch": (ALERT_MODULES, ("add_watch", "create_watch")),
    "delete_watch": (ALERT_MODULES, ("delete_watch", "remove_watch")),
    "get_watch": (ALERT_MODULES, ("get_watch",)),
    "alerts_since": (ALERT_MODULES, ("alerts_since",)),
    "list_alerts": (ALERT_MODULES, ("list_alerts", "recent_alerts")),
    "latest_alert_id": (ALERT_MODULES + ("rasid.alerts.delivery",), ("latest_alert_id",)),
}


class FeatureMissing(Exception):
    def __init__(self, what: str):
        super().__init__(f"{what} is not available in this installation of rasid")


@functools.lru_cache(maxsize=None)
def find_function(name: str) -> Callable[..., Any] | None:
    modules, candidates = NAMES[name]
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for candidate in candidates:
            func = getattr(module, candidate, None)
            if callable(func):
                return func
    return None


def has_feature(name: str) -> bool:
    return find_function(name) is not None


def call(name: str, /, *args: Any, **kwargs: Any) -> Any:
    """Call the named core function, passing only the keyword arguments it accepts."""
    func = find_function(name)
    if func is None:
        raise FeatureMissing({"list_stories": "stories", "get_story": "stories",
                              "story_of_article": "stories"}.get(name, "watches and alerts"))
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return func(*args, **kwargs)
    if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        kwargs = {k: v for k, v in kwargs.items() if k in params and v is not None}
    return func(*args, **kwargs)


def to_plain(value: Any) -> Any:
    """Dataclasses / objects with `to_dict` / pydantic models -> JSON-ready values."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [to_plain(v) for v in value]
    for attr in ("to_dict", "model_dump", "_asdict"):
        if hasattr(value, attr):
            return to_plain(getattr(value, attr)())
    import dataclasses

    if dataclasses.is_dataclass(value):
        return to_plain(dataclasses.asdict(value))
    return str(value)
