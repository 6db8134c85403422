"""REST endpoints over the archive: articles, search, entities, places, ingestion.

Endpoints are plain ``def`` functions, so FastAPI runs them in its thread pool; the SQLite
store serialises access to its connection with a lock, and ingestion takes the app's write
lock (one pipeline run at a time).
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse

from ..search.query import QueryError, convert_date_bound
from ..server.app import ApiError, get_context
from ..server.auth import require_read, require_write
from .models import MAX_ARTICLES_PER_REQUEST, ArticleIn, EntityMergeIn, EntitySplitIn, FeedIn

router = APIRouter()
read = [Depends(require_read)]
write = [Depends(require_write)]

MAX_PAGE = 200
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="results per page")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="results to skip")]
DateParam = Annotated[str | None, Query(max_length=40, description="ISO date YYYY-MM-DD (inclusive)")]
Text = Annotated[str | None, Query(max_length=200)]
EntityType = Literal["PER", "ORG", "LOC", "MISC"]


def date_bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Normalised (since, until-exclusive) bounds; 400 for a date that is not ISO."""
    try:
        return convert_date_bound(since), convert_date_bound(until, upper=True)
    except QueryError as exc:
        raise ApiError.from_error(400, exc) from None


def plain_date(value: str | None, name: str) -> str | None:
    if not value:
        return None
    from .models import check_iso_date

    try:
        return check_iso_date(value)
    except ValueError as exc:
        raise ApiError(400, f"{name}: {exc}") from None


@router.get("/health", tags=["archive"], summary="Liveness check")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/stats", tags=["archive"], dependencies=read, summary="Archive statistics")
def stats(request: Request) -> dict[str, Any]:
    out = get_context(request).monitor.stats()
    out.pop("path", None)  # where the archive lives is nobody's business
    return out


@router.post("/session", tags=["archive"], dependencies=write,
             summary="Sign the web UI in: check the token, set the read cookie")
