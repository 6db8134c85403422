"""Arabic question and function words: a query neither requires nor ranks on them.

The list is ``data/stopwords.txt``; a word is a stopword when its analysed exact form is
listed, or is listed once one or two leading و ف ب ل ك are stripped (وفي، لمن، فماذا).
A question (`is_question`) also drops the words of ``data/question_words.txt``
(`mark_question_words`): prepositions and adverbs that only join its content words, and
question-template words (ما اسم، كم عدد) right after a question or function word.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

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


@lru_cache(maxsize=1)
def load_question_words() -> dict[str, frozenset[str]]:
    """``{kind: exact forms}`` of data/question_words.txt (interrogative, glue, template)."""
    text = resources.files("rasid.search").joinpath("data/question_words.txt").read_text(
        encoding="utf-8")
    analyzer = get_analyzer()
    kinds: dict[str, set[str]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, sep, word = line.partition("\t")
        if not sep or kind not in ("interrogative", "glue", "template"):
            raise ValueError(f"data/question_words.txt line {n}: expected 'kind<TAB>word' with "
                             f"kind interrogative, glue or template, got {line!r}")
        exact = analyzer.analyze_word(word.strip())[0]
        if exact:
            kinds.setdefault(kind, set()).add(exact)
    return {k: frozenset(v) for k, v in kinds.items()}


def is_listed(exact: str, words: frozenset[str]) -> bool:
    """Whether `exact`, or `exact` without one or two leading و ف ب ل ك, is in `words`."""
    if exact in words:
        return True
    for k in (1, 2):
        if len(exact) - k >= 2 and all(c in _PREFIX_LETTERS for c in exact[:k]) \
                and exact[k:] in words:
            return True
    return False


def is_stopword(exact: str) -> bool:
    """Whether an analysed exact form is a question or function word."""
    return is_listed(exact, load_stopwords())


def is_question(text: str, analyzer: Any = None) -> bool:
    """Whether query text asks a question: a question mark, or an interrogative among its
    first two words (من هو …، في أي …؛ a headline rarely starts so)."""
    if "؟" in text or "?" in text:
        return True
    analyzer = analyzer or get_analyzer()
    first = analyzer.analyze(" ".join(text.split()[:2]))
    return any(is_listed(t.exact, load_question_words()["interrogative"]) for t in first)


def mark_question_words(clauses: list[Any]) -> None:
    """In a question's plain (not quoted, not signed) clauses, mark as stopwords the glue
    words, and the template words that follow a stopword (ما اسم، كم عدد، في أي عام)."""
    words = load_question_words()
    for i, c in enumerate(clauses):
        if c.required or c.negated or c.phrase or c.stopword:
            continue
        exact = c.terms[0].exact
        if is_listed(exact, words["glue"]) or (
                i and clauses[i - 1].stopword and is_listed(exact, words["template"])):
            c.stopword = True
