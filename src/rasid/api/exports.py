"""REST endpoints for exports: every record of one kind, streamed, no cap.

Thin: each request calls `Monitor.export_chunks` once and streams what it yields.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from ..server.app import ApiError, get_context
from ..server.auth import require_read

router = APIRouter()
read = [Depends(require_read)]

Kind = Literal["articles", "mentions", "entities", "places", "dates", "stories", "alerts", "events"]
Format = Literal["jsonl", "csv", "geojson", "parquet"]
Text = Annotated[str | None, Query(max_length=200)]
Day = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD (inclusive)")]
Country = Annotated[str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO 3166 alpha-2")]
MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
         "geojson": "application/geo+json", "parquet": "application/vnd.apache.parquet"}


@router.get("/export/{kind}", tags=["export"], dependencies=read,
            summary="Every record of one kind as JSON Lines, CSV, GeoJSON or Parquet, streamed "
                    "(no cap), with the filters of search")
def export_kind(request: Request, kind: Kind, format: Format = "jsonl",
                bom: Annotated[bool, Query(description="CSV: a UTF-8 byte-order mark first")] = False,
                q: Annotated[str | None, Query(max_length=500, description="search query")] = None,
                since: Day = None, until: Day = None, source: Text = None, entity: Text = None,
                country: Country = None) -> StreamingResponse:
    monitor = get_context(request).monitor
    try:
        chunks = monitor.export_chunks(kind, format, query=q, bom=bom, since=since, until=until,
                                       source=source, entity=entity, country=country)
    except ValueError as exc:  # bad query, unknown entity, GeoJSON of a kind without places
        raise ApiError(400, str(exc)) from None
    return StreamingResponse(chunks, media_type=MEDIA[format], headers={
        "Content-Disposition": f'attachment; filename="rasid-{kind}.{format}"'})
