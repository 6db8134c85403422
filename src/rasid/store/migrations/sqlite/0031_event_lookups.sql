-- rasid SQLite schema 31: event lookups by index. The event groups step asks, for each new
-- event, for the events of its type and country within a few days (rasid.events.grouping):
-- before this index each such query read and parsed the JSON of every event of the type in
-- the archive, so the step grew with the archive. The expressions are those of
-- `sqlite_events.build_where` (the planner matches them as written).
CREATE INDEX spans_event_days ON spans (label, json_extract(attrs, '$.place.country'),
                                        json_extract(attrs, '$.when')) WHERE layer = 'events';

-- Every event row names the archive entities of its actor and recipient: the mention of its
-- article at the argument's start offset (`sqlite_events._SELECT`), found by this index
-- instead of a walk over every mention of the article, twice per event row.
CREATE INDEX mentions_start ON mentions (article_id, start);
