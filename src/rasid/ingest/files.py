"""Files, directories and standard input: pick the reader for each input.

Directories are walked recursively in sorted order (hidden files and folders skipped) and
files are dispatched by extension; files with other extensions are skipped in a walk, and
sniffed by content when named directly. Standard input is sniffed: JSON Lines / JSON,
HTML, RSS/Atom, WARC, gzip of any of these, or a plain-text article.

A file read whole (text, HTML, feed) larger than `max_bytes` (default 50 MB) is rejected
from its size on disk before reading, and a file whose first bytes hold NUL bytes is rejected
as binary. JSON Lines and WARC files, gzip or not, are read record by record in constant
memory, so they may be of any size: each JSON line is bounded by `MAX_LINE_BYTES`, each WARC
record and a JSON file holding one array or object (read whole) by `max_bytes`. A month of
news in one 100 MB JSON Lines file is one input, not a rejection.
"""
from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from ..doc import Document
from .encoding import decode_bytes
from .html import read_html
from .jsonl import check_field_map, open_maybe_gzip, read_json_stream, read_jsonl
from .records import MAX_BYTES, IngestError, Rejection, gunzip_bounded
from .text import read_text_article
from .warc import read_warc, read_warc_stream

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample"

# extension -> kind; compound extensions first
EXTENSIONS: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"), (".warc", "warc"),
    (".jsonl.gz", "json"), (".ndjson.gz", "json"), (".json.gz", "json"),
    (".jsonl", "json"), (".ndjson", "json"), (".json", "json"),
    (".txt", "text"),
    (".html", "html"), (".htm", "html"), (".xhtml", "html"),
    (".xml", "feed"), (".rss", "feed"), (".atom", "feed"),
)
_COMPRESSED = ("json", "warc")  # kinds whose files may be gzip: read as streams
_SNIFF_BYTES = 8192


def sample_paths() -> list[Path]:
    """The demo articles shipped with rasid: the BBC Arabic seed article and 200
    SaudiNewsNet articles."""
    return [SAMPLE_DIR / "paris-2015.txt", SAMPLE_DIR / "saudinewsnet-200.jsonl"]


def read_paths(paths: Iterable[str | Path], *, field_map: dict[str, str] | None = None,
               max_bytes: int = MAX_BYTES) -> Iterator[Document | Rejection]:
    """Documents and rejections from files and directories, in order."""
    field_map = check_field_map(field_map)
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for file in walk_files(path):
                yield from read_path_safely(file, field_map=field_map, max_bytes=max_bytes)
        else:
            yield from read_path_safely(path, field_map=field_map, max_bytes=max_bytes, sniff=True)


def read_path_safely(path: Path, **kwargs) -> Iterator[Document | Rejection]:
    """`read_path`, with any error a reader did not foresee turned into a Rejection of the
    rest of that file, so the other files of the batch are still read."""
    try:
        yield from read_path(path, **kwargs)
    except Exception as exc:  # noqa: BLE001 - one file must not stop the batch
        yield Rejection(str(path), f"stopped reading: {type(exc).__name__}: {exc}")


