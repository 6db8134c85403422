-- rasid SQLite schema 5: watches and alerts (rasid.alerts; design in docs/alerts.md).

-- A watch: an entity, a search query, a place/country, or several of them (all must
-- match), optionally with a surge rule (surge_count articles within surge_window_s).
CREATE TABLE watches (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    entity         TEXT,                 -- JSON {"name": typed, "ids": [...], "canonical": ...}
    query          TEXT,                 -- search syntax, validated with parse_query
    place          TEXT,                 -- JSON {"name", "country", "gazetteer_id", "feature"}
    surge_count    INTEGER,
    surge_window_s INTEGER,
    webhook        TEXT,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- One alert per (watch, article): INSERT OR IGNORE makes re-ingesting and re-running the
-- hook create nothing. kind: 'match' (one matching article) or 'surge' (the article that
-- brought the count in the window to surge_count). reason: JSON, see docs/alerts.md.
CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    watch_id     INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    article_id   TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL DEFAULT 'match',
    event_time   TEXT,                   -- UTC ISO time: published datetime, else ingested_at
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    reason       TEXT NOT NULL DEFAULT '{}',
    delivered_at TEXT,                   -- webhook delivered (NULL: none yet, or no webhook)
    attempts     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (watch_id, article_id)
);
CREATE INDEX alerts_watch ON alerts (watch_id, id);
CREATE INDEX alerts_kind_time ON alerts (watch_id, kind, event_time);

-- Surge state: every article that matched a surge watch, with its event time.
CREATE TABLE watch_matches (
    watch_id   INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    event_time TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (watch_id, article_id)
) WITHOUT ROWID;
CREATE INDEX watch_matches_time ON watch_matches (watch_id, event_time);

-- Webhook delivery log: one row per attempt.
CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY,
    alert_id     INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    attempt      INTEGER NOT NULL,
    attempted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    status       INTEGER,                -- HTTP status, NULL when no response
    error        TEXT
);
CREATE INDEX deliveries_alert ON deliveries (alert_id);

-- High-water mark: every article with rowid <= last_rowid has been evaluated against the
-- watches. Articles stored before this migration are not (watches look forward).
CREATE TABLE alert_progress (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_rowid INTEGER NOT NULL
);
INSERT INTO alert_progress (id, last_rowid) SELECT 1, coalesce(max(rowid), 0) FROM articles;
