"""One happening reported by many outlets: cross-article event groups.

After each stored batch (the ``event_groups`` archive step, `rasid.archive_steps`, in the
batch's transaction) every new factual event with a place and a day is compared with the archive's events of the same PLOVER type whose day
is within `MAX_DAYS` and whose place is in the same country:

* same place — the same gazetteer entry, or both with coordinates within `NEAR_KM` —
  and the same type and days: the same happening, whoever the articles blame;
* only the same country (or far apart in it): the same happening only when the actors
  overlap (the same archive entity, or a shared word of the actor phrase).

A group never spans more than `MAX_DAYS` from its first to its last report.

Members keep their own sentence. Nothing is merged: `describe_group` lists every source
side by side and reports `conflicts` — a different casualty toll, a different actor —
so a contradicting article is shown, not averaged away.
"""
from __future__ import annotations

import math
import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Callable, Iterable

from ..arabic.normalize import normalize_name
from .lexicon import strip_article

MAX_DAYS = 2
NEAR_KM = 50.0
#: "N قتيلا" / "مقتل N" / "N أشخاص": a casualty toll in a sentence.
TOLL_RE = re.compile(
    r"(?:مقتل|مصرع|سقوط|استشهاد)\s+(?:نحو\s+|حوالي\s+|أكثر من\s+)?(\d+)"
    r"|(\d+)\s+(?:قتيلا|قتيلاً|قتلى|قتيل|شخصا|شخصاً|أشخاص|اشخاص|مدنيا|مدنياً|مدنيين|جنديا|جنود|شهيدا|شهداء)")


def extract_toll(sentence: str | None) -> int | None:
    """The first casualty count in a sentence (Arabic-Indic digits read too), or None."""
    if not sentence:
        return None
    m = TOLL_RE.search(_digits(sentence))
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def _digits(text: str) -> str:
    return text.translate({0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)})


GENERIC_ACTOR_WORDS = frozenset({"تنظيم", "جماعة", "حركة", "حزب", "جبهة", "قوات", "قوة", "جيش",
                                 "مسلحين", "مسلحون", "عناصر", "مقاتلي", "دولة", "الذي", "التي"})


def actor_words(ev: dict[str, Any]) -> frozenset[str]:
    """Distinctive words of the actor (تنظيم, قوات and other heads do not count)."""
    actor = ev.get("actor") or {}
    return _actor_words(actor.get("text") or "", actor.get("entity") or "")


@lru_cache(maxsize=10_000)
def _actor_words(text: str, entity: str) -> frozenset[str]:
    """`actor_words` of an actor phrase and its entity name (cached: the step compares every
    new event with each candidate; the cue lexicon read is the shipped one)."""
    from .lexicon import load_cues

    generic = GENERIC_ACTOR_WORDS | load_cues()["actor"]
    words = set()
    for name in (text, entity):
        for w in normalize_name(name).split():
            w = strip_article(w)
            if len(w) > 2 and w not in generic:
                words.add(w)
    return frozenset(words)


def same_actor(a: dict[str, Any], b: dict[str, Any]) -> bool | None:
    """True/False when both events name an actor; None when one of them names none."""
    if not a.get("actor") or not b.get("actor"):
        return None
    if a.get("actor_entity_id") and a.get("actor_entity_id") == b.get("actor_entity_id"):
        return True
    return bool(actor_words(a) & actor_words(b))


