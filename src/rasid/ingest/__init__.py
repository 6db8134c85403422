"""Reading articles into Documents: plain text (BBC layout), JSON Lines, HTML, RSS/Atom
feeds (polled with conditional GET), WARC files, directories and standard input.

Every reader yields `Document`s and, for a record it cannot use, a `Rejection` with the
record's origin and the reason, and carries on with the rest of the batch.

Importing this package imports no third-party parser: trafilatura, feedparser and warcio
are imported when first used, and none of its modules: each name below is imported from
its module when first asked for.
"""
from ..lazy_import import lazy_attributes

#: name -> the module that defines it, imported when the name is first asked for: `rasid
#: search` reaches `rasid.ingest.urls`, and `rasid analyze FILE.txt` the text reader, without
#: the feed poller's network and mail modules
__getattr__ = lazy_attributes(__name__, {
    "DecodeError": ".encoding", "decode_bytes": ".encoding",
    "FeedResult": ".feeds", "poll_feed": ".feeds", "read_feed": ".feeds",
    "read_path": ".files", "read_paths": ".files", "read_stream": ".files", "sample_paths": ".files",
    "read_html": ".html",
    "FIELD_ALIASES": ".jsonl", "read_jsonl": ".jsonl",
    "MAX_BYTES": ".records", "IngestError": ".records", "Rejection": ".records", "parse_published": ".records",
    "read_text_article": ".text",
    "read_warc": ".warc",
})

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
