"""Keyphrases per article and per story: stopword-bounded n-grams scored by TF-IDF.

Candidates are runs of 1..``max_len`` word tokens inside one sentence that contain no
punctuation, number or stopword (``data/stopwords.txt``) and whose words have at least
two letters. Occurrences are grouped by a matching key (``convert_phrase_key``: each
word's clitic-free base, the article ال removed, ta marbuta folded), so بهجمات باريس and
الهجمات في باريس's هجمات باريس... are counted together when the words agree.

Score of a candidate (a TF-IDF / YAKE-like hybrid, weights tuned on AKEC train ids):

    (1 + log tf) ** tf_power  *  mean word IDF (lexicon background)
    * (1 + w_pos / (1 + first sentence index))  *  length_prior[n_words]

Multi-word candidates must occur at least ``min_tf_multi`` times, unless the text is
short (then such a phrase gets no length boost). The reported phrase is the most
frequent surface form, without its proclitics and quote marks (للأسهم -> الأسهم).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from ..arabic.tokenize import tokenize
from ..doc import Document
from .terms import compute_idf, ensure_tokens, group_tokens, is_stopword


@dataclass
class KeyphraseConfig:
    max_len: int = 3
    tf_power: float = 1.5
    w_pos: float = 1.0
    length_prior: tuple[float, ...] = (1.0, 2.5, 3.0, 2.4, 0.5)
    min_tf_multi: int = 2
    min_chars: int = 3


DEFAULT_KP_CONFIG = KeyphraseConfig()
_TRANSPARENT = set('"«»“”„')
#: prepositions and particles that a whole phrase neither starts nor ends with
EDGE_PARTICLES = frozenset("في من على إلى الى عن مع و أو او ثم حتى منذ لدى عند بين ف ب ل ك".split())
#: proclitics that are prepositions: an indefinite last word carrying one (بنادي) is the
#: first half of a construct whose other half the phrase cut off
PREPOSITION_CLITICS = frozenset({"ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل"})


def _word_key(base: str, article: bool) -> str:
    w = base[2:] if article and base.startswith("ال") and len(base) > 3 else base
    return w.replace("ة", "ه")


def convert_phrase_key(text: str) -> str:
    """Matching key of a phrase: words without clitics and article, ta marbuta folded."""
    return " ".join(_word_key(t.base, t.article) for t in tokenize(text) if t.kind == "word")


@dataclass
class _Cand:
    key: str
    n_words: int
    first_sent: int
    tf: int = 0
    surfaces: dict[str, int] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)
    idf: float = 0.0


def _is_candidate_word(tok, min_chars: int) -> bool:
    return tok.kind == "word" and not is_stopword(tok) and len(tok.base) >= min_chars - 1 \
        and len(tok.norm) >= 2


def collect_candidates(doc: Document, config: KeyphraseConfig = DEFAULT_KP_CONFIG,
                       offset_sent: int = 0, into: dict[str, _Cand] | None = None) -> dict[str, _Cand]:
    ensure_tokens(doc)
    cands: dict[str, _Cand] = {} if into is None else into
    for si, toks in enumerate(group_tokens(doc.tokens, doc.sentences)):
        run: list = []
        for tok in toks + [None]:
            if tok is not None and tok.kind == "punct" and tok.text in _TRANSPARENT:
                continue  # quotes do not break a phrase: تنظيم "الدولة الإسلامية"
            if tok is not None and _is_candidate_word(tok, config.min_chars):
                run.append(tok)
                continue
            for i in range(len(run)):
                for n in range(1, config.max_len + 1):
                    if i + n > len(run):
                        break
                    words = run[i:i + n]
                    if n == 1 and len(words[0].base) < config.min_chars:
                        continue
                    key = " ".join(_word_key(t.base, t.article) for t in words)
                    c = cands.get(key)
                    if c is None:
                        c = cands[key] = _Cand(key, n, offset_sent + si)
                        c.idf = sum(compute_idf(t.norm) for t in words) / n
                    c.tf += 1
                    start = words[0].base_start
                    surface = doc.text[start:words[-1].end]
                    if words[0].article and surface[:1] == "ل" and not surface.startswith("ال"):
                        surface = "ا" + surface  # للأسهم -> base starts at the article's ل
                    c.surfaces[surface] = c.surfaces.get(surface, 0) + 1
                    c.spans.append((start, words[-1].end))
            run = []
    return cands


def rank_candidates(cands: dict[str, _Cand], k: int, config: KeyphraseConfig,
                    short: bool = False) -> list[dict]:
    scored = []
    for c in cands.values():
        prior = config.length_prior[min(c.n_words, len(config.length_prior)) - 1]
        if c.n_words > 1 and c.tf < config.min_tf_multi:
            if not short:
                continue
            prior = 0.5  # a short text: a once-seen multi-word phrase, without the length boost
        s = (1.0 + math.log(c.tf)) ** config.tf_power * c.idf \
            * (1.0 + config.w_pos / (1.0 + c.first_sent)) * prior
        scored.append((s, c))
    scored.sort(key=lambda x: (-x[0], x[1].key))
    out = []
    for s, c in scored[:k]:
        phrase = max(c.surfaces.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
        phrase = " ".join(w.strip("".join(_TRANSPARENT)) for w in phrase.split())
        out.append({"phrase": phrase, "score": round(s, 4), "key": c.key,
                    "spans": [list(sp) for sp in c.spans]})
    return out


def extract_keyphrases(doc: Document, k: int = 10,
                       config: KeyphraseConfig = DEFAULT_KP_CONFIG) -> list[dict]:
    """Top `k` keyphrases of `doc`: ``{"phrase", "score", "key", "spans": [[start, end], ...]}``."""
    cands = collect_candidates(doc, config)
    short = len(doc.tokens) < 150
    return rank_candidates(cands, k, config, short=short)


@lru_cache(maxsize=1)
def edge_particle_forms() -> frozenset[str]:
    """`EDGE_PARTICLES` as written and as the tokenizer normalises them (على -> علي)."""
    return EDGE_PARTICLES | {t.norm for p in EDGE_PARTICLES for t in tokenize(p)}


def is_whole_phrase(phrase: str) -> bool:
    """Whether a phrase reads as a whole: it neither starts nor ends with a preposition or
    particle (في، من، على، إلى، عن، مع، و ...), and its last word is not an indefinite word
    with a preposition proclitic (``نادي هجر`` yes, ``لكرة القدم بنادي`` no)."""
    words = [t for t in tokenize(phrase) if t.kind == "word"]
    edges = edge_particle_forms()
    if not words or words[0].norm in edges or words[-1].norm in edges:
        return False
    last = words[-1]
    return not (len(words) > 1 and last.clitic in PREPOSITION_CLITICS and not last.article)


def select_distinct_phrases(ranked: list[dict], k: int) -> list[dict]:
    """The best `k` of `ranked` (best first) that are whole phrases (`is_whole_phrase`) and
    share no word with a better one: ``جون كيري`` after ``الأمريكي جون كيري`` adds nothing,
    ``القدم بنادي هجر`` after ``نادي هجر`` is a fragment of the same name."""
    chosen: list[dict] = []
    used: set[str] = set()
    for item in ranked:
        words = set(item["key"].split())
        if words & used or not is_whole_phrase(item["phrase"]):
            continue
        chosen.append(item)
        used |= words
        if len(chosen) >= k:
            break
    return chosen


def extract_story_keyphrases(docs: list[Document], k: int = 10,
                             config: KeyphraseConfig = DEFAULT_KP_CONFIG) -> list[dict]:
    """Top `k` keyphrases of a story (several articles), whole and without overlaps
    (`select_distinct_phrases`); ``spans`` become ``[doc_id, start, end]`` triples and
    ``df`` counts the articles that use the phrase."""
    merged: dict[str, _Cand] = {}
    df: dict[str, int] = {}
    for doc in docs:
        cands = collect_candidates(doc, config)
        for key, c in cands.items():
            df[key] = df.get(key, 0) + 1
            m = merged.get(key)
            if m is None:
                m = merged[key] = _Cand(key, c.n_words, c.first_sent, idf=c.idf)
            m.tf += c.tf
            m.first_sent = min(m.first_sent, c.first_sent)
            for sf, n in c.surfaces.items():
                m.surfaces[sf] = m.surfaces.get(sf, 0) + n
            m.spans.extend((doc.id, a, b) for a, b in c.spans)
    for key, m in merged.items():  # a phrase used by several outlets matters more
        m.tf = int(m.tf * (1 + df[key]) / 2) or 1
    ranked = rank_candidates(merged, 5 * k, config, short=sum(len(d.tokens) for d in docs) < 150)
    out = select_distinct_phrases(ranked, k)
    for item in out:
        item["df"] = df[item["key"]]
    return out