@lru_cache(maxsize=65_536)
def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (cached: a batch's events name a few hundred places, and the
    step compares each new event with each of its candidates)."""
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def is_same_happening(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return same_happening_as(a)(b)


def can_match(a: dict[str, Any]) -> bool:
    """Whether any event can be the same happening as `a` (`is_same_happening`): it needs a
    day, a country, and a place finer than its country or an actor. Either way round: an
    event that cannot match none can match (the step reads no candidates for it)."""
    place = a.get("place") or {}
    return bool(a.get("when") and place.get("country") and (a.get("actor") or not _is_country_level(place)))


def same_happening_as(a: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """`is_same_happening` of `a` and the event it is given, with `a`'s fields read once
    (the step compares each new event with each of its candidates; `same_actor` written
    out, `a`'s actor words read once)."""
    kind, article, place, when = a["type"], a["article_id"], a.get("place") or {}, a.get("when")
    country, local = place.get("country"), not _is_country_level(place)
    gazetteer_id, lat, lon = place.get("gazetteer_id"), place.get("lat"), place.get("lon")
    actor, actor_id = a.get("actor"), a.get("actor_entity_id")
    day: list[int] = []  # a's day, read when first compared
    words: list[frozenset[str]] = []  # a's actor words, read when first compared

    def test(b: dict[str, Any]) -> bool:
        if b["type"] != kind or b["article_id"] == article:
            return False
        other = b.get("place") or {}
        if not country or other.get("country") != country or not when or not b.get("when"):
            return False
        if not day:
            day.append(_day_number(when[:10]))
        if abs(day[0] - _day_number(b["when"][:10])) > MAX_DAYS:
            return False
        if local and not _is_country_level(other):  # the same place?
            if gazetteer_id == other.get("gazetteer_id"):
                return True
            if lon is not None and other.get("lon") is not None \
                    and _distance_km(lat, lon, other["lat"], other["lon"]) <= NEAR_KM:  # near
                return True
        if not actor or not b.get("actor"):  # `same_actor` is True
            return False
        if actor_id and actor_id == b.get("actor_entity_id"):
            return True
        if not words:
            words.append(actor_words(a))
        return bool(words[0] & actor_words(b))
    return test


@lru_cache(maxsize=4096)
def _day_number(day: str) -> int:
    """The ordinal of an ISO day (cached: a batch's events fall on a few days)."""
    return date.fromisoformat(day).toordinal()


def _is_country_level(place: dict[str, Any]) -> bool:
    """A country or a place without coordinates: too coarse to say "the same place"."""
    return place.get("lat") is None or place.get("feature") in ("country", "continent", "region")


def group_events(store: Any, article_ids: Iterable[str]) -> int:
    """Group the new articles' events with the archive's; return the memberships written
    (0 when every event already has its group: running again changes nothing)."""
    assignments: dict[int, int] = {}
    ids = list(article_ids)
    # one statement for the batch's events (each statement of iter_events builds and sorts
    # every matching row before it takes its batch_size)
    new = [e for e in store.iter_events({"article_ids": ids}, batch_size=max(500, 100 * len(ids)),
                                        compact=True)
           if e.get("when") and (e.get("place") or {}).get("country")]
    spans: dict[int, tuple[str, str]] = {}  # group -> (first day, last day)
    archive_days: dict[int, list[str]] = {}  # the archive's groups among the candidates

    def fits(group: int, day: str) -> bool:
        """Whether `day` keeps the whole group within MAX_DAYS (no chaining day by day)."""
        if group not in spans:
            days = [d[:10] for d in archive_days.get(group, ())] or [day]
            spans[group] = (min(days), max(days))
        lo, hi = min(spans[group][0], day), max(spans[group][1], day)
        return (date.fromisoformat(hi) - date.fromisoformat(lo)).days <= MAX_DAYS

    queries = []
    matchable = [ev for ev in new if can_match(ev)]
    for ev in matchable:
        day = date.fromisoformat(ev["when"][:10])
        queries.append({"type": ev["type"], "country": ev["place"]["country"],
                        "since": (day - timedelta(days=MAX_DAYS)).isoformat(),
                        "until": (day + timedelta(days=MAX_DAYS)).isoformat()})
    # the candidates do not depend on the groups found on the way: read them all at once,
    # and the days of their groups (a group must stay within MAX_DAYS)
    found = store.find_events_batch(queries, limit=500, compact=True)
    archive_days.update(store.find_group_days({c["group"] for cs in found for c in cs if c.get("group")}))
    for ev, candidates in zip(matchable, found):
        same = same_happening_as(ev)
        matches = [c for c in candidates if c["id"] != ev["id"] and same(c)]
        groups = [assignments.get(c["id"]) or c.get("group") for c in matches]
        group = next((g for g in groups if g and fits(g, ev["when"][:10])), None)
        matches = [c for c, g in zip(matches, groups) if not g or g == group]
        if not matches:
            continue
        if group is None:
            group = min([ev["id"]] + [c["id"] for c in matches])
        assignments[ev["id"]] = group
        days = [ev["when"][:10]] + [c["when"][:10] for c in matches if c.get("when")]
        first, last = spans.get(group, (min(days), max(days)))
        spans[group] = (min([first] + days), max([last] + days))
        for c in matches:
            if not c.get("group") and c["id"] not in assignments:
                assignments[c["id"]] = group
    # An article's other reports of the same type in the same country belong to its group
    # (the sentence that names who claimed the attack is often not the one with the city).
    by_article: dict[tuple[str, str, str], int] = {}
    for ev in new:
        if ev["id"] in assignments:
            by_article[(ev["article_id"], ev["type"], ev["place"]["country"])] = assignments[ev["id"]]
    for ev in new:
        key = (ev["article_id"], ev["type"], ev["place"]["country"])
        if ev["id"] not in assignments and key in by_article:
            assignments[ev["id"]] = by_article[key]
    current = {e["id"]: e.get("group") for e in new}
    changed = {k: v for k, v in assignments.items() if current.get(k, -1) != v}
    return store.set_event_groups(changed.items()) if changed else 0


def describe_group(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The sources of one group side by side, with the details they disagree on."""
    tolls = {e["id"]: extract_toll(e.get("sentence")) for e in events}
    actors = {e["id"]: (e.get("actor") or {}).get("entity") or (e.get("actor") or {}).get("text")
              for e in events}
    conflicts = []
    known_tolls = {v for v in tolls.values() if v is not None}
    if len(known_tolls) > 1:
        conflicts.append({"field": "toll", "values": {str(k): v for k, v in tolls.items() if v is not None}})
    named = [e for e in events if e.get("actor")]
    if any(same_actor(a, b) is False for i, a in enumerate(named) for b in named[i + 1:]):
        conflicts.append({"field": "actor", "values": {str(k): v for k, v in actors.items() if v}})
    first = min(events, key=lambda e: (e.get("when") or "", e["id"]))
    return {
        "group": first.get("group") or first["id"],
        "type": first["type"],
        "when": sorted({e.get("when") for e in events if e.get("when")}),
        "place": first.get("place"),
        "sources": [{"event": e["id"], "article_id": e["article_id"], "source": e.get("source"),
                     "url": e.get("url"), "title": e.get("title"), "published": e.get("published"),
                     "sentence": e.get("sentence"), "trigger": e.get("trigger"),
                     "actor": actors[e["id"]], "toll": tolls[e["id"]]} for e in events],
        "conflicts": conflicts,
    }
