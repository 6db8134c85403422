"""Derive the events stage's actor table from the UniversalPetrarch Arabic dictionaries.

    python -m rasid.train.events_lexicon [--data DIR] [--out src/rasid/events/data/actors.tsv]

Reads ``actor_dict_ar_v4.txt`` (names with CAMEO actor codes, some with date ranges:
the code whose range starts last is kept) and ``agents.all.ar.txt`` (generic agents such
as لاجئين with a role code like ``~REF``) from DIR (default
/work/shared/data/events/universalpetrarch-arabic, openeventdata/UniversalPetrarch @
f2192ba, MIT) and writes ``key<TAB>code<TAB>name`` lines, the key being
``rasid.events.lexicon.key_of_name`` of the name. Only this compact table ships; the
dictionaries themselves are not copied.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..events.lexicon import key_of_name

DEFAULT_DATA = "/work/shared/data/events/universalpetrarch-arabic"
DEFAULT_COUNTRIES = "/work/shared/data/geo/cldr/country_territory_names_ar.tsv"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "events" / "data" / "actors.tsv"
CODE_RE = re.compile(r"\[([~A-Z]{2,15})(?:\s+[<>]?\s*(\d{8})(?:-(\d{8}))?)?\]")


def read_actors(path: Path) -> dict[str, tuple[str, str]]:
    """key -> (code, name) from the actor dictionary."""
    out: dict[str, tuple[str, str]] = {}
    name = None
    best: tuple[str, str] | None = None  # (start date, code)

    def flush():
        if name and best:
            key = key_of_name(name)
            if key and key not in out:
                out[key] = (best[1], name)

    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith(("#", "+", "&")):
            continue
        if not line[0].isspace() or not line.lstrip().startswith("["):
            flush()
            head = line.split("[", 1)[0].split("#", 1)[0].strip()
            name, best = head.replace("_", " ").strip(), None
        for m in CODE_RE.finditer(line):
            start = m.group(2) or "00000000"
            if best is None or start > best[0]:
                best = (start, m.group(1))
    flush()
    return out


def read_agents(path: Path) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\S+\s*\[(~[A-Z]{3})\]\s*(?:#[^\u0600-\u06ff]*)?([\u0600-\u06ff][^#\[]*)$", line)
        if not m:
            continue
        arabic = m.group(2).strip()
        key = key_of_name(arabic)
        if key and key not in out:
            out[key] = (m.group(1), arabic)
    return out


def read_countries(path: Path) -> dict[str, tuple[str, str]]:
    """Arabic country names (CLDR and ISO 3166 via pycountry) -> ISO3 code, the CAMEO
    country code (the actor dictionary lacks most plain country names)."""
    out: dict[str, tuple[str, str]] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) < 5 or not re.fullmatch(r"[A-Z]{3}", cols[4]):
            continue
        for name in (cols[2], cols[3]):
            key = key_of_name(name)
            if key and key not in out:
                out[key] = (cols[4], name)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rasid.train.events_lexicon")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--countries", default=DEFAULT_COUNTRIES,
                    help="CLDR Arabic country names with alpha3 codes (TSV)")
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    args = ap.parse_args(argv)
    data = Path(args.data)
    actors_file, agents_file = data / "actor_dict_ar_v4.txt", data / "agents.all.ar.txt"
    for f in (actors_file, agents_file):
        if not f.exists():
            print(f"rasid: error: {f} not found (--data)", file=sys.stderr)
            return 2
    table = read_agents(agents_file)
    if Path(args.countries).exists():
        table.update(read_countries(Path(args.countries)))
    table.update(read_actors(actors_file))  # named actors win over countries and agents
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write("# actor name key -> CAMEO actor code. Derived by python -m rasid.train.events_lexicon\n"
                 "# from UniversalPetrarch (openeventdata/UniversalPetrarch @ f2192ba, MIT):\n"
                 "# actor_dict_ar_v4.txt and agents.all.ar.txt; country names: CLDR via babel/pycountry\n"
                 "# (/work/shared/data/geo/cldr). Columns: key, code, name.\n")
        for key in sorted(table):
            code, name = table[key]
            fh.write(f"{key}\t{code}\t{name}\n")
    print(f"{len(table)} actors -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
