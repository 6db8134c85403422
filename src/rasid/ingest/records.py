"""What every reader returns besides documents, and the shared field helpers.

A reader yields `Document`s and, for a record it cannot use, a `Rejection` naming where the
record was (``file.jsonl:17``, ``file.warc.gz#record-3``, a URL) and why, then carries on
with the rest of the batch.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from ..arabic.normalize import normalize_name

#: default size limit for one input file or stream, and for what a compressed file expands to
MAX_BYTES = 50 * 1024 * 1024
#: longest line of a JSON Lines file (one record); a longer line is rejected, the file read on
MAX_LINE_BYTES = 4 * 1024 * 1024


@dataclass
class Rejection:
    """A record that was read but not turned into a Document."""

    origin: str  # "path/to/file.jsonl:17", "file.warc.gz#record-3", a URL, "<stdin>:4"
    reason: str  # human readable: "malformed JSON: Expecting ',' delimiter at column 40"
    #: the source itself could not be fetched (a URL that does not answer): no record was read
    unreachable: bool = False

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


class IngestError(ValueError):
    """A record that cannot become a Document; the message is the rejection reason."""


def gunzip_bounded(data: bytes, max_bytes: int = MAX_BYTES) -> bytes:
    """Decompress gzip `data`, every member of it (a ``.warc.gz`` is one gzip member per
    record, and concatenated members are one gzip file); `IngestError` when it expands
    beyond `max_bytes` or is corrupt."""
    import zlib

    out, rest = bytearray(), data
    while rest:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(rest, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise IngestError(f"corrupt gzip data: {exc}") from None
        if len(out) > max_bytes or inflater.unconsumed_tail:
            raise IngestError(f"over {max_bytes} bytes uncompressed")
        if not inflater.eof:  # truncated: what came out is kept (the reader rejects the cut record)
            break
        rest = inflater.unused_data
        if rest[:2] != b"\x1f\x8b":  # trailing bytes that are not another member: ignored, as gzip does
            break
    return bytes(out)


def read_lines_bounded(stream: BinaryIO, max_line: int = MAX_LINE_BYTES) -> Iterator[bytes | None]:
    """The lines of `stream`; ``None`` in place of a line longer than `max_line` bytes
    (its bytes are skipped without being held in memory)."""
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        if len(line) <= max_line:
            yield line
            continue
        while line and not line.endswith(b"\n"):  # skip the rest of the long line
            line = stream.readline(1024 * 1024)
        yield None


# -- publication dates ------------------------------------------------------------------

_DATA = Path(__file__).with_name("data")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_TIME = r"(?:\D{0,12}?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(صباحا|صباحاً|ص|مساء|مساءً|م|am|pm)?)?"


@lru_cache(maxsize=1)
def load_month_names() -> dict[str, int]:
    """Normalised month name -> month number, from data/months.tsv."""
    months: dict[str, int] = {}
    for line in (_DATA / "months.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, number = line.split("\t")
        months[normalize_name(name)] = int(number)
    return months


@lru_cache(maxsize=1)
def _month_date_re() -> re.Pattern[str]:
    names = sorted(load_month_names(), key=len, reverse=True)
    month = "|".join(re.escape(n) for n in names)
    # "السبت 14 نوفمبر 2015", "14 نوفمبر/تشرين الثاني 2015", "14 Nov 2015 10:30"
    return re.compile(
        rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?({month})(?:\s*/\s*(?:{month}))?\s*[,،]?\s*(\d{{4}})(?!\d)" + _TIME,
        re.IGNORECASE,
    )


_NUMERIC_RE = re.compile(
    r"(?<!\d)(?:(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}))(?!\d)" + _TIME
)


def parse_published(value: Any) -> str | None:
    """Normalise a publication date to ISO 8601, or None when it cannot be read.

    Dates stay dates (``2015-11-14``); times without a zone stay local
    (``2015-07-21T02:51:32``); times with a zone are converted to UTC and marked ``Z``.
    Understands ISO 8601, RFC 822 (RSS), Unix timestamps, ``14/11/2015`` and Arabic forms
    such as ``السبت 14 نوفمبر 2015`` or ``١٤ تشرين الثاني ٢٠١٥ الساعة 10:30 مساء``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_timestamp(float(value))
    if not isinstance(value, str):
        return None
    raw = value.strip().translate(_DIGITS)
    if not raw:
        return None
    if re.fullmatch(r"\d{9,13}(?:\.\d+)?", raw):
        return _from_timestamp(float(raw))
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return date.fromisoformat(raw).isoformat()
        return format_datetime(datetime.fromisoformat(raw))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime  # (its mail modules: for these dates only)

    try:
        return format_datetime(parsedate_to_datetime(raw))
    except (TypeError, ValueError, IndexError):
        pass
    return _parse_loose(raw)


def format_datetime(value: datetime) -> str:
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return value.isoformat(timespec="seconds")


def _from_timestamp(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    if not 0 < seconds < 4e9:
        return None
    return format_datetime(datetime.fromtimestamp(seconds, tz=timezone.utc))


def _parse_loose(raw: str) -> str | None:
    text = normalize_name(raw)
    match = _month_date_re().search(text)
    if match:
        day, month, year = int(match.group(1)), load_month_names()[match.group(2).lower()], int(match.group(3))
        clock = match.groups()[3:]
    else:
        match = _NUMERIC_RE.search(text)
        if not match:
            return None
        g = match.groups()
        if g[0]:
            year, month, day = int(g[0]), int(g[1]), int(g[2])
        else:
            day, month, year = int(g[3]), int(g[4]), int(g[5])
        clock = g[6:]
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    hour, minute, second, half = clock
    if hour is None:
        return when.isoformat()
    h, m, s = int(hour), int(minute), int(second or 0)
    if half in ("مساء", "م", "pm") and h < 12:
        h += 12
    elif half in ("صباحا", "ص", "am") and h == 12:
        h = 0
    try:
        return datetime(year, month, day, h, m, s).isoformat(timespec="seconds")
    except ValueError:
        return when.isoformat()


def apply_published(fields: dict[str, Any], meta: dict[str, Any], raw: Any) -> None:
    """Set ``fields["published"]`` from `raw`; keep an unreadable value in
    ``meta["published_raw"]``."""
    if raw is None or raw == "":
        fields["published"] = None
        return
    iso = parse_published(raw)
    fields["published"] = iso
    if iso is None:
        meta["published_raw"] = raw if isinstance(raw, (str, int, float)) else str(raw)
