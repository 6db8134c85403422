"""The places stage: resolve location mentions to gazetteer entries; focus country.

Reads ``doc.tokens`` and ``doc.layers["entities"]`` (LOC spans from NER; the stage also
works when that layer is empty or missing) and writes ``doc.layers["places"]``:
``Span(start, end, "PLACE", attrs)`` with offsets of the name itself (proclitics such as
و/ب excluded) and attrs ``name`` (canonical Arabic), ``name_en``, ``country`` (ISO2),
``lat``, ``lon``, ``feature``, ``geonameid`` (None for non-GeoNames entries),
``gazetteer_id``, ``confidence``, ``source`` ("entity" or "gazetteer") and, for nisba
adjectives (الفرنسية), ``relation="demonym"`` (they vote for the focus country only).
``doc.meta["focus_country"]`` is the ISO2 code of the weighted vote's winner (or None)
and ``doc.meta["place_votes"]`` the votes. Method and figures: docs/places.md.

Settings: ``match_gazetteer`` ("safe" default: also tag gazetteer names outside entity
spans when they are countries/continents/regions or cities with population >=
``min_population``; "all"; "off"), ``demonyms`` (default True), ``country_hint`` (an
ISO2 prior, e.g. the source's country; ``doc.meta["country_hint"]`` overrides it).
"""
from __future__ import annotations

from ..arabic.tokenize import tokenize
from ..doc import Document, Span
from ..geo.gazetteer import load_gazetteer
from ..geo.resolve import (
    extract_demonyms,
    extract_entity_mentions,
    extract_gazetteer_mentions,
    resolve_mentions,
    vote_focus,
)
from ..pipeline import Stage

LOC_LABELS = ("LOC", "GPE")


class PlaceStage(Stage):
    name = "places"
    reads = ("tokens", "entities")
    writes = ("places", "meta")  # meta: focus_country, place_votes

    def __init__(self, match_gazetteer: str = "safe", min_population: int = 100_000,
                 demonyms: bool = True, country_hint: str | None = None):
        if match_gazetteer not in ("safe", "all", "off"):
            raise ValueError(f"match_gazetteer must be safe, all or off, not {match_gazetteer!r}")
        self.match_gazetteer = match_gazetteer
        self.min_population = min_population
        self.demonyms = demonyms
        self.country_hint = country_hint
        self.gazetteer = load_gazetteer()

    def __call__(self, doc: Document) -> Document:
        gaz = self.gazetteer
        tokens = doc.tokens or tokenize(doc.text)
        entities = doc.layers.get("entities", [])
        locs = [s for s in entities if s.label in LOC_LABELS]
        mentions = extract_entity_mentions(doc.text, tokens, locs, gaz)
        covered = [(s.start, s.end) for s in entities]
        gaz_mentions = extract_gazetteer_mentions(
            doc.text, tokens, covered, gaz, self.match_gazetteer, self.min_population)
        mentions += gaz_mentions
        covered += [(m.start, m.end) for m in mentions]
        if self.demonyms:
            mentions += extract_demonyms(tokens, covered)
        title_mentions = []
        if doc.title:
            ttoks = tokenize(doc.title)
            title_mentions = extract_gazetteer_mentions(
                doc.title, ttoks, [], gaz, "safe", self.min_population)
            if self.demonyms:
                title_mentions += extract_demonyms(ttoks, [(m.start, m.end) for m in title_mentions])
            for m in title_mentions:
                m.in_title = True
        hint = doc.meta.get("country_hint") or self.country_hint
        resolve_mentions(mentions + title_mentions, hint)
        focus, votes = vote_focus(mentions + title_mentions)
        spans = []
        for m in sorted(mentions, key=lambda m: m.start):
            if m.source == "demonym":
                spans.append(Span(m.start, m.end, "PLACE", {
                    "relation": "demonym", "country": m.country, "source": "demonym"}))
                continue
            p = m.choice
            if p is None:
                continue
            spans.append(Span(m.start, m.end, "PLACE", {
                "name": p.name, "name_en": p.name_en, "country": p.country or None,
                "lat": p.lat, "lon": p.lon, "feature": p.feature, "geonameid": p.geonameid,
                "gazetteer_id": p.key, "confidence": m.confidence, "source": m.source}))
        doc.layers["places"] = spans
        doc.meta["focus_country"] = focus
        doc.meta["place_votes"] = votes
        return doc
