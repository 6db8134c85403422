"""Tokenisation over the original text, with proclitic analysis.

Tokens are words (Arabic or Latin letters with their diacritics), numbers (with
decimal/thousands separators) or single punctuation characters. Each token keeps its
`[start, end)` offsets into the original text, its normalised form (`norm`, see
``normalize_name``), and a proclitic analysis:

* ``clitic``: the conjunction/preposition proclitics (و ف ب ل ك) in normalised form,
* ``article``: whether the definite article ال (or the ل of لل) follows them,
* ``base``: the normalised word without the clitics (the article is kept: وبالقاهرة ->
  القاهرة, للرئيس -> الرئيس), and ``base_start``: where ``base``'s first letter starts in
  the original text.

A proclitic without the article is only split off when the word frequency lexicon
(``data/wordfreq.tsv.gz``, counts of normalised words in the news corpus, built by
``python -m rasid.train.lexicon``) says the remainder is a common word and the whole
form is not: وباريس -> و + باريس, but وزير, فرانسوا and فلسطين stay whole.
"""
from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

from ..packed import load_packed
from .normalize import normalize_name

_MARKS = "\u064B-\u065F\u0670\u0640\u0610-\u061A\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u200c\u200d"
TOKEN_RE = re.compile(
    rf"(?P<word>(?:[^\W\d_]|[{_MARKS}])+)"
    r"|(?P<num>\d+(?:[.,٫٬]\d+)*)"
    r"|(?P<punct>[^\s])"
)
#: the same tokens without the group names: `tokenize` reads the strings alone (no match
#: objects) and finds each one's offset, since only white space lies between two tokens
_SURFACE_RE = re.compile(re.sub(r"\(\?P<\w+>", "(?:", TOKEN_RE.pattern))
_ARTICLE_RE = re.compile(r"^([وف]?)([بك]?)ال(.+)$")
_LIL_RE = re.compile(r"^([وف]?)لل(.+)$")
_PREPS = "بلك"
_CONJ = "وف"


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    kind: str  # "word", "num" or "punct"
    norm: str
    clitic: str = ""
    article: bool = False
    base: str = ""
    base_start: int = 0

    @property
    def is_word(self) -> bool:
        return self.kind == "word"


@lru_cache(maxsize=1)
def _wordfreq_bytes() -> bytes:
    try:
        return resources.files("rasid.arabic").joinpath("data/wordfreq.tsv.gz").read_bytes()
    except (FileNotFoundError, ModuleNotFoundError):
        return b""


@lru_cache(maxsize=1)
def wordfreq_digest() -> str:
    """CRC-32 of the lexicon file (``"0"`` when absent): what was split with which counts."""
    raw = _wordfreq_bytes()
    return f"{zlib.crc32(raw):08x}" if raw else "0"


@lru_cache(maxsize=1)
def load_wordfreq() -> dict[str, int]:
    """Normalised word -> corpus count, from its pack (``rasid.packed``) when that was built
    from the shipped lexicon. Empty when the lexicon file is absent."""
    return load_packed("wordfreq", *pack_wordfreq())


def pack_wordfreq() -> tuple[dict[str, bytes], Callable[[], dict[str, int]]]:
    """The lexicon's bytes and the function that reads them (``rasid.packed``)."""
    raw = _wordfreq_bytes()
    return {"wordfreq.tsv.gz": raw}, lambda: read_wordfreq(raw)


def read_wordfreq(raw: bytes) -> dict[str, int]:
    if not raw:
        return {}
    freq: dict[str, int] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, _, count = line.partition("\t")
        freq[word] = int(count)
    return freq


def _accept_bare(whole: str, rest: str, freq: Any) -> bool:
    if len(rest) < 3 or not freq:
        return False
    f_rest = freq.get(rest, 0)
    return f_rest >= 20 and f_rest >= 3 * freq.get(whole, 0)


@lru_cache(maxsize=30_000)  # 86.2 % hits; 89.8 % with 100,000 and ~20 MB more per process (bench/memory_worker.py --hit-rates)
def split_proclitics(norm: str, freq: Any = None) -> tuple[str, bool, str]:
    """Return ``(clitic, article, base)`` for a normalised word; `freq`: the word counts to
    read (``get``), `load_wordfreq` unless given."""
    freq = load_wordfreq() if freq is None else freq
    # conjunction? preposition? + article: وبال، فال، بال، كال، وال، ال، لل، ولل
    m = _ARTICLE_RE.match(norm)
    if m and len(m.group(3)) >= 2:
        rest = m.group(3)
        clitic = m.group(1) + m.group(2)
        if len(rest) >= 3 or freq.get("ال" + rest, 0) >= 20 or not clitic:
            return clitic, True, "ال" + rest
    m = _LIL_RE.match(norm)
    if m and len(m.group(2)) >= 2:
        rest = m.group(2)
        if freq.get("ال" + rest, 0) >= 5 or (not freq and len(rest) >= 3):
            return m.group(1) + "ل", True, "ال" + rest
    # bare proclitics, only with lexicon support
    clitic, base = "", norm
    if base and base[0] in _CONJ and _accept_bare(base, base[1:], freq):
        clitic, base = base[0], base[1:]
    if base and base[0] in _PREPS and _accept_bare(base, base[1:], freq):
        clitic, base = clitic + base[0], base[1:]
    return clitic, False, base


def _base_start(text: str, start: int, n_clitic_chars: int) -> int:
    """Original offset after `n_clitic_chars` normalised letters (skipping marks)."""
    if n_clitic_chars == 0:
        return start
    seen = 0
    for i, ch in enumerate(text):
        if normalize_name(ch):
            seen += 1
            if seen == n_clitic_chars:
                j = i + 1
                while j < len(text) and not normalize_name(text[j]):
                    j += 1
                return start + j
    return start


@lru_cache(maxsize=30_000)
def analyse_token(surface: str) -> tuple[str, str, str, bool, str, int]:
    """``(kind, norm, clitic, article, base, base offset)`` of a token as written: what a
    token holds besides its offsets (the base offset is relative to its start). Fixed per
    form, so each form is analysed once while it stays in the cache."""
    kind = TOKEN_RE.match(surface).lastgroup or "punct"  # type: ignore[union-attr]
    norm = normalize_name(surface)
    if kind != "word":
        return kind, norm, "", False, norm, 0
    clitic, article, base = split_proclitics(norm)
    return kind, norm, clitic, article, base, _base_start(surface, 0, len(clitic))


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens with offsets into `text`."""
    tokens: list[Token] = []
    append, find = tokens.append, text.find
    end = 0
    for surface in _SURFACE_RE.findall(text):
        start = find(surface, end)  # white space only between `end` and the token
        end = start + len(surface)
        a = analyse_token(surface)
        append(Token(start, end, surface, a[0], a[1], a[2], a[3], a[4], start + a[5]))
    return tokens
