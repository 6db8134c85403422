"""Turn text into search index terms.

Every word or number token of the text gives exactly one `Term` with two forms:

* ``exact``: the ``normalize_key`` form (harakat removed, alef/hamza/yeh/ة folded) with
  the proclitics and the article split off by the tokenizer's lexicon-aware analysis
  (وهجوم -> هجوم, للرئيس -> رءيس), so names stay whole (فرانسوا -> فرانسوا); the lexicon
  is read in the same key form (`KeyCounts`), and للجنة is ل + اللجنة (`split_key`);
* ``stem``: the stemmer's output for the exact form (Snowball by default, chosen by
  ``bench/search_mrr.py``; see docs/search.md), without a one-letter proclitic that the
  tokenizer keeps but the article shows is one (لكرة -> كرة: `strip_bare_proclitic`), so a
  word has one stem with and without its proclitic.

Because each token gives one term in each form, the space-joined forms keep token
positions, so FTS5 phrase queries work on either column. Terms are kept to letters and
digits so that FTS5's ``unicode61`` tokenizer sees them as single tokens.
"""
from __future__ import annotations

import re
from operator import itemgetter
from typing import Any, Callable, NamedTuple

from ..arabic.normalize import normalize_key
from ..arabic.stem import stem_light10, stem_snowball
from ..arabic.tokenize import load_wordfreq, split_proclitics, wordfreq_digest

#: Bumped whenever analysis output changes; the store reindexes on a mismatch.
ANALYZER_VERSION = 2


class Term(NamedTuple):
    """One indexed token: `[start, end)` in the analysed (original) text and its forms."""

    start: int
    end: int
    exact: str
    stem: str


# Runs of word characters and Arabic marks (harakat, tatweel, Quranic marks, ZWJ/ZWNJ),
# numbers with their decimal/thousands separators. One character class instead of the
# tokenizer's alternation: about twice as fast, the same words in Arabic text (a mixed
# letters+digits run such as "covid19" stays one term here).
_MARKS = "\u064B-\u065F\u0670\u0640\u0610-\u061A\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u200c\u200d"
TERM_RE = re.compile(rf"[\w{_MARKS}]+(?:[.,\u066b\u066c]\d+)*")
_CLITIC_NUMBER_RE = re.compile(r"^[وفبلك]{1,2}(\d+)$")
_CACHE_LIMIT = 100_000
_LAM_LAM_RE = re.compile(r"^[وف]?لل(.+)$")


class KeyCounts:
    """The word-frequency lexicon (``rasid.arabic.tokenize.load_wordfreq``, whose words keep
    ة) read in the key form the analyzer splits (ة -> ه): a word ending in ه counts both
    spellings (ة only ends a word). Reading the lexicon's own form missed every word with ة
    (كدمه: 0, so ك + دمه), and مدرسة / مدرسه could split apart. The lexicon is loaded on
    the first word, not when an analyzer is made (opening a store makes one)."""

    def __bool__(self) -> bool:
        return bool(load_wordfreq())

    def get(self, word: str, default: int = 0) -> int:
        freq = load_wordfreq()
        n = freq.get(word, 0)
        if word.endswith("ه"):
            n += freq.get(word[:-1] + "ة", 0)
        return n or default


def split_key(key: str, freq: KeyCounts) -> tuple[bool, str]:
    """``(article, base)`` of a key-form word for the search index: `split_proclitics` on
    the key-form lexicon, except that ل + a word that starts with ل and has the article
    (ل + اللجنة) is written للجنة, like ل + الجنة: the reading whose article form the
    lexicon has more often is taken (للجنة -> اللجنه, للاعب -> اللاعب; للرءيس -> الرءيس)."""
    # uncached: `Analyzer.analyze_word` caches its result, and the tokenizer's cache of
    # `split_proclitics` (bounded by its hit rate) is for the tokenizer's own words
    _, article, base = split_proclitics.__wrapped__(key, freq)
    m = _LAM_LAM_RE.match(key)
    if m:
        doubled = "الل" + m.group(1)
        if freq.get(doubled) >= 5 and freq.get(doubled) > freq.get("ال" + m.group(1)):
            return True, doubled
    return article, base


