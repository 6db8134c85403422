"""Looking an entity up by name: exact after normalisation, or "not found" with suggestions.

`find_entities(index, name, type)` returns the records that have a form equal to `name`
after ``normalize_entity_name`` (hamza/alef forms, alef maqsura, taa marbuta, harakat, a
space after عبد, punctuation), best first by mentions. Forms tried, in order:

* the name itself, then (Arabic) the name with one leading clitic (و ب ل ف ك) or the
  article ال removed / added, only when the name as typed matches nothing;
* the alias table's forms of the entry that lists it (داعش → تنظيم الدولة);
* Latin: the alias table's Latin names, the gazetteer's English names (Riyadh → الرياض,
  Saudi Arabia → السعودية), and records whose Latin form or transliteration equals the
  name once both are folded (`fold_latin`): never a mere consonant-skeleton hit, which
  would answer Riyadh with روسيا.

A name with a بن chain that no record has as such answers with the people whose chain it
starts (متعب بن عبدالله -> متعب بن عبدالله بن عبدالعزيز; not عبدالله بن خالد بن عبدالعزيز
for عبدالله بن عبدالعزيز); a lone family name with the people whose full name ends with it.

`suggest_entities` gives the closest records by spelling for a "did you mean" list; they
are never presented as the answer. An index with ``find_similar_keys`` (the PostgreSQL
archive, pg_trgm) also contributes the stored names trigram-similar to the query.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Protocol

from rapidfuzz.distance import Levenshtein

from ..store.base import EntityRecord
from .aliases import find_alias
from .names import (compare_names, find_lineage, normalize_entity_name, skeleton_key,
                    skeleton_token, split_name)
from .translit import is_latin, latin_skeleton, name_skeleton, score_skeletons, transliterate

_CLITICS = ("و", "ف", "ب", "ل", "ك")
TYPES = ("PER", "ORG", "LOC", "MISC")


class CandidateIndex(Protocol):
    def find_candidates(self, keys: Iterable[str]) -> list[EntityRecord]: ...


def fold_latin(text: str) -> str:
    """A loose Latin key: accents, case, the article al-/el-, vowels written ou/oo/ee/e/o/y/w,
    an h after a consonant or at a word's end, doubled letters and spaces folded
    ("Al-Riyadh" = "Riyad" = "riyaadh"; "Jeddah" = "Jidda"; "Mohammed" = "Muhammad")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z]+", text)
    out = []
    for i, w in enumerate(words):
        if w in ("al", "el", "ad", "ash", "as", "an", "ar", "at", "az") and i + 1 < len(words):
            continue
        if len(w) > 4 and w.startswith(("al", "el")) and w[2] not in "aeiou" and i == 0 and len(words) == 1:
            w = w[2:]
        out.append(w)
    s = "".join(out)
    s = re.sub(r"([dtkszgcp])h", r"\1", s)
    s = re.sub(r"h$", "", s)
    s = s.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    s = s.translate(str.maketrans({"e": "a", "o": "u", "y": "i", "w": "u", "'": None}))
    s = re.sub(r"(.)\1+", r"\1", s)
    return s


def fold_consonants(folded: str) -> str:
    """The consonants of a `fold_latin` key, v/p written as f/b ("varstapan" -> "frstbn")."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aiu]", "", folded.translate(_VP)))


_VP = str.maketrans({"v": "f", "p": "b"})


def _latin_matches(query: str, record: EntityRecord) -> bool:
    """`query` (Latin) is this record's name: equal folded forms, or (not for places, whose
    English names come from the gazetteer) equal consonants when there are at least three
    (Verstappen / فيرستابن; not Riyadh / روسيا, Hollande / هولندا, Medina / الميادين)."""
    want = fold_latin(query)
    if not want:
        return False
    cons = fold_consonants(want)
    forms = {record.latin} | {f for f in record.aliases | {record.canonical} if is_latin(f)}
    forms |= {transliterate(f) for f in record.aliases | {record.canonical} if f and not is_latin(f)}
    for f in forms:
        if not f:
            continue
        got = fold_latin(f)
        if got == want or (record.type != "LOC" and len(cons) >= 3 and fold_consonants(got) == cons):
            return True
    return False


@lru_cache(maxsize=1)
def _english_place_names() -> dict[str, tuple[str, ...]]:
    """Folded English gazetteer name -> Arabic names (countries, regions and cities)."""
    from ..geo.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    names_of = _names_by_place()
    out: dict[str, list[str]] = {}
    for i, place in enumerate(gaz.places):
        names = names_of.get(i, [])
        if not place.name_en or place.feature not in ("country", "admin1", "city", "region"):
            continue
        if place.feature == "city" and place.population < 15000:
            continue
        arabic = [place.name] + list(names)
        english = place.name_en.lower()
        for key in {english, english.removeprefix("the ")}:
            out.setdefault(key, []).extend(a for a in arabic if a)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def find_place_names(norm: str) -> set[str]:
    """Other names the gazetteer gives the country or province that `norm` names (سوريا ->
    سورية); a city's alternative names are left out (they include its districts)."""
    from ..geo.gazetteer import load_gazetteer
    from .names import find_major_places

    gaz = load_gazetteer()
    ids = {i for i in find_major_places(norm) if gaz.places[i].feature in ("country", "admin1")}
    if not ids:
        return set()
    names = _names_by_place()
    return {normalize_entity_name(n) for i in ids for n in names.get(i, ())}


