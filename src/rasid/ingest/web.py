"""Reading a URL: an RSS/Atom feed (polled with per-feed state kept in the store) or a
single HTML page."""
from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any, Iterator

from ..doc import Document
from . import Rejection

USER_AGENT = "rasid/0.1 (+offline Arabic news monitor)"
TIMEOUT_S = 30


def fetch_url(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, {k.lower(): v for k, v in exc.headers.items()}, b""
        raise


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head) \
        or head.startswith(b"<rss") or head.startswith(b"<feed")


def read_url(url: str, store: Any, pending_states: dict[str, dict]) -> Iterator[Document | Rejection]:
    """Poll `url` as a feed when the store knows it as one (or it looks like one);
    otherwise extract the page as one article.

    A feed's new state (ETag, Last-Modified, seen items) goes into `pending_states`; the
    caller saves it only after the documents are committed, so a crash in between
    re-reads the items instead of losing them."""
    from .feeds import poll_feed
    from .html import read_html

    key = f"feed:{url}"
    state = store.get_state(key)
    if state is not None:
        yield from _poll(url, state, key, poll_feed, pending_states)
        return
    try:
        status, headers, body = fetch_url(url)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        yield Rejection(url, f"cannot fetch: {exc}")
        return
    if looks_like_feed(body) or "xml" in headers.get("content-type", "") and b"<item" in body[:65536]:
        yield from _poll(url, {}, key, poll_feed, pending_states)
        return
    result = read_html(body, url=url, origin=url)
    yield result


def _poll(url: str, state: dict, key: str, poll_feed,
          pending_states: dict[str, dict]) -> Iterator[Document | Rejection]:
    try:
        result = poll_feed(url, state)
    except Exception as exc:  # network or parse failure: report, keep the old state
        yield Rejection(url, f"cannot poll feed: {exc}")
        return
    yield from result.documents
    pending_states[key] = result.new_state
