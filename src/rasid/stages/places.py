"""The places stage: resolve location mentions to gazetteer entries; focus country.

Reads ``doc.tokens`` and ``doc.layers["entities"]`` (LOC spans from NER; the stage also
works when that layer is empty or missing) and writes ``doc.layers["places"]``:
``Span(start, end, "PLACE", attrs)`` with offsets of the name itself (proclitics such as
و/ب excluded) and attrs ``name`` (canonical Arabic), ``name_en``, ``country`` (ISO2),
``lat``, ``lon``, ``feature``, ``geonameid`` (None for non-GeoNames entries),
``gazetteer_id``, ``confidence``, ``source`` ("entity" or "gazetteer"), ``alternatives``
(runner-up entries of the same name with their probability) and, for nisba
adjectives (الفرنسية), ``relation="demonym"`` with their country's entry (name, point,
``feature="country"``; they vote for the focus country with half weight).
``doc.meta["focus_country"]`` is the ISO2 code of the weighted vote's winner (or None)
and ``doc.meta["place_votes"]`` the votes. Method and figures: docs/places.md.

Settings: ``match_gazetteer`` ("safe" default: also tag gazetteer names outside entity
spans when they are countries/continents/regions or cities with population >=
``min_population``, multi-word names of the region, and every place named in the
title that the text vouches for by itself (`vouched_keys`); "all"; "off"), ``demonyms``
(default True), ``country_hint`` (an ISO2 prior, e.g. the source's country;
``doc.meta["country_hint"]`` overrides it), ``home_country`` (the country the news comes from,
default the ``home_country`` setting, "SA": `prefer_provinces`).
"""
from __future__ import annotations

from bisect import bisect_left
from itertools import takewhile

from ..arabic.tokenize import load_wordfreq, tokenize
from ..doc import Document, Span
from ..geo.approximate import (
    find_head_names,
    find_located_names,
    is_name_word,
    near_attrs,
    phrase_place,
    place_approximately,
    repeat_placed,
)
from ..geo.cues import extract_entity_cues, mark_adjacent_nisba
from ..geo.gazetteer import load_gazetteer, normalize_place
from ..geo.translit import resolve_by_sound
from ..geo.resolve import (
    Coverage,
    accept_deferred_mentions,
    at_dateline,
    capitals_at_dateline,
    cities_in_lists,
    convert_nisba,
    demote_adjective_countries,
    drop_named_things,
    extract_demonyms,
    extract_entity_mentions,
    extract_gazetteer_mentions,
    is_province_seat,
    is_safe_match,
    join_split_locs,
    resolve_mentions,
    split_division_seat,
    uncover_bodies,
    vote_focus,
)
from ..pipeline import Stage

LOC_LABELS = ("LOC", "GPE")


def demonym_attrs(gaz, iso2: str) -> dict:
    """Attrs of a nisba adjective's span: its country's entry, ``relation="demonym"``."""
    attrs = {"relation": "demonym", "country": iso2, "source": "demonym"}
    p = gaz.country(iso2)
    if p is not None:
        attrs.update({"name": p.name, "name_en": p.name_en, "lat": p.lat, "lon": p.lon,
                      "feature": "country", "geonameid": p.geonameid, "gazetteer_id": p.key})
    return attrs


#: a one-word name of the title is taken in the body only for a place of this size (كاليه,
#: 74,000): GeoNames lists hamlets named حول، السجن، الاتحاد (common words of titles)
TITLE_POPULATION = 5_000


def is_title_name(m) -> bool:
    return " " in m.key or any(p.feature != "city" or p.population >= TITLE_POPULATION
                               for p, _ in m.cands)


def vouched_keys(text: str, tokens, mentions, title_keys: frozenset, min_population: int,
                 top: int = 0) -> set[str]:
    """The title's names the text vouches for by itself: a mention NER found, one of a title
    line (before `top`, tagged without privilege), one the tagger takes without the title
    (after a head word, a safe or province-seat match), one followed by a nisba adjective of
    a country it may be in (كاليه الفرنسية), or a name for a place that another name of the
    text (of several words, after a head word or found by NER) gives exactly: بالمنطقة
    الشرقية for الشرقية. A mention taken only because the title has the name vouches for
    nothing (الإلزامي، دوري، سلمية)."""
    out = set()
    entries = set()  # places the text's other names give
    for m in mentions:
        if m.key not in title_keys:
            if " " in m.key or m.head or m.source != "gazetteer":
                entries.update(p.key for p, w in m.cands if w >= 1.0)
            continue
        if m.key in out:
            continue
        i = bisect_left(tokens, m.end, key=lambda t: t.start)  # the token after the name
        nxt = tokens[i] if i < len(tokens) else None
        nisba = convert_nisba(nxt.base) if nxt is not None and nxt.kind == "word" and \
            text[m.end:nxt.start].isspace() else None
        if (m.source != "gazetteer" or m.start < top or m.head or is_province_seat(m.key, m.cands)
                or is_safe_match(m.cands, min_population, m.key.count(" ") + 1)
                or (nisba and any(p.country == nisba for p, _ in m.cands))):
            out.add(m.key)
    return out | {m.key for m in mentions
                  if m.key in title_keys and any(p.key in entries for p, _ in m.cands)}


