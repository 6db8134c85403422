"""The shipped Arabic gazetteer: entries plus an index of normalised names.

``data/gazetteer.tsv.gz`` is built once by ``python -m rasid.geo.build`` (sources and
licences in docs/places.md) and read here once per process (``load_gazetteer`` is
cached). Lookups are dict hits on a normalised key, never scans.

Columns: key, geonameid, feature, country, lat, lon, population, capital, name_ar,
name_en, names ("|"-joined Arabic names, already normalised with ``normalize_place``).

The key of a name is ``normalize_name`` plus: taa marbuta folded to haa (غزة = غزه),
hyphens/dots/quotes dropped, spaces collapsed. Each name is indexed as written and,
when it starts with the article ال, also without it (الرقة / رقة); a lookup tries the
name, then the name without / with the article, marking those candidates as weaker.
"""
from __future__ import annotations

from functools import lru_cache

import gzip
import threading
from dataclasses import dataclass
from importlib import resources
from collections.abc import Sequence
from typing import Callable, Iterator

from ..arabic.normalize import KEY_TABLE
from ..packed import load_packed

DATA_FILE = "data/gazetteer.tsv.gz"
FEATURES = ("country", "continent", "region", "admin1", "city")
#: characters a place key writes as a space (a run of them and of spaces as one)
_PUNCT = "-‐‑–—_.'\"ʼ’`«»()"


@dataclass(frozen=True, slots=True)
class Place:
    key: str  # "gn:<geonameid>" or "dr5hn-city:<id>", "dr5hn-state:<id>", "rasid:<slug>"
    geonameid: int | None
    feature: str  # country / continent / region / admin1 / city
    country: str  # ISO 3166-1 alpha-2, "" for continents and multi-country regions
    lat: float | None
    lon: float | None
    population: int
    capital: bool
    name: str  # canonical Arabic name
    name_en: str


def _place_table() -> dict[int, str | None]:
    """`normalize_key`'s table (`normalize_name` and ة -> ه) followed by `_PUNCT` -> space,
    as one table: a key is one `str.translate` and the spaces collapsed."""
    to_space = {ord(c): " " for c in _PUNCT}
    table = {cp: out.translate(to_space) if out else out for cp, out in KEY_TABLE.items()}
    for cp, space in to_space.items():
        table.setdefault(cp, space)
    return table


_PLACE_TABLE = _place_table()


@lru_cache(maxsize=20_000)  # 51 % hits; 63 % with 200,000 entries and ~55 MB more (bench/memory_worker.py --hit-rates)
def normalize_place(text: str) -> str:
    """Index key of a place name (see module docstring)."""
    return " ".join(text.translate(_PLACE_TABLE).split())


def strip_article(key: str) -> str:
    """``الرقه`` -> ``رقه``; other keys unchanged. Only the first word is touched."""
    if key.startswith("ال") and len(key.split(" ", 1)[0]) > 4:
        return key[2:]
    return key


class Gazetteer:
    """Entries and the name index. Build with ``load_gazetteer()``."""

    def __init__(self, places: Sequence[Place], names: list[list[str]]):
        self.places = places
        self.index: dict[str, list[int]] = {}
        self.bare_index: dict[str, list[int]] = {}  # names indexed without their article
        self.max_words = 1
        for i, plist in enumerate(names):
            for name in plist:
                self._add(self.index, name, i)
                bare = strip_article(name)
                if bare != name:
                    self._add(self.bare_index, bare, i)
                self.max_words = max(self.max_words, name.count(" ") + 1)
        #: first words of every indexed name: a token run whose first word (in any of
        #: the lookup variants) is not here cannot match, so it is skipped cheaply
        self.first_words = {k.split(" ", 1)[0] for k in self.index} | \
            {k.split(" ", 1)[0] for k in self.bare_index}
        #: what callers work out once per word form from this gazetteer, by name
        #: (``rasid.geo.resolve.memo_of``)
        self.memos: dict[str, dict] = {}

    def __getattr__(self, name: str):
        """``by_key``, ``by_geonameid`` and ``by_country`` (key / geonameid / ISO2 code ->
        entry), made when first asked for: most uses need none of them or only the countries,
        and making them would make every entry a `Place` (`PlaceRows`)."""
        if name == "by_key":
            value: dict = {p.key: p for p in self.places}
        elif name == "by_geonameid":
            value = {p.geonameid: p for p in self.places if p.geonameid}
        elif name == "by_country":
            value = {self.places[i].country: self.places[i] for i in self.places.find_feature("country")}
        else:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.__dict__[name] = value
        return value

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("by_key", "by_geonameid", "by_country")}

    @staticmethod
    def _add(index: dict[str, list[int]], name: str, i: int) -> None:
        ids = index.setdefault(name, [])
        if i not in ids:
            ids.append(i)

    def __len__(self) -> int:
        return len(self.places)

    def lookup(self, name: str, normalized: bool = False) -> list[tuple[Place, float]]:
        """Candidates for `name` with a match weight: 1.0 exact, 0.8 via the article.

        ``normalized=True`` when `name` already went through ``normalize_place``.
        """
        key = name if normalized else normalize_place(name)
        if not key:
            return []
        found: dict[int, float] = {}
        for i in self.index.get(key, ()):
            found[i] = 1.0
        bare = strip_article(key)
        variants = [bare] if bare != key else ["ال" + key]
        for v in variants:
            for i in self.index.get(v, ()):
                found.setdefault(i, 0.8)
        for i in self.bare_index.get(bare, ()):
            found.setdefault(i, 0.8)
        return [(self.places[i], w) for i, w in found.items()]

    def may_start_name(self, word_key: str) -> bool:
        """Whether a name can start with this normalised word under `lookup`'s variants
        (as written, without its article, or with one)."""
        fw = self.first_words
        return (word_key in fw or "ال" + word_key in fw
                or (word_key.startswith("ال") and word_key[2:] in fw))

    def has_name(self, key: str) -> bool:
        """Whether the normalised key (or its article variant) is a known name."""
        return key in self.index or strip_article(key) in self.bare_index

    def country(self, iso2: str) -> Place | None:
        return self.by_country.get(iso2)


