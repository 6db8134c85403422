-- rasid SQLite schema 20: per-term document counts of the search index, read by
-- more-like-this to weight an article's key terms (rasid.search.similar).
-- fts5vocab 'row': one row per term with `doc` (articles holding it) and `cnt`.
CREATE VIRTUAL TABLE articles_fts_vocab USING fts5vocab (articles_fts, 'row');
