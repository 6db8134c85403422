"""RSS and Atom feeds: from bytes (a file) or polled over HTTP with conditional GET.

`poll_feed(url, state)` sends the ``ETag`` and ``Last-Modified`` it saw last time
(``If-None-Match`` / ``If-Modified-Since``); a ``304 Not Modified`` ingests nothing. The
state also remembers the keys (guid, else link) of the last `MAX_SEEN` items, so a feed
that ignores conditional GET still yields only new items. The caller persists the state
(a JSON-serialisable dict) and passes it back on the next poll.

feedparser is only ever given bytes we read ourselves: given a string that looks like a
URL or a file name it would fetch or open it.
"""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..doc import Document
from ..net import MAX_DOWNLOAD_BYTES, FetchError, fetch
from .encoding import decode_bytes
from .html import clean_line, extract_fragment_text
from .records import IngestError, gunzip_bounded, Rejection, apply_published, format_datetime

MAX_SEEN = 5000  # item keys remembered per feed
TIMEOUT_S = 30

_XML_ENCODING_RE = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)[\"']", re.IGNORECASE)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


@dataclass
class FeedResult:
    """One poll: the new items (documents, and rejections for unusable items), the state
    to save for the next poll, and whether the server said nothing changed."""

    documents: list[Document | Rejection]
    new_state: dict[str, Any]
    not_modified: bool = False
    status: int | None = None  # HTTP status of the response

    @property
    def rejections(self) -> list[Rejection]:
        return [d for d in self.documents if isinstance(d, Rejection)]


def read_feed(data: bytes, url: str | None = None, *, origin: str | None = None) -> list[Document | Rejection]:
    """Every item of an RSS/Atom document, as Documents (and a Rejection per unusable
    item, or one for a file that is not a feed). `url` is the feed's address."""
    return [item for _, item in read_feed_items(data, url=url, origin=origin)]


def read_feed_items(data: bytes, url: str | None = None, *,
                    origin: str | None = None) -> list[tuple[str, Document | Rejection]]:
    """Like `read_feed`, with each item's key (guid, else link, else a content hash)."""
    import feedparser  # imported here: importing rasid.ingest stays cheap

    origin = origin or url or "<feed>"
    try:
        data = prepare_feed_bytes(data)
    except IngestError as exc:
        return [("", Rejection(origin, str(exc)))]
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=bool(url),
                              response_headers={"content-location": url} if url else None)
    if not parsed.entries:
        if not parsed.get("version"):
            problem = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
            return [("", Rejection(origin, f"not an RSS or Atom feed{problem}"))]
        if parsed.get("bozo"):
            return [("", Rejection(origin, f"unreadable feed: {parsed.get('bozo_exception')}"))]
        return []
    feed_title = clean_line(parsed.feed.get("title", "")) or None
    items = []
    for n, entry in enumerate(parsed.entries, 1):
        key = item_key(entry)
        items.append((key, convert_entry(entry, f"{origin}#item-{n}", feed_url=url, feed_title=feed_title)))
    return items


def prepare_feed_bytes(data: bytes) -> bytes:
    """Bytes feedparser will read right: UTF-8 or a declared encoding pass through;
    undeclared legacy Arabic bytes are decoded here and re-encoded as UTF-8."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip_bounded(data)
    if not data.strip():
        raise IngestError("empty feed")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError("binary file (NUL bytes)")
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    match = _XML_ENCODING_RE.match(data)
    declared = match.group(1).decode("ascii") if match else None
    if declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
        return data
    text, _ = decode_bytes(data)
    return _XML_DECL_RE.sub("", text, count=1).encode("utf-8")


def item_key(entry: Any) -> str:
    for name in ("id", "link"):
        value = entry.get(name)
        if value:
            return str(value)
    basis = (entry.get("title", "") + "\n" + entry.get("summary", "")).encode("utf-8")
    return "sha1:" + hashlib.sha1(basis).hexdigest()


def convert_entry(entry: Any, origin: str, feed_url: str | None = None,
                  feed_title: str | None = None) -> Document | Rejection:
    """One feed item: text from content:encoded (or Atom content), else the summary,
    stripped of HTML."""
    content = ""
    for part in entry.get("content") or []:
        value = _fragment_text(part.get("value", "") or "", part.get("type", "text/html"))
        if len(value) > len(content):
            content = value
    summary = _detail_text(entry, "summary")
    text = content or summary
    title = clean_line(_detail_text(entry, "title"))
    if not text:
        return Rejection(origin, "empty article: feed item has no content or summary")
    meta: dict[str, Any] = {}
    if feed_url:
        meta["feed_url"] = feed_url
    if entry.get("id"):
        meta["source_id"] = entry["id"]
    tags = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
    if tags:
        meta["tags"] = tags
    fields: dict[str, Any] = {}
    # dict.get: FeedParserDict maps a missing "updated*" to "published*" with a warning
    raw_date = dict.get(entry, "published") or dict.get(entry, "updated") or dict.get(entry, "created")
    parsed_date = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    apply_published(fields, meta, raw_date)
    if fields["published"] is None and parsed_date:  # feedparser read it, we did not
        fields["published"] = format_datetime(datetime(*parsed_date[:6], tzinfo=timezone.utc))
        meta.pop("published_raw", None)
    return Document(
        text=text,
        title=title,
        url=entry.get("link") or None,
        source=feed_title,
        author=clean_line(entry.get("author", "") or "") or None,
        summary=summary if content and summary and summary != content else None,
        meta=meta,
        origin=origin,
        **fields,
    )


def _detail_text(entry: Any, name: str) -> str:
    kind = (entry.get(f"{name}_detail") or {}).get("type", "text/html")
    return _fragment_text(entry.get(name, "") or "", kind)


def _fragment_text(value: str, kind: str) -> str:
    if "html" in (kind or "text/html"):
        return extract_fragment_text(value)
    return "\n\n".join(p for p in (clean_line(p) for p in re.split(r"\n\s*\n", value)) if p)


def poll_feed(url: str, state: dict[str, Any] | None = None, *, timeout: float = TIMEOUT_S,
              max_bytes: int = MAX_DOWNLOAD_BYTES, max_seen: int = MAX_SEEN) -> FeedResult:
    """Fetch `url` with conditional GET and return only items not seen before.

    Raises `rasid.net.FetchError` (an `OSError`) when the feed cannot be fetched, is refused
    (a private address) or its response is over `max_bytes` on the wire or decompressed."""
    state = dict(state or {})
    seen: list[str] = list(state.get("seen") or [])
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    response = fetch(url, headers=headers, timeout=timeout, max_bytes=max_bytes)
    status = response.status
    if status == 304:
        new_state = dict(state, seen=seen, checked=_now())
        return FeedResult([], new_state, not_modified=True, status=304)
    if status >= 400:
        raise FetchError(f"{url}: HTTP {status}")
    body = response.body
    known = set(seen)
    documents: list[Document | Rejection] = []
    for key, item in read_feed_items(body, url=url, origin=url):
        if key and key in known:
            continue
        documents.append(item)
        if key:
            known.add(key)
            seen.append(key)
    new_state = dict(state, seen=seen[-max_seen:], checked=_now())
    for name in ("etag", "last_modified"):
        value = response.headers.get(name.replace("_", "-"))
        if value:
            new_state[name] = value
        else:
            new_state.pop(name, None)
    return FeedResult(documents, new_state, not_modified=False, status=status)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
