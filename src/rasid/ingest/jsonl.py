"""JSON Lines (one article per line, optionally gzip-compressed) and JSON arrays.

Fields are found under rasid's names or common alternatives (SaudiNewsNet uses
``content`` and ``date_extracted``); a caller's `field_map` (rasid field -> input field)
overrides that. The record's own ``id`` goes to ``meta["source_id"]`` (rasid computes
`Document.id`), and every other field is kept in `Document.meta`.
"""
from __future__ import annotations

import gzip
import html
import json
import zlib
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from ..doc import Document
from .encoding import decode_bytes
from .records import (MAX_BYTES, MAX_LINE_BYTES, IngestError, Rejection, apply_published,
                      read_lines_bounded)

# rasid field -> input field names tried in order.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "article_body", "articleBody", "maintext",
             "full_text", "fulltext", "story"),
    "title": ("title", "headline", "head", "name"),
    "url": ("url", "link", "uri", "href", "canonical_url"),
    "summary": ("summary", "description", "abstract", "lead", "excerpt", "teaser"),
    "published": ("published", "date", "pubDate", "pubdate", "published_at", "publish_date",
                  "publication_date", "datePublished", "date_published", "pub_date",
                  "created_at", "date_extracted", "timestamp", "time"),
    "source": ("source", "source_name", "site", "sitename", "publisher", "newspaper",
               "outlet", "domain"),
    "author": ("author", "authors", "byline", "creator", "writer"),
    "id": ("id", "_id", "article_id", "guid", "doc_id"),
}
FIELDS = tuple(FIELD_ALIASES)


def read_jsonl(path: str | Path, field_map: dict[str, str] | None = None, *,
               max_bytes: int = MAX_BYTES, max_line: int = MAX_LINE_BYTES) -> Iterator[Document | Rejection]:
    """Read a ``.jsonl``/``.ndjson``/``.json`` file, gzip-compressed or not, of any size: JSON
    Lines are read line by line (each at most `max_line` bytes, decompressed). A JSON file
    holding one array (or one object) is read whole, so at most `max_bytes` of it, and
    yields its list of records."""
    path = Path(path)
    field_map = check_field_map(field_map)
    with open_maybe_gzip(path) as stream:
        yield from read_json_stream(stream, str(path), field_map, max_bytes=max_bytes, max_line=max_line)


