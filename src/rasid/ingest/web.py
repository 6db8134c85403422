"""Reading a URL: an RSS/Atom feed (polled with per-feed state kept in the store) or a
single HTML page."""
from __future__ import annotations

from typing import Any, Iterator

from ..doc import Document
from ..net import FetchError, fetch
from . import Rejection


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
        response = fetch(url)
    except FetchError as exc:
        yield Rejection(url, f"cannot fetch: {exc}", unreachable=True)
        return
    if response.status >= 400:
        yield Rejection(url, f"cannot fetch: HTTP {response.status}", unreachable=True)
        return
    headers, body = response.headers, response.body
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
        yield Rejection(url, f"cannot poll feed: {exc}", unreachable=True)
        return
    yield from result.documents
    pending_states[key] = result.new_state
