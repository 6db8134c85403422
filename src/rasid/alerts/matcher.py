"""Does an article match a watch, and why: the mentions, terms and places that matched,
each with its offsets and the sentence it is in.

`match_document(watch, doc, store)` returns a `Match` (or None). Every criterion of the
watch must match (AND). A reason entry is::

    {"kind": "entity" | "term" | "place", "text", "start", "end", "field": "text" | "title",
     "sentence_index", "sentence_start", "sentence_end", "sentence_text", ...}

with ``[start, end)`` code-point offsets into ``doc.text`` (or the title when ``field`` is
``"title"``), plus ``entity_id``/``canonical`` (entity), ``clause`` (term) and ``name``/
``country``/``gazetteer_id`` (place). At most `MAX_REASONS_PER_CRITERION` entries are kept
per criterion, the first in the text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..doc import Document, Span
from .watches import Watch, is_entity_form

MAX_REASONS_PER_CRITERION = 5


@dataclass
class Match:
    watch_id: int | None
    article_id: str | None
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"watch_id": self.watch_id, "article_id": self.article_id, "matches": self.reasons}


# -- sentences ------------------------------------------------------------------------------
def _sentences(doc: Document) -> list[Span]:
    sents = doc.sentences
    if not sents and doc.text:
        from ..arabic.sentences import split_sentences

        sents = split_sentences(doc.text)
    return sents


def describe_offsets(doc: Document, start: int, end: int, kind: str,
                     sentences: list[Span] | None = None, **extra: Any) -> dict[str, Any]:
    """A reason entry for ``doc.text[start:end]`` with the sentence that holds it."""
    sents = sentences if sentences is not None else _sentences(doc)
    entry: dict[str, Any] = {"kind": kind, "text": doc.text[start:end], "start": start, "end": end,
                             "field": "text"}
    index = next((i for i, s in enumerate(sents) if s.start <= start < s.end), None)
    if index is None:
        # no sentence layer covering it: the line around the match
        s_start = doc.text.rfind("\n", 0, start) + 1
        s_end = doc.text.find("\n", end)
        s_end = len(doc.text) if s_end < 0 else s_end
    else:
        s_start, s_end = sents[index].start, sents[index].end
    entry.update(sentence_index=index, sentence_start=s_start, sentence_end=s_end,
                 sentence_text=doc.text[s_start:s_end])
    entry.update(extra)
    return entry


def _title_entry(doc: Document, start: int, end: int, kind: str, **extra: Any) -> dict[str, Any]:
    title = doc.title or ""
    entry = {"kind": kind, "text": title[start:end], "start": start, "end": end, "field": "title",
             "sentence_index": None, "sentence_start": 0, "sentence_end": len(title),
             "sentence_text": title}
    entry.update(extra)
    return entry


# -- entity -----------------------------------------------------------------------------------
def resolve_entity_ids(watch: Watch, store: Any | None) -> set[int]:
    """The watch's entity ids: those resolved when it was added, plus the archive records
    that now fit the typed name (an entity first stored after the watch was added)."""
    ids = set((watch.entity or {}).get("ids") or [])
    if store is not None and watch.entity:
        from ..entities.archive import lookup_entities

        name = watch.entity["name"]
        ids |= {r.id for r in lookup_entities(store, name, limit=10) if is_entity_form(name, r)}
    return ids


def match_entity(watch: Watch, doc: Document, ids: set[int],
                 sentences: list[Span]) -> list[dict[str, Any]]:
    from ..entities.linking import is_same_entity, mention_name

    typed = watch.entity["name"] if watch.entity else ""
    out: list[dict[str, Any]] = []
    verdicts: dict[tuple[str, str], bool] = {}
    for span in sorted(doc.layers.get("entities", []), key=lambda s: s.start):
        eid = span.attrs.get("entity_id")
        hit = eid is not None and eid in ids
        if not hit:
            # by name: the cluster's canonical, else the mention as written
            name = span.attrs.get("canonical") or mention_name(doc, span)
            key = (name, span.label)
            if key not in verdicts:
                verdicts[key] = bool(name) and is_same_entity(typed, name, span.label or "PER")
            hit = verdicts[key]
        if hit:
            out.append(describe_offsets(doc, span.start, span.end, "entity", sentences,
                                        entity_id=eid, canonical=span.attrs.get("canonical"),
                                        label=span.label))
            if len(out) >= MAX_REASONS_PER_CRITERION:
                break
    return out


# -- query ------------------------------------------------------------------------------------
def _clause_hits(terms: list, clause: Any) -> list[tuple[int, int]]:
    """`[start, end)` of each occurrence of the clause among `terms` (a phrase: the run of
    consecutive terms; a word: the one term). A term matches on its stem or exact form."""
    want = clause.terms
    n = len(want)
    hits = []
    for i in range(len(terms) - n + 1):
        if all(terms[i + k].stem == want[k].stem or terms[i + k].exact == want[k].exact
               for k in range(n)):
            hits.append((terms[i].start, terms[i + n - 1].end))
    return hits


def match_query(watch: Watch, doc: Document, sentences: list[Span]) -> list[dict[str, Any]]:
    """Every positive clause must occur (in the title or the text) and no excluded one
    may, as in search; reasons are the occurrences, text first."""
    from ..search.analyzer import get_analyzer
    from ..search.query import parse_query

    analyzer = get_analyzer()
    parsed = watch._cache.get("parsed")
    if parsed is None:
        parsed = watch._cache["parsed"] = parse_query(watch.query or "", analyzer)
    body = analyzer.analyze(doc.text)
    title = analyzer.analyze(doc.title or "")
    for clause in parsed.negative:
        if _clause_hits(body, clause) or _clause_hits(title, clause):
            return []
    out: list[dict[str, Any]] = []
    for clause in parsed.positive:
        in_body = _clause_hits(body, clause)
        in_title = _clause_hits(title, clause)
        if not in_body and not in_title:
            return []
        kept = [describe_offsets(doc, s, e, "term", sentences, clause=clause.text)
                for s, e in in_body[:MAX_REASONS_PER_CRITERION]]
        if not kept:
            kept = [_title_entry(doc, s, e, "term", clause=clause.text) for s, e in in_title[:1]]
        out.extend(kept)
    return out


# -- place ------------------------------------------------------------------------------------
def match_place(watch: Watch, doc: Document, sentences: list[Span]) -> list[dict[str, Any]]:
    """A country watch matches every place span in that country (demonyms such as
    الفرنسية included); a city/region watch matches spans resolved to that entry."""
    place = watch.place or {}
    country = place.get("country")
    is_country = place.get("feature") == "country"
    out = []
    for span in sorted(doc.layers.get("places", []), key=lambda s: s.start):
        a = span.attrs
        if is_country:
            hit = bool(country) and a.get("country") == country
        else:
            hit = a.get("gazetteer_id") == place.get("gazetteer_id") and a.get("relation") is None
        if hit:
            out.append(describe_offsets(doc, span.start, span.end, "place", sentences,
                                        name=a.get("name"), country=a.get("country"),
                                        gazetteer_id=a.get("gazetteer_id"),
                                        relation=a.get("relation")))
            if len(out) >= MAX_REASONS_PER_CRITERION:
                break
    return out


# -- all together -------------------------------------------------------------------------------
def match_document(watch: Watch, doc: Document, store: Any | None = None,
                   entity_ids: set[int] | None = None) -> Match | None:
    """The match of `doc` against every criterion of `watch` (AND), or None.

    `entity_ids` may be passed in (computed once per batch with `resolve_entity_ids`);
    otherwise they are looked up in `store`."""
    sentences = _sentences(doc)
    reasons: list[dict[str, Any]] = []
    if watch.entity:
        ids = entity_ids if entity_ids is not None else resolve_entity_ids(watch, store)
        found = match_entity(watch, doc, ids, sentences)
        if not found:
            return None
        reasons += found
    if watch.place:
        found = match_place(watch, doc, sentences)
        if not found:
            return None
        reasons += found
    if watch.query:
        found = match_query(watch, doc, sentences)
        if not found:
            return None
        reasons += found
    if not reasons:
        return None
    return Match(watch.id, doc.id, reasons)
