"""Entities in queries: other spellings of a named entity join the query as alternatives.

A query word that names a known entity (in the archive's entity index, which also reads
Latin script: ``Hollande`` -> هولاند, or in the curated alias table) gains the words of
that entity's other spellings whose consonant skeleton matches it (أولاند -> هولاند), and a
Latin word gains the Arabic ones (``Baghdadi`` -> البغدادي). The expansion is returned so
that the user sees it.
"""
from __future__ import annotations

from typing import Any

from ..entities.aliases import find_alias
from ..entities.translit import is_latin, name_skeleton, score_skeletons
from .analyzer import Analyzer
from .plan import Form
from .query import ParsedQuery

#: skeleton similarity from which an alias word is a spelling of the query word
SAME_NAME = 0.85
MAX_LOOKUPS = 6


#: punctuation a query word may carry (أولاند؟): not shown in "also searched"
_PUNCT = "؟?!.,،؛;:«»\"'()[]"


def _form(analyzer: Analyzer, text: str) -> Form | None:
    terms = analyzer.analyze(text)
    if not terms:
        return None
    return Form(tuple(t.stem for t in terms), tuple(t.exact for t in terms))


def _spellings(store: Any, word: str) -> tuple[list[str], int | None, str | None]:
    """Names of the entity `word` names (archive first, then the alias table)."""
    from ..entities.archive import lookup_entities

    records = lookup_entities(store, word, limit=3)
    skel = name_skeleton(word)
    for r in records:
        names = {r.canonical, *r.aliases}
        if any(score_skeletons(skel, name_skeleton(w)) >= SAME_NAME
               for n in names for w in n.split()):
            return sorted(names), r.id, r.canonical
    entry = find_alias(word)
    if entry is not None:
        return list(entry.forms), None, entry.canonical
    return [], None, None


def expand_entities(store: Any, parsed: ParsedQuery,
                    analyzer: Analyzer) -> tuple[dict[str, list[Form]], list[dict[str, Any]]]:
    """``(variants by clause text, expansions to show)``."""
    variants: dict[str, list[Form]] = {}
    shown: list[dict[str, Any]] = []
    words = [c for c in parsed.positive if not c.phrase and len(c.text) >= 3]
    for clause in words[:MAX_LOOKUPS]:
        names, entity_id, canonical = _spellings(store, clause.text)
        if not names:
            continue
        skel = name_skeleton(clause.text)
        own = _form(analyzer, clause.text)
        added: list[str] = []
        for name in names:
            if is_latin(name):
                continue
            for w in name.split():
                if score_skeletons(skel, name_skeleton(w)) < SAME_NAME:
                    continue
                form = _form(analyzer, w)
                if form and form != own and form not in variants.get(clause.text, []):
                    variants.setdefault(clause.text, []).append(form)
                    added.append(w)
        if added:
            shown.append({"word": clause.text.strip(_PUNCT), "entity_id": entity_id, "entity": canonical,
                          "spellings": added})
    return variants, shown
