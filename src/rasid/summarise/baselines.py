"""Baselines for the summary evaluation: Lead-k and TextRank.

* ``lead_sentences``: the first `k` sentences (after stripping empty ones); no filtering.
* ``textrank_sentences``: Mihalcea & Tarau (2004) over sentences: an undirected graph
  weighted by TF-IDF cosine (same term keys and lexicon IDF as rasid's summariser),
  PageRank with damping 0.85 by power iteration in numpy, top `k` by rank.
"""
from __future__ import annotations

import numpy as np

from ..doc import Document, Span
from .terms import compute_cosine, ensure_tokens, extract_sentence_terms


def lead_sentences(doc: Document, k: int = 1) -> list[Span]:
    ensure_tokens(doc)
    return [Span(s.start, s.end, "SUMMARY", {"rank": i}) for i, s in enumerate(doc.sentences[:k])]


def compute_pagerank(weights: np.ndarray, damping: float = 0.85, iters: int = 100, tol: float = 1e-8) -> np.ndarray:
    """PageRank of a weighted graph given as a square matrix (rows normalised here)."""
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    out = weights.sum(axis=1)
    trans = np.where(out[:, None] > 0, weights / np.where(out[:, None] > 0, out[:, None], 1.0), 1.0 / n)
    rank = np.full(n, 1.0 / n)
    for _ in range(iters):
        new = (1 - damping) / n + damping * trans.T @ rank
        if np.abs(new - rank).sum() < tol:
            return new
        rank = new
    return rank


def textrank_sentences(doc: Document, k: int = 1) -> list[Span]:
    rows = extract_sentence_terms(doc)
    n = len(rows)
    if n == 0:
        return []
    w = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            w[i, j] = w[j, i] = compute_cosine(rows[i][2], rows[j][2])
    rank = compute_pagerank(w)
    order = sorted(range(n), key=lambda i: (-rank[i], i))[:k]
    return [Span(rows[i][0].start, rows[i][0].end, "SUMMARY", {"rank": r, "score": float(rank[i])})
            for r, i in enumerate(order)]
