"""Online story tracking: each new article joins an existing story or starts one.

No re-clustering: a story is a centroid (its top terms, JSON) plus inverted-index rows,
and a new article only looks at a bounded set of candidate stories:

1. **Vector.** TF-IDF over the title (counted `title_weight` times) and the first
   `lead_tokens` words of the body: term = clitic-free light10 stem
   (`rasid.summarise.terms.convert_term`), IDF from the shipped word-frequency lexicon
   (static, so the cost does not grow with the archive), stopwords and numbers left out,
   top `doc_terms` kept, unit length.
2. **Candidates.** The article's `query_terms` heaviest terms and its `query_entities`
   most specific resolved entities (``entity_id`` on ``doc.layers["entities"]`` spans, set
   by the store) are looked up in ``story_terms`` / ``story_entities`` restricted to stories
   active in the last `window_days` (indexed on (key, last_published)), at most
   `per_key_limit` stories per key, and the `max_candidates` stories with the most weight
   are scored. Every step is bounded, whatever the archive size.
3. **Score.** ``cos(article, centroid) + w_entities * shared_entities - day_penalty * gap``,
   where ``shared_entities`` is the IDF-weighted share of the article's entities that the
   story has (entity IDF from ``entities.mention_count``), and ``gap`` is the distance in
   days from the article's date to the story's span. The best story with a score of at
   least `join_threshold` is joined (centroid += vector, truncated to `centroid_terms`);
   otherwise the article starts a story.

Near-duplicates (``doc.meta["near_duplicate_of"]``, see `rasid.stories.neardup`) join their
original's story and change nothing else. `StoryTracker.process(store, docs)` is the
after-store hook: one transaction per call; an article already in ``story_articles`` is
skipped, so running it again changes nothing.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

from ..arabic.tokenize import tokenize
from ..doc import Document
from ..summarise.terms import compute_cosine, compute_idf, convert_term, is_stopword


@dataclass
class TrackerConfig:
    window_days: float = 2.0
    join_threshold: float = 0.25
    w_entities: float = 0.25
    day_penalty: float = 0.03
    title_weight: float = 2.0
    lead_tokens: int = 300
    doc_terms: int = 40
    query_terms: int = 12
    query_entities: int = 8
    centroid_terms: int = 80
    index_terms: int = 25
    per_key_limit: int = 40
    max_candidates: int = 30


DEFAULT_CONFIG = TrackerConfig()
_TIME_FMT = "%Y-%m-%dT%H:%M:%S"


# -- article features --------------------------------------------------------------------------
def compute_doc_vector(doc: Document, config: TrackerConfig = DEFAULT_CONFIG) -> dict[str, float]:
    """Unit-length TF-IDF vector of the title and lead (see module doc)."""
    tokens = doc.tokens or tokenize(doc.text or "")
    tf: dict[str, float] = {}
    idf: dict[str, float] = {}

    def add(toks: Iterable[Any], weight: float, limit: int | None) -> None:
        n = 0
        for tok in toks:
            if tok.kind != "word":
                continue
            n += 1
            if limit is not None and n > limit:
                break
            if is_stopword(tok) or len((tok.base or tok.norm)) < 2:
                continue
            key = convert_term(tok)
            tf[key] = tf.get(key, 0.0) + weight
            idf[key] = max(idf.get(key, 0.0), compute_idf(tok.norm))

    if doc.title and doc.title.strip() != (doc.text or "").strip():
        add(tokenize(doc.title), config.title_weight, None)
    add(tokens, 1.0, config.lead_tokens)
    vec = {k: (1.0 + math.log(v)) * idf[k] for k, v in tf.items() if v > 0}
    top = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:config.doc_terms]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {k: w / norm for k, w in top}


def extract_entity_ids(doc: Document) -> dict[int, int]:
    """``{entity_id: mentions}`` from the resolved entity spans of `doc`."""
    out: dict[int, int] = {}
    for span in doc.layers.get("entities", []):
        eid = span.attrs.get("entity_id")
        if eid is not None:
            out[int(eid)] = out.get(int(eid), 0) + 1
    return out


def convert_doc_time(doc: Document, default: datetime | None = None) -> str:
    """The article's publication time as ``YYYY-MM-DDTHH:MM:SS`` (UTC), else `default`/now."""
    value = (doc.published or "").strip()
    if value:
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
            if dt.tzinfo is not None:
                dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
            return dt.strftime(_TIME_FMT)
        except ValueError:
            pass
    dt = default or datetime.now(timezone.utc).replace(tzinfo=None)
    return dt.strftime(_TIME_FMT)


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:19])
    except ValueError:
        return None


