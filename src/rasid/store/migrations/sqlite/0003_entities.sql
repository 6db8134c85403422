-- rasid SQLite schema 3: resolved entities across the archive.
-- One row per entity (canonical name, type, Latin form, aliases, counts, first/last seen);
-- entity_keys holds the matching keys of rasid.entities.resolver.compute_name_keys;
-- mentions ties every entity span of an article (with its offsets) to its entity.
CREATE TABLE entities (
    id            INTEGER PRIMARY KEY,
    canonical     TEXT NOT NULL,
    type          TEXT NOT NULL,
    latin         TEXT NOT NULL DEFAULT '',
    aliases       TEXT NOT NULL DEFAULT '[]',   -- JSON list of surface forms
    mention_count INTEGER NOT NULL DEFAULT 0,
    first_seen    TEXT,
    last_seen     TEXT
);
CREATE INDEX entities_type_count ON entities (type, mention_count DESC);

CREATE TABLE entity_keys (
    key       TEXT NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;
CREATE INDEX entity_keys_entity ON entity_keys (entity_id);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    sentence   INTEGER
);
CREATE INDEX mentions_entity ON mentions (entity_id, article_id);
CREATE INDEX mentions_article ON mentions (article_id);
