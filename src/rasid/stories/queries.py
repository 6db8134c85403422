"""Reading stories: `list_stories`, `get_story`, `story_of_article`.

Each takes the archive (`rasid.store.Store`) and returns plain JSON-ready dicts;
`get_story` adds the extractive summary and keyphrases to what the archive stores.
"""
from __future__ import annotations

from typing import Any


def list_stories(store: Any, since: str | None = None, until: str | None = None, limit: int = 20,
                 offset: int = 0, min_articles: int = 1) -> list[dict[str, Any]]:
    """Stories active in [since, until] (dates or ISO times), most recently active first."""
    return store.list_stories(since=since, until=until, limit=limit, offset=offset,
                              min_articles=min_articles)


def story_of_article(store: Any, article_id: str) -> dict[str, Any] | None:
    """The story `article_id` belongs to (list form, plus how it joined), or None."""
    return store.story_of_article(article_id)


def get_story(store: Any, story_id: int | str, summary_k: int = 5, max_docs: int = 20,
              limit: int = 15) -> dict[str, Any] | None:
    """One story: title, time span, articles in order, top entities and places, a timeline
    (articles per day), an extractive summary (``doc_id`` + offsets) and keyphrases."""
    try:
        story_id = int(story_id)
    except (TypeError, ValueError):
        return None
    out = store.get_story(story_id, limit=limit)
    if out is None:
        return None
    centroid = out.pop("centroid")
    out["duplicates"] = sum(1 for a in out["articles"] if a["duplicate_of"])
    out.update(_summarise(store, out["articles"], centroid, summary_k, max_docs))
    return out


def _summarise(store: Any, articles: list[dict], centroid: dict[str, float], k: int,
               max_docs: int) -> dict[str, Any]:
    """Summary, keyphrases and the most central title, over up to `max_docs` originals
    (near-duplicates add nothing), the most central first."""
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
