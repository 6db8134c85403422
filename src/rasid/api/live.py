"""Stories, watches and alerts endpoints, including the live alert stream (server-sent
events). They call `rasid.stories` and `rasid.alerts` through `features`, so a missing
module gives 503 with a message instead of breaking the app."""
from __future__ import annotations

import asyncio
import json
import time
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from . import features
from .app import ApiError, get_context
from .auth import require_read, require_write
from .models import WatchIn

router = APIRouter()
read = [Depends(require_read)]
write = [Depends(require_write)]

POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0
STREAM_BATCH = 100


def call_feature(name: str, /, *args: Any, **kwargs: Any) -> Any:
    try:
        return features.to_plain(features.call(name, *args, **kwargs))
    except features.FeatureMissing as exc:
        raise ApiError(503, str(exc)) from None
    except (ValueError, KeyError, LookupError) as exc:  # the core's way of saying "bad input"
        raise ApiError(400, str(exc).strip("'\"") or "invalid request") from None


# -- stories ----------------------------------------------------------------------------------
@router.get("/stories", tags=["stories"], dependencies=read, summary="Stories, most recent first")
def list_stories(request: Request, limit: Annotated[int, Query(ge=1, le=200)] = 20,
                 offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> dict[str, Any]:
    store = get_context(request).monitor.store
    rows = call_feature("list_stories", store, limit=limit, offset=offset)
    return {"stories": rows, "limit": limit, "offset": offset}


@router.get("/stories/{story_id}", tags=["stories"], dependencies=read,
            summary="One story: timeline, summary, articles, places")
def get_story(request: Request, story_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    story = call_feature("get_story", get_context(request).monitor.store, coerce_id(story_id))
    if not story:
        raise ApiError(404, f"no story with id {story_id!r}")
    return story


@router.get("/articles/{article_id}/story", tags=["stories"], dependencies=read,
            summary="The story an article belongs to")
def article_story(request: Request, article_id: str) -> dict[str, Any]:
    story = call_feature("story_of_article", get_context(request).monitor.store, article_id[:64])
    if not story:
        raise ApiError(404, f"article {article_id[:64]!r} belongs to no story")
    return story


def coerce_id(value: str) -> int | str:
    return int(value) if value.isdigit() and len(value) < 18 else value


# -- watches ----------------------------------------------------------------------------------
@router.get("/watches", tags=["watches"], dependencies=read, summary="All watches")
def list_watches(request: Request) -> dict[str, Any]:
    return {"watches": call_feature("list_watches", get_context(request).monitor.store)}


@router.post("/watches", tags=["watches"], dependencies=write, status_code=201,
             summary="Add a watch (a query and/or an entity name)")
def add_watch(request: Request, payload: WatchIn) -> JSONResponse:
    if not any((v or "").strip() for v in (payload.query, payload.entity, payload.place, payload.event)):
        raise ApiError(422, "a watch needs at least one of: query, entity, place, event")
    ctx = get_context(request)
    data = {k: v.strip() for k, v in payload.model_dump().items() if v and v.strip()}
    with ctx.write_lock:
        watch = call_feature("add_watch", ctx.monitor.store, **data)
    return JSONResponse(watch if isinstance(watch, dict) else {"id": watch}, status_code=201)


@router.get("/watches/{watch_id}", tags=["watches"], dependencies=read, summary="One watch")
def get_watch(request: Request, watch_id: Annotated[int, Path(ge=1, le=2**62)]) -> dict[str, Any]:
    watch = call_feature("get_watch", get_context(request).monitor.store, watch_id)
    if not watch:
        raise ApiError(404, f"no watch with id {watch_id}")
    return watch


@router.delete("/watches/{watch_id}", tags=["watches"], dependencies=write, status_code=200,
               summary="Remove a watch")
def delete_watch(request: Request, watch_id: Annotated[int, Path(ge=1, le=2**62)]) -> dict[str, Any]:
    ctx = get_context(request)
    with ctx.write_lock:
        removed = call_feature("delete_watch", ctx.monitor.store, watch_id)
    if removed is False or removed == 0:
        raise ApiError(404, f"no watch with id {watch_id}")
    return {"deleted": watch_id}


# -- alerts -----------------------------------------------------------------------------------
def fetch_alerts(store: Any, since_id: int) -> list[dict[str, Any]]:
    rows = call_feature("alerts_since", store, since_id, limit=STREAM_BATCH)
    return [r for r in (rows or []) if isinstance(r, dict)]


def latest_id(store: Any) -> int:
    if features.has_feature("latest_alert_id"):
        return int(call_feature("latest_alert_id", store) or 0)
    rows = fetch_alerts(store, 0)
    return max((int(r.get("id") or 0) for r in rows), default=0)


@router.get("/alerts", tags=["alerts"], dependencies=read,
            summary="Alerts with an id greater than since_id (poll with the last id you saw)")
def list_alerts(request: Request, since_id: Annotated[int, Query(ge=0, le=2**62)] = 0,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    store = get_context(request).monitor.store
    if since_id == 0 and features.has_feature("list_alerts"):
        rows = call_feature("list_alerts", store, limit=limit)  # the latest, oldest first
    else:
        rows = call_feature("alerts_since", store, since_id, limit=limit)
    rows = [r for r in rows or [] if isinstance(r, dict)]
    last = max((int(r.get("id") or 0) for r in rows), default=since_id)
    if features.has_feature("latest_alert_id"):
        last = max(last, int(call_feature("latest_alert_id", store)))
    return {"alerts": rows, "last_id": last}


@router.get("/alerts/stream", tags=["alerts"], dependencies=read,
            summary="New alerts as server-sent events (event: alert, data: JSON)",
            response_class=StreamingResponse)
async def stream_alerts(request: Request,
                        since_id: Annotated[int | None, Query(ge=0, le=2**62)] = None) -> StreamingResponse:
    store = get_context(request).monitor.store
    if not features.has_feature("alerts_since"):
        raise ApiError(503, "watches and alerts are not available in this installation of rasid")
    header_id = request.headers.get("last-event-id", "")
    if header_id.isdigit() and len(header_id) < 18:
        since_id = int(header_id)
    if since_id is None:  # start from now
        since_id = int(await anyio.to_thread.run_sync(latest_id, store))
    return StreamingResponse(alert_events(request, store, since_id), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def alert_events(request: Request, store: Any, last_id: int):
    yield f"retry: 2000\nevent: ready\ndata: {json.dumps({'last_id': last_id})}\n\n"
    last_beat = time.monotonic()
    while True:
        if await request.is_disconnected():
            return
        try:
            rows = await anyio.to_thread.run_sync(fetch_alerts, store, last_id)
        except Exception:  # the archive is closing or busy: try again on the next tick
            rows = []
        for row in rows[:STREAM_BATCH]:
            last_id = max(last_id, int(row.get("id") or 0))
            data = json.dumps(row, ensure_ascii=False, default=str)
            yield f"id: {last_id}\nevent: alert\ndata: {data}\n\n"
        if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
            last_beat = time.monotonic()
            yield ": heartbeat\n\n"
        await asyncio.sleep(POLL_SECONDS)