def strip_bare_proclitic(word: str, freq: KeyCounts) -> str:
    """`word` without a one-letter proclitic (و ف ب ل ك) that `split_proclitics` keeps, for
    the stem: the rest when the rest takes the article and the whole does not, the rest is
    a common word (20 occurrences in the lexicon, as the tokenizer asks; its article form 5,
    as for لل) and the whole is at most three times as common as the rest.

    ``split_proclitics`` splits a bare proclitic only when the rest is at least three times
    as common as the whole word (وباريس -> باريس). That keeps وزير and كتاب whole, but also
    لكرة, بنسبة and لحماية, which are كرة, نسبة and حماية after a preposition: the same word
    had another stem with and without it, and a quoted "كرة القدم" missed لكرة القدم.
    The article tells them apart: it goes on the word after the proclitic (للكرة، بالنسبة),
    never before it, so a word whose first letter is its own takes it (الوزير، الكتاب،
    البلدية) and a proclitic + word does not. Verbs and names, which take no article
    (كانت، كيري), stay as the tokenizer splits them. Only the stem reads the rest: the exact
    form stays as the tokenizer splits it.
    """
    if len(word) < 4 or word[0] not in "وفبلك" or not freq:
        return word
    rest = word[1:]
    f_rest = freq.get(rest)
    if (f_rest >= 20 and 3 * f_rest >= freq.get(word) and freq.get("ال" + rest) >= 5
            and not freq.get("ال" + word)):
        return rest
    return word


def _keep_alnum(word: str) -> str:
    return word if word.isalnum() else "".join(c for c in word if c.isalnum())


def _stem_none(word: str) -> str:
    return word


STEMMERS: dict[str, Callable[[str], str]] = {
    "none": _stem_none,
    "light10": stem_light10,
    "snowball": stem_snowball,
}


