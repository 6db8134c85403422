"""Arabic question and function words: a query neither requires nor ranks on them.

The list is ``data/stopwords.txt``; a word is a stopword when its analysed exact form is
listed, or is listed once one or two leading و ف ب ل ك are stripped (وفي، لمن، فماذا).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .analyzer import get_analyzer

_PREFIX_LETTERS = "وفبلك"


@lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    """The exact (analysed) forms of the listed words."""
    text = resources.files("rasid.search").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    analyzer = get_analyzer()
    words = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            exact = analyzer.analyze_word(line)[0]
            if exact:
                words.add(exact)
    return frozenset(words)


def is_stopword(exact: str) -> bool:
    """Whether an analysed exact form is a question or function word."""
    words = load_stopwords()
    if exact in words:
        return True
    for k in (1, 2):
        if len(exact) - k >= 2 and all(c in _PREFIX_LETTERS for c in exact[:k]) \
                and exact[k:] in words:
            return True
    return False