def open_maybe_gzip(path: Path) -> BinaryIO:
    """The file's bytes; a gzip file is decompressed as it is read (what a reader holds is
    bounded by its own record limits, not here)."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def read_json_stream(stream: BinaryIO, name: str, field_map: dict[str, str] | None = None, *,
                     max_bytes: int = MAX_BYTES, max_line: int = MAX_LINE_BYTES) -> Iterator[Document | Rejection]:
    """Records from a binary stream: JSON Lines (each line at most `max_line` bytes), or
    one JSON array/object (read whole, so at most `max_bytes` of it). A stream that breaks
    off (corrupt gzip, over its size limit) ends with a Rejection after the records read."""
    lineno = 0
    try:
        head = stream.readline(max_line + 1)
        probe = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if probe.startswith(b"[") or (probe.startswith(b"{") and not probe.rstrip().endswith(b"}")):
            # a JSON array, or one pretty-printed object spread over lines
            data = head + stream.read(max(0, max_bytes + 1 - len(head)))
            if len(data) > max_bytes:
                yield Rejection(name, f"JSON document too large: over {max_bytes} bytes (use JSON Lines)")
                return
            yield from _read_whole_json(data, name, field_map)
            return
        lines = read_lines_bounded(stream, max_line)
        if len(head) > max_line:  # the first line alone is over the limit: skip its rest
            while head and not head.endswith(b"\n"):
                head = stream.readline(1024 * 1024)
            first: Iterable[bytes | None] = [None]
        else:
            first = [head] if head else []
        for raw in _chain(first, lines):
            lineno += 1
            item = read_json_line(raw, f"{name}:{lineno}", field_map, max_line)
            if item is not None:
                yield item
    except (OSError, EOFError, zlib.error, IngestError) as exc:
        yield Rejection(f"{name}:{lineno + 1}", f"stopped reading: {exc}")


def _chain(*parts: Iterable[bytes | None]) -> Iterator[bytes | None]:
    for part in parts:
        yield from part


def read_json_line(raw: bytes | None, origin: str, field_map: dict[str, str] | None,
                   max_line: int = MAX_LINE_BYTES) -> Document | Rejection | None:
    """One JSON Lines record (None for a blank line); never raises: whatever is wrong
    with the line becomes a Rejection naming file and line."""
    if raw is None:
        return Rejection(origin, f"line too long: over {max_line} bytes (MAX_LINE_BYTES)")
    if not raw.strip():
        return None
    if b"\x00" in raw:
        return Rejection(origin, "binary data (NUL bytes) in line")
    try:
        line, _ = decode_bytes(raw)
        record = parse_json(line)
    except IngestError as exc:
        return Rejection(origin, str(exc))
    except json.JSONDecodeError as exc:
        return Rejection(origin, f"malformed JSON: {exc.msg} at column {exc.colno}")
    return convert_record_safely(record, origin, field_map)


def parse_json(text: str) -> Any:
    """`json.loads` that refuses NaN/Infinity, numbers that overflow to infinity, integers
    too long to convert and nesting too deep to parse, as `IngestError`."""
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise IngestError("malformed JSON: nested too deeply") from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # int too long for str -> int conversion
        raise IngestError(f"malformed JSON: {exc}") from None


def _refuse_constant(name: str) -> Any:
    raise IngestError(f"non-finite number {name} (NaN and Infinity are not JSON)")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise IngestError(f"number {text[:40]} is out of range")
    return value


def convert_record_safely(record: Any, origin: str,
                          field_map: dict[str, str] | None = None) -> Document | Rejection:
    try:
        return convert_record(record, origin, field_map)
    except (IngestError, ValueError, TypeError, RecursionError) as exc:
        return Rejection(origin, f"bad record: {exc}")


def _read_whole_json(data: bytes, name: str, field_map: dict[str, str] | None) -> Iterator[Document | Rejection]:
    try:
        text, _ = decode_bytes(data)
        value = parse_json(text)
    except IngestError as exc:
        yield Rejection(name, str(exc))
        return
    except json.JSONDecodeError as exc:
        yield Rejection(f"{name}:{exc.lineno}", f"malformed JSON: {exc.msg} at column {exc.colno}")
        return
    records = value if isinstance(value, list) else [value]
    for i, record in enumerate(records, 1):
        yield convert_record_safely(record, f"{name}#record-{i}" if isinstance(value, list) else name, field_map)


def check_field_map(field_map: dict[str, str] | None) -> dict[str, str] | None:
    if not field_map:
        return None
    unknown = sorted(set(field_map) - set(FIELDS))
    if unknown:
        raise ValueError(f"field_map: unknown rasid field(s) {', '.join(unknown)}; "
                         f"known: {', '.join(FIELDS)}")
    return dict(field_map)


def convert_record(record: Any, origin: str, field_map: dict[str, str] | None = None) -> Document | Rejection:
    """Turn one decoded JSON record into a Document, or a Rejection saying why not."""
    if not isinstance(record, dict):
        return Rejection(origin, f"not a JSON object but {type(record).__name__}")
    used: set[str] = set()
    found: dict[str, Any] = {}
    found_key: dict[str, str] = {}
    for name in FIELDS:
        keys = (field_map[name],) if field_map and name in field_map else FIELD_ALIASES[name]
        for key in keys:
            if key in record and record[key] not in (None, "", [], {}):
                found[name] = record[key]
                found_key[name] = key
                used.add(key)
                break
        else:
            for key in keys:  # an empty value still counts as that field, not as meta
                if key in record:
                    used.add(key)
                    break
    text = found.get("text")
    if text is None:
        wanted = field_map["text"] if field_map and "text" in field_map else "/".join(FIELD_ALIASES["text"][:4])
        return Rejection(origin, f"empty article: no text field ({wanted})")
    if not isinstance(text, str):
        return Rejection(origin, f"text field is {type(text).__name__}, not a string")
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return Rejection(origin, "empty article: text is blank")
    meta = {k: v for k, v in record.items() if k not in used}
    if "id" in found:
        meta["source_id"] = found["id"]
    fields: dict[str, Any] = {}
    apply_published(fields, meta, found.get("published"))
    if found_key.get("published") == "date_extracted":
        meta["published_field"] = "date_extracted"  # a crawl date, not always the publication date
    try:
        return Document(
            text=text,
            title=_as_text(found.get("title")) or "",
            url=_as_text(found.get("url")) or None,
            source=_as_text(found.get("source")) or None,
            author=_as_text(found.get("author")) or None,
            summary=_as_text(found.get("summary")) or None,
            meta=meta,
            origin=origin,
            **fields,
        )
    except (TypeError, ValueError) as exc:
        return Rejection(origin, f"bad record: {exc}")


def _as_text(value: Any) -> str:
    """A field value as one line of text: lists are joined, objects give their name."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "&" in value:  # "&nbsp;خالد خليل" in some crawled bylines
            value = html.unescape(value)
        return " ".join(value.split())
    if isinstance(value, dict):
        for key in ("name", "title", "value", "url", "href"):
            if isinstance(value.get(key), str):
                return " ".join(value[key].split())
        return ""
    if isinstance(value, (list, tuple)):
        return "، ".join(t for t in (_as_text(v) for v in value) if t)
    if isinstance(value, (int, float)):
        return str(value)
    raise IngestError(f"unexpected {type(value).__name__} value")
