-- rasid SQLite schema 31: the event groups step's lookups without a scan of every event of a
-- type (rasid.events.grouping asks, for each new event, for the events of its type and
-- country within a few days: before this index each such query read and parsed the JSON of
-- every event of the type in the archive, so the step grew with the archive). The
-- expressions are those of `sqlite_events.build_where` (the planner matches them as written).
CREATE INDEX spans_event_days ON spans (label, json_extract(attrs, '$.place.country'),
                                        json_extract(attrs, '$.when')) WHERE layer = 'events';
