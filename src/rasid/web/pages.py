"""The web UI: server-rendered Arabic, right-to-left pages over the same core as the API.

Pages: ``/`` search with facets, ``/article/{id}``, ``/entity?name=&id=``, ``/stories``,
``/story/{id}``, ``/places`` (map), ``/watches`` and ``/alerts`` (live). Jinja autoescaping
is on; article text reaches templates only through `rasid.web.render`, which escapes it.
Every page is sent with a Content-Security-Policy that allows scripts from this server
only, so even an escaping mistake could not run an inline script.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from ..arabic.datefmt import format_date
from ..arabic.plural import count_noun
from ..server.app import ApiError, get_context
from ..server.auth import can_read
from ..server.messages import arabic_message
from ..search.query import QueryError, convert_date_bound
from . import render
from .geo import render_map

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin"}
PAGE_SIZE = 20

templates = Jinja2Templates(directory=str(Path(str(resources.files("rasid.web") / "templates"))))
templates.env.globals.update(type_names=render.TYPE_NAMES, entity_href=render.entity_href,
                             safe_type=render.safe_type)
templates.env.filters.update(count=count_noun, arabic_date=format_date)


def require_page_read(request: Request) -> None:
    if not can_read(request):
        raise ApiError(401, "the archive is closed for reading", code="read_closed")


router = APIRouter(include_in_schema=False, dependencies=[Depends(require_page_read)])


def page(request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None,
         **context: Any) -> HTMLResponse:
    context.setdefault("nav", template.removesuffix(".html").replace("search", "search"))
    response = templates.TemplateResponse(request, template, context, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    if headers:
        response.headers.update(headers)
    return response


def render_error(request: Request, status: int, message: str,
                 headers: dict[str, str] | None = None) -> Response:
    return page(request, "error.html", status=status, headers=headers, status_code=status,
                message=message, nav="error")


def url_with(request: Request, **changes: Any) -> str:
    """The current URL's query with `changes` applied (None removes a key; offset resets)."""
    params = {k: v for k, v in request.query_params.items()}
    params.pop("offset", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "/?" + urlencode(params)


templates.env.globals["url_with"] = url_with


# -- search -----------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str, Query(max_length=1000)] = "",
                since: Annotated[str, Query(max_length=40)] = "",
                until: Annotated[str, Query(max_length=40)] = "",
                source: Annotated[str, Query(max_length=200)] = "",
                type: Annotated[str, Query(max_length=8)] = "",
                entity: Annotated[str, Query(max_length=20)] = "",
                place: Annotated[str, Query(max_length=100)] = "",
                offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> HTMLResponse:
    monitor = get_context(request).monitor
    context: dict[str, Any] = {"q": q, "since": since, "until": until, "source": source,
                               "type": type, "entity": entity, "place": place, "offset": offset,
                               "sources": monitor.list_sources()}
    if not q.strip():
        context["recent"] = monitor.list_articles(limit=10)["articles"]
        context["top_entities"] = monitor.top_entities(limit=15)
        context["stats"] = monitor.stats()
        return page(request, "search.html", **context)
    error = None
    result: dict[str, Any] = {"hits": [], "total": 0, "total_capped": False, "facets": None}
    try:
        convert_date_bound(since or None)
        convert_date_bound(until or None, upper=True)
        entity_id = int(entity) if entity.isdigit() else None
        if entity and entity_id is None:
            raise QueryError("entity must be an entity id", "entity_id_invalid")
        result = monitor.search_with_facets(q, since=since or None, until=until or None,
                                            source=source or None,
                                            entity_type=type if type in render.TYPE_NAMES else None,
                                            entity=entity_id, place=place or None,
                                            limit=PAGE_SIZE, offset=offset)
        context["trend"] = monitor.search_trend(q, since=since or None, until=until or None,
                                                source=source or None)
    except QueryError as exc:
        error = arabic_message(exc.code, exc.params)
    texts = monitor.get_texts([h.id for h in result["hits"]])
    hits = [{"hit": h,
             "title": render.mark_ranges(h.title or "", [tuple(m) for m in h.title_matches]),
             "snippet": render.render_snippet(texts.get(h.id), h.matches, h.snippet, h.title)}
            for h in result["hits"]]
    facet_names = entity_labels(result.get("facets"))
    context.update(expansions=getattr(result["hits"], "expansions", []),
                   relaxed=getattr(result["hits"], "relaxed", False),
                   phrases_relaxed=getattr(result["hits"], "phrases_relaxed", False),
                   dropped=getattr(result["hits"], "dropped", []),
                   hits=hits, total=result["total"], total_capped=result["total_capped"],
                   facets=result["facets"], error=error, facet_names=facet_names,
                   page_size=PAGE_SIZE)
    return page(request, "search.html", status=400 if error else 200, **context)


def entity_labels(facets: dict | None) -> dict[str, str]:
    if not facets:
        return {}
    out = {str(f["value"]): f["label"] for f in facets.get("entity", [])}
    out.update({str(f["value"]): f["label"] for f in facets.get("place", [])})
    return out


# -- article ----------------------------------------------------------------------------------
@router.get("/article/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    monitor = get_context(request).monitor
    doc = monitor.get_document(article_id[:64])
    if doc is None:
        raise ApiError(404, "لا توجد مقالة بهذا المعرّف.")
    summary = sorted(doc.layers.get("summary", []), key=lambda s: s.attrs.get("rank", 0))
    entities: dict[tuple, dict[str, Any]] = {}
    for s in doc.layers.get("entities", []):
        key = (s.attrs.get("entity_id") or s.attrs.get("canonical") or doc.text[s.start:s.end], s.label)
        item = entities.setdefault(key, {"canonical": s.attrs.get("canonical") or doc.text[s.start:s.end],
                                         "type": s.label, "id": s.attrs.get("entity_id"),
                                         "count": 0, "role": s.attrs.get("role")})
        item["count"] += 1
    dates = [{"text": doc.text[s.start:s.end], "value": s.attrs.get("value"),
              "note": render.describe_date(s.attrs)} for s in doc.layers.get("dates", [])]
    places = {}
    for s in doc.layers.get("places", []):
        if s.attrs.get("relation") or s.attrs.get("lat") is None:
            continue
        p = places.setdefault(s.attrs.get("gazetteer_id") or s.attrs.get("name"), {
            "name": s.attrs.get("name"), "name_en": s.attrs.get("name_en"),
            "country": s.attrs.get("country"), "lat": s.attrs.get("lat"), "lon": s.attrs.get("lon"),
            "id": s.attrs.get("gazetteer_id"), "alternatives": s.attrs.get("alternatives") or [],
            "near": s.attrs.get("near") if s.attrs.get("approximate") else None, "mentions": 0})
        p["mentions"] += 1
    story = None
    try:
        story = monitor.story_of_article(doc.id)
    except Exception:  # a stories bug must not hide the article
        story = None
    similar = monitor.similar_articles(doc.id, limit=8) or {"terms": [], "similar": []}
    heading, body = render.render_article(doc)
    return page(request, "article.html", doc=doc, heading=heading, body=body,
                similar=similar,
                summary=[doc.text[s.start:s.end] for s in summary],
                entities=sorted(entities.values(), key=lambda e: (-e["count"], e["canonical"])),
                dates=dates, places=list(places.values()),
                map=render_map(list(places.values())) if places else None, story=story)


# -- entity -----------------------------------------------------------------------------------
@router.get("/entity", response_class=HTMLResponse)
def entity_page(request: Request, name: Annotated[str, Query(max_length=200)] = "",
                id: Annotated[str, Query(max_length=20)] = "") -> HTMLResponse:
    monitor = get_context(request).monitor
    profiles = []
    if id.isdigit():
        profile = monitor.entity_profile(int(id), limit=20)
        if profile:
            profiles = [profile]
    if not profiles and name.strip():
        profiles = monitor.entity_profiles(name, limit=20)  # with spellings, reasons, roles
    if not profiles and name.strip():
        return page(request, "entity.html", status=404, name=name, profiles=[],
                    suggestions=monitor.entity_suggestions(name))
    if not profiles:
        raise ApiError(404, "لا يوجد كيان بهذا الرقم في الأرشيف." if id else "اكتب اسمًا للبحث عنه.")
    for p in profiles:
        p["chart"] = render.render_bars(p.get("timeline") or [])
        p["events"] = monitor.events(limit=20, entity_id=p["id"])
    return page(request, "entity.html", name=name, profiles=profiles)


# -- stories ----------------------------------------------------------------------------------
@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> HTMLResponse:
    stories = get_context(request).monitor.list_stories(limit=PAGE_SIZE, offset=offset)
    return page(request, "stories.html", stories=stories or [], offset=offset, page_size=PAGE_SIZE)


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    story = get_context(request).monitor.get_story(story_id[:64])
    if not story:
        raise ApiError(404, "لا توجد قصة بهذا المعرّف.")
    places = story.get("places") or []
    timeline = story.get("timeline") or []
    story["events"] = get_context(request).monitor.events(
        limit=50, article_ids=[a["id"] for a in story.get("articles") or []])
    return page(request, "story.html", story=story,
                chart=render.render_bars(timeline, key=_first_key(timeline, ("date", "day")),
                                         value=_first_key(timeline, ("articles", "count", "n"))),
                map=render_map(places) if places else None)


def _first_key(rows: list[dict], keys: tuple[str, ...]) -> str:
    for key in keys:
        if rows and key in rows[0]:
            return key
    return keys[0]


# -- places, watches, alerts -----------------------------------------------------------------
@router.get("/places", response_class=HTMLResponse)
def places_page(request: Request, country: Annotated[str, Query(max_length=2)] = "") -> HTMLResponse:
    monitor = get_context(request).monitor
    rows = monitor.top_places(country=country or None, limit=300)
    return page(request, "places.html", places=rows, map=render_map(rows), country=country)


@router.get("/place", response_class=HTMLResponse)
def place_page(request: Request, name: Annotated[str, Query(max_length=200)] = "",
               id: Annotated[str, Query(max_length=40)] = "") -> HTMLResponse:
    monitor = get_context(request).monitor
    profiles = monitor.place_profiles(id or name, limit=20) if (id or name).strip() else []
    if not profiles:
        raise ApiError(404, "لا يوجد مكان بهذا الاسم في الأرشيف.")
    from .events_pages import TYPE_NAMES_AR, render_timeline  # (events_pages imports this module)

    for p in profiles:
        p["chart"] = render.render_bars(p["timeline"], key="date", value="articles")
        dated = [{**e, "when": e.get("when") or (e.get("published") or "")[:10]} for e in p["events"]]
        p["event_chart"] = render_timeline(dated)
        here = {**p["place"], "mentions": p["place"]["articles"]}
        p["map"] = render_map([here] + [{**n, "mentions": n["articles"]} for n in p["neighbours"]])
    return page(request, "place.html", profiles=profiles, type_names=TYPE_NAMES_AR)


@router.get("/watches", response_class=HTMLResponse)
def watches_page(request: Request) -> HTMLResponse:
    from .events_pages import TYPE_NAMES_AR

    return page(request, "watches.html", event_types=TYPE_NAMES_AR)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request) -> HTMLResponse:
    return page(request, "alerts.html")
