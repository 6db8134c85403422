"""ROUGE-1/2/L (F1) with an Arabic-aware tokenisation, implemented here.

Why not the ``rouge-score`` package: its default tokenizer lower-cases and then replaces
every character outside ``[a-z0-9]`` with a space, so an all-Arabic summary becomes an
empty token list and every score is 0 (multilingual forks exist, but we need no
dependency for 60 lines of code).

Tokenisation (``tokenize_for_rouge``), applied to both the candidate and the reference:

1. ``normalize_key``: harakat, tatweel and Quranic marks removed; alef variants, alef
   maqsura, hamza carriers, Arabic-Indic digits and presentation forms folded; ta marbuta
   -> ha; Latin lower-cased.
2. Tokens are maximal runs of letters or digits; punctuation (Arabic and Latin, quotes,
   brackets, the Arabic comma) is dropped.
3. ``stem=False`` (the default, and the figure we report first): the surface token is kept,
   so والرئيس and الرئيس differ. ``stem=True``: the light10 stemmer
   (``rasid.arabic.stem.stem_light10``) strips the conjunction و, the article and its
   proclitic combinations (وال بال كال فال لل ال) and one pass of common suffixes, so
   clitic and number/gender variants match (والرئيس = الرئيس = رئيس).

Scores are F1 in [0, 1]: ROUGE-N from clipped n-gram overlap counts, ROUGE-L from the
longest common subsequence over the whole token sequences (sentence-level LCS, as in
``rouge-score``'s ``rougeL``).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from ..arabic.normalize import normalize_key
from ..arabic.stem import stem_light10

_WORD_RE = re.compile(r"[^\W_]+")


def tokenize_for_rouge(text: str, stem: bool = False) -> list[str]:
    """Normalised word tokens of `text` for ROUGE (punctuation dropped)."""
    words = _WORD_RE.findall(normalize_key(text))
    if stem:
        words = [stem_light10(w) for w in words]
    return words


def _ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _f1(overlap: float, n_cand: int, n_ref: int) -> float:
    if overlap <= 0 or n_cand == 0 or n_ref == 0:
        return 0.0
    p, r = overlap / n_cand, overlap / n_ref
    return 2 * p * r / (p + r)


def compute_rouge_n(cand: list[str], ref: list[str], n: int) -> float:
    """ROUGE-N F1 between two token lists."""
    c, r = _ngrams(cand, n), _ngrams(ref, n)
    overlap = sum((c & r).values())
    return _f1(overlap, sum(c.values()), sum(r.values()))


def compute_lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (O(len(a)*len(b)), one row of memory)."""
    if not a or not b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def compute_rouge_l(cand: list[str], ref: list[str]) -> float:
    """ROUGE-L F1 (sentence-level LCS) between two token lists."""
    return _f1(compute_lcs(cand, ref), len(cand), len(ref))


@dataclass(slots=True)
class RougeScores:
    rouge1: float
    rouge2: float
    rougeL: float

    def as_percent(self) -> tuple[float, float, float]:
        return (100 * self.rouge1, 100 * self.rouge2, 100 * self.rougeL)


def score_rouge(candidate: str, reference: str, stem: bool = False) -> RougeScores:
    """ROUGE-1/2/L F1 of one candidate text against one reference text."""
    c = tokenize_for_rouge(candidate, stem)
    r = tokenize_for_rouge(reference, stem)
    return RougeScores(compute_rouge_n(c, r, 1), compute_rouge_n(c, r, 2), compute_rouge_l(c, r))


def average_rouge(pairs: Iterable[tuple[str, str]], stem: bool = False) -> RougeScores:
    """Macro-average ROUGE over ``(candidate, reference)`` pairs (0 when there are none)."""
    tot = [0.0, 0.0, 0.0]
    n = 0
    for cand, ref in pairs:
        s = score_rouge(cand, ref, stem)
        tot[0] += s.rouge1
        tot[1] += s.rouge2
        tot[2] += s.rougeL
        n += 1
    if n == 0:
        return RougeScores(0.0, 0.0, 0.0)
    return RougeScores(tot[0] / n, tot[1] / n, tot[2] / n)