def compute_gap_days(when: str, first: str | None, last: str | None) -> float:
    """Days from `when` to the span [first, last] (0 inside it)."""
    t, a, b = _parse_time(when), _parse_time(first), _parse_time(last)
    if t is None or a is None or b is None:
        return 0.0
    if t < a:
        return (a - t).total_seconds() / 86400.0
    if t > b:
        return (t - b).total_seconds() / 86400.0
    return 0.0


def score_story(vec: dict[str, float], ents: dict[int, float], centroid: dict[str, float],
                story_ents: set[int], gap_days: float,
                config: TrackerConfig = DEFAULT_CONFIG) -> tuple[float, float, float]:
    """``(score, cosine, shared_entities)`` of an article against a story. `ents` maps the
    article's entity ids to their specificity weights."""
    cos = compute_cosine(vec, centroid)
    total = sum(ents.values())
    shared = (sum(w for e, w in ents.items() if e in story_ents) / total) if total > 0 else 0.0
    score = cos + config.w_entities * shared - config.day_penalty * gap_days
    return score, cos, shared


def score_documents(a: Document, b: Document, config: TrackerConfig = DEFAULT_CONFIG) -> float:
    """The tracker's score for `b` joining a story made of `a` alone (used for pairs)."""
    ents_a, ents_b = extract_entity_ids(a), extract_entity_ids(b)
    weights = {e: 1.0 for e in ents_b}
    gap = compute_gap_days(convert_doc_time(b), convert_doc_time(a), convert_doc_time(a)) \
        if a.published and b.published else 0.0
    return score_story(compute_doc_vector(b, config), weights, compute_doc_vector(a, config),
                       set(ents_a), gap, config)[0]


# -- the hook --------------------------------------------------------------------------------
@dataclass
class Assignment:
    article_id: str
    story_id: int
    similarity: float
    new_story: bool
    duplicate_of: str | None = None


