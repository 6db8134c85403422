"""Country cues for the places stage that are not place names (issue 14, item 1).

* Co-mentioned entities: a person or organisation tied to one country (أوباما -> US,
  الحوثيون -> YE; table ``data/entity_countries.tsv``) and a nisba adjective inside an
  organisation's name (الجيش اللبناني -> LB) vote for that country like a demonym does, so
  a homograph (طرابلس, صور, الرقة) follows the article's people and bodies too.
* An adjacent nisba: a nisba adjective right after a place name (مدينة هورست الهولندية,
  جزيرة لاريونيون الفرنسية) says which country that place is in.

Pure functions over tokens and spans; `PlaceStage` calls them and `resolve_mentions`
weighs them.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from importlib import resources
from operator import attrgetter

from .gazetteer import normalize_place
from .resolve import Mention, convert_nisba

ENTITY_LABELS = ("PER", "ORG")
MAX_WORDS = 4
_START, _END = attrgetter("start"), attrgetter("end")


def _squash(text: str) -> str:
    return normalize_place(text).replace(" ", "")


@lru_cache(maxsize=1)
def load_entity_countries() -> dict[str, str]:
    """Squashed name (no spaces, normalised) -> ISO2."""
    table: dict[str, str] = {}
    text = resources.files("rasid.geo").joinpath("data/entity_countries.tsv").read_text("utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or len(parts[1].strip()) != 2:
            raise ValueError(f"entity_countries.tsv line {n}: expected 'names<TAB>ISO2'")
        for name in parts[0].split("|"):
            if name.strip():
                table[_squash(name)] = parts[1].strip()
    return table


def find_entity_country(words: list[str]) -> str | None:
    """The country of the longest run of `words` (normalised) that the table names."""
    table = load_entity_countries()
    for n in range(min(MAX_WORDS, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            iso = table.get("".join(words[i:i + n]))
            if iso:
                return iso
    return None


def extract_entity_cues(tokens, entities) -> list[Mention]:
    """One ``source="cue"`` mention per PER/ORG entity tied to a country (table), and one
    per nisba adjective inside an ORG entity (a person's nisba is often a family name:
    المصري). Offsets are the entity's / the adjective's."""
    spans = sorted((s for s in entities if s.label in ENTITY_LABELS), key=lambda s: s.start)
    if not spans:
        return []
    out = []
    for s in spans:  # the words of each span: from the first token ending after its start
        toks_in = [t for t in tokens[bisect_right(tokens, s.start, key=_END):bisect_left(tokens, s.end, key=_START)]
                   if t.kind == "word"]
        words = [normalize_place(t.base) for t in toks_in]
        iso = find_entity_country([w for w in words if w])
        if iso:
            out.append(Mention(s.start, s.end, "", "cue", country=iso))
            continue
        if s.label == "ORG":
            for t in toks_in:
                iso = convert_nisba(t.base)
                if iso:
                    out.append(Mention(t.base_start, t.end, "", "cue", country=iso))
                    break
    return out


#: a compass word between a town and the country it is in (بلدة ميلو بوسط مالي، X شمال شرقي سوريا)
_IN_COUNTRY_RE = re.compile(r"\s+(?:و?ب)?(?:وسط|شمال|جنوب|شرق|غرب)[يى]?(?:\s+(?:شرق|غرب)[يى]?)?\s+")


def mark_adjacent_nisba(text: str, mentions: list[Mention]) -> None:
    """Set ``nisba`` (the country the text puts a place in) on a place mention followed
    directly (only spaces between) by a demonym mention (بمدينة هورست الهولندية ->
    هورست.nisba = NL), or by a compass word and a country's name (بلدة ميلو بوسط مالي -> ML:
    not Melo in Uruguay) unless all its candidates are of no one country."""
    places = sorted((m for m in mentions if m.source in ("entity", "gazetteer")), key=lambda m: m.end)
    demonyms, countries = {}, {}
    for m in mentions:
        if m.source == "demonym":
            demonyms[m.start] = m.country
        elif m.source in ("entity", "gazetteer"):
            cc = next((p.country for p, w in m.cands if p.feature == "country" and w >= 1.0), None)
            if cc:
                countries[m.start] = cc
    for m in places:
        i = m.end
        while i < len(text) and text[i] == " ":
            i += 1
        cc = demonyms.get(i) if i > m.end else None
        if not cc and (gap := _IN_COUNTRY_RE.match(text, m.end)):
            cc = countries.get(gap.end())
            if cc and m.cands and not any(p.country for p, _ in m.cands):
                cc = None  # a place of no one country (البحر الميت جنوب الأردن، تهامة غرب اليمن) is
                # where the compass phrase says, not a town the gazetteer lacks (twenty-fifth round)
        if cc:
            m.nisba = cc
