"""The start-up tables shipped pre-built (`rasid.packed`): each shipped pack holds what its
sources build today, and a pack is never read for sources it was not built from."""
from __future__ import annotations

import importlib
import pickle

import pytest

from rasid import packed
from rasid.packed import PACKS, digest_sources, load_packed, pack_path


def _sources_and_build(name: str):
    module, _, func = PACKS[name].partition(":")
    return getattr(importlib.import_module(module), func)()


def _fields(value):
    """What makes two values of a pack equal: a class without ``__eq__`` by what it pickles."""
    return value.__getstate__() if type(value).__eq__ is object.__eq__ else value


@pytest.mark.parametrize("name", sorted(PACKS))
def test_shipped_pack_is_what_its_sources_build(name: str) -> None:
    """Fails after a source table changes until ``python -m rasid.packed`` is run again."""
    sources, build = _sources_and_build(name)
    digest, _, body = pack_path(name).read_bytes().partition(b"\n")
    assert digest.decode("ascii") == digest_sources(sources), \
        f"{name}: the pack is stale; run `python -m rasid.packed {name}`"
    shipped, built = pickle.loads(body), build()
    assert type(shipped) is type(built)
    assert _fields(shipped) == _fields(built)


def test_loaded_tables_come_from_the_packs() -> None:
    from rasid.arabic.tokenize import load_wordfreq, pack_wordfreq
    from rasid.geo.gazetteer import load_gazetteer

    freq = load_wordfreq()
    assert freq == pack_wordfreq()[1]() and freq["باريس"] > 100
    assert load_gazetteer() is load_gazetteer()


def test_gazetteer_entries_are_made_when_read() -> None:
    from rasid.geo.gazetteer import pack_gazetteer

    sources, build = pack_gazetteer()
    gaz = load_packed("places-gazetteer", sources, lambda: pytest.fail("not read from its pack"))
    paris = [p for p, _ in gaz.lookup("باريس") if p.country == "FR"]
    assert paris and paris[0].name_en == "Paris"
    made = sum(p is not None for p in gaz.places._made)
    assert 0 < made < 20 < len(gaz.places)
    assert gaz.by_country["FR"].name_en == "France" and gaz.country("SA").name == "السعودية"
    assert gaz.by_key[paris[0].key] is paris[0] and gaz.by_geonameid[paris[0].geonameid] is paris[0]
    built = build()
    assert list(gaz.places) == list(built.places) and gaz.by_country == built.by_country


def test_pack_is_not_read_for_other_sources(monkeypatch, tmp_path) -> None:
    """Another model folder or an edited table: the value is built from the sources given."""
    sources, _ = _sources_and_build("wordfreq")
    assert load_packed("wordfreq", sources, lambda: pytest.fail("built although packed")) is not None
    edited = {k: v + b"\n" for k, v in sources.items()}
    assert load_packed("wordfreq", edited, lambda: {"built": 1}) == {"built": 1}
    assert load_packed("no-such-pack", sources, lambda: "built") == "built"


def test_write_packs_writes_what_load_reads(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(packed, "__file__", str(tmp_path / "packed.py"))
    monkeypatch.setattr(packed, "pack_path", lambda name: tmp_path / packed.PACK_DIR / f"{name}.pickle")
    [(name, size)] = packed.write_packs(["wordfreq"])
    assert (name, size) == ("wordfreq", (tmp_path / "data/packed/wordfreq.pickle").stat().st_size)
    sources, build = _sources_and_build("wordfreq")
    assert packed.load_packed("wordfreq", sources, lambda: pytest.fail("not read")) == build()