class StoryTracker:
    """The story after-store hook (see module doc)."""

    def __init__(self, config: TrackerConfig | None = None):
        self.config = config or TrackerConfig()

    def __call__(self, store: Any, docs: list[Document]) -> None:
        self.process(store, docs)

    def process(self, store: Any, docs: Iterable[Document]) -> list[Assignment]:
        docs = [d for d in docs if d.id]
        features = {d.id: (compute_doc_vector(d, self.config), extract_entity_ids(d),
                           convert_doc_time(d)) for d in docs}  # outside the lock
        out: list[Assignment] = []
        with store._lock:
            con = store.con
            con.execute("BEGIN IMMEDIATE")
            try:
                n_articles = con.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 1
                for doc in docs:
                    if con.execute("SELECT 1 FROM story_articles WHERE article_id = ?",
                                   (doc.id,)).fetchone():
                        continue  # done before: a re-run changes nothing
                    if not con.execute("SELECT 1 FROM articles WHERE id = ?", (doc.id,)).fetchone():
                        continue  # not stored (hooks only get stored documents)
                    vec, ents, when = features[doc.id]
                    if not ents and not doc.layers.get("entities"):
                        ents = dict(con.execute("SELECT entity_id, count(*) FROM mentions WHERE "
                                                "article_id = ? GROUP BY entity_id", (doc.id,)))
                    dup = self._duplicate_of(con, doc)
                    res = None
                    if dup:
                        res = self._join_duplicate(con, doc.id, when, dup)
                    if res is None:
                        weights = self.weigh_entities(con, ents, n_articles)
                        res = self.assign(con, doc.id, doc.title or doc.text[:120], when, vec, weights)
                    out.append(res)
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        return out

    @staticmethod
    def _duplicate_of(con, doc: Document) -> tuple[str, float] | None:
        if doc.meta.get("near_duplicate_of"):
            return doc.meta["near_duplicate_of"], float(doc.meta.get("near_duplicate_similarity") or 1.0)
        row = con.execute("SELECT duplicate_of, similarity FROM near_duplicates WHERE article_id = ?",
                          (doc.id,)).fetchone()
        return (row[0], row[1]) if row else None

    @staticmethod
    def _join_duplicate(con, article_id: str, when: str, dup: tuple[str, float]) -> Assignment | None:
        row = con.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (dup[0],)).fetchone()
        if not row:
            return None  # the original is in no story (stored before stories were on)
        con.execute("INSERT INTO story_articles (story_id, article_id, published, similarity, "
                    "duplicate_of) VALUES (?, ?, ?, ?, ?)", (row[0], article_id, when, dup[1], dup[0]))
        con.execute("UPDATE stories SET article_count = article_count + 1, updated_at = "
                    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", (row[0],))
        return Assignment(article_id, row[0], dup[1], False, dup[0])

    def weigh_entities(self, con, ents: dict[int, int], n_articles: int) -> dict[int, float]:
        """Specificity (IDF from mention counts) of the article's entities. The
        `query_entities` kept are the most salient: IDF x (1 + log of the mentions in this
        article), so that the names an article is about (named several times) come before
        names it mentions once, which are the rarest but rarely shared with another article."""
        if not ents:
            return {}
        ids = list(ents)[:200]
        counts = dict(con.execute(f"SELECT id, mention_count FROM entities WHERE id IN "
                                  f"({','.join('?' * len(ids))})", ids))
        weights = {e: math.log((n_articles + 1.0) / (counts.get(e, 0) + 1.0)) for e in ids}
        weights = {e: w for e, w in weights.items() if w > 0.5}
        top = sorted(weights.items(), key=lambda kv: (-kv[1] * (1.0 + math.log(max(ents[kv[0]], 1))), kv[0]))
        return dict(top[:self.config.query_entities])

    def find_candidates(self, con, vec: dict[str, float], ents: dict[int, float],
                        when: str) -> list[int]:
        cfg = self.config
        t = _parse_time(when) or datetime.now(timezone.utc).replace(tzinfo=None)
        since = (t - timedelta(days=cfg.window_days)).strftime(_TIME_FMT)
        weight: dict[int, float] = {}
        for term, w in sorted(vec.items(), key=lambda kv: -kv[1])[:cfg.query_terms]:
            for (sid,) in con.execute("SELECT story_id FROM story_terms WHERE term = ? AND "
                                      "last_published >= ? ORDER BY last_published DESC LIMIT ?",
                                      (term, since, cfg.per_key_limit)):
                weight[sid] = weight.get(sid, 0.0) + w
        total = sum(ents.values()) or 1.0
        for eid, w in ents.items():
            for (sid,) in con.execute("SELECT story_id FROM story_entities WHERE entity_id = ? AND "
                                      "last_published >= ? ORDER BY last_published DESC LIMIT ?",
                                      (eid, since, cfg.per_key_limit)):
                weight[sid] = weight.get(sid, 0.0) + w / total
        return [s for s, _ in sorted(weight.items(), key=lambda kv: (-kv[1], -kv[0]))[:cfg.max_candidates]]

    def assign(self, con, article_id: str, title: str, when: str, vec: dict[str, float],
               ents: dict[int, float]) -> Assignment:
        """Join the best candidate story or start one (inside the caller's transaction)."""
        cfg = self.config
        cands = self.find_candidates(con, vec, ents, when)
        best: tuple[float, int, dict, str, str] | None = None
        if cands:
            marks = ",".join("?" * len(cands))
            story_ents: dict[int, set[int]] = {}
            if ents:
                emarks = ",".join("?" * len(ents))
                for sid, eid in con.execute(
                        f"SELECT story_id, entity_id FROM story_entities WHERE story_id IN ({marks}) "
                        f"AND entity_id IN ({emarks})", [*cands, *ents]):
                    story_ents.setdefault(sid, set()).add(eid)
            for sid, centroid, first, last in con.execute(
                    f"SELECT id, centroid, first_published, last_published FROM stories "
                    f"WHERE id IN ({marks})", cands):
                gap = compute_gap_days(when, first, last)
                if gap > cfg.window_days:
                    continue
                cvec = json.loads(centroid)
                score = score_story(vec, ents, cvec, story_ents.get(sid, set()), gap, cfg)[0]
                if best is None or score > best[0] or (score == best[0] and sid < best[1]):
                    best = (score, sid, cvec, first, last)
        if best is not None and best[0] >= cfg.join_threshold:
            score, sid, cvec, first, last = best
            self._update_story(con, sid, cvec, vec, ents, when, first, last)
            con.execute("INSERT INTO story_articles (story_id, article_id, published, similarity) "
                        "VALUES (?, ?, ?, ?)", (sid, article_id, when, round(score, 4)))
            return Assignment(article_id, sid, score, False)
        centroid = self._truncate(vec)
        cur = con.execute("INSERT INTO stories (title, first_published, last_published, article_count, "
                          "centroid, n_vectors) VALUES (?, ?, ?, 1, ?, 1)",
                          ((title or "").strip()[:300], when, when,
                           json.dumps(centroid, ensure_ascii=False)))
        sid = cur.lastrowid
        self._index_story(con, sid, centroid, when)
        con.executemany("INSERT INTO story_entities (entity_id, story_id, articles, last_published) "
                        "VALUES (?, ?, 1, ?)", [(e, sid, when) for e in ents])
        con.execute("INSERT INTO story_articles (story_id, article_id, published, similarity) "
                    "VALUES (?, ?, ?, 1.0)", (sid, article_id, when))
        return Assignment(article_id, sid, 1.0, True)

    def _truncate(self, vec: dict[str, float]) -> dict[str, float]:
        top = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:self.config.centroid_terms]
        return {k: round(w, 5) for k, w in top}

    def _index_story(self, con, sid: int, centroid: dict[str, float], last: str) -> None:
        con.execute("DELETE FROM story_terms WHERE story_id = ?", (sid,))
        terms = sorted(centroid, key=lambda k: -centroid[k])[:self.config.index_terms]
        con.executemany("INSERT INTO story_terms (term, story_id, last_published) VALUES (?, ?, ?)",
                        [(t, sid, last) for t in terms])

    def _update_story(self, con, sid: int, cvec: dict[str, float], vec: dict[str, float],
                      ents: dict[int, float], when: str, first: str | None, last: str | None) -> None:
        merged = dict(cvec)
        for k, w in vec.items():
            merged[k] = merged.get(k, 0.0) + w
        centroid = self._truncate(merged)
        new_first = min(x for x in (first, when) if x)
        new_last = max(x for x in (last, when) if x)
        con.execute("UPDATE stories SET centroid = ?, n_vectors = n_vectors + 1, article_count = "
                    "article_count + 1, first_published = ?, last_published = ?, updated_at = "
                    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                    (json.dumps(centroid, ensure_ascii=False), new_first, new_last, sid))
        self._index_story(con, sid, centroid, new_last)
        if new_last != last:
            con.execute("UPDATE story_entities SET last_published = ? WHERE story_id = ?", (new_last, sid))
        con.executemany(
            "INSERT INTO story_entities (entity_id, story_id, articles, last_published) VALUES (?, ?, 1, ?) "
            "ON CONFLICT (entity_id, story_id) DO UPDATE SET articles = articles + 1",
            [(e, sid, new_last) for e in ents])
