-- rasid SQLite schema 1: articles and key/value state.
-- Articles are deduplicated by canonical URL and by normalised-content hash (both UNIQUE).
CREATE TABLE articles (
    rowid         INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    url           TEXT,
    canonical_url TEXT UNIQUE,
    content_hash  TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL,
    source        TEXT,
    author        TEXT,
    published     TEXT,              -- ISO 8601 date or datetime, as known
    summary       TEXT,
    images        TEXT NOT NULL DEFAULT '[]',   -- JSON
    meta          TEXT NOT NULL DEFAULT '{}',   -- JSON
    origin        TEXT,
    layers        TEXT NOT NULL DEFAULT '{}',   -- JSON: Document.to_dict()["layers"]
    ingested_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_source ON articles (source, published);

CREATE TABLE state (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,                   -- JSON
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
