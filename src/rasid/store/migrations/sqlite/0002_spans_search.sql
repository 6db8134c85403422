-- rasid SQLite schema 2: annotation spans and the full-text index.

-- One row per span of every layer except tokens/sentences, offsets into articles.text.
CREATE TABLE spans (
    rowid      INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    layer      TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    text       TEXT,
    attrs      TEXT NOT NULL DEFAULT '{}'     -- JSON: the span's other fields
);
CREATE INDEX spans_article ON spans (article_id, layer);
CREATE INDEX spans_layer_label ON spans (layer, label, text);

-- Backfill from the layers JSON of articles stored under schema 1.
INSERT INTO spans (article_id, layer, start, "end", label, text, attrs)
SELECT a.id, l.key,
       json_extract(s.value, '$.start'), json_extract(s.value, '$.end'),
       coalesce(json_extract(s.value, '$.label'), ''), json_extract(s.value, '$.text'),
       json_remove(s.value, '$.start', '$.end', '$.label', '$.text')
FROM articles AS a, json_each(a.layers) AS l, json_each(l.value) AS s
WHERE l.key NOT IN ('tokens', 'sentences');

-- Full-text index over analysed terms (rasid.search.analyzer), rowid = articles.rowid.
-- Terms are already normalised, so unicode61 must not touch them (remove_diacritics 0).
-- Contentless: the terms are recomputed from articles.text when needed.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title_stem, title_exact, body_stem, body_exact,
    content = '', tokenize = 'unicode61 remove_diacritics 0'
);

-- What the index was built with; the store rebuilds it when the analyzer changes
-- (and so fills it for articles stored under schema 1).
CREATE TABLE index_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
