"""The seed article (BBC Arabic, 2015-11-16): the events issue 12 names must be found."""
import pytest

from rasid.ingest.text import read_text_article
from rasid.stages import build_pipeline


@pytest.fixture(scope="module")
def seed_events(seed_text):
    doc = read_text_article(seed_text, published="2015-11-16")
    build_pipeline()(doc)
    return doc, doc.layers["events"]


def find(doc, events, typ, **want):
    """Events of `typ` whose trigger/place/actor/recipient text contains the wanted words."""
    out = []
    for ev in events:
        if ev.label != typ:
            continue
        ok = True
        for key, word in want.items():
            if key == "trigger":
                ok &= word in ev.attrs["trigger"]
            else:
                ref = ev.attrs.get(key) or {}
                ok &= word in (ref.get("text") or "") or word in (ref.get("entity") or "")
        if ok:
            out.append(ev)
    return out


def test_seed_events(seed_events):
    doc, events = seed_events
    checks = {
        "paris attacks by IS": find(doc, events, "ASSAULT", place="باريس", actor="الدولة"),
        "sinjar retaken by kurdish forces": find(doc, events, "COERCE", trigger="استعادة",
                                                 place="سنجار", actor="الكردية"),
        "coalition air strikes": [e for e in find(doc, events, "ASSAULT", trigger="الضربات")
                                  if e.attrs["mode"] == "aerial"],
        "russian airliner over sinai": find(doc, events, "ASSAULT", recipient="الطائرة الروسية",
                                            place="سيناء"),
        "bombings in turkey": find(doc, events, "ASSAULT", place="تركيا"),
        "bombings in lebanon": find(doc, events, "ASSAULT", place="لبنان"),
    }
    missing = [name for name, found in checks.items() if not found]
    assert not missing
    for found in checks.values():
        for ev in found:
            assert not ev.attrs["negated"]
            s, e = ev.attrs["sentence_start"], ev.attrs["sentence_end"]
            assert s <= ev.start < ev.end <= e
            assert doc.text[ev.start:ev.end] == ev.attrs["trigger"]
            assert ev.attrs["when"] == "2015-11-16"
