"""Stemmers for search keys.

* ``stem_light10``: Larkey et al.'s light10 (the algorithm behind Lucene's
  ArabicStemmer): strip one of وال بال كال فال لل ال و (prefix) and then suffixes
  ها ان ات ون ين يه ية ه ة ي, keeping at least two (prefix) / three letters.
* ``stem_snowball``: Snowball Arabic via PyStemmer (same as PostgreSQL's `arabic`).

Input is expected to be ``normalize_key`` output (harakat removed, alef folded, ة->ه).
"""
from __future__ import annotations

_L10_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_L10_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def stem_light10(word: str) -> str:
    """Not cached: its callers cache (`rasid.summarise.terms._key`) and ask for new words
    only (0.6 % hits with a cache of 100,000)."""
    if len(word) > 3 and word.startswith("و"):
        word = word[1:]
    if word.startswith(_L10_PREFIXES):  # one test in C for the words that have none
        for p in _L10_PREFIXES:
            if word.startswith(p) and len(word) - len(p) >= 2:
                word = word[len(p):]
                break
    if word.endswith(_L10_SUFFIXES):  # nothing is stripped until one ends the word
        for s in _L10_SUFFIXES:  # one pass, as Lucene's ArabicStemmer
            if word.endswith(s) and len(word) - len(s) >= 2:
                word = word[: -len(s)]
    return word


_SNOWBALL = None


def stem_snowball(word: str) -> str:
    global _SNOWBALL
    if _SNOWBALL is None:
        import Stemmer  # PyStemmer

        _SNOWBALL = Stemmer.Stemmer("arabic")
        # its own cache off: its callers cache (`Analyzer.analyze_word`) and ask for new words
        # only, which it stored at a cost (1.2 us a word, half of the stemming)
        _SNOWBALL.maxCacheSize = 0
    return _SNOWBALL.stemWord(word)
