"""Reading stories: `list_stories`, `get_story`, `story_of_article`.

Each takes the `SqliteStore` (or a bare sqlite3 connection for the list/lookup functions)
and returns plain JSON-ready dicts.
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
from typing import Any, Iterator

_LIST_COLUMNS = "id, title, first_published, last_published, article_count, updated_at"


@contextlib.contextmanager
def _connection(store: Any) -> Iterator[sqlite3.Connection]:
    if isinstance(store, sqlite3.Connection):
        yield store
        return
    with store._lock:
        yield store.con


def _story_row(row: tuple) -> dict[str, Any]:
    return {"id": row[0], "title": row[1], "first_published": row[2], "last_published": row[3],
            "article_count": row[4], "updated_at": row[5]}


def list_stories(store: Any, since: str | None = None, until: str | None = None, limit: int = 20,
                 offset: int = 0, min_articles: int = 1) -> list[dict[str, Any]]:
    """Stories active in [since, until] (dates or ISO times), most recently active first."""
    where, args = ["article_count >= ?"], [min_articles]
    if since:
        where.append("last_published >= ?")
        args.append(since[:19])
    if until:
        where.append("substr(first_published, 1, 10) <= ?")
        args.append(until[:10])
    limit = max(1, min(int(limit), 1000))
    with _connection(store) as con:
        rows = con.execute(f"SELECT {_LIST_COLUMNS} FROM stories WHERE {' AND '.join(where)} "
                           "ORDER BY last_published DESC, id DESC LIMIT ? OFFSET ?",
                           [*args, limit, max(0, int(offset))]).fetchall()
    return [_story_row(r) for r in rows]


def story_of_article(store: Any, article_id: str) -> dict[str, Any] | None:
    """The story `article_id` belongs to (list form, plus how it joined), or None."""
    with _connection(store) as con:
        row = con.execute(f"SELECT {', '.join('s.' + c.strip() for c in _LIST_COLUMNS.split(','))}, "
                          "sa.similarity, sa.duplicate_of FROM story_articles sa JOIN stories s "
                          "ON s.id = sa.story_id WHERE sa.article_id = ?", (article_id,)).fetchone()
    if not row:
        return None
    out = _story_row(row[:6])
    out.update({"similarity": row[6], "duplicate_of": row[7]})
    return out


def get_story(store: Any, story_id: int | str, summary_k: int = 5, max_docs: int = 20,
              limit: int = 15) -> dict[str, Any] | None:
    """One story: title, time span, articles in order, top entities and places, a timeline
    (articles per day), an extractive summary (``doc_id`` + offsets) and keyphrases."""
    try:
        story_id = int(story_id)
    except (TypeError, ValueError):
        return None
    with _connection(store) as con:
        row = con.execute(f"SELECT {_LIST_COLUMNS}, centroid FROM stories WHERE id = ?",
                          (story_id,)).fetchone()
        if not row:
            return None
        out = _story_row(row[:6])
        centroid = json.loads(row[6])
        members = "SELECT article_id FROM story_articles WHERE story_id = ?"
        articles = [{"id": i, "title": t, "published": p, "source": s, "url": u,
                     "similarity": sim, "duplicate_of": d}
                    for i, t, p, s, u, sim, d in con.execute(
            "SELECT a.id, a.title, a.published, a.source, a.url, sa.similarity, sa.duplicate_of "
            "FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? "
            "ORDER BY coalesce(sa.published, a.published), a.rowid", (story_id,))]
        entities = [{"id": i, "canonical": c, "type": t, "latin": la, "mentions": m, "articles": n}
                    for i, c, t, la, m, n in con.execute(
            "SELECT e.id, e.canonical, e.type, e.latin, count(*) AS m, count(DISTINCT m.article_id) "
            f"AS n FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN ({members}) "
            "GROUP BY e.id ORDER BY n DESC, m DESC, e.id LIMIT ?", (story_id, limit))]
        places = [{"name": r[0], "name_en": r[1], "country": r[2], "lat": r[3], "lon": r[4],
                   "feature": r[5], "mentions": r[6], "articles": r[7]} for r in con.execute(
            "SELECT json_extract(attrs, '$.name'), json_extract(attrs, '$.name_en'), "
            "json_extract(attrs, '$.country'), json_extract(attrs, '$.lat'), "
            "json_extract(attrs, '$.lon'), json_extract(attrs, '$.feature'), count(*) AS m, "
            f"count(DISTINCT article_id) AS n FROM spans WHERE layer = 'places' AND article_id IN ({members}) "
            "AND json_extract(attrs, '$.relation') IS NULL "
            "GROUP BY json_extract(attrs, '$.gazetteer_id') ORDER BY n DESC, m DESC LIMIT ?",
            (story_id, limit))]
        timeline = [{"date": d, "articles": n} for d, n in con.execute(
            "SELECT substr(coalesce(sa.published, a.published), 1, 10) AS d, count(*) FROM story_articles sa "
            "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? GROUP BY d ORDER BY d",
            (story_id,))]
    out.update({"articles": articles, "entities": entities, "places": places, "timeline": timeline,
                "duplicates": sum(1 for a in articles if a["duplicate_of"])})
    out.update(_summarise(store, articles, centroid, summary_k, max_docs))
    return out


def _summarise(store: Any, articles: list[dict], centroid: dict[str, float], k: int,
               max_docs: int) -> dict[str, Any]:
    """Summary, keyphrases and the most central title, over up to `max_docs` originals
    (near-duplicates add nothing), the most central first."""
    if isinstance(store, sqlite3.Connection) or not hasattr(store, "get_document"):
        return {"summary": [], "keyphrases": []}
    from ..summarise import extract_story_keyphrases, summarise_story
    from ..summarise.terms import compute_cosine, ensure_tokens
    from .tracker import compute_doc_vector

    originals = [a for a in articles if not a["duplicate_of"]]
    originals.sort(key=lambda a: -(a["similarity"] or 0.0))
    docs = []
    for a in originals[:max_docs]:
        doc = store.get_document(a["id"])
        if doc is not None:
            ensure_tokens(doc)
            docs.append(doc)
    out: dict[str, Any] = {"summary": [], "keyphrases": []}
    if not docs:
        return out
    central = max(docs, key=lambda d: (compute_cosine(compute_doc_vector(d), centroid), -docs.index(d)))
    if central.title:
        out["title"] = central.title
    by_id = {d.id: d for d in docs}
    out["summary"] = [{"doc_id": doc_id, "start": span.start, "end": span.end,
                       "text": by_id[doc_id].text[span.start:span.end], "rank": span.attrs.get("rank"),
                       "title": by_id[doc_id].title}
                      for doc_id, span in summarise_story(docs, k=k)]
    phrases = extract_story_keyphrases(docs, k=10)
    for p in phrases:
        p["spans"] = [list(s) for s in p.get("spans", [])[:10]]
    out["keyphrases"] = phrases
    return out
