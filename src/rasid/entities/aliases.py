"""The curated alias table (``data/aliases.tsv``): canonical names of well-known entities.

Each row: canonical, type, Latin name, aliases. ``find_alias(name)`` maps any listed
form (Arabic or Latin, compared after ``normalize_entity_name``) to its `AliasEntry`.
``validate_alias_rows`` returns the problems of a table (used by the unit test).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .names import TYPES, normalize_entity_name


@dataclass(frozen=True, slots=True)
class AliasEntry:
    canonical: str
    type: str
    latin: str
    aliases: tuple[str, ...]

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.canonical, self.latin) + self.aliases


def read_alias_text(text: str) -> tuple[dict[str, str], list[list[str]]]:
    """Parse the table: (header comment fields such as ``version``, data rows)."""
    meta: dict[str, str] = {}
    rows: list[list[str]] = []
    header_seen = False
    for line in text.splitlines():
        if line.startswith("#"):
            body = line[1:].strip()
            key, sep, value = body.partition(":")
            if sep and key.strip().isalpha() and " " not in key.strip():
                meta.setdefault(key.strip().lower(), value.strip())
            continue
        if not line.strip():
            continue
        if not header_seen:
            header_seen = True
            meta["columns"] = line
            continue
        rows.append(line.split("\t"))
    return meta, rows


def validate_alias_rows(meta: dict[str, str], rows: list[list[str]]) -> list[str]:
    """Problems found in the table; an empty list means it is valid."""
    problems: list[str] = []
    if not meta.get("version"):
        problems.append("no '# version:' line in the header")
    if meta.get("columns", "").split("\t") != ["canonical", "type", "latin", "aliases"]:
        problems.append("column header must be: canonical type latin aliases")
    owner: dict[str, str] = {}
    for n, row in enumerate(rows, 1):
        if len(row) != 4 or any(not f.strip() for f in row):
            problems.append(f"row {n}: needs 4 non-empty fields: {row!r}")
            continue
        canonical, kind, latin, aliases = row
        if kind not in TYPES:
            problems.append(f"row {n}: type {kind!r} not in {TYPES}")
        forms = [canonical, latin] + [a.strip() for a in aliases.split("|")]
        if any(not f for f in forms):
            problems.append(f"row {n}: empty alias")
        seen_here: set[str] = set()
        for form in forms:
            key = normalize_entity_name(form)
            if not key:
                problems.append(f"row {n}: alias {form!r} normalises to nothing")
                continue
            if key in owner and owner[key] != canonical:
                problems.append(f"row {n}: alias {form!r} also belongs to {owner[key]!r}")
            elif key in seen_here and form not in (canonical, latin):
                problems.append(f"row {n}: alias {form!r} listed twice")
            owner.setdefault(key, canonical)
            seen_here.add(key)
    return problems


@lru_cache(maxsize=1)
def load_alias_table() -> tuple[dict[str, str], tuple[AliasEntry, ...]]:
    raw = resources.files("rasid.entities").joinpath("data/aliases.tsv").read_text("utf-8")
    meta, rows = read_alias_text(raw)
    entries = []
    for row in rows:
        if len(row) != 4:
            continue
        canonical, kind, latin, aliases = (f.strip() for f in row)
        entries.append(AliasEntry(canonical, kind, latin,
                                  tuple(a.strip() for a in aliases.split("|") if a.strip())))
    return meta, tuple(entries)


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, AliasEntry]:
    index: dict[str, AliasEntry] = {}
    for entry in load_alias_table()[1]:
        for form in entry.forms:
            index.setdefault(normalize_entity_name(form), entry)
    return index


def find_alias(name: str) -> AliasEntry | None:
    """The alias-table entry that lists `name` (any spelling in the table), or None."""
    key = normalize_entity_name(name)
    index = _alias_index()
    entry = index.get(key)
    if entry is None and key.startswith("al "):
        entry = index.get(key[3:])
    return entry


def alias_table_version() -> str:
    return load_alias_table()[0].get("version", "")