@lru_cache(maxsize=1)
def _names_by_place() -> dict[int, tuple[str, ...]]:
    """Gazetteer entry -> its indexed (normalised) Arabic names."""
    from ..geo.gazetteer import load_gazetteer

    out: dict[int, list[str]] = {}
    for arabic_name, ids in load_gazetteer().index.items():
        for i in ids:
            out.setdefault(i, []).append(arabic_name)
    return {i: tuple(v) for i, v in out.items()}


def strip_leading_roles(norm: str) -> str:
    """A normalised name without the titles written before it (الامير محمد بن سلمان ->
    محمد بن سلمان); a name made only of role words (ولي العهد) is kept whole."""
    from .roles import load_roles

    roles = load_roles()
    words = norm.split()
    n = 0
    while n < len(words) - 1 and (words[n] in roles["head"] or
                                  (n and (words[n] in roles["nisba"] or words[n] in roles["complement"]))):
        n += 1
    return " ".join(words[n:]) if n and words[0] in roles["head"] else norm


def compute_query_forms(name: str) -> list[set[str]]:
    """Normalised Arabic/Latin forms to try, strongest first: each set is one tier, and a
    later tier is tried only when an earlier one found nothing."""
    norm = strip_leading_roles(normalize_entity_name(name))
    if not norm:
        return []
    first: set[str] = {norm}
    alias = find_alias(name)
    if alias is not None:
        first |= {normalize_entity_name(f) for f in alias.forms}
    tiers = [first]
    if not is_latin(name):
        first |= find_place_names(norm)
    if is_latin(name):
        places = _english_place_names().get(" ".join(name.lower().split()).removeprefix("the "))
        if places:
            first |= {normalize_entity_name(p) for p in places}
        return tiers
    loose: set[str] = set()
    words = norm.split()
    head = words[0]
    if head.startswith("ال"):
        loose.add(" ".join([head[2:]] + words[1:]))
    else:
        loose.add(" ".join(["ال" + head] + words[1:]))
    if head[:1] in _CLITICS and len(head) > 3:
        rest = head[1:]
        loose.add(" ".join([rest] + words[1:]))
        if rest.startswith("ل") and head[0] in "بوف":  # بالرياض -> الرياض (ال after a clitic)
            loose.add(" ".join(["ا" + rest] + words[1:]))
        if head[0] == "ل" and rest.startswith("ل"):  # للرياض -> الرياض
            loose.add(" ".join(["ا" + rest] + words[1:]))
    loose = {f for f in loose if f and f not in first}
    if loose:
        tiers.append(loose)
    return tiers


def _forms_of(record: EntityRecord) -> set[str]:
    return {normalize_entity_name(f) for f in record.aliases | {record.canonical} if f}


