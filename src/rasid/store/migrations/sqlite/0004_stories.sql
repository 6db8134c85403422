-- rasid SQLite schema 4: near-duplicates and stories (rasid.stories; design in docs/stories.md).

-- MinHash signatures (128 x uint32, little-endian) of normalised character 5-shingles, and
-- their LSH bands: 32 bands of 4 rows; a band value is hashed to a signed 64-bit bucket.
-- A new article looks up its 32 (band, bucket_hash) keys: cost independent of archive size.
CREATE TABLE neardup_signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    signature  BLOB NOT NULL
);
CREATE TABLE neardup_bands (
    band        INTEGER NOT NULL,
    bucket_hash INTEGER NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX neardup_bands_bucket ON neardup_bands (band, bucket_hash);
CREATE INDEX neardup_bands_article ON neardup_bands (article_id);

-- An article whose text is a near-copy of an earlier one; duplicate_of is always the first
-- copy (chains are collapsed). similarity: the estimated Jaccard of the shingle sets.
CREATE TABLE near_duplicates (
    article_id   TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    duplicate_of TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    similarity   REAL NOT NULL
);
CREATE INDEX near_duplicates_of ON near_duplicates (duplicate_of);

-- Stories: online clusters of articles. centroid: JSON {term: weight}, the top terms of
-- the sum of the members' unit TF-IDF vectors; n_vectors: how many vectors were summed.
CREATE TABLE stories (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL DEFAULT '',
    first_published TEXT,
    last_published  TEXT,
    article_count   INTEGER NOT NULL DEFAULT 0,
    centroid        TEXT NOT NULL DEFAULT '{}',
    n_vectors       INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX stories_last ON stories (last_published);

-- Members; article_id UNIQUE: an article belongs to at most one story (re-runs skip it).
-- similarity: the score that made it join (1 for the founder); duplicate_of: set for a
-- near-duplicate that joined its original's story without changing the story.
CREATE TABLE story_articles (
    story_id     INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    article_id   TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
    published    TEXT,
    added_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    similarity   REAL NOT NULL DEFAULT 1.0,
    duplicate_of TEXT
);
CREATE INDEX story_articles_story ON story_articles (story_id, published);

-- Inverted indexes for candidate retrieval, restricted to recently active stories:
-- the story's top centroid terms and its resolved entities, with the story's last date.
CREATE TABLE story_terms (
    term           TEXT NOT NULL,
    story_id       INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    last_published TEXT,
    PRIMARY KEY (term, story_id)
) WITHOUT ROWID;
CREATE INDEX story_terms_recent ON story_terms (term, last_published);
CREATE INDEX story_terms_story ON story_terms (story_id);

CREATE TABLE story_entities (
    entity_id      INTEGER NOT NULL,
    story_id       INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    articles       INTEGER NOT NULL DEFAULT 1,
    last_published TEXT,
    PRIMARY KEY (entity_id, story_id)
) WITHOUT ROWID;
CREATE INDEX story_entities_recent ON story_entities (entity_id, last_published);
CREATE INDEX story_entities_story ON story_entities (story_id);
