"""Export formats, streamed as bytes: JSON Lines, CSV (optionally with a BOM for
spreadsheets), GeoJSON (records with coordinates) and Parquet (row groups of
`PARQUET_ROWS`, written as they fill).

JSON Lines keeps every record whole (articles with their layers: what `rasid import`
reads back); CSV and Parquet have one flat row per record with the columns of `COLUMNS`
(nested values as JSON text in CSV, lists of strings kept as lists in Parquet).
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Iterator

FORMATS = ("jsonl", "csv", "geojson", "parquet")
PARQUET_ROWS = 2000
MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
               "geojson": "application/geo+json", "parquet": "application/vnd.apache.parquet"}

S, I, F, B, J, L = "str", "int", "float", "bool", "json", "list"
#: the flat columns of each kind and their types (str, int, float, bool, json text, list of str)
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (("id", S), ("url", S), ("title", S), ("text", S), ("source", S), ("author", S),
                 ("published", S), ("summary", S), ("origin", S), ("ingested_at", S),
                 ("images", J), ("meta", J)),
    "mentions": (("article_id", S), ("published", S), ("layer", S), ("start", I), ("end", I),
                 ("label", S), ("text", S), ("entity_id", I), ("attrs", J)),
    "places": (("article_id", S), ("published", S), ("start", I), ("end", I), ("text", S),
               ("name", S), ("name_en", S), ("country", S), ("lat", F), ("lon", F),
               ("feature", S), ("geonameid", I), ("gazetteer_id", S), ("relation", S),
               ("confidence", F)),
    "dates": (("article_id", S), ("published", S), ("start", I), ("end", I), ("label", S),
              ("text", S), ("value", S), ("granularity", S), ("calendar", S), ("resolved", B),
              ("relative", B)),
    "entities": (("id", I), ("canonical", S), ("type", S), ("latin", S), ("aliases", L),
                 ("mentions", I), ("first_seen", S), ("last_seen", S)),
    "stories": (("id", I), ("title", S), ("first_published", S), ("last_published", S),
                ("article_count", I), ("article_ids", L)),
    "alerts": (("id", I), ("watch_id", I), ("watch", S), ("article_id", S), ("kind", S),
               ("event_time", S), ("created_at", S), ("reason", J), ("title", S), ("url", S),
               ("published", S)),
}


def _event_columns() -> tuple[tuple[str, str], ...]:
    from ..events.export import CSV_COLUMNS

    types = {"start": I, "end": I, "negated": I, "hypothetical": I, "lat": F, "lon": F,
             "confidence": F, "actor_entity_id": I, "recipient_entity_id": I, "group": I}
    return tuple((c, types.get(c, S)) for c in CSV_COLUMNS)


def columns_of(kind: str) -> tuple[tuple[str, str], ...]:
    return _event_columns() if kind == "events" else COLUMNS[kind]


def flatten_record(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """One flat row of `columns_of(kind)`, values typed (None for an empty value)."""
    if kind == "events":
        from ..events.export import flatten_event

        record = flatten_event(record)
    row = {}
    for name, type_ in columns_of(kind):
        value = record.get(name)
        if value == "" and type_ != S:
            value = None
        if value is not None:
            if type_ == I:
                value = int(value)
            elif type_ == F:
                value = float(value)
            elif type_ == B:
                value = bool(value)
            elif type_ == L:
                value = [str(v) for v in value]
            elif type_ == S and not isinstance(value, str):
                value = str(value)
        row[name] = value
    return row


def iter_jsonl(kind: str, records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    for record in records:
        yield (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def iter_csv(kind: str, records: Iterable[dict[str, Any]], bom: bool = False) -> Iterator[bytes]:
    """RFC 4180 CSV in UTF-8 (with a byte-order mark when `bom`: Excel then reads Arabic)."""
    names = [n for n, _ in columns_of(kind)]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(names)
    yield (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")
    for record in records:
        buf.seek(0)
        buf.truncate()
        row = flatten_record(kind, record)
        writer.writerow([format_cell(row[n]) for n in names])
        yield buf.getvalue().encode("utf-8")


def format_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def iter_geojson(kind: str, records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A FeatureCollection of the records with coordinates (places, events), one Point
    feature each, written feature by feature."""
    if not any(n == "lat" for n, _ in columns_of(kind)):
        raise ValueError(f"{kind} have no coordinates: GeoJSON is for places and events")
    yield b'{"type": "FeatureCollection", "features": [\n'
    n = 0
    for record in records:
        row = flatten_record(kind, record)
        lat, lon = row.pop("lat"), row.pop("lon")
        if lat is None or lon is None:
            continue
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                   "properties": row}
        yield (("" if n == 0 else ",\n") + json.dumps(feature, ensure_ascii=False)).encode("utf-8")
        n += 1
    yield b"\n]}\n"


class _Drain:
    """A write-only file for pyarrow that hands back what was written since last asked."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def writable(self) -> bool:
        return True

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


def parquet_schema(kind: str) -> Any:
    import pyarrow as pa

    types = {S: pa.string(), I: pa.int64(), F: pa.float64(), B: pa.bool_(), J: pa.string(),
             L: pa.list_(pa.string())}
    return pa.schema([(n, types[t]) for n, t in columns_of(kind)])


def iter_parquet(kind: str, records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A Parquet file (zstd), one row group per `PARQUET_ROWS` records, yielded as each
    row group is written: memory holds one row group, never the export."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is a dependency
        raise ValueError("Parquet needs pyarrow: pip install 'rasid[export]'") from exc
    schema = parquet_schema(kind)
    json_columns = {n for n, t in columns_of(kind) if t == J}
    drain = _Drain()
    writer = pq.ParquetWriter(drain, schema, compression="zstd")
    rows: list[dict[str, Any]] = []

    def flush() -> None:
        for row in rows:
            for name in json_columns:
                if row[name] is not None:
                    row[name] = json.dumps(row[name], ensure_ascii=False)
        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        rows.clear()

    for record in records:
        rows.append(flatten_record(kind, record))
        if len(rows) >= PARQUET_ROWS:
            flush()
            yield drain.take()
    if rows:
        flush()
    writer.close()
    yield drain.take()


def iter_chunks(kind: str, fmt: str, records: Iterable[dict[str, Any]],
                bom: bool = False) -> Iterator[bytes]:
    """The export of `records` (all of one `kind`) in format `fmt`, as bytes chunks."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "geojson" and not any(n == "lat" for n, _ in columns_of(kind)):
        raise ValueError(f"{kind} have no coordinates: GeoJSON is for places and events")
    if fmt == "csv":
        return iter_csv(kind, records, bom=bom)
    return {"jsonl": iter_jsonl, "geojson": iter_geojson, "parquet": iter_parquet}[fmt](kind, records)