def find_entities(index: CandidateIndex, name: str, type: str | None = None,
                  limit: int = 10) -> list[EntityRecord]:
    """Records with a form equal to `name` after normalisation, best first by mentions."""
    kinds = (type,) if type else TYPES
    for forms in compute_query_forms(name):
        found = [r for r in index.find_candidates({"n:" + f for f in forms})
                 if r.type in kinds and _forms_of(r) & forms]
        if found:
            return _best_first(found)[:limit]
    if is_latin(name):
        keys = {"l:" + latin_skeleton(name)}
        words = [w for w in re.split(r"[\s-]+", name) if w]
        if len(words) > 1:
            keys.add("l:" + latin_skeleton(words[-1]))
        found = [r for r in index.find_candidates(keys) if r.type in kinds and _latin_matches(name, r)]
        if found or len(words) > 1:
            return _best_first(found)[:limit]
        found = [r for r in index.find_candidates(keys)
                 if r.type == "PER" and "PER" in kinds and _latin_surname_matches(name, r)]
        return _best_first(found)[:limit]
    # a بن chain: the people whose chain it starts (متعب بن عبدالله -> متعب بن عبدالله بن عبدالعزيز)
    bare = strip_leading_roles(normalize_entity_name(name))
    chain, _ = find_lineage(bare)
    if len(chain) >= 2 and "PER" in kinds:
        key = "c:" + " ".join(skeleton_token(w) for w in chain[:2])
        found = [r for r in index.find_candidates([key]) if r.type == "PER" and any(
            find_lineage(normalize_entity_name(f))[0] and compare_names(f, bare, "PER").relation == "same"
            for f in r.aliases | {r.canonical} if f and not is_latin(f))]
        return _best_first(found)[:limit]
    # a family name alone: the people whose full name ends with it (الأسد -> بشار الأسد, حافظ الأسد)
    parts = split_name(name)
    if len(parts) == 1 and "PER" in kinds:
        key = "t:PER:" + skeleton_token(parts[0])
        found = [r for r in index.find_candidates([key]) if r.type == "PER" and any(
            len(p := split_name(f)) > 1 and p[-1] == parts[0] for f in r.aliases | {r.canonical})]
        return _best_first(found)[:limit]
    return []


def _latin_surname_matches(query: str, record: EntityRecord) -> bool:
    """A one-word Latin `query` is the family name of this person (Verstappen)."""
    last = {f.split()[-1] for f in record.aliases | {record.canonical} if f and len(split_name(f)) > 1}
    return any(_latin_matches(query, EntityRecord(0, w, "PER", "")) for w in last)


def _best_first(records: list[EntityRecord]) -> list[EntityRecord]:
    return sorted(records, key=lambda r: (-r.mention_count, r.id))


def suggest_entities(index: CandidateIndex, name: str, type: str | None = None,
                     limit: int = 5) -> list[EntityRecord]:
    """Records whose names are spelled closest to `name` ("did you mean"), best first."""
    norm = normalize_entity_name(name)
    if not norm:
        return []
    kinds = (type,) if type else TYPES
    keys = {"l:" + name_skeleton(name)}
    if not is_latin(name):
        keys.add("s:" + skeleton_key(name))
        parts = split_name(name)
        for part in parts:
            keys |= {f"t:{k}:" + skeleton_token(part) for k in kinds}
            keys.add("l:" + name_skeleton(part))
    else:
        for w in re.split(r"[\s-]+", name):
            if w:
                keys.add("l:" + latin_skeleton(w))
    keys.discard("l:")
    # an engine with a fuzzy key index (PostgreSQL: pg_trgm) adds the stored full names
    # trigram-similar to this one: misspellings the skeleton keys miss (واشقطن -> واشنطن)
    similar = getattr(index, "find_similar_keys", None)
    if similar is not None:
        keys.update(similar({"n:" + norm}))
    query_skel = name_skeleton(name)
    query_fold = fold_latin(name) if is_latin(name) else norm

    def score(r: EntityRecord) -> float:
        best = 0.0
        for f in r.aliases | {r.canonical, r.latin}:
            if not f:
                continue
            s = score_skeletons(query_skel, name_skeleton(f))
            if is_latin(name) == is_latin(f):
                other = fold_latin(f) if is_latin(f) else normalize_entity_name(f)
                s = (s + Levenshtein.normalized_similarity(query_fold, other)) / 2
            best = max(best, s)
        return best

    scored = [(score(r), r) for r in index.find_candidates(keys) if r.type in kinds]
    scored = [(s, r) for s, r in scored if s >= 0.5]
    scored.sort(key=lambda x: (-x[0], -x[1].mention_count, x[1].id))
    return [r for _, r in scored[:limit]]
