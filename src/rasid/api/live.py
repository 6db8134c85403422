"""Stories, watches and alerts endpoints, including the live alert stream (server-sent
events), over `Monitor`'s methods."""
from __future__ import annotations

import asyncio
import json
import time
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from ..monitor import Monitor
from ..server.app import ApiError, get_context
from ..server.auth import require_read, require_write
from .models import WatchIn

router = APIRouter()
read = [Depends(require_read)]
write = [Depends(require_write)]

POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0
STREAM_BATCH = 100


# -- stories ----------------------------------------------------------------------------------
@router.get("/stories", tags=["stories"], dependencies=read, summary="Stories, most recent first")
def list_stories(request: Request, limit: Annotated[int, Query(ge=1, le=200)] = 20,
                 offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> dict[str, Any]:
    rows = get_context(request).monitor.list_stories(limit=limit, offset=offset)
    return {"stories": rows, "limit": limit, "offset": offset}


@router.get("/stories/{story_id}", tags=["stories"], dependencies=read,
            summary="One story: timeline, summary, articles, places")
def get_story(request: Request, story_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    story = get_context(request).monitor.get_story(story_id)
    if not story:
        raise ApiError(404, f"no story with id {story_id!r}")
    return story


@router.get("/articles/{article_id}/story", tags=["stories"], dependencies=read,
            summary="The story an article belongs to")
def article_story(request: Request, article_id: str) -> dict[str, Any]:
    story = get_context(request).monitor.story_of_article(article_id[:64])
    if not story:
        raise ApiError(404, f"article {article_id[:64]!r} belongs to no story")
    return story


# -- watches ----------------------------------------------------------------------------------
@router.get("/watches", tags=["watches"], dependencies=read, summary="All watches")
def list_watches(request: Request) -> dict[str, Any]:
    return {"watches": [w.to_dict() for w in get_context(request).monitor.list_watches()]}


@router.post("/watches", tags=["watches"], dependencies=write, status_code=201,
             summary="Add a watch (a query and/or an entity name)")
def add_watch(request: Request, payload: WatchIn) -> JSONResponse:
    if not any((v or "").strip() for v in (payload.query, payload.entity, payload.place, payload.event)):
        raise ApiError(422, "a watch needs at least one of: query, entity, place, event",
                       code="watch_empty")
    ctx = get_context(request)
    data = {k: v.strip() for k, v in payload.model_dump().items() if v and v.strip()}
    try:
        with ctx.write_lock:
            watch = ctx.monitor.add_watch(**data)
    except ValueError as exc:  # WatchError, or another value the core refuses
        raise ApiError.from_error(400, exc) from None
    return JSONResponse(watch.to_dict(), status_code=201)


@router.get("/watches/{watch_id}", tags=["watches"], dependencies=read, summary="One watch")
def get_watch(request: Request, watch_id: Annotated[int, Path(ge=1, le=2**62)]) -> dict[str, Any]:
    watch = get_context(request).monitor.get_watch(watch_id)
    if not watch:
        raise ApiError(404, f"no watch with id {watch_id}", code="watch_not_found")
    return watch.to_dict()


@router.delete("/watches/{watch_id}", tags=["watches"], dependencies=write, status_code=200,
               summary="Remove a watch")
def delete_watch(request: Request, watch_id: Annotated[int, Path(ge=1, le=2**62)]) -> dict[str, Any]:
    ctx = get_context(request)
    with ctx.write_lock:
        removed = ctx.monitor.remove_watch(watch_id)
    if not removed:
        raise ApiError(404, f"no watch with id {watch_id}", code="watch_not_found")
    return {"deleted": watch_id}


# -- alerts -----------------------------------------------------------------------------------
@router.get("/alerts", tags=["alerts"], dependencies=read,
            summary="Alerts with an id greater than since_id (poll with the last id you saw)")
def list_alerts(request: Request, since_id: Annotated[int, Query(ge=0, le=2**62)] = 0,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    monitor = get_context(request).monitor
    if since_id == 0:
        rows = monitor.list_alerts(limit=limit)  # the latest, oldest first
    else:
        rows = monitor.alerts_since(since_id, limit=limit)
    last = max((int(r.get("id") or 0) for r in rows), default=since_id)
    last = max(last, monitor.latest_alert_id())
    return {"alerts": rows, "last_id": last}


@router.get("/alerts/stream", tags=["alerts"], dependencies=read,
            summary="New alerts as server-sent events (event: alert, data: JSON)",
            response_class=StreamingResponse)
async def stream_alerts(request: Request,
                        since_id: Annotated[int | None, Query(ge=0, le=2**62)] = None) -> StreamingResponse:
    monitor = get_context(request).monitor
    header_id = request.headers.get("last-event-id", "")
    if header_id.isdigit() and len(header_id) < 18:
        since_id = int(header_id)
    if since_id is None:  # start from now
        since_id = int(await anyio.to_thread.run_sync(monitor.latest_alert_id))
    return StreamingResponse(alert_events(request, monitor, since_id), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def alert_events(request: Request, monitor: Monitor, last_id: int):
    yield f"retry: 2000\nevent: ready\ndata: {json.dumps({'last_id': last_id})}\n\n"
    last_beat = time.monotonic()
    while True:
        if await request.is_disconnected():
            return
        try:
            rows = await anyio.to_thread.run_sync(monitor.alerts_since, last_id, STREAM_BATCH)
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
