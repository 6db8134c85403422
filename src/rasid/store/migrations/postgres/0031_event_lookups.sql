-- rasid PostgreSQL schema 31 (mirrors sqlite/0031_event_lookups.sql): the event groups step's
-- lookups (type, country, days) by index instead of a scan of every event of the type. The
-- expressions are those of `pg_events.build_where` (the planner matches them as written).
CREATE INDEX spans_event_days ON spans (label, (attrs #>> '{place,country}'), (attrs #>> '{when}'))
    WHERE layer = 'events';

-- The mention at an event argument's start offset (`pg_events._SELECT`), by index.
CREATE INDEX mentions_start ON mentions (article_id, start);
