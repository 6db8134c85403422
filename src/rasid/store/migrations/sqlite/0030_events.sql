-- rasid SQLite schema 30: events across articles (rasid.events.grouping; docs/events.md).
-- Event records themselves are rows of `spans` with layer 'events' (offsets of the
-- trigger, the PLOVER fields in attrs). One happening reported by several articles is one
-- group: event_members ties each grouped event span to its group, whose id is the rowid
-- of the group's first event span.
CREATE TABLE event_members (
    span_rowid INTEGER PRIMARY KEY REFERENCES spans (rowid) ON DELETE CASCADE,
    group_id   INTEGER NOT NULL
);
CREATE INDEX event_members_group ON event_members (group_id);
CREATE INDEX spans_events ON spans (layer, article_id) WHERE layer = 'events';

-- A watch may name an event type in a place: {"type": "ASSAULT", "place": {...}, "text"}.
CREATE TABLE watch_events (
    watch_id INTEGER PRIMARY KEY REFERENCES watches (id) ON DELETE CASCADE,
    event    TEXT NOT NULL                 -- JSON
);
