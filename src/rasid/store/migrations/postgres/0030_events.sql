-- rasid PostgreSQL schema 30: events across articles (mirrors sqlite/0030_events.sql on main;
-- rasid.events.grouping, docs/events.md). Event records are rows of `spans` with layer
-- 'events'; event_members ties each grouped event span to its group (the rowid of the
-- group's first event span).
CREATE TABLE event_members (
    span_rowid BIGINT PRIMARY KEY REFERENCES spans (rowid) ON DELETE CASCADE,
    group_id   BIGINT NOT NULL
);
CREATE INDEX event_members_group ON event_members (group_id);
CREATE INDEX spans_events ON spans (layer, article_id) WHERE layer = 'events';

-- A watch may name an event type in a place: {"type": "ASSAULT", "place": {...}, "text"}.
CREATE TABLE watch_events (
    watch_id BIGINT PRIMARY KEY REFERENCES watches (id) ON DELETE CASCADE,
    event    TEXT NOT NULL                 -- JSON
);
