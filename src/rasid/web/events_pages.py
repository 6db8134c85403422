"""Web pages for events: ``/events`` (filters, a timeline, a map with a marker per event
coloured by type, the list with each event's sentence) and ``/events/group/{id}`` (one
happening across outlets, their sentences side by side with the details they disagree
on). Article text reaches the templates only through `highlight_sentence` (escaped)."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from ..server.app import ApiError, get_context
from .geo import load_country_paths, project, view_box
from .pages import page
from .pages import router as pages_router

router = APIRouter(include_in_schema=False, dependencies=pages_router.dependencies)

#: Arabic names of the PLOVER types, for the UI.
TYPE_NAMES_AR = {
    "AGREE": "اتفاق", "CONSULT": "تشاور", "SUPPORT": "تأييد", "CONCEDE": "تنازل",
    "COOPERATE": "تعاون", "AID": "مساعدة", "RETREAT": "انسحاب/إفراج", "INVESTIGATE": "تحقيق",
    "DEMAND": "مطالبة", "DISAPPROVE": "استنكار", "REJECT": "رفض", "THREATEN": "تهديد",
    "PROTEST": "احتجاج", "CRIME": "جريمة", "SANCTION": "عقوبات", "MOBILIZE": "حشد",
    "COERCE": "إكراه/اعتقال", "ASSAULT": "اعتداء",
}
PAGE_LIMIT = 300


def arg_label(arg: dict[str, Any] | None) -> str:
    if not arg:
        return "—"
    return arg.get("entity") or arg.get("text") or "—"


def highlight_sentence(ev: dict[str, Any]) -> Markup:
    """The event's sentence, escaped, with its trigger marked."""
    sentence = ev.get("sentence") or ""
    s0 = ev.get("sentence_start") or 0
    a, b = ev["start"] - s0, ev["end"] - s0
    if not (0 <= a < b <= len(sentence)):
        return escape(sentence)
    return Markup("{}<mark class=\"trigger\">{}</mark>{}").format(sentence[:a], sentence[a:b], sentence[b:])


def render_event_map(events: list[dict[str, Any]]) -> Markup:
    """The world map with one marker per place and type (size by count); a marker links
    to the first of its events in the list below."""
    x0, y0, w, h = view_box()
    parts = [Markup('<svg class="map" viewBox="{:.0f} {:.0f} {:.0f} {:.0f}" role="img" aria-label="خريطة الأحداث">').format(
        x0, y0, w, h), Markup('<rect class="sea" x="{:.0f}" y="{:.0f}" width="{:.0f}" height="{:.0f}"></rect>').format(
        x0, y0, w, h)]
    for name, d in load_country_paths():
        parts.append(Markup('<path class="land" d="{}"><title>{}</title></path>').format(d, name))
    spots: dict[tuple[float, float, str], list[dict]] = defaultdict(list)
    for ev in events:
        p = ev.get("place") or {}
        if p.get("lat") is not None and p.get("lon") is not None:
            spots[(round(float(p["lat"]), 2), round(float(p["lon"]), 2), ev["type"])].append(ev)
    top = max((len(v) for v in spots.values()), default=1)
    for (lat, lon, typ), evs in sorted(spots.items(), key=lambda kv: -len(kv[1])):
        x, y = project(lon, lat)
        r = 3 + 8 * math.sqrt(len(evs) / top)
        place = (evs[0].get("place") or {})
        label = f"{TYPE_NAMES_AR.get(typ, typ)} ({typ}) — {place.get('name') or place.get('text') or ''}: {len(evs)}"
        parts.append(Markup('<a href="#ev-{}"><circle class="ev-dot ev-{}" cx="{:.1f}" cy="{:.1f}" r="{:.1f}">'
                            '<title>{}</title></circle></a>').format(evs[0]["id"], typ, x, y, r, label))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def render_timeline(events: list[dict[str, Any]]) -> Markup:
    """Events per day, stacked by type (SVG); each bar's title lists the counts."""
    days: dict[str, Counter] = defaultdict(Counter)
    for ev in events:
        if ev.get("when"):
            days[ev["when"][:10]][ev["type"]] += 1
    if not days:
        return Markup("")
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    n = min((last - first).days + 1, 400)
    first = last - timedelta(days=n - 1)
    width, height, bar = 960, 140, max(2.0, 960 / n)
    top = max(sum(c.values()) for c in days.values())
    parts = [Markup('<svg class="timeline" viewBox="0 0 {} {}" role="img" aria-label="الأحداث عبر الزمن">').format(
        width, height + 20)]
    for i in range(n):
        day = (first + timedelta(days=i)).isoformat()
        counts = days.get(day)
        if not counts:
            continue
        x = width - (i + 1) * bar  # right to left, like the page
        y = float(height)
        for typ, c in sorted(counts.items()):
            hgt = height * c / top
            y -= hgt
            parts.append(Markup('<rect class="ev-bar ev-{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}">'
                                '<title>{} — {} ({}): {}</title></rect>').format(
                typ, x, y, bar * 0.9, hgt, day, TYPE_NAMES_AR.get(typ, typ), typ, c))
    parts.append(Markup('<text x="{}" y="{}" class="axis">{}</text><text x="0" y="{}" class="axis">{}</text>').format(
        width - 2, height + 15, first.isoformat(), height + 15, last.isoformat()))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, type: Annotated[str, Query(max_length=200)] = "",
                country: Annotated[str, Query(max_length=2)] = "",
                actor: Annotated[str, Query(max_length=200)] = "",
                since: Annotated[str, Query(max_length=10)] = "",
                until: Annotated[str, Query(max_length=10)] = "") -> HTMLResponse:
    monitor = get_context(request).monitor
    try:
        events = monitor.events(limit=PAGE_LIMIT, type=type or None, country=country or None,
                                actor=actor or None, since=since or None, until=until or None)
    except ValueError as exc:
        raise ApiError(400, f"invalid filter: {exc}", code="filter_invalid") from None
    for ev in events:
        ev["sentence_html"] = highlight_sentence(ev)
    counts = Counter(ev["type"] for ev in events)
    return page(request, "events.html", nav="events", events=events, counts=counts,
                type_names=TYPE_NAMES_AR, arg_label=arg_label, map=render_event_map(events),
                timeline=render_timeline(events),
                filters={"type": type, "country": country, "actor": actor, "since": since, "until": until})


@router.get("/events/group/{group_id}", response_class=HTMLResponse)
def event_group_page(request: Request, group_id: int) -> HTMLResponse:
    monitor = get_context(request).monitor
    group = monitor.event_group(group_id) if 0 < group_id < 2**62 else None
    if group is None:
        raise ApiError(404, "لا توجد مجموعة أحداث بهذا المعرّف.")
    return page(request, "event_group.html", nav="events", group=group, type_names=TYPE_NAMES_AR)
