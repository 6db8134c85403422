-- rasid SQLite schema 13: how each entity came by its names, the roles it holds, and the
-- user's corrections (issue 13 items 2 and 7; rasid.entities.archive, rasid.entities.corrections).
-- entity_links: why a surface form was linked to the entity, the first time it was
--   (a reason code and its detail, rasid.entities.reasons);
-- entity_roles: titles and offices written with the entity's name (الرئيس، وزير الخارجية),
--   one row per normalised role, with the days it was seen: the archive's own office table;
-- entity_decisions: merges and splits made by a user; the resolver consults them, so they
--   hold for articles ingested or analysed later.
CREATE TABLE entity_links (
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    PRIMARY KEY (entity_id, name)
) WITHOUT ROWID;

CREATE TABLE entity_roles (
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    text       TEXT NOT NULL,
    first_seen TEXT,
    last_seen  TEXT,
    mentions   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity_id, role)
) WITHOUT ROWID;
CREATE INDEX entity_roles_role ON entity_roles (role);

CREATE TABLE entity_decisions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,          -- 'merge' (name joins entity_id) or 'split' (name leaves it)
    entity_id  INTEGER NOT NULL,
    name       TEXT NOT NULL,          -- a normalised name (rasid.entities.names.normalize_entity_name)
    other_id   INTEGER,                -- split: the entity the name went to
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX entity_decisions_name ON entity_decisions (name);