_CACHE: dict[str, Gazetteer] = {}
_LOCK = threading.Lock()


class PlaceRows(Sequence):
    """The gazetteer's entries as their table rows (the fields before the names,
    tab-joined), each made a `Place` when first read and kept: a cold ``rasid analyze``
    reads a few hundred of 18,000, and making them all was half of loading the gazetteer."""

    __slots__ = ("_rows", "_made")

    def __init__(self, rows: list[str]):
        self._rows = rows
        self._made: list[Place | None] = [None] * len(rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self._rows)))]
        place = self._made[i]
        if place is None:
            place = self._made[i] = parse_place(self._rows[i].split("\t"))
        return place

    def __iter__(self) -> Iterator[Place]:
        return map(self.__getitem__, range(len(self._rows)))

    def key_and_feature(self, i: int) -> tuple[str, str]:
        """Entry `i`'s ``key`` and ``feature`` read off its row, without making its `Place`."""
        key, _, feature = self._rows[i].split("\t", 3)[:3]
        return key, feature

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlaceRows) and self._rows == other._rows

    def __reduce__(self):
        return PlaceRows, (self._rows,)

    def find_feature(self, feature: str) -> list[int]:
        """Indexes of the entries of that feature, without making the others `Place`s."""
        tab = f"\t{feature}\t"
        return [i for i, row in enumerate(self._rows) if tab in row and row.split("\t", 3)[2] == feature]


def parse_place(f: list[str]) -> Place:
    """A `Place` from a table row's fields."""
    return Place(
        key=f[0],
        geonameid=int(f[1]) if f[1] else None,
        feature=f[2],
        country=f[3],
        lat=float(f[4]) if f[4] else None,
        lon=float(f[5]) if f[5] else None,
        population=int(f[6] or 0),
        capital=f[7] == "1",
        name=f[8],
        name_en=f[9],
    )


def read_gazetteer(raw: bytes) -> Gazetteer:
    rows: list[str] = []
    names: list[list[str]] = []
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        row, _, name_field = line.rpartition("\t")
        rows.append(row)
        names.append(name_field.split("|") if name_field else [])
    return Gazetteer(PlaceRows(rows), names)


def pack_gazetteer() -> tuple[dict[str, bytes], Callable[[], Gazetteer]]:
    """The shipped table's bytes and the function that builds the `Gazetteer` from them
    (``rasid.packed``: shipped pre-built as the pack ``places-gazetteer``)."""
    sources = {DATA_FILE: resources.files("rasid.geo").joinpath(DATA_FILE).read_bytes()}
    return sources, lambda: read_gazetteer(sources[DATA_FILE])


def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once per process (thread-safe), from its pack when
    that was built from the shipped table."""
    gaz = _CACHE.get("default")
    if gaz is None:
        with _LOCK:
            gaz = _CACHE.get("default")
            if gaz is None:
                gaz = _CACHE["default"] = load_packed("places-gazetteer", *pack_gazetteer())
    return gaz


def lookup_place(name: str) -> list[Place]:
    """Gazetteer entries for an Arabic place name, best prior first."""
    from .resolve import score_prior

    cands = load_gazetteer().lookup(name)
    cands.sort(key=lambda pw: -score_prior(pw[0], pw[1]))
    return [p for p, _ in cands]
