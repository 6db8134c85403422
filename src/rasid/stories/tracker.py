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
   by the ``resolve_entities`` step) are looked up in the story term / entity indexes restricted to stories
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
original's story and change nothing else. `StoryTracker.process(archive, docs)` is the
work of the ``stories`` archive step (`rasid.archive_steps`): one transaction per call,
through the archive interface; an article already in a story is skipped, so running it
again changes nothing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import dropwhile, takewhile
from typing import Any, Iterable

from ..arabic.tokenize import tokenize
from ..doc import Document
from ..summarise.terms import compute_cosine, compute_norm, weigh_term


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
            term = weigh_term(tok.norm, tok.base)
            if term is None:
                continue
            key, word_idf = term
            tf[key] = tf.get(key, 0.0) + weight
            idf[key] = max(idf.get(key, 0.0), word_idf)

    # a plain-text article's text begins with its title line (`Document.title_end`): the same
    # vector as when the title was apart, its lead the text after that line
    head = doc.title_end
    if doc.title and doc.title.strip() != (doc.text or "").strip():
        add(takewhile(lambda t: t.end <= head, tokens) if head else tokenize(doc.title),
            config.title_weight, None)
    add(dropwhile(lambda t: t.start < head, tokens), 1.0, config.lead_tokens)
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
                story_ents: set[int], gap_days: float, config: TrackerConfig = DEFAULT_CONFIG,
                norms: tuple[float, float] | None = None) -> tuple[float, float, float]:
    """``(score, cosine, shared_entities)`` of an article against a story. `ents` maps the
    article's entity ids to their specificity weights; `norms`: those of `vec` and
    `centroid` when known (`compute_norm`)."""
    norm_vec, norm_centroid = norms or (None, None)
    cos = compute_cosine(vec, centroid, norm_b=norm_centroid, norm_a=norm_vec)
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
    """Assigns stored articles to stories through the archive interface (see module doc)."""

    def __init__(self, config: TrackerConfig | None = None):
        self.config = config or TrackerConfig()

    def compute_features(self, doc: Document) -> tuple[dict[str, float], str]:
        """The article's vector and time (what `process` needs besides the archive)."""
        return compute_doc_vector(doc, self.config), convert_doc_time(doc)

    def process(self, archive: Any, docs: Iterable[Document],
                features: dict[str, tuple[dict[str, float], str]] | None = None) -> list[Assignment]:
        """Assign each of `docs` (stored articles) not yet in a story, in one transaction.
        `features`: `compute_features` of some of them, done beforehand."""
        docs = [d for d in docs if d.id]
        features = dict(features or {})
        for d in docs:
            if d.id not in features:
                features[d.id] = self.compute_features(d)
        out: list[Assignment] = []
        with archive.transaction():
            n_articles = archive.latest_article_seq() or 1
            ids = [d.id for d in docs]  # what each article's status is, read once for the batch
            in_story, stored = archive.get_story_ids(ids), archive.find_stored_articles(ids)
            recorded = archive.get_near_duplicates([d.id for d in docs
                                                    if not d.meta.get("near_duplicate_of")])
            ents_of = {d.id: extract_entity_ids(d) for d in docs}  # the resolve_entities step set them
            # mention counts do not change in this step: one read for the batch
            counts = archive.count_entity_mentions(sorted({e for ents in ents_of.values()
                                                           for e in list(ents)[:200]}))
            stories: dict[int, dict[str, Any]] = {}  # the batch's centroids, read once each
            for doc in docs:
                if doc.id in in_story or doc.id not in stored:
                    continue  # done before (a re-run changes nothing), or not stored
                vec, when = features[doc.id]
                ents = ents_of[doc.id]
                if not ents and not doc.layers.get("entities"):
                    ents = archive.count_article_mentions(doc.id)
                    counts.update(archive.count_entity_mentions(list(ents)[:200]))
                dup = self._duplicate_of(doc, recorded)
                res = None
                if dup:
                    res = self._join_duplicate(archive, doc.id, when, dup)
                if res is None:
                    weights = self.weigh_entities(archive, ents, n_articles, counts)
                    res = self.assign(archive, doc.id, doc.title or doc.text[:120], when, vec, weights,
                                      stories)
                in_story[doc.id] = res.story_id  # an article given twice is assigned once
                out.append(res)
        return out

    @staticmethod
    def _duplicate_of(doc: Document, recorded: dict[str, tuple[str, float]]) -> tuple[str, float] | None:
        """The article's original: from its meta (the near_duplicates step), else as recorded."""
        if doc.meta.get("near_duplicate_of"):
            return doc.meta["near_duplicate_of"], float(doc.meta.get("near_duplicate_similarity") or 1.0)
        return recorded.get(doc.id)

    @staticmethod
    def _join_duplicate(archive: Any, article_id: str, when: str,
                        dup: tuple[str, float]) -> Assignment | None:
        sid = archive.get_story_id(dup[0])
        if sid is None:
            return None  # the original is in no story (stored before stories were on)
        archive.add_story_article(sid, article_id, when, dup[1], dup[0])
        return Assignment(article_id, sid, dup[1], False, dup[0])

    def weigh_entities(self, archive: Any, ents: dict[int, int], n_articles: int,
                       counts: dict[int, int] | None = None) -> dict[int, float]:
        """Specificity (IDF from mention counts) of the article's entities. The
        `query_entities` kept are the most salient: IDF x (1 + log of the mentions in this
        article), so that the names an article is about (named several times) come before
        names it mentions once, which are the rarest but rarely shared with another article."""
        if not ents:
            return {}
        ids = list(ents)[:200]
        if counts is None or any(e not in counts for e in ids):
            counts = archive.count_entity_mentions(ids)
        weights = {e: math.log((n_articles + 1.0) / (counts.get(e, 0) + 1.0)) for e in ids}
        weights = {e: w for e, w in weights.items() if w > 0.5}
        top = sorted(weights.items(), key=lambda kv: (-kv[1] * (1.0 + math.log(max(ents[kv[0]], 1))), kv[0]))
        return dict(top[:self.config.query_entities])

    def find_candidates(self, archive: Any, vec: dict[str, float], ents: dict[int, float],
                        when: str) -> list[int]:
        cfg = self.config
        t = _parse_time(when) or datetime.now(timezone.utc).replace(tzinfo=None)
        since = (t - timedelta(days=cfg.window_days)).strftime(_TIME_FMT)
        weight: dict[int, float] = {}
        terms = sorted(vec.items(), key=lambda kv: -kv[1])[:cfg.query_terms]
        by_term = archive.find_stories_by_terms([t for t, _ in terms], since, cfg.per_key_limit)
        for term, w in terms:
            for sid in by_term.get(term, ()):
                weight[sid] = weight.get(sid, 0.0) + w
        total = sum(ents.values()) or 1.0
        by_entity = archive.find_stories_by_entities(list(ents), since, cfg.per_key_limit) if ents else {}
        for eid, w in ents.items():
            for sid in by_entity.get(eid, ()):
                weight[sid] = weight.get(sid, 0.0) + w / total
        return [s for s, _ in sorted(weight.items(), key=lambda kv: (-kv[1], -kv[0]))[:cfg.max_candidates]]

    def assign(self, archive: Any, article_id: str, title: str, when: str, vec: dict[str, float],
               ents: dict[int, float], stories: dict[int, dict[str, Any]] | None = None) -> Assignment:
        """Join the best candidate story or start one (inside the caller's transaction).
        `stories`: the `get_story_centroids` rows read so far in this transaction, kept up to
        date here (a story's centroid and days change only by this tracker's writes)."""
        cfg = self.config
        stories = {} if stories is None else stories
        cands = self.find_candidates(archive, vec, ents, when)
        best: tuple[float, int, dict, str, str] | None = None
        vec_norm = compute_norm(vec)
        if cands:
            story_ents = archive.get_story_entities(cands, list(ents))
            for row in archive.get_story_centroids([c for c in cands if c not in stories]):
                stories[row["id"]] = row
            for story in (stories[c] for c in sorted(set(cands)) if c in stories):
                sid, cvec = story["id"], story["centroid"]
                first, last = story["first_published"], story["last_published"]
                gap = compute_gap_days(when, first, last)
                if gap > cfg.window_days:
                    continue
                if "norm" not in story:  # once per centroid, not once per article scored
                    story["norm"] = compute_norm(cvec)
                score = score_story(vec, ents, cvec, story_ents.get(sid, set()), gap, cfg,
                                    (vec_norm, story["norm"]))[0]
                if best is None or score > best[0] or (score == best[0] and sid < best[1]):
                    best = (score, sid, cvec, first, last)
        if best is not None and best[0] >= cfg.join_threshold:
            score, sid, cvec, first, last = best
            stories[sid] = self._update_story(archive, sid, cvec, vec, ents, when, first, last)
            archive.add_story_article(sid, article_id, when, round(score, 4))
            return Assignment(article_id, sid, score, False)
        centroid = self._truncate(vec)
        sid = archive.create_story((title or "").strip()[:300], when, centroid,
                                   self._index_terms(centroid), list(ents))
        stories[sid] = _story_row(sid, centroid, when, when)
        archive.add_story_article(sid, article_id, when, 1.0)
        return Assignment(article_id, sid, 1.0, True)

    def _truncate(self, vec: dict[str, float]) -> dict[str, float]:
        top = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:self.config.centroid_terms]
        return {k: round(w, 5) for k, w in top}

    def _index_terms(self, centroid: dict[str, float]) -> list[str]:
        return sorted(centroid, key=lambda k: -centroid[k])[:self.config.index_terms]

    def _update_story(self, archive: Any, sid: int, cvec: dict[str, float], vec: dict[str, float],
                      ents: dict[int, float], when: str, first: str | None, last: str | None) -> dict[str, Any]:
        """Add the article's vector to the story; its `get_story_centroids` row as now stored."""
        merged = dict(cvec)
        for k, w in vec.items():
            merged[k] = merged.get(k, 0.0) + w
        centroid = self._truncate(merged)
        new_first = min(x for x in (first, when) if x)
        new_last = max(x for x in (last, when) if x)
        archive.update_story(sid, centroid, new_first, new_last, self._index_terms(centroid), list(ents))
        return _story_row(sid, centroid, new_first, new_last)


def _story_row(sid: int, centroid: dict[str, float], first: str, last: str) -> dict[str, Any]:
    """The row `get_story_centroids` reads back for what was just written (the centroid's JSON
    gives back the same floats, in the same order)."""
    return {"id": sid, "centroid": centroid, "first_published": first, "last_published": last}
