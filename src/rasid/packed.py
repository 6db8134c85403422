"""Start-up tables shipped pre-built, so that a cold process reads them in milliseconds.

Some tables are built when a process first needs them from files shipped in the package:
the places gazetteer and its name index, the word frequencies, the NER word clusters and
gazetteer, the NER networks' word ids. Parsing them was most of a cold ``rasid analyze``
(docs/speed.md, "Cold start"). Each is registered in `PACKS` with the function that builds it from its
sources; ``python -m rasid.packed`` builds every one and writes it, pickled together with
the sha256 of the source bytes it was built from, to ``rasid/data/packed/NAME.pickle``.

``load_packed(name, sources, build)`` returns the pickled value when the sources given are
the bytes it was built from, else ``build()`` (the same value, built from the sources, as
before packs existed): a table edited without rebuilding its pack, or a model trained
into another folder, is never read stale. ``tests/unit/test_packed.py`` fails while a
shipped pack is not the one ``python -m rasid.packed`` would write.
"""
from __future__ import annotations

import hashlib
import importlib
import pickle
import sys
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Mapping

#: name -> "module:function" returning ``(sources, build)`` for the shipped tables: the
#: source bytes (name -> bytes) and the function that builds the value from them
PACKS = {
    "places-gazetteer": "rasid.geo.gazetteer:pack_gazetteer",
    "wordfreq": "rasid.arabic.tokenize:pack_wordfreq",
    "ner-resources": "rasid.stages.ner:pack_resources",
    "ner-vocab": "rasid.stages.ner:pack_vocab",
}
PACK_DIR = "data/packed"
PROTOCOL = 5


def digest_sources(sources: Mapping[str, bytes]) -> str:
    """sha256 over the sources' names and bytes, in name order."""
    h = hashlib.sha256()
    for name in sorted(sources):
        data = sources[name]
        h.update(f"{name}\0{len(data)}\0".encode("utf-8"))
        h.update(data)
    return h.hexdigest()


def pack_path(name: str):
    return resources.files("rasid").joinpath(f"{PACK_DIR}/{name}.pickle")


def load_packed(name: str, sources: Mapping[str, bytes], build: Callable[[], Any]) -> Any:
    """The value of pack `name` when it was built from exactly `sources`, else ``build()``."""
    try:
        raw = pack_path(name).read_bytes()
    except (FileNotFoundError, OSError):
        return build()
    digest, _, body = raw.partition(b"\n")
    if digest.decode("ascii", "replace") != digest_sources(sources):
        return build()
    return pickle.loads(body)


def make_pack(name: str) -> bytes:
    """The bytes of pack `name` as `python -m rasid.packed` writes them."""
    module, _, func = PACKS[name].partition(":")
    sources, build = getattr(importlib.import_module(module), func)()
    return digest_sources(sources).encode("ascii") + b"\n" + pickle.dumps(build(), PROTOCOL)


def write_packs(names: list[str] | None = None) -> list[tuple[str, int]]:
    """Write the packs (all by default) into the package; (name, bytes) of each."""
    out_dir = Path(__file__).resolve().parent / PACK_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names or list(PACKS):
        data = make_pack(name)
        (out_dir / f"{name}.pickle").write_bytes(data)
        written.append((name, len(data)))
    return written


def main(argv: list[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv)
    unknown = [n for n in names if n not in PACKS]
    if unknown:
        print(f"unknown pack {', '.join(unknown)}; known: {', '.join(PACKS)}", file=sys.stderr)
        return 2
    for name, size in write_packs(names):
        print(f"{PACK_DIR}/{name}.pickle  {size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
