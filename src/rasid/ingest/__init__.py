"""Reading articles into Documents: plain text (BBC layout), JSON Lines, HTML, RSS/Atom
feeds (polled with conditional GET), WARC files, directories and standard input.

Every reader yields `Document`s and, for a record it cannot use, a `Rejection` with the
record's origin and the reason, and carries on with the rest of the batch.

Importing this package imports no third-party parser: trafilatura, feedparser and warcio
are imported when first used.
"""
from .encoding import DecodeError, decode_bytes
from .feeds import FeedResult, poll_feed, read_feed
from .files import read_path, read_paths, read_stream, sample_paths
from .html import read_html
from .jsonl import FIELD_ALIASES, read_jsonl
from .records import MAX_BYTES, IngestError, Rejection, parse_published
from .text import read_text_article
from .warc import read_warc

__all__ = [
    "DecodeError",
    "FIELD_ALIASES",
    "FeedResult",
    "IngestError",
    "MAX_BYTES",
    "Rejection",
    "decode_bytes",
    "parse_published",
    "poll_feed",
    "read_feed",
    "read_html",
    "read_jsonl",
    "read_path",
    "read_paths",
    "read_stream",
    "read_text_article",
    "read_warc",
    "sample_paths",
]
