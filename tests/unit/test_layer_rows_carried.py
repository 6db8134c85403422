"""What the store writes of an article's layers (`rasid.store.sql_writing.LayerRows`: each
layer's JSON, the ``spans`` and ``mentions`` rows) computed where it was analysed (a worker
process, issue 17 item 3) and taken by the store only while they still describe the
document. On the seed article, analysed."""
from __future__ import annotations

import json
import pickle

import pytest

from rasid.carried import CARRIED_ATTR
from rasid.doc import Document, Span
from rasid.store import EntityRecord, open_store
from rasid.store.sql_writing import LAYER_ROWS, attach_layer_rows, compute_layer_rows, join_layers, take_layer_rows


@pytest.fixture(scope="module")
def analysed(seed_text) -> Document:
    from rasid.monitor import Monitor

    title, _, body = seed_text.partition("\n")
    with Monitor(":memory:") as monitor:
        return monitor.analyze(Document(text=body, title=title))


def sent(doc: Document, carry: bool = True) -> Document:
    """`doc` as a worker sends it back: with its rows (or without), pickled."""
    copy = pickle.loads(pickle.dumps(doc))
    return pickle.loads(pickle.dumps(attach_layer_rows(copy) if carry else copy))


def test_the_layers_json_is_that_of_the_whole_document(analysed):
    rows = compute_layer_rows(analysed)
    assert join_layers(rows.layers) == json.dumps(analysed.to_dict(with_text=False)["layers"], ensure_ascii=False)
    assert join_layers({}) == json.dumps({})
    entities = [r for r in rows.spans if r[1] == "entities"]
    assert entities and all(r[5] == analysed.text[r[2]:r[3]] for r in entities)
    assert not any(r[1] in ("tokens", "sentences") for r in rows.spans)  # kept in the layers JSON only
    assert "باريس" in rows.layers["entities"]


def test_carried_rows_travel_pickled_and_are_taken_once(analysed):
    doc = sent(analysed)
    carried = getattr(doc, CARRIED_ATTR)[1][LAYER_ROWS][1]
    assert take_layer_rows(doc) is carried  # the text and layers pickled once with it: identity holds
    assert LAYER_ROWS not in getattr(doc, CARRIED_ATTR)[1]  # taken once: a later write computes anew
    assert take_layer_rows(doc) == compute_layer_rows(doc)


def test_rows_of_a_changed_document_are_computed_again(analysed):
    doc = sent(analysed)
    doc.layers["entities"].append(Span(0, 5, "ORG", {}))
    assert len(take_layer_rows(doc).spans) == len(compute_layer_rows(analysed).spans) + 1
    doc = sent(analysed)
    doc.layers = {k: v for k, v in doc.layers.items() if k != "places"}
    assert "places" not in take_layer_rows(doc).layers


def test_the_store_writes_what_a_worker_computed(analysed, tmp_path):
    """A document with carried rows is stored as one without (the archive's layers, spans
    and mentions); rows that no longer describe it are not written."""
    stale = sent(analysed)
    stale.layers["entities"] = stale.layers["entities"][:1]
    stored = {}
    for name, doc in (("plain", sent(analysed, carry=False)), ("fed", sent(analysed)), ("stale", stale)):
        with open_store(tmp_path / f"{name}.db") as store:
            assert store.add_documents([doc]).stored == 1
            (row,) = store.iter_records("articles")
            stored[name] = (row["layers"], store.stats()["spans"])
    assert stored["fed"] == stored["plain"]
    assert stored["plain"][1]["entities"] > 1 and len(stored["stale"][0]["entities"]) == stored["stale"][1]["entities"] == 1


def test_a_span_with_a_reserved_attribute_fails_its_article_alone(analysed, tmp_path):
    bad = sent(analysed, carry=False)
    bad.layers["entities"][0].attrs["text"] = "x"  # `text` is the span's own
    bad.text, bad.id = bad.text + " ", "bad"
    with open_store(tmp_path / "a.db") as store:
        report = store.add_documents([bad, sent(analysed)])
        assert [o.outcome for o in report.outcomes] == ["failed", "stored"]
        assert "reserved" in report.outcomes[0].reason and store.get_document("bad") is None


def test_past_its_bound_the_store_reads_the_layers_back(analysed, tmp_path, monkeypatch):
    """An article whose written layers the transaction does not remember (past
    `REMEMBERED_ARTICLES`) is read back: the same stored layers either way."""
    import rasid.store.sql_writing as writing

    def store_and_resolve(path, bound):
        monkeypatch.setattr(writing, "REMEMBERED_ARTICLES", bound)
        docs = [sent(analysed), sent(analysed)]
        docs[1].text, docs[1].id, docs[1].url = docs[1].text + " خاتمة", "second", None  # another article
        with open_store(path) as store:
            rec = store.add_entity(EntityRecord(0, "باريس", "LOC", "Paris"), ["n:باريس"])
            with store.transaction():
                store.add_documents(docs)
                assert len(store.remembered_layers()) == min(bound, 2)
                store.set_entity_mentions_many({d.id: [
                    {"start": s.start, "end": s.end, "text": d.text[s.start:s.end],
                     "attrs": {**s.attrs, "entity_id": rec.id}} for s in d.layers["entities"]] for d in docs})
            assert store.remembered_layers() == {}
            return [(r["id"], r["layers"]) for r in store.iter_records("articles")], store.stats()["spans"]

    assert store_and_resolve(tmp_path / "a.db", 1) == store_and_resolve(tmp_path / "b.db", 2000)


@pytest.mark.parametrize("span", [
    Span(3, 9, "PER", {}, None), Span(3, 9, "PER", {}, "entities:0"),
    Span(3, 9, "PER", {"entity_id": 4, "key": "ماكرون", "score": 0.5, "parts": [1, None, True]}, "entities:2"),
    Span(3, 9, "", {"quote": 'قال "نعم"\n', "nested": {"a": [1.25]}}, None),
    Span(True, 9, "LOC", {"x": 1}, None),  # not an int: written the long way, the same JSON
    # what the encoder made once writes as json.dumps does: numbers at their limits, a key not a string
    Span(3, 9, "ORG", {"nan": float("nan"), "inf": -float("inf"), "big": 10**20, 7: "مفتاح", "e": 1e-7}, None),
])
def test_each_span_is_encoded_once_as_json_dumps_would(span):
    from rasid.store.sql_writing import encode_span

    text = "عاجل: ماكرون يزور باريس"
    whole, attrs = encode_span(span, text)
    as_dict = span.to_dict(text)
    assert whole == json.dumps(as_dict, ensure_ascii=False)
    assert attrs == json.dumps({k: v for k, v in as_dict.items() if k not in ("start", "end", "label", "text")},
                               ensure_ascii=False)


def test_a_reserved_attribute_is_refused_by_name(analysed):
    doc = pickle.loads(pickle.dumps(analysed))
    doc.layers["entities"][0].attrs["start"] = 1
    with pytest.raises(ValueError, match="start"):
        compute_layer_rows(doc)
