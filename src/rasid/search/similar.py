"""More like this: an article's key terms (tf-idf over the archive) as a query, its
near-duplicates marked."""
from __future__ import annotations

import math
from collections import Counter
from typing import Any

from .analyzer import Analyzer, get_analyzer
from .plan import Form, PlanClause, QueryPlan, SearchRow
from .stopwords import is_stopword

KEY_TERMS = 12
#: word-set overlap (Jaccard) from which a similar article is a near-duplicate
NEAR_DUPLICATE = 0.6


def extract_key_terms(title: str, text: str, store: Any, analyzer: Analyzer,
                      n: int = KEY_TERMS) -> list[tuple[str, str, float]]:
    """``(stem, exact, weight)`` of the `n` terms that best tell the article apart:
    term frequency (title words count three times) times inverse document frequency."""
    tf: Counter = Counter()
    exact_of: dict[str, str] = {}
    for weight, part in ((3, title or ""), (1, text)):
        for t in analyzer.analyze(part):
            if len(t.exact) < 2 or t.exact.isdigit() or is_stopword(t.exact):
                continue
            tf[t.stem] += weight
            exact_of.setdefault(t.stem, t.exact)
    if not tf:
        return []
    df = store.count_documents_with_terms(list(tf))
    total = max(1, store.count_documents())
    scored = []
    for stem, f in tf.items():
        d = df.get(stem, 1)
        if d > total * 0.3:  # too common to tell anything apart
            continue
        scored.append((stem, exact_of[stem], (1 + math.log(f)) * math.log(1 + total / d)))
    scored.sort(key=lambda x: -x[2])
    return scored[:n]


def measure_overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def find_similar(store: Any, doc_id: str, limit: int = 10,
                 analyzer: Analyzer | None = None) -> dict[str, Any] | None:
    """``{"id", "terms", "similar": [{"id", "title", "source", "published", "url",
    "score", "near_duplicate", "overlap"}]}``, or None when `doc_id` is not stored."""
    analyzer = analyzer or getattr(store, "analyzer", None) or get_analyzer()
    doc = store.get_document(doc_id)
    if doc is None:
        return None
    terms = extract_key_terms(doc.title, doc.text, store, analyzer)
    if not terms:
        return {"id": doc_id, "terms": [], "similar": []}
    clauses = [PlanClause(exact, (Form((stem,), (exact,)),)) for stem, exact, _ in terms]
    plan = QueryPlan(optional=clauses, min_should_match=min(3, len(clauses)),
                     exclude_ids=(doc_id,), limit=limit)
    rows: list[SearchRow] = store.search_rows(plan)
    words = {t.exact for t in analyzer.analyze(doc.text)}
    similar = []
    for row in rows:
        overlap = measure_overlap(words, {t.exact for t in analyzer.analyze(row.text)})
        similar.append({"id": row.id, "title": row.title, "source": row.source,
                        "published": row.published, "url": row.url, "score": round(row.score, 3),
                        "overlap": round(overlap, 3), "near_duplicate": overlap >= NEAR_DUPLICATE})
    return {"id": doc_id, "terms": [e for _, e, _ in terms], "similar": similar}
