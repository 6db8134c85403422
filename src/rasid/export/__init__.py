"""Exports of everything in the archive, streamed: JSON Lines, CSV, GeoJSON and Parquet.

`iter_records` reads one kind of record (articles, mentions, entities, places, dates,
stories, alerts, events) page by page with the filters of search; `formats.iter_chunks`
turns the records into bytes as they come. Nothing is collected and nothing is capped.
"""
from __future__ import annotations

from .formats import FORMATS, iter_chunks
from .records import KINDS, ExportFilterError, iter_records

__all__ = ["ExportFilterError", "FORMATS", "KINDS", "iter_chunks", "iter_records"]
