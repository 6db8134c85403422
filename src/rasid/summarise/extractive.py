"""Extractive summaries: whole sentences of `Document.text`, redundancy-aware.

Each sentence gets a score from features that do not depend on one outlet's layout:

* position: ``1 / (1 + i) ** pos_decay`` over the eligible sentences (news puts the
  main fact first);
* centrality: TF-IDF cosine to the document centroid, with the word-frequency lexicon
  as the IDF background (``rasid.summarise.terms``);
* length prior: ``-|log(n_words / ideal_words)|``.

The title is not used (a plain-text article's text begins with its title line:
`Document.title_end`; no sentence of that line is a candidate). Sentences that are too short (datelines, credits) or too long
(run-on paragraphs), quote-only lines, photo credits/captions and lines ending in a
colon are not eligible (captions normally sit in ``doc.images``, not ``doc.text``).
Sentences are then picked by MMR (maximal marginal relevance): ``lambda * score -
(1 - lambda) * max cosine to the already chosen``; a sentence whose cosine to a chosen
one reaches ``max_sim`` is never taken (a near-duplicate).

``summarise_story`` pools the eligible sentences of several articles, adds cosine to the
story centroid, and runs the same MMR with a lower ``max_sim`` so a fact repeated by two
outlets appears once.

``compress_headline`` is the optional headline-style compression used for the
one-sentence evaluation: drop bracketed asides ("(الاثنين)", "(واس)"), a leading dateline
("الرياض - واس:") and honorifics (صاحب السمو الملكي, معالي, - حفظه الله -); cut the
sentence at the first clause boundary (comma, semicolon, colon, or a connective such as
وذلك / حيث / مؤكدا / بعد أن) after at least ``min_words`` words; if it is still longer
than ``max_words``, cut before a relative pronoun or a circumstantial connective (الذي,
التي, خلال, بمناسبة, ...) that leaves ``min_words``..``max_words`` words, else after
``max_words`` words. Tuned on the dev split (min_words 10, max_words 20).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from operator import attrgetter

from ..doc import Document, Span
from .terms import add_vectors, compute_cosine, compute_norm, extract_sentence_terms

_KIND = attrgetter("kind")


@dataclass
class SummaryConfig:
    pos_decay: float = 1.0
    w_pos: float = 1.0
    w_cent: float = 0.6
    w_len: float = 0.1
    ideal_words: float = 25.0
    min_words: int = 8
    max_words: int = 80
    mmr_lambda: float = 0.7
    max_sim: float = 0.6
    story_max_sim: float = 0.45
    w_story: float = 1.0


DEFAULT_CONFIG = SummaryConfig()

_CREDIT_RE = re.compile(r"^(مصدر الصورة|Image caption|Image copyright|صورة|الصورة|تصوير|Getty|AFP|Reuters|EPA)\b", re.I)
_QUOTES = "\"'«»“”„"


@dataclass
class Candidate:
    index: int  # sentence index in doc.sentences
    span: Span
    vec: dict[str, float]
    n_words: int
    eligible: bool
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0


def is_eligible(text: str, n_words: int, config: SummaryConfig) -> bool:
    if n_words < config.min_words or n_words > config.max_words:
        return False
    if _CREDIT_RE.match(text):
        return False
    t = text.strip()
    if t.endswith(":"):
        return False
    if t and t[0] in _QUOTES and t.rstrip(".؟?!")[-1:] in _QUOTES:
        return False  # a quote-only line
    return True


def score_candidates(doc: Document, config: SummaryConfig = DEFAULT_CONFIG) -> list[Candidate]:
    """All sentences of `doc` with their features and scores (ineligible ones score -inf)."""
    rows = extract_sentence_terms(doc)
    head = doc.title_end  # a plain-text article's title line: never its summary
    cands: list[Candidate] = []
    for i, (sent, toks, vec) in enumerate(rows):
        n_words = list(map(_KIND, toks)).count("word")  # in C: no Python step per token
        text = sent.text_of(doc.text)
        cands.append(Candidate(i, sent, vec, n_words, sent.start >= head and is_eligible(text, n_words, config)))
    if cands and not any(c.eligible for c in cands):
        for c in cands:  # a short text: take what there is rather than nothing
            c.eligible = c.n_words > 0 and c.span.start >= head
    centroid = add_vectors([c.vec for c in cands if c.eligible])
    centroid_norm = compute_norm(centroid)
    rank = 0
    for c in cands:
        if not c.eligible:
            c.score = -math.inf
            continue
        pos = 1.0 / (1.0 + rank) ** config.pos_decay
        rank += 1
        cent = compute_cosine(c.vec, centroid, centroid_norm)
        length = -abs(math.log(max(c.n_words, 1) / config.ideal_words))
        c.features = {"position": pos, "centrality": cent, "length": length}
        c.score = config.w_pos * pos + config.w_cent * cent + config.w_len * length
    return cands


def select_mmr(cands: list, k: int, lam: float, max_sim: float) -> list:
    """Pick up to `k` candidates by MMR; candidates need ``.score`` and ``.vec``."""
    pool = [c for c in cands if c.score > -math.inf]
    if not pool:
        return []
    hi = max(c.score for c in pool)
    lo = min(c.score for c in pool)
    span = (hi - lo) or 1.0
    chosen: list = []
    norms = {id(c): compute_norm(c.vec) for c in pool}
    sims: dict[int, float] = {}  # a candidate's largest cosine to the chosen ones
    while pool and len(chosen) < k:
        best, best_val = None, -math.inf
        for c in pool:
            sim = sims.get(id(c), 0.0)
            if sim >= max_sim:
                continue
            val = lam * (c.score - lo) / span - (1 - lam) * sim
            if val > best_val:
                best, best_val = c, val
        if best is None:
            break
        chosen.append(best)
        pool.remove(best)
        for c in pool:  # each pair's cosine once, not again at every pick
            sim = compute_cosine(c.vec, best.vec, norms[id(best)], norms[id(c)])
            sims[id(c)] = max(sims[id(c)], sim) if id(c) in sims else sim
    return chosen


def summarise_document(doc: Document, k: int = 3, config: SummaryConfig = DEFAULT_CONFIG) -> list[Span]:
    """The `k` best sentences of `doc`, best first, as new spans over `doc.text`.

    Each span has label ``SUMMARY`` and attrs ``rank`` (0 = best), ``score`` and
    ``sentence`` (its index in ``doc.sentences``)."""
    chosen = select_mmr(score_candidates(doc, config), k, config.mmr_lambda, config.max_sim)
    return [Span(c.span.start, c.span.end, "SUMMARY",
                 {"rank": r, "score": round(c.score, 4), "sentence": c.index})
            for r, c in enumerate(chosen)]


@dataclass
class _StoryCandidate:
    doc_id: str
    doc_index: int
    cand: Candidate
    vec: dict[str, float]
    score: float


def summarise_story(docs: list[Document], k: int = 5,
                    config: SummaryConfig = DEFAULT_CONFIG) -> list[tuple[str, Span]]:
    """Up to `k` sentences across the articles of one story, best first, no repeated facts.

    Returns ``(doc.id, span)`` pairs; spans are over that document's text."""
    pooled: list[_StoryCandidate] = []
    per_doc_centroids = []
    for di, doc in enumerate(docs):
        cands = [c for c in score_candidates(doc, config) if c.eligible]
        if not cands:
            continue
        per_doc_centroids.append(add_vectors([c.vec for c in cands]))
        hi = max(c.score for c in cands)
        lo = min(c.score for c in cands)
        for c in cands:
            norm = (c.score - lo) / ((hi - lo) or 1.0)
            pooled.append(_StoryCandidate(doc.id or str(di), di, c, c.vec, norm))
    if not pooled:
        return []
    # each article weighs the same in the story centroid, whatever its length
    story = add_vectors(per_doc_centroids,
                        [1.0 / (math.sqrt(sum(x * x for x in v.values())) or 1.0) for v in per_doc_centroids])
    for p in pooled:
        p.score = p.score + config.w_story * compute_cosine(p.vec, story)
    chosen = select_mmr(pooled, k, config.mmr_lambda, config.story_max_sim)
    return [(p.doc_id, Span(p.cand.span.start, p.cand.span.end, "SUMMARY",
                            {"rank": r, "score": round(p.score, 4), "sentence": p.cand.index}))
            for r, p in enumerate(chosen)]