def walk_files(directory: Path) -> Iterator[Path]:
    """Readable files under `directory` (recursive, sorted, hidden entries skipped)."""
    entries = sorted(directory.iterdir(), key=lambda p: p.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from walk_files(entry)
        elif entry.is_file() and kind_of(entry) is not None:
            yield entry


def kind_of(path: Path) -> str | None:
    name = path.name.lower()
    for ext, kind in EXTENSIONS:
        if name.endswith(ext):
            return kind
    return None


def read_path(path: str | Path, *, field_map: dict[str, str] | None = None,
              max_bytes: int = MAX_BYTES, sniff: bool = False) -> Iterator[Document | Rejection]:
    """Read one file by its extension (or, with `sniff`, by its content when the
    extension is unknown)."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Rejection(name, f"cannot read: {exc.strerror or exc}")
        return
    kind = kind_of(path)
    if size > max_bytes and kind not in _COMPRESSED:
        yield Rejection(name, f"file too large: {size} bytes, limit {max_bytes}")
        return
    if kind is None and not sniff:
        yield Rejection(name, "unsupported file type")
        return
    try:
        if kind in _COMPRESSED:
            if kind == "warc":
                yield from read_warc(path, max_record_bytes=max_bytes)
            else:
                with open_maybe_gzip(path) as probe:
                    head = probe.read(_SNIFF_BYTES)
                if is_binary(head) and sniff_kind(head) != "json":
                    # a NUL in one JSON line rejects that line only
                    yield Rejection(name, "binary file (NUL bytes)")
                    return
                yield from read_jsonl(path, field_map=field_map, max_bytes=max_bytes)
            return
        data = path.read_bytes()
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield Rejection(name, f"corrupt compressed file, stopped reading: {exc}")
        return
    except OSError as exc:
        yield Rejection(name, f"cannot read: {exc.strerror or exc}")
        return
    yield from read_bytes(data, name, kind=kind, field_map=field_map, max_bytes=max_bytes)


def read_stream(stream: BinaryIO, name: str = "<stdin>", *, field_map: dict[str, str] | None = None,
                max_bytes: int = MAX_BYTES) -> Iterator[Document | Rejection]:
    """Read standard input (or any binary stream), sniffing what it holds. JSON Lines are
    read line by line as they arrive; anything else is read whole, up to `max_bytes`."""
    field_map = check_field_map(field_map)
    head = stream.read(_SNIFF_BYTES)
    if sniff_kind(head) == "json":
        rest = io.BufferedReader(_PrefixedStream(head, stream))
        yield from read_json_stream(rest, name, field_map, max_bytes=max_bytes)
        return
    data = head + stream.read(max_bytes + 1 - len(head))
    if len(data) > max_bytes:
        yield Rejection(name, f"input too large: over {max_bytes} bytes")
        return
    yield from read_bytes(data, name, field_map=field_map, max_bytes=max_bytes)


def read_bytes(data: bytes, name: str, *, kind: str | None = None, field_map: dict[str, str] | None = None,
               max_bytes: int = MAX_BYTES) -> Iterator[Document | Rejection]:
    """Read an input held in memory; `kind` is sniffed when not given."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gunzip_bounded(data, max_bytes)
        except IngestError as exc:
            yield Rejection(name, f"corrupt or oversized gzip data: {exc}")
            return
    if kind is None:
        kind = sniff_kind(data[:_SNIFF_BYTES])
    if kind == "warc":
        yield from read_warc_stream(io.BytesIO(data), name, max_record_bytes=max_bytes)
        return
    if kind == "json":
        yield from read_json_stream(io.BytesIO(data), name, field_map, max_bytes=max_bytes)
        return
    if not data.strip():
        yield Rejection(name, "empty file")
        return
    if is_binary(data):
        yield Rejection(name, "binary file (NUL bytes)")
        return
    if kind == "feed":
        from .feeds import read_feed  # the feed poller's network modules: for feeds only

        yield from read_feed(data, origin=name)
        return
    if kind == "html":
        yield read_html(data, origin=name)
        return
    try:
        text, _ = decode_bytes(data)
        yield read_text_article(text, origin=name)
    except IngestError as exc:
        yield Rejection(name, str(exc))


def sniff_kind(head: bytes) -> str:
    """'json', 'html', 'feed', 'warc' or 'text', from the first bytes of an input."""
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if probe.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if probe.startswith((b"{", b"[")):
        return "json"
    if probe.startswith(b"<"):
        low = probe[:_SNIFF_BYTES].lower()
        if b"<rss" in low or b"<feed" in low or b"<rdf:rdf" in low:
            if b"<html" not in low:
                return "feed"
        return "html"
    return "text"


def is_binary(data: bytes) -> bool:
    """NUL bytes in the first 8 KB (UTF-16/32 text with a byte-order mark excepted)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in data[:_SNIFF_BYTES]


class _PrefixedStream(io.RawIOBase):
    """A raw stream that first returns bytes already read from another stream."""

    def __init__(self, prefix: bytes, rest: BinaryIO):
        self._prefix = io.BytesIO(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        n = self._prefix.readinto(b)
        if n:
            return n
        chunk = self._rest.read(len(b))
        b[:len(chunk)] = chunk
        return len(chunk)