class Analyzer:
    """Analyse text into `Term`s; `stemmer` is one of ``STEMMERS``.

    ``stem_input`` says what the stemmer sees: ``"surface"`` (the whole normalised word,
    clitics included; the stemmer strips them itself) or ``"base"`` (the word after the
    tokenizer's clitic split).
    """

    def __init__(self, stemmer: str = "snowball", stem_input: str = "base") -> None:
        if stemmer not in STEMMERS:
            raise ValueError(f"unknown stemmer {stemmer!r}; choose from {sorted(STEMMERS)}")
        if stem_input not in ("surface", "base"):
            raise ValueError("stem_input must be 'surface' or 'base'")
        self.stemmer = stemmer
        self.stem_input = stem_input
        self.name = f"{stemmer}+exact" if stem_input == "surface" else f"{stemmer}(base)+exact"
        self._stem = STEMMERS[stemmer]
        self._cache: dict[str, tuple[str, str]] = {}
        self._counts = KeyCounts()

    def __repr__(self) -> str:
        return f"Analyzer({self.stemmer!r}, stem_input={self.stem_input!r})"

    @property
    def signature(self) -> str:
        """What the index was built with; a change means the index must be rebuilt: the
        analyzer, its version and the word-frequency lexicon that its splits read."""
        return f"{self.name}/v{ANALYZER_VERSION}/lex{wordfreq_digest()}"

    def analyze_word(self, surface: str) -> tuple[str, str]:
        """Return ``(exact, stem)`` for one word or number as written (cached)."""
        forms = self._cache.get(surface)
        if forms is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            forms = self._cache[surface] = self._analyze_word(surface)
        return forms

    def _analyze_word(self, surface: str) -> tuple[str, str]:
        key = _keep_alnum(normalize_key(surface))
        if not key:
            return "", ""
        if key.isdigit() or not key.isalpha():
            m = _CLITIC_NUMBER_RE.match(key)  # و14 -> 14
            return (m.group(1), m.group(1)) if m else (key, key)
        article, base = split_key(key, self._counts)
        exact = base[2:] if article and base.startswith("ال") and len(base) >= 5 else base
        if self.stem_input == "surface":
            stem = self._stem(key)
        else:
            stem = self._stem(exact if article else strip_bare_proclitic(exact, self._counts))
        return exact, _keep_alnum(stem or exact) or exact

    def analyze(self, text: str) -> list[Term]:
        """Terms of `text` in order, with offsets into `text`."""
        terms: list[Term] = []
        cache, word = self._cache, self.analyze_word
        for m in TERM_RE.finditer(text):
            surface = m.group()
            exact, stem = cache.get(surface) or word(surface)
            if exact:
                terms.append(Term(m.start(), m.end(), exact, stem))
        return terms

    def find_terms(self, text: str, stems: set[str], exacts: set[str]) -> list[tuple[int, int]]:
        """`[start, end)` of the words of `text` whose stem is in `stems` or whose exact
        form is in `exacts` (the fast path of `analyze` for highlighting)."""
        found: list[tuple[int, int]] = []
        cache, word = self._cache, self.analyze_word
        for m in TERM_RE.finditer(text):
            surface = m.group()
            exact, stem = cache.get(surface) or word(surface)
            if exact and (stem in stems or exact in exacts):
                found.append(m.span())
        return found

    def index_forms(self, text: str) -> tuple[str, str]:
        """``(stems, exacts)``: space-joined terms in token order, for the FTS columns. (A
        word's exact form is empty only when its stem is: `_analyze_word`.)"""
        surfaces = TERM_RE.findall(text)
        pairs = list(map(self._cache.get, surfaces))  # each form analysed once per process
        if None in pairs:
            word = self.analyze_word
            pairs = [p or word(s) for p, s in zip(pairs, surfaces)]
        return (" ".join(filter(None, map(itemgetter(1), pairs))),
                " ".join(filter(None, map(itemgetter(0), pairs))))


#: the name an article's index forms travel under from the worker process that analysed it
#: to the store (`rasid.carried`)
INDEX_FORMS = "index_forms"


def attach_index_forms(doc: Any, analyzer: Analyzer | None = None) -> Any:
    """Compute the index forms of `doc`'s title and text (`Analyzer.index_forms`) and carry
    them with it, so that the process that stores it need not (`take_index_forms`)."""
    from ..carried import carry

    analyzer = analyzer or get_analyzer()
    carry(doc, INDEX_FORMS, (analyzer.index_forms(doc.title or ""), analyzer.index_forms(doc.text)),
          analyzer.signature)
    return doc


def take_index_forms(analyzer: Analyzer, doc: Any) -> tuple[tuple[str, str], tuple[str, str]]:
    """``(title forms, body forms)`` of `doc` under `analyzer`: those it carries when they were
    made by an analyzer of the same signature from the same title and text, else computed now."""
    from ..carried import take_carried

    carried = take_carried(doc, INDEX_FORMS, analyzer.signature)
    return carried or (analyzer.index_forms(doc.title or ""), analyzer.index_forms(doc.text))


_DEFAULT: Analyzer | None = None


def get_analyzer(name: str | None = None) -> Analyzer:
    """The shipped analyzer (``snowball(base)+exact``: chosen by bench/search_mrr.py), or
    one named ``stemmer`` / ``stemmer(base)``."""
    global _DEFAULT
    if name is None or name == "default":
        if _DEFAULT is None:
            _DEFAULT = Analyzer("snowball", "base")
        return _DEFAULT
    name = name.removesuffix("+exact")
    if name.endswith("(base)"):
        return Analyzer(name[: -len("(base)")], "base")
    return Analyzer(name, "surface")