# -- headline-style compression ----------------------------------------------------------------
_BRACKETS_RE = re.compile(r"\s*[(\[][^()\[\]]{0,40}[)\]]")
_DATELINE_RE = re.compile(r"^[^\s،,.:]+(?:\s[^\s،,.:]+){0,3}\s*[-–—:]+\s*(?:[^\s،,.:]+\s*[-–—:]\s*)?")
_CUT_RE = re.compile(
    r"\s*[،,؛;:]\s*|\s+(?=(?:وذلك|حيث|مؤكدا|مؤكدة|مشيرا|مشيرة|موضحا|موضحة|مضيفا|مضيفة|لافتا|لافتة|"
    r"معربا|معربة|وأضاف|واضاف|وأكد|واكد|وأوضح|واوضح|بعدما|بعد\sأن|وسط|فيما|في\sحين|بينما)\s)"
)


_HONORIFIC_RE = re.compile(
    r"\s*[-–]\s*(?:حفظه|حفظها|حفظهما|رحمه|يحفظه|رعاه)\s+الله\s*[-–]?|"
    r"(?:صاحب|صاحبة)\s+السمو(?:\s+الملكي)?\s*|(?:معالي|فضيلة|سعادة|سماحة)\s+")
_SOFT_CUT_RE = re.compile(r"\s+(?=(?:الذي|التي|الذين|اللذين|والذي|والتي|بمناسبة|خلال|وذلك|بهدف|من\sأجل|إثر|عقب)\s)")


def compress_headline(text: str, min_words: int = 10, max_words: int = 20) -> str:
    """A headline-style version of one sentence (see module doc)."""
    t = _BRACKETS_RE.sub("", text).strip()
    t = _HONORIFIC_RE.sub(" ", t).strip()
    t = " ".join(t.split())
    t = _cut_clause(t, min_words)
    if max_words and len(t.split()) > max_words:
        for cut in _SOFT_CUT_RE.finditer(t):
            if min_words <= len(t[:cut.start()].split()) <= max_words:
                t = t[:cut.start()]
                break
        else:
            t = " ".join(t.split()[:max_words])
    return t.rstrip(" .،,")


def _cut_clause(t: str, min_words: int) -> str:
    m = _DATELINE_RE.match(t)
    if m and len(m.group().split()) <= 4 and ("-" in m.group() or "–" in m.group() or ":" in m.group()):
        t = t[m.end():].strip()
    if min_words <= 0:
        return t
    for cut in _CUT_RE.finditer(t):
        if len(t[:cut.start()].split()) >= min_words:
            return t[:cut.start()]
    return t


def extract_headline(doc: Document, config: SummaryConfig = DEFAULT_CONFIG,
                     min_words: int = 10, max_words: int = 20, compress: bool = True) -> str:
    """The best sentence of `doc`, compressed to a headline (empty text -> "")."""
    spans = summarise_document(doc, k=1, config=config)
    if not spans:
        return ""
    text = spans[0].text_of(doc.text)
    return compress_headline(text, min_words, max_words) if compress else text
