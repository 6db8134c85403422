"""Term statistics shared by the summariser and the keyphrase extractor.

* ``load_stopwords``: the shipped stopword list (``data/stopwords.txt``), normalised.
* ``compute_idf``: an IDF-like weight from the word-frequency lexicon
  (``rasid.arabic.tokenize.load_wordfreq``, counts of normalised words in SaudiNewsNet):
  ``log(total / (1 + count))``, so unknown words get the largest weight.
* ``convert_term``: the matching key of a word token: the clitic-free base, ta marbuta
  folded, light10-stemmed (والرئيس, الرئيس, رئيس -> رءيس).
* ``weigh_term``: a word's term key and IDF (None for a stopword), cached per word form.
* ``extract_sentence_terms``: word tokens grouped by sentence, as term keys.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from itertools import repeat
from operator import mul

from ..arabic.normalize import normalize_name
from ..arabic.stem import stem_light10
from ..arabic.tokenize import load_wordfreq, tokenize
from ..arabic.sentences import split_sentences
from ..doc import Document, Span
from ..memo import trim_memo


@lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    raw = resources.files("rasid.summarise").joinpath("data/stopwords.txt").read_text("utf-8")
    words: set[str] = set()
    for line in raw.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        w = normalize_name(line)
        words.update((w, "و" + w, "ف" + w))
    return frozenset(words)


@lru_cache(maxsize=1)
def _lexicon_total() -> float:
    freq = load_wordfreq()
    return float(sum(freq.values()) or 1)


@lru_cache(maxsize=30_000)  # 85.7 % hits; 89.3 % with 100,000 and ~20 MB more per process (bench/memory_worker.py --hit-rates)
def compute_idf(norm: str) -> float:
    """IDF-like weight of a normalised (``normalize_name``) word from the lexicon."""
    count = load_wordfreq().get(norm, 0)
    return math.log(_lexicon_total() / (1.0 + count))


@lru_cache(maxsize=30_000)  # 90.1 % hits; 91.9 % with 100,000 and ~20 MB more per process (bench/memory_worker.py --hit-rates)
def _key(base: str) -> str:
    return stem_light10(base.replace("ة", "ه"))


def convert_term(tok) -> str:
    """Matching key of a word token (see module doc)."""
    return _key(tok.base or tok.norm)


def is_stopword(tok) -> bool:
    sw = load_stopwords()
    return tok.norm in sw or (tok.base or tok.norm) in sw


def ensure_tokens(doc: Document) -> None:
    """Tokens and sentences, computed here only when no tokenize stage ran."""
    if not doc.tokens and doc.text:
        doc.tokens = tokenize(doc.text)
    if "sentences" not in doc.layers:
        doc.layers["sentences"] = split_sentences(doc.text)


def group_tokens(tokens: list, sentences: list[Span]) -> list[list]:
    """Tokens of each sentence (by offsets; tokens between sentences are dropped). The
    sentences are in text order and do not overlap (`split_sentences`), so each one's tokens
    are those that start inside it: one slice each, found by bisection."""
    starts = [tok.start for tok in tokens]
    return [tokens[bisect_left(starts, s.start):bisect_left(starts, s.end)] for s in sentences]


def extract_sentence_terms(doc: Document) -> list[tuple[Span, list, dict[str, float]]]:
    """``(sentence, tokens, tf-idf vector)`` per sentence; stopwords carry no weight. A
    token's term is read from a memo by its text (its kind, ``norm`` and ``base`` are the
    tokenizer's reading of the text; not by the norm: the rial sign ﷼ is punctuation whose
    norm is the word ريال), bounded like the caches (`TERM_MEMO`, its older half dropped
    when full): one dictionary lookup per token instead of a call of `weigh_term`'s cache
    with a key of two strings."""
    ensure_tokens(doc)
    memo = trim_memo(_TERM_MEMO, TERM_MEMO)
    get = memo.get
    result = []
    for sent, toks in zip(doc.sentences, group_tokens(doc.tokens, doc.sentences)):
        vec: dict[str, float] = {}
        for tok in toks:
            term = get(tok.text, 0)
            if term == 0:  # not in the memo
                term = memo[tok.text] = weigh_term(tok.norm, tok.base) if tok.kind == "word" else None
            if term is not None:
                k, idf = term
                vec[k] = vec.get(k, 0.0) + idf
        result.append((sent, toks, vec))
    return result


#: entries of `extract_sentence_terms`' memo (a token's text -> its term, or None)
TERM_MEMO = 30_000
_TERM_MEMO: dict[str, tuple[str, float] | None] = {}


@lru_cache(maxsize=30_000)
def weigh_term(norm: str, base: str | None) -> tuple[str, float] | None:
    """``(term key, IDF)`` of a word token (its ``norm`` and ``base``), None for a stopword
    (`is_stopword`) or a one-letter word: fixed per word form, so cached, and the one cache
    of the summariser's and the story tracker's words (a story's title and lead are words
    the summariser has just weighed)."""
    sw = load_stopwords()
    word = base or norm
    if norm in sw or word in sw or len(word) < 2:
        return None
    return _key(word), compute_idf(norm)


def compute_cosine(a: dict[str, float], b: dict[str, float], norm_b: float | None = None,
                   norm_a: float | None = None) -> float:
    """Cosine of two sparse vectors; `norm_b` is `compute_norm(b)` when the caller compares
    many vectors with one large `b` (a centroid: then the time is linear in the article),
    `norm_a` that of `a` (the story tracker scores one article against many centroids)."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b, norm_a, norm_b = b, a, norm_b, norm_a
    dot = sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))  # a term b lacks adds 0.0
    if dot == 0.0:
        return 0.0
    na = compute_norm(a) if norm_a is None else norm_a
    nb = compute_norm(b) if norm_b is None else norm_b
    return dot / (na * nb)


def compute_norm(a: dict[str, float]) -> float:
    values = a.values()
    return math.sqrt(sum(map(mul, values, values)))  # the same products in the same order


def add_vectors(vecs, weights=None) -> dict[str, float]:
    out: dict[str, float] = {}
    for i, v in enumerate(vecs):
        w = 1.0 if weights is None else weights[i]
        for k, x in v.items():
            out[k] = out.get(k, 0.0) + w * x
    return out