def create_session(request: Request) -> JSONResponse:
    """Sets ``rasid_session`` (HttpOnly, SameSite=Strict): a credential derived from the
    token that lets the browser read a closed archive; it never authorises a write."""
    from ..server.auth import COOKIE_NAME

    response = JSONResponse({"signed_in": True})
    response.set_cookie(COOKIE_NAME, get_context(request).settings.read_credential or "",
                        httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")
    return response


# -- articles ---------------------------------------------------------------------------------
@router.get("/articles", tags=["articles"], dependencies=read, summary="List articles, newest first")
def list_articles(request: Request, limit: Limit = 20, offset: Offset = 0, source: Text = None,
                  since: DateParam = None, until: DateParam = None) -> dict[str, Any]:
    lo, hi = date_bounds(since, until)
    out = get_context(request).monitor.list_articles(limit, offset, source, lo, hi)
    out.update({"limit": limit, "offset": offset})
    return out


@router.get("/articles/{article_id}", tags=["articles"], dependencies=read,
            summary="One article with its layers (entities, dates, places, summary)")
def get_article(request: Request, article_id: str,
                sentences: Annotated[bool, Query(description="include the sentence layer")] = False
                ) -> dict[str, Any]:
    if len(article_id) > 64:
        raise ApiError(404, "no article with that id")
    doc = get_context(request).monitor.get_document(article_id)
    if doc is None:
        raise ApiError(404, f"no article with id {article_id!r}")
    out = doc.to_dict()
    if not sentences:
        out["layers"].pop("sentences", None)
    return out


@router.post("/articles", tags=["ingestion"], dependencies=write, status_code=201,
             summary="Analyse and store one article or a list of them",
             responses={200: {"description": "nothing new was stored: duplicates, or fuller "
                                              "versions that replaced stored articles (updated)"},
                        401: {"description": "no token"}, 403: {"description": "wrong token"}})
def post_articles(request: Request,
                  payload: Annotated[ArticleIn | list[ArticleIn], Body()]) -> JSONResponse:
    from ..doc import Document

    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise ApiError(400, "the list of articles is empty")
    if len(items) > MAX_ARTICLES_PER_REQUEST:
        raise ApiError(413, f"at most {MAX_ARTICLES_PER_REQUEST} articles per request")
    docs = []
    for i, item in enumerate(items):
        data = item.model_dump()
        data["origin"] = f"api:{i}"
        docs.append(Document.from_dict(data))
    ctx = get_context(request)
    with ctx.write_lock:
        summary = ctx.monitor.ingest_documents(docs)
    out = summary.to_dict()
    out["ids"] = [d.id for d in docs]
    return JSONResponse(out, status_code=201 if summary.stored else 200)


@router.post("/feeds", tags=["ingestion"], dependencies=write,
             summary="Fetch a feed (or an article page) now and store its new articles",
             responses={502: {"description": "the feed could not be fetched or read"}})
def post_feed(request: Request, payload: FeedIn) -> dict[str, Any]:
    ctx = get_context(request)
    with ctx.write_lock:
        summary = ctx.monitor.ingest([payload.url])
    if summary.unreachable and not summary.read:
        raise ApiError(502, f"could not read {payload.url}: {summary.unreachable[0].reason}")
    if summary.read and summary.read == len(summary.rejected) and not summary.stored:
        reason = summary.rejected[0].reason
        raise ApiError(502, f"could not read {payload.url}: {reason}")
    return summary.to_dict()


# -- search -----------------------------------------------------------------------------------
@router.get("/search", tags=["search"], dependencies=read,
            summary="Search articles (words, \"phrases\", -excluded); with facets on request")
def search(request: Request,
           q: Annotated[str, Query(min_length=1, max_length=1000, description="the query")],
           since: DateParam = None, until: DateParam = None, source: Text = None,
           limit: Limit = 10, offset: Offset = 0,
           entity_type: Annotated[EntityType | None, Query(description="only hits mentioning this type")] = None,
           entity: Annotated[int | None, Query(ge=1, description="only hits mentioning this entity id")] = None,
           place: Annotated[str | None, Query(max_length=100, description="only hits naming this place (gazetteer id)")] = None,
           facets: Annotated[bool, Query(description="add facet counts")] = False,
           trend: Annotated[bool, Query(description="add matching articles per day/hour")] = False,
           ) -> dict[str, Any]:
    date_bounds(since, until)  # a clear 400 before anything runs
    monitor = get_context(request).monitor
    try:
        result = monitor.search_with_facets(
            q, since=since, until=until, source=source, entity_type=entity_type, entity=entity,
            place=place, limit=limit, offset=offset, with_facets=facets)
        series = monitor.search_trend(q, since=since, until=until, source=source) if trend else None
    except QueryError as exc:
        raise ApiError.from_error(400, exc, "bad query: ") from None
    out: dict[str, Any] = {"query": q, "limit": limit, "offset": offset,
                           "expansions": getattr(result["hits"], "expansions", []),
                           "relaxed": getattr(result["hits"], "relaxed", False),
                           "dropped": getattr(result["hits"], "dropped", []),
                           "hits": [h.to_dict() for h in result["hits"]]}
    if series is not None:
        out["trend"] = series
    if result["total"] is not None:
        out["total"] = result["total"]
        out["total_capped"] = result["total_capped"]
    if facets:
        out["facets"] = result["facets"]
    return out


@router.get("/search/trend", tags=["search"], dependencies=read,
            summary="Matching articles per day (per hour over a short range), surges marked")
def search_trend(request: Request,
                 q: Annotated[str, Query(min_length=1, max_length=1000, description="the query")],
                 since: DateParam = None, until: DateParam = None, source: Text = None,
                 unit: Annotated[Literal["day", "hour"] | None, Query(description="default: by range")] = None,
                 ) -> dict[str, Any]:
    date_bounds(since, until)
    try:
        out = get_context(request).monitor.search_trend(q, unit=unit, since=since, until=until,
                                                        source=source)
    except QueryError as exc:
        raise ApiError.from_error(400, exc, "bad query: ") from None
    return {"query": q, **out}


@router.get("/articles/{article_id}/similar", tags=["search"], dependencies=read,
            summary="More like this: the most similar articles, near-duplicates marked")
def similar_articles(request: Request, article_id: str, limit: Limit = 10) -> dict[str, Any]:
    result = get_context(request).monitor.similar_articles(article_id, limit=limit)
    if result is None:
        raise ApiError(404, f"no article with id {article_id!r}")
    return result


# -- entities and places ----------------------------------------------------------------------
@router.get("/entities", tags=["entities"], dependencies=read, summary="Top entities by articles (then mentions)")
def top_entities(request: Request, type: EntityType | None = None, since: DateParam = None,
                 until: DateParam = None, limit: Limit = 20) -> dict[str, Any]:
    rows = get_context(request).monitor.top_entities(
        type=type, since=plain_date(since, "since"), until=plain_date(until, "until"), limit=limit)
    return {"entities": rows}


@router.get("/entities/lookup", tags=["entities"], dependencies=read,
            summary="Profiles of the entities a name (any spelling, Arabic or Latin) refers to")
def lookup_entity(request: Request,
                  name: Annotated[str, Query(min_length=1, max_length=200)],
                  type: EntityType | None = None, limit: Limit = 10) -> dict[str, Any]:
    monitor = get_context(request).monitor
    profiles = monitor.entity_profiles(name, type=type, limit=limit)
    if not profiles:
        raise ApiError(404, f"no entity named {name!r} in the archive",
                       extra={"suggestions": monitor.entity_suggestions(name, type=type)})
    return {"name": name, "entities": profiles}  # each with its spellings (and why) and roles


def correct_entities(request: Request, action: Any) -> dict[str, Any]:
    """Run a merge or split under the write lock: 404 for an unknown entity, 400 otherwise."""
    ctx = get_context(request)
    try:
        with ctx.write_lock:
            return action(ctx.monitor)
    except ValueError as exc:
        message = str(exc).strip("'\"")
        raise ApiError(404 if message.startswith("no entity") else 400, message) from None


@router.post("/entities/merge", tags=["entities"], dependencies=write,
             summary="Merge two entities (the decision holds for articles analysed later)")
def merge_entities(request: Request, payload: EntityMergeIn) -> dict[str, Any]:
    return correct_entities(request, lambda m: m.merge_entities(payload.keep.strip(), payload.drop.strip()))


@router.post("/entities/{entity_id}/split", tags=["entities"], dependencies=write,
             summary="Split a name off an entity into an entity of its own (the decision holds)")
def split_entity(request: Request, entity_id: int, payload: EntitySplitIn) -> dict[str, Any]:
    if not 1 <= entity_id <= 2**62:
        raise ApiError(404, f"no entity with id {entity_id}")
    return correct_entities(request, lambda m: m.split_entity(entity_id, payload.alias.strip()))


@router.get("/entities/{entity_id}", tags=["entities"], dependencies=read,
            summary="One entity: spellings, mentions over time, co-mentioned entities, places")
def get_entity(request: Request, entity_id: int, limit: Limit = 20) -> dict[str, Any]:
    if not 1 <= entity_id <= 2**62:
        raise ApiError(404, f"no entity with id {entity_id}")
    profile = get_context(request).monitor.entity_profile(entity_id, limit)
    if profile is None:
        raise ApiError(404, f"no entity with id {entity_id}")
    return profile


@router.get("/places", tags=["places"], dependencies=read,
            summary="Resolved places with coordinates and mention counts")
def places(request: Request,
           country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO 3166 alpha-2")] = None,
           since: DateParam = None, until: DateParam = None,
           limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    rows = get_context(request).monitor.top_places(
        country=country, since=plain_date(since, "since"), until=plain_date(until, "until"), limit=limit)
    return {"places": rows}


@router.get("/places/lookup", tags=["places"], dependencies=read,
            summary="The place page: articles over time, entities, nearby and co-mentioned places, "
                    "other places of the same name")
def lookup_place(request: Request,
                 name: Annotated[str, Query(min_length=1, max_length=200,
                                            description="Arabic or English name, or a gazetteer id")],
                 limit: Limit = 20) -> dict[str, Any]:
    profiles = get_context(request).monitor.place_profiles(name, limit=limit)
    if not profiles:
        raise ApiError(404, f"no place named {name!r} in the archive")
    return {"name": name, "places": profiles}
