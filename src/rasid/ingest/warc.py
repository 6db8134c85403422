"""WARC files of crawled news pages (gzip-compressed or not), read with warcio.

Every ``response`` record whose HTTP Content-Type is HTML goes through `read_html`, with
the record's ``WARC-Target-URI`` as the URL and ``file.warc.gz#record-N`` as the origin
(N counts every record from 1, ``warcinfo`` and ``request`` records included, so it points
at the record in the file). Other records (requests, metadata, images, CSS) are skipped;
an HTML response with an error status or no article is a `Rejection`.
"""
from __future__ import annotations

import gzip
from pathlib import Path
from typing import BinaryIO, Iterator

from ..doc import Document
from .html import read_html
from .records import MAX_BYTES, Rejection

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: str | Path, *, max_record_bytes: int = MAX_BYTES) -> Iterator[Document | Rejection]:
    """Articles from the HTML responses of a WARC file."""
    try:
        with gzip.open(path, "rb") if _is_gzip(path) else open(path, "rb") as probe:
            head = probe.read(5)
    except (OSError, EOFError) as exc:
        yield Rejection(str(path), f"unreadable WARC file: {exc}")
        return
    if head != b"WARC/":
        yield Rejection(str(path), "not a WARC file (no WARC/ header)")
        return
    with open(path, "rb") as stream:
        yield from read_warc_stream(stream, str(path), max_record_bytes=max_record_bytes)


def _is_gzip(path: str | Path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(2) == b"\x1f\x8b"


def read_warc_stream(stream: BinaryIO, name: str, *,
                     max_record_bytes: int = MAX_BYTES) -> Iterator[Document | Rejection]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    records = iter(ArchiveIterator(stream))
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except ArchiveLoadFailed as exc:
            yield Rejection(f"{name}#record-{n + 1}", f"corrupt WARC, stopped reading: {exc}")
            return
        except Exception as exc:  # warcio raises AttributeError etc. on damaged headers
            yield Rejection(f"{name}#record-{n + 1}",
                            f"corrupt WARC, stopped reading: {type(exc).__name__}: {exc}")
            return
        n += 1
        origin = f"{name}#record-{n}"
        if record.rec_type != "response" or record.http_headers is None:
            continue
        content_type = record.http_headers.get_header("Content-Type") or ""
        mime, _, params = content_type.partition(";")
        if mime.strip().lower() not in HTML_TYPES:
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        status = record.http_headers.get_statuscode()
        if status and not status.startswith("2"):
            yield Rejection(origin, f"HTTP status {status} for {url}")
            continue
        try:
            payload = record.content_stream().read(max_record_bytes + 1)
        except Exception as exc:  # truncated gzip member, bad chunked encoding, ...
            yield Rejection(origin, f"unreadable record payload: {exc}")
            continue
        if len(payload) > max_record_bytes:
            yield Rejection(origin, f"record too large: over {max_record_bytes} bytes")
            continue
        result = read_html(payload, url=url, origin=origin, declared_encoding=_charset(params))
        if isinstance(result, Document):
            warc_date = record.rec_headers.get_header("WARC-Date")
            if warc_date:
                result.meta["warc_date"] = warc_date  # when it was crawled, not published
        yield result


def _charset(params: str) -> str | None:
    for part in params.split(";"):
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
