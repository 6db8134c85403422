"""Build ``src/rasid/entities/data/offices.tsv``, the knowledge table of offices and who
held them when (`rasid.entities.offices`).

Sources:
* the UniversalPetrarch Arabic actor dictionary (``actor_dict_ar_v4.txt``, MIT, in
  ``/work/shared/data/events/universalpetrarch-arabic``): an entry is a lemmatised phrase
  (``وزير_خارجية_فرنسي_برنار_كوشنير_``) followed by lines ``[CODE start-end]`` or
  ``[CODE >start]``. Entries that begin with an office (a head word of ``roles.txt`` and its
  complements / nisbas) and go on with a name of two words or more, with a sane date range
  (from 1990, end after start), give rows; an office without a nisba gets the nisba of the
  CAMEO code's country where it is one of ``NISBA``;
* ``src/rasid/entities/data/offices_curated.tsv`` (hand-checked), which wins: a dictionary
  row is dropped where a curated row of the same office covers an overlapping period.

    python bench/make_offices.py [--dict PATH] [--out PATH]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rasid.entities.offices import is_learnable_office, normalize_office_word, office_key  # noqa: E402
from rasid.entities.names import split_name  # noqa: E402
from rasid.entities.roles import load_roles  # noqa: E402
from rasid.entities.translit import compute_latin_name  # noqa: E402

DICT = Path("/work/shared/data/events/universalpetrarch-arabic/actor_dict_ar_v4.txt")
CURATED = ROOT / "src/rasid/entities/data/offices_curated.tsv"
OUT = ROOT / "src/rasid/entities/data/offices.tsv"
NISBA = {"SAU": "السعودي", "USA": "الأمريكي", "RUS": "الروسي", "FRA": "الفرنسي", "GBR": "البريطاني",
         "SYR": "السوري", "IRQ": "العراقي", "EGY": "المصري", "IRN": "الإيراني", "TUR": "التركي",
         "ISR": "الإسرائيلي", "JOR": "الأردني", "LBN": "اللبناني", "YEM": "اليمني", "QAT": "القطري",
         "KWT": "الكويتي", "BHR": "البحريني", "ARE": "الإماراتي", "OMN": "العماني", "SDN": "السوداني",
         "LBY": "الليبي", "TUN": "التونسي", "DZA": "الجزائري", "MAR": "المغربي", "PSE": "الفلسطيني",
         "DEU": "الألماني", "CHN": "الصيني", "PAK": "الباكستاني", "AFG": "الأفغاني"}
LEMMAS = {"رئيس_وزير_": "رئيس_الوزراء_", "مجلس_نائب_": "مجلس_النواب_", "ل_أمة_": "ل_الأمم_"}
FORMER = {"سابق", "اسبق", "راحل", "مخلوع"}
_RANGE = re.compile(r"\[([A-Z]+)\s*(?:(>)\s*(\d{8})|(\d{8})-(\d{8}))?\s*\]")


def _day(d: str) -> str:
    return f"{d[:4]}-{d[4:6]}-{d[6:]}"


def read_dictionary(path: Path) -> list[tuple[str, list[tuple[str, str, str]], int]]:
    """``(phrase, [(code, start, end)], line)`` for every entry with dated codes."""
    entries, current = [], None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t" or line.lstrip().startswith("["):
            m = _RANGE.search(line)
            if current is not None and m:
                if m.group(2):
                    current[1].append((m.group(1), _day(m.group(3)), ""))
                elif m.group(4):
                    current[1].append((m.group(1), _day(m.group(4)), _day(m.group(5))))
            continue
        current = (line.split("[", 1)[0].strip(), [], n)
        entries.append(current)
    return [e for e in entries if e[1]]


def split_office(words: list[str]) -> tuple[list[str], list[str]]:
    """The leading office words of a lemmatised phrase and the rest."""
    roles = load_roles()
    known = roles["head"] | roles["complement"] | roles["nisba"] | {"ل"}
    keys = [normalize_office_word(w) for w in words]
    if not keys or keys[0] not in roles["head"]:
        return [], words
    n = 1
    while n < len(words) and (keys[n] in known):
        n += 1
    return words[:n], words[n:]


def build_from_dictionary(path: Path) -> list[tuple[str, ...]]:
    rows = []
    roles = load_roles()
    for phrase, ranges, line in read_dictionary(path):
        for lemma, written in LEMMAS.items():  # the dictionary's lemmas as news writes them
            phrase = phrase.replace(lemma, written)
        words = [w for w in phrase.split("_") if w]
        office, name = split_office(words)
        if sum(normalize_office_word(w) in roles["head"] for w in office) > 1 or \
                any(len(w) < 2 for w in name) or len(split_name(" ".join(name))) < 2:
            continue
        if len(office) < 2 or len(name) < 2 or normalize_office_word(office[-1]) == "ل" or \
                not is_learnable_office(office_key(" ".join(office))) or \
                any(normalize_office_word(w) in roles["head"] | FORMER for w in name):
            continue
        for code, start, end in ranges:
            if start < "1990-01-01" or (end and end <= start) or start > "2030":
                continue
            if "GOV" not in code or "ELI" in code:
                continue  # in government then; ELI marks a former office holder
            text = " ".join(office)
            if not any(normalize_office_word(w) in roles["nisba"] for w in office[1:]):
                nisba = NISBA.get(code[:3])
                if nisba is None:
                    continue  # an office of no known country: too ambiguous to ship
                text += " " + nisba
            holder = " ".join(name)
            rows.append((office_key(text), text, holder, compute_latin_name(holder, "PER"), start, end,
                         f"UniversalPetrarch actor_dict_ar_v4.txt line {line} [{code}]"))
    return rows


def read_curated(path: Path) -> list[tuple[str, ...]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 6:
            raise SystemExit(f"{path}:{n}: expected 6 tab-separated fields, got {len(fields)}")
        office, holder, latin, start, end, source = fields
        rows.append((office_key(office), office, holder, latin, start, end, source))
    return rows


def overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return (not a[5] or b[4] < a[5]) and (not b[5] or a[4] < b[5])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dict", type=Path, default=DICT)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    curated = read_curated(CURATED)
    found = build_from_dictionary(args.dict) if args.dict.exists() else []
    kept, seen = [], set()
    for r in found:  # the first spelling of a holder per office and period
        if (r[0], r[4], r[5]) not in seen and not any(c[0] == r[0] and overlaps(c, r) for c in curated):
            seen.add((r[0], r[4], r[5]))
            kept.append(r)
    rows = sorted(set(curated + kept), key=lambda r: (r[0], r[4], r[2]))
    header = ("# Offices and who held them when: built by bench/make_offices.py from "
              "data/offices_curated.tsv and the\n# UniversalPetrarch Arabic actor dictionary "
              "(MIT, github.com/openeventdata/UniversalPetrarch). Do not edit: edit the\n"
              "# curated table and rebuild. Columns: key, office, holder, latin, start, end, source.\n")
    args.out.write_text(header + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} rows ({len(curated)} curated, {len(kept)} from the dictionary of "
          f"{len(found)} found) -> {args.out}")


if __name__ == "__main__":
    main()
