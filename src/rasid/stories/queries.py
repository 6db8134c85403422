"""Reading stories: `list_stories`, `get_story`, `story_of_article`.

Each takes the archive (`rasid.store.Store`) and returns plain JSON-ready dicts;
`get_story` adds the extractive summary and keyphrases to what the archive stores.

What a reader sees is decided here, once for every shell (CLI, API, web UI):

* the list puts the stories of at least two articles first (each group most recently
  active first), since a one-article "story" is only an article;
* a story's title is `story_title`: the title of the article that started it (stored with
  the story), without a news-agency section label such as ``عام /``; list, page and API
  show the same title;
* an article without a publication date keeps it unknown; it counts in the story (its
  place in the articles and the timeline) at the time it was first seen, marked
  ``time_basis: "first_seen"`` (articles) and ``first_seen`` (timeline days);
* the summary has at most `SUMMARY_SENTENCES` sentences and never two near-identical ones
  (`is_near_identical`: syndicated copies that the near-duplicate step did not link repeat
  sentences word for word or nearly so).
"""
from __future__ import annotations

import re
from typing import Any

SUMMARY_SENTENCES = 3
#: share of the shorter sentence's words found in the other above which two summary
#: sentences are the same sentence (a copy with a dateline, a word changed or added)
NEAR_IDENTICAL_SHARE = 0.7
#: a news-agency section label that opens a title: "عام / ..." (SPA), "رياضي / ..."
_SECTION_LABEL_RE = re.compile(r"^\s*(?:عام|محلي|دولي|رياضي|اقتصادي|ثقافي|سياسي)\s*/\s*")


def story_title(title: str | None, story_id: int | None = None) -> str:
    """The title a story is shown with everywhere (see module doc)."""
    text = " ".join((title or "").split())
    text = _SECTION_LABEL_RE.sub("", text) or text
    return text or (f"قصة {story_id}" if story_id is not None else "")


def _titled(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is not None:
        row["title"] = story_title(row.get("title"), row.get("id"))
    return row


def list_stories(store: Any, since: str | None = None, until: str | None = None, limit: int = 20,
                 offset: int = 0, min_articles: int = 1) -> list[dict[str, Any]]:
    """Stories active in [since, until] (dates or ISO times): those of two articles or more
    first, then the others; each group most recently active first."""
    window = {"since": since, "until": until}
    if min_articles >= 2:
        rows = store.list_stories(limit=limit, offset=offset, min_articles=min_articles, **window)
        return [_titled(r) for r in rows]
    multi = store.list_stories(limit=offset + limit, offset=0, min_articles=2, **window)
    rows = multi[offset:offset + limit]
    if len(rows) < limit and len(multi) < offset + limit:  # every multi-article story is in `multi`
        skip = max(0, offset - len(multi))  # one-article stories before this page
        need = limit - len(rows)
        # the first skip + need + len(multi) stories hold at least skip + need single ones
        every = store.list_stories(limit=skip + need + len(multi), offset=0, min_articles=1, **window)
        rows += [r for r in every if r["article_count"] < 2][skip:skip + need]
    return [_titled(r) for r in rows]


def story_of_article(store: Any, article_id: str) -> dict[str, Any] | None:
    """The story `article_id` belongs to (list form, plus how it joined), or None."""
    return _titled(store.story_of_article(article_id))


def get_story(store: Any, story_id: int | str, summary_k: int = SUMMARY_SENTENCES, max_docs: int = 20,
              limit: int = 15) -> dict[str, Any] | None:
    """One story: title, time span, articles in order, top entities and places, a timeline
    (articles per day), an extractive summary (``doc_id`` + offsets) and keyphrases."""
    try:
        story_id = int(story_id)
    except (TypeError, ValueError):
        return None
    out = _titled(store.get_story(story_id, limit=limit))
    if out is None:
        return None
    out.pop("centroid")
    for a in out["articles"]:  # an undated article counts when it was first seen, and says so
        a["time_basis"] = "published" if a["published"] else "first_seen"
    out["duplicates"] = sum(1 for a in out["articles"] if a["duplicate_of"])
    out.update(_summarise(store, out["articles"], summary_k, max_docs))
    return out


def _summarise(store: Any, articles: list[dict], k: int, max_docs: int) -> dict[str, Any]:
    """Summary and keyphrases over up to `max_docs` originals (near-duplicates add
    nothing), the most central first."""
    from ..summarise import extract_story_keyphrases, summarise_story
    from ..summarise.terms import ensure_tokens

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
    by_id = {d.id: d for d in docs}
    for doc_id, span in summarise_story(docs, k=2 * k + 2):  # spares for the near-identical
        text = by_id[doc_id].text[span.start:span.end]
        if any(is_near_identical(text, s["text"]) for s in out["summary"]):
            continue
        out["summary"].append({"doc_id": doc_id, "start": span.start, "end": span.end, "text": text,
                               "rank": len(out["summary"]), "title": by_id[doc_id].title})
        if len(out["summary"]) >= k:
            break
    phrases = extract_story_keyphrases(docs, k=10)
    for p in phrases:
        p["spans"] = [list(s) for s in p.get("spans", [])[:10]]
    out["keyphrases"] = phrases
    return out


def sentence_words(text: str) -> set[str]:
    """The normalised words of a sentence (diacritics, hamza forms and clitic و dropped)."""
    from ..arabic.normalize import normalize_name

    words = set()
    for w in normalize_name(text).split():
        w = w.strip(".,،؛:!?؟«»\"'()[]-–—")
        if len(w) > 2 and w.startswith("و"):
            w = w[1:]
        if w:
            words.add(w)
    return words


def is_near_identical(a: str, b: str) -> bool:
    """Whether two sentences are the same sentence, give or take a dateline or a few words:
    at least `NEAR_IDENTICAL_SHARE` of the shorter one's words are in the other."""
    wa, wb = sentence_words(a), sentence_words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= NEAR_IDENTICAL_SHARE