def withdraw_unvouched(mentions, title_keys: frozenset, keys: set[str], deferred: list,
                       top: int = 0) -> list:
    """`mentions` less the tagger's matches of title names the text does not vouch for
    (`vouched_keys`): those go back to `deferred`, as the tagger alone would have refused
    them (a town of the focus country is still taken there)."""
    out = []
    for m in mentions:
        if m.source == "gazetteer" and m.start >= top and m.key in title_keys and m.key not in keys:
            deferred.append(m)
        else:
            out.append(m)
    deferred.sort(key=lambda m: m.start)
    return out


class PlaceStage(Stage):
    name = "places"
    reads = ("tokens", "entities")
    writes = ("places", "meta")  # meta: focus_country, place_votes

    def __init__(self, match_gazetteer: str = "safe", min_population: int = 100_000,
                 demonyms: bool = True, country_hint: str | None = None,
                 home_country: str | None = None):
        if match_gazetteer not in ("safe", "all", "off"):
            raise ValueError(f"match_gazetteer must be safe, all or off, not {match_gazetteer!r}")
        self.match_gazetteer = match_gazetteer
        self.min_population = min_population
        self.demonyms = demonyms
        self.country_hint = country_hint
        if home_country is None:
            from ..settings import get_setting

            home_country = get_setting("home_country")
        self.home_country = home_country
        self.gazetteer = load_gazetteer()

    def find_title_names(self, doc: Document, tokens, head: int) -> tuple[list, list]:
        """The title's gazetteer names (`is_title_name`) and its tokens: those of the text's
        first `head` characters when the text begins with the title line, else its own."""
        if not doc.title:
            return [], []
        text, ttoks = (doc.text, list(takewhile(lambda t: t.end <= head, tokens))) if head \
            else (doc.title, tokenize(doc.title))
        return [m for m in extract_gazetteer_mentions(
            text, ttoks, [], self.gazetteer, "all" if self.match_gazetteer != "off" else "off",
            self.min_population) if is_title_name(m)], ttoks

    def place_unplaced(self, text: str, tokens, covered, mentions: list, focus: str | None) -> list:
        """The LOC mentions nothing placed and the names after a place's head word or located
        in a division (`find_head_names`, `find_located_names`) that no mention covers, nor
        the entities the tagger skips (`covered`): by sound (a town or division of a country
        the article or the name's phrase points to), else approximately at the nearest place
        the article names (`place_approximately`). Returns the head names placed."""
        taken = Coverage(covered + [(m.start, m.end) for m in mentions])
        found = find_head_names(text, tokens, taken) + find_located_names(text, tokens, taken, self.gazetteer)

        placed: list = []  # the placed mentions, sorted, read again once a place is found by sound

        def phrase_country(m):
            if not placed or len(placed) != sum(o.choice is not None for o in mentions):
                placed[:] = sorted((o for o in mentions if o.choice is not None), key=lambda o: o.start)
            p = phrase_place(text, m, placed, [o.start for o in placed])
            return p.country if p is not None else None

        freq = load_wordfreq()

        def next_word(m):  # the word right after a mention, nothing tagged it, no common word
            i = bisect_left(tokens, m.end, key=lambda t: t.start)
            if i < len(tokens) and tokens[i].kind == "word" and text[m.end:tokens[i].start] == " " \
                    and not taken.overlaps(tokens[i].start, tokens[i].end) and is_name_word(tokens[i].norm, freq):
                return normalize_place(tokens[i].text), tokens[i].end
            return None

        resolve_by_sound(mentions + [m for m, _ in found], focus, phrase_country, next_word)
        near = place_approximately(text, mentions, found, focus)
        return [m for m, _ in found if m.choice is not None] + near + repeat_placed(text, tokens, taken, near)

    def __call__(self, doc: Document) -> Document:
        gaz = self.gazetteer
        tokens = doc.tokens or tokenize(doc.text)
        entities = doc.layers.get("entities", [])
        locs = join_split_locs(doc.text, [s for s in entities if s.label in LOC_LABELS], gaz)
        mentions = extract_entity_mentions(doc.text, tokens, locs, gaz)
        # the tagger skips entities, except a place named after a body's head inside one
        covered, located = uncover_bodies(tokens, [s for s in entities if s.label not in LOC_LABELS])
        loc_spans = [(s.start, s.end) for s in locs]
        covered += loc_spans
        tagger_covered = list(covered)
        # every gazetteer name of the title: a small town there (كاليه) is what the article
        # is about, so the body's mentions of it are taken too. A plain-text article's title
        # is its text's first line (`head` characters): its names are spans like any other.
        head = doc.title_end
        title_mentions, ttoks = self.find_title_names(doc, tokens, head)
        title_keys = frozenset(m.key for m in title_mentions)
        deferred: list = []
        body, top = tokens, 0  # top: where the text after a title line starts
        if head:  # the title line is text: tagged as any text, its names no privilege there
            body = tokens[len(ttoks):]
            top = body[0].start if body else head
            mentions += extract_gazetteer_mentions(doc.text, ttoks, covered, gaz, self.match_gazetteer,
                                                   self.min_population, frozenset(), deferred, located)
        # a dateline's place NER took for another kind of name (بدر الجبل- سبق- [تبوك]:) is read
        covered = [c for c in covered if c in loc_spans or not at_dateline(doc.text, top, c[0])]
        mentions += extract_gazetteer_mentions(
            doc.text, body, covered, gaz, self.match_gazetteer, self.min_population, title_keys,
            deferred, located, top)
        if title_mentions:  # the title's names the rest vouches for, or safe ones
            keys = {m.key for m in mentions}
            if self.match_gazetteer == "safe":  # not the matches taken only for the title
                keys = vouched_keys(doc.text, tokens, mentions, title_keys, self.min_population, top)
                mentions = withdraw_unvouched(mentions, title_keys, keys, deferred, top)
            title_mentions = [m for m in title_mentions if m.key in keys or is_safe_match(
                m.cands, self.min_population, m.key.count(" ") + 1)]
        if head:  # spans of the text now: not inside an entity, never twice
            taken = [(s, e) for s, e in covered + [(m.start, m.end) for m in mentions] if s < head]
            mentions += [m for m in title_mentions if not any(s < m.end and m.start < e for s, e in taken)]
            title_mentions = []
        demote_adjective_countries(doc.text, tokens, mentions)  # الأسرة السعودية
        mentions = drop_named_things(doc.text, tokens, mentions)  # كأس الخليج، نادي الباحة الأدبي
        covered = [(s.start, s.end) for s in entities] + [(m.start, m.end) for m in mentions]
        if self.demonyms:
            mentions += extract_demonyms(tokens, covered)
            mark_adjacent_nisba(doc.text, mentions)
            if title_mentions:
                title_mentions += extract_demonyms(ttoks, [(m.start, m.end) for m in title_mentions])
        for m in title_mentions + [m for m in mentions if m.start < head]:
            m.in_title = True  # counts twice in the focus vote
        # co-mentioned people and organisations tied to a country vote like demonyms
        cues = extract_entity_cues(tokens, entities)
        hint = doc.meta.get("country_hint") or self.country_hint
        resolve_mentions(mentions + title_mentions + cues, hint, self.home_country)
        focus, votes = vote_focus(mentions + title_mentions + cues, top=top)
        # smaller towns of the focus country the safe tagger refused (برابغ وخليص), and
        # names coordinated with a resolved place (محافظة القنفذة والليث)
        more = accept_deferred_mentions(doc.text, deferred, focus, mentions, home=self.home_country)
        if more:
            more = drop_named_things(doc.text, tokens, more)  # نادي عرقة: not the town
        if more:
            mentions += more
            resolve_mentions(mentions + title_mentions + cues, hint, self.home_country)
            focus, votes = vote_focus(mentions + title_mentions + cues, top=top)
        cities_in_lists(doc.text, mentions)  # ... لندن، باريس، تونس، القاهرة: Tunis
        capitals_at_dateline(doc.text, top, mentions)  # عين اليوم – الكويت: Kuwait City
        split_division_seat(doc.text, tokens, mentions)  # بمنطقة تبوك ... مدينة تبوك
        mentions += self.place_unplaced(doc.text, tokens, tagger_covered, mentions, focus)
        spans = []
        for m in sorted(mentions, key=lambda m: m.start):
            if m.near is not None:  # a place no table holds, put where the article says it is
                spans.append(Span(m.start, m.end, "PLACE", near_attrs(m, doc.text)))
                continue
            if m.source == "demonym":
                # the adjective names its country (الحرب الباكستانية -> Pakistan): the country
                # entry's attributes, marked so that maps and counts can leave it out
                spans.append(Span(m.start, m.end, "PLACE", demonym_attrs(gaz, m.country)))
                continue
            p = m.choice
            if p is None:
                continue
            spans.append(Span(m.start, m.end, "PLACE", {
                "name": p.name, "name_en": p.name_en, "country": p.country or None,
                "lat": p.lat, "lon": p.lon, "feature": p.feature, "geonameid": p.geonameid,
                "gazetteer_id": p.key, "confidence": m.confidence, "source": m.source,
                "alternatives": [{"gazetteer_id": a.key, "name": a.name, "name_en": a.name_en,
                                  "country": a.country or None, "lat": a.lat, "lon": a.lon,
                                  "confidence": c} for a, c in m.alternatives]}))
        doc.layers["places"] = spans
        doc.meta["focus_country"] = focus
        doc.meta["place_votes"] = votes
        return doc
