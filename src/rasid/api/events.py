"""REST endpoints for events: list with filters, one happening across articles, exports.

Thin: every endpoint calls one `Monitor` method.
"""
from __future__ import annotations

from typing import Annotated, Any, Iterator, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from ..server.app import ApiError, get_context
from ..server.auth import require_read

router = APIRouter()
read = [Depends(require_read)]

Text = Annotated[str | None, Query(max_length=200)]
Day = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD (inclusive)")]
Country = Annotated[str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO 3166 alpha-2 of the place")]
MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
         "geojson": "application/geo+json"}


def event_filters(type: str | None, mode: str | None, actor: str | None, recipient: str | None,
                  entity: str | None, country: str | None, place: str | None, since: str | None,
                  until: str | None, uncertain: bool) -> dict[str, Any]:
    return {"type": type, "mode": mode, "actor": actor, "recipient": recipient, "entity": entity,
            "country": country, "place": place, "since": since, "until": until, "uncertain": uncertain}


@router.get("/events", tags=["events"], dependencies=read,
            summary="Events (PLOVER): who did what to whom, where and when, newest first")
def list_events(request: Request, type: Text = None, mode: Text = None, actor: Text = None,
                recipient: Text = None, entity: Text = None, country: Country = None,
                place: Text = None, since: Day = None, until: Day = None,
                uncertain: Annotated[bool, Query(description="also negated and hypothetical events")] = False,
                limit: Annotated[int, Query(ge=1, le=1000)] = 50,
                offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> dict[str, Any]:
    try:
        rows = get_context(request).monitor.events(
            limit=limit, offset=offset,
            **event_filters(type, mode, actor, recipient, entity, country, place, since, until, uncertain))
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    return {"events": rows, "limit": limit, "offset": offset}


@router.get("/events/groups/{group_id}", tags=["events"], dependencies=read,
            summary="One happening reported by several articles: each source's sentence side by side")
def get_event_group(request: Request, group_id: int) -> dict[str, Any]:
    group = get_context(request).monitor.event_group(group_id) if 0 < group_id < 2**62 else None
    if group is None:
        raise ApiError(404, f"no event group {group_id}")
    return group


@router.get("/events/export", tags=["events"], dependencies=read,
            summary="Every matching event as JSON Lines, CSV or GeoJSON, streamed (no cap)")
def export_events(request: Request, format: Literal["jsonl", "csv", "geojson"] = "jsonl",
                  type: Text = None, mode: Text = None, actor: Text = None, recipient: Text = None,
                  entity: Text = None, country: Country = None, place: Text = None,
                  since: Day = None, until: Day = None,
                  uncertain: Annotated[bool, Query()] = False) -> StreamingResponse:
    monitor = get_context(request).monitor
    filters = event_filters(type, mode, actor, recipient, entity, country, place, since, until, uncertain)
    try:
        monitor.event_filters(**filters)  # a clear 400 before the stream starts
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None

    from ..events.export import iter_export

    def stream() -> Iterator[bytes]:
        events = monitor.iter_events(**filters)
        for chunk in iter_export(format, events):
            yield chunk.encode("utf-8")

    return StreamingResponse(stream(), media_type=MEDIA[format], headers={
        "Content-Disposition": f'attachment; filename="rasid-events.{format}"'})
