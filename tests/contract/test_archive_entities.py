"""Entity records, keys, mentions and statistics on every engine (tests/contract/conftest.py),
on SaudiNewsNet articles with hand-placed entity and place spans."""
from __future__ import annotations

import re

from rasid.doc import Span
from rasid.entities.archive import lookup_entities, resolve_article_entities, resolve_batch_entities
from rasid.store import EntityRecord, open_store

from contract_data import archive_location, make_docs

RIYADH = {"name": "الرياض", "name_en": "Riyadh", "country": "SA", "lat": 24.69, "lon": 46.72,
          "feature": "city", "geonameid": 108410, "gazetteer_id": "g:108410"}


def test_records_and_keys(archive):
    rec = archive.add_entity(EntityRecord(0, "رجب طيب أردوغان", "PER", "Recep Tayyip Erdogan",
                                          {"إردوغان", "أردوغان"}, 2, "2015-07-01", "2015-07-03"),
                             ["n:اردوغان", "a:رجب طيب اردوغان"])
    other = archive.add_entity(EntityRecord(0, "أنقرة", "LOC", "Ankara"), ["n:انقره"])
    assert rec.id >= 1 and other.id > rec.id
    assert archive.get_entity(rec.id) == rec and archive.get_entity(999999) is None
    assert archive.find_entity_candidates(["n:اردوغان", "n:انقره", "n:none"]) == [rec, other]
    assert archive.find_entity_candidates([]) == []
    rec.mention_count, rec.last_seen = 5, "2015-07-09"
    rec.aliases.add("اردوغان")
    archive.update_entity(rec, ["s:rdgn"])
    back = archive.get_entity(rec.id)
    assert back.mention_count == 5 and back.last_seen == "2015-07-09" and "اردوغان" in back.aliases
    assert archive.find_entity_candidates(["s:rdgn"]) == archive.find_entity_candidates(["n:اردوغان"]) == [back]
    assert archive.count_entity_mentions([rec.id, other.id, 999999]) == {rec.id: 5, other.id: 0}


def annotated_docs():
    """Three articles: Erdogan named in two (two spellings), Riyadh placed in one."""
    docs = make_docs()
    picked = [d for d in docs if "إردوغان" in d.text][:2] + [d for d in docs if "الرياض" in d.text][:1]
    for doc in picked[:2]:
        start = doc.text.index("إردوغان")
        doc.add_span("entities", Span(start, start + len("إردوغان"), "PER", {}))
    place = picked[2]
    start = place.text.index("الرياض")
    place.add_span("places", Span(start, start + len("الرياض"), "LOC", dict(RIYADH)))
    return picked


def test_resolution_mentions_and_statistics(archive):
    docs = annotated_docs()
    archive.add_documents(docs)
    for doc in docs:
        resolve_article_entities(archive, doc)
    def erdogan(doc):
        return next(s for s in doc.layers["entities"] if doc.text[s.start:s.end] == "إردوغان")

    eid = erdogan(docs[0]).attrs["entity_id"]
    assert erdogan(docs[1]).attrs["entity_id"] == eid  # one entity across articles
    assert erdogan(archive.get_document(docs[0].id)).attrs["entity_id"] == eid
    # each article also names him by office (الرئيس التركي, the office table, July 2015);
    # داعش, which the alias table lists, is found though no span was placed on it
    ids = archive.count_article_mentions(docs[0].id)
    assert ids[eid] == 2 and len(ids) == 2
    assert archive.count_article_mentions(docs[2].id) == {}
    (top,) = archive.top_entities(type="PER")
    assert (top["id"], top["canonical"], top["type"], top["mentions"], top["articles"]) == \
        (eid, "رجب طيب أردوغان", "PER", 4, 2)
    assert [t["canonical"] for t in archive.top_entities(type="ORG")] == ["تنظيم الدولة الإسلامية"]
    day = docs[0].published[:10]
    (ranged,) = archive.top_entities(type="PER", since=day, until=day)
    assert ranged["mentions"] == 2 and ranged["articles"] == 1
    assert [r.id for r in lookup_entities(archive, "Erdogan")] == [eid]
    profile = archive.entity_profile(eid)
    assert profile["canonical"] == "رجب طيب أردوغان"
    assert {a["id"] for a in profile["articles"]} == {docs[0].id, docs[1].id}
    assert sum(t["articles"] for t in profile["timeline"]) == 2
    assert [c["canonical"] for c in profile["co_mentioned"]] == ["تنظيم الدولة الإسلامية"]
    assert profile["places"] == []
    assert archive.entity_profile(999999) is None
    days = sorted(d.published[:10] for d in docs[:2])
    assert archive.entity_spellings(eid) == [
        {"text": "إردوغان", "mentions": 2, "first_seen": days[0], "last_seen": days[1]},
        {"text": "الرئيس التركي", "mentions": 2, "first_seen": days[0], "last_seen": days[1]}]
    reasons = archive.list_entity_links(eid)
    assert reasons["إردوغان"] == "alias-table:رجب طيب أردوغان"
    assert reasons["الرئيس التركي"].startswith("office:الرئيس التركي = رجب طيب أردوغان 2014-08-28")
    assert [(r["role"], r["mentions"]) for r in archive.list_entity_roles(eid)] == [("رءيس تركي", 2)]
    (place,) = archive.top_places()
    assert (place["name"], place["country"], place["geonameid"], place["mentions"], place["articles"]) == \
        ("الرياض", "SA", 108410, 1, 1)
    assert archive.top_places(country="fr") == [] and archive.top_places(country="sa") == [place]
    # recording the resolution again replaces the mentions: none is added
    archive.set_entity_mentions(docs[0].id, [
        {"start": s.start, "end": s.end, "text": docs[0].text[s.start:s.end], "attrs": dict(s.attrs)}
        for s in docs[0].layers["entities"]])
    assert archive.count_article_mentions(docs[0].id) == ids
    stats = archive.stats()
    # the stored layers: إردوغان and the office mention الرئيس التركي (added by the archive
    # step, as these spans went through no resolve stage) twice; تنظيم داعش, داعش, داعش
    assert stats["articles"] == 3 and stats["entities"] == {"PER": 4, "ORG": 3} and stats["spans"]["places"] == 1


def test_a_span_the_archive_step_adds_joins_the_stored_layer(archive):
    """An office mention resolved by the archive step (not by the pipeline) is stored with
    the layer and the spans; a span overlapping a stored one is not added twice."""
    (doc,) = annotated_docs()[:1]
    archive.add_documents([doc])
    rec = archive.add_entity(EntityRecord(0, "رجب طيب أردوغان", "PER", ""), ["n:اردوغان"])
    known = doc.layers["entities"][0]
    taken = [(s.start, s.end) for spans in doc.layers.values() for s in spans]
    word = next(m for m in re.finditer(r"\w{4,}", doc.text)
                if not any(a < m.end() and m.start() < b for a, b in taken))
    attrs = {"entity_id": rec.id, "link": "office-archive"}
    archive.set_entity_mentions(doc.id, [
        {"start": known.start, "end": known.end, "label": "PER", "text": "",
         "attrs": {"entity_id": rec.id}},
        {"start": word.start(), "end": word.end(), "label": "PER", "text": word.group(), "attrs": attrs},
        {"start": known.start, "end": known.end + 1, "label": "PER", "text": "", "attrs": attrs}])
    layer = archive.get_document(doc.id).layers["entities"]
    assert [(s.start, s.end) for s in layer] == sorted([(known.start, known.end), word.span()])
    added = next(s for s in layer if s.start == word.start())
    assert added.label == "PER" and added.attrs["link"] == "office-archive"
    # stored with its text like every span of the layer (a copy rebuilds it from the spans)
    (stored,) = [r for r in archive.iter_records("articles") if r["id"] == doc.id]
    assert [s.get("text") for s in stored["layers"]["entities"]] == [doc.text[a:b] for a, b in sorted(
        [(known.start, known.end), word.span()])]
    assert archive.count_article_mentions(doc.id) == {rec.id: 3}
    assert archive.stats()["spans"]["entities"] == 2


def test_mentions_recorded_where_the_article_was_stored(engine, tmp_path):
    """`set_entity_mentions_many` in the transaction that stored the article (what ingest
    does) takes the layers the store remembers writing instead of reading them back: the
    same layers, spans and mentions as the two in transactions of their own. A rolled-back
    savepoint makes it forget them: what the rollback undid does not come back."""
    def spans_at(doc, rec_id, *words):
        known = doc.layers["entities"][0]
        return [{"start": known.start, "end": known.end, "label": "PER",
                 "text": doc.text[known.start:known.end], "attrs": {"entity_id": rec_id, "sentence": 0}},
                *({"start": w.start(), "end": w.end(), "label": "PER", "text": w.group(),
                   "attrs": {"entity_id": rec_id, "link": "office-archive"}} for w in words)]

    got = {}
    for way in ("apart", "together"):
        (doc,) = annotated_docs()[:1]
        taken = [(s.start, s.end) for spans in doc.layers.values() for s in spans]
        free = [m for m in re.finditer(r"\w{5,}", doc.text) if not any(a < m.end() and m.start() < b for a, b in taken)]
        with open_store(archive_location(engine, tmp_path / way)) as store:
            rec = store.add_entity(EntityRecord(0, "رجب طيب أردوغان", "PER", ""), ["n:اردوغان"])
            if way == "apart":
                store.add_documents([doc])
                store.set_entity_mentions_many({doc.id: spans_at(doc, rec.id, free[0])})
            else:
                with store.transaction():
                    store.add_documents([doc])
                    try:
                        with store.transaction():
                            store.set_entity_mentions_many({doc.id: spans_at(doc, rec.id, free[1])})
                            raise RuntimeError("rolled back")
                    except RuntimeError:
                        pass
                    store.set_entity_mentions_many({doc.id: spans_at(doc, rec.id, free[0])})
            (row,) = [r for r in store.iter_records("articles") if r["id"] == doc.id]
            got[way] = (row["layers"], store.get_document(doc.id).to_dict(), store.stats()["spans"],
                        store.count_article_mentions(doc.id))
    known = doc.layers["entities"][0]
    assert [s["start"] for s in got["apart"][0]["entities"]] == sorted([known.start, free[0].start()])
    assert got["together"][3] == {rec.id: 2}  # free[1]'s mention was rolled back
    assert got["together"] == got["apart"]


NAMES = (("إردوغان", "PER"), ("باراك أوباما", "PER"), ("أوباما", "PER"), ("بشار الأسد", "PER"),
         ("الأسد", "PER"), ("جون كيري", "PER"), ("كيري", "PER"), ("إيران", "LOC"),
         ("داعش", "ORG"), ("الأمم المتحدة", "ORG"))


def named_docs():
    """The contract articles with an entity span on every occurrence of a few names (full
    names and surnames, so that resolution must link surnames across articles)."""
    docs = []
    for doc in make_docs():
        taken: list[tuple[int, int]] = []
        for name, label in NAMES:
            start = doc.text.find(name)
            while start >= 0:
                end = start + len(name)
                if not any(s < end and start < e for s, e in taken):
                    taken.append((start, end))
                    doc.add_span("entities", Span(start, end, label, {}))
                start = doc.text.find(name, end)
        if taken:
            docs.append(doc)
    return docs


def read_resolution(archive, docs):
    entities = archive.get_entities(range(1, archive.latest_entity_id() + 1))
    return ([(r.id, r.canonical, r.type, sorted(r.aliases), r.mention_count, r.first_seen,
              r.last_seen) for r in entities],
            {d.id: archive.count_article_mentions(d.id) for d in docs},
            [[s.attrs.get("entity_id") for s in archive.get_document(d.id).layers["entities"]]
             for d in docs])


def test_batch_resolution_equals_one_by_one(archive, engine, tmp_path):
    """`resolve_batch_entities` (a few statements per batch) ends exactly where resolving
    the articles one at a time does, on the same engine."""
    batch_docs = named_docs()
    assert len(batch_docs) >= 5
    archive.add_documents(batch_docs)
    with archive.transaction():
        resolve_batch_entities(archive, batch_docs)
    single = open_store(archive_location(engine, tmp_path / "single"))
    try:
        single_docs = named_docs()
        single.add_documents(single_docs)
        for doc in single_docs:
            resolve_article_entities(single, doc)
        got = read_resolution(archive, batch_docs)
        assert got == read_resolution(single, single_docs)
    finally:
        single.close()
    records, mentions, ids = got
    assert len(records) >= 5 and all(ids)
    kerry = [r for r in records if r[1] == "جون كيري"]
    assert len(kerry) == 1 and "كيري" in kerry[0][3]  # the surname joined the full name
    assert sum(sum(m.values()) for m in mentions.values()) == sum(r[4] for r in records)


def test_entity_batch_methods(archive):
    assert archive.latest_entity_id() == 0 and archive.find_entity_keys(["n:x"]) == {}
    first = archive.add_entity(EntityRecord(0, "أنقرة", "LOC", "Ankara"), ["n:انقره"])
    new = EntityRecord(first.id + 1, "إسطنبول", "LOC", "Istanbul", {"اسطنبول"}, 3, "2015-07-01",
                       "2015-07-02")
    first.mention_count = 4
    archive.save_entities([new, first], {new.id: ["n:اسطنبول", "s:stnbl"], first.id: ["s:nkr"]})
    assert archive.latest_entity_id() == new.id
    assert archive.get_entities([new.id, 999999, first.id]) == [first, new]
    assert archive.find_entity_keys(["n:انقره", "s:nkr", "s:stnbl", "n:none"]) == \
        {"n:انقره": {first.id}, "s:nkr": {first.id}, "s:stnbl": {new.id}}
    # the archive numbers the next record after the ones saved with their own ids
    assert archive.add_entity(EntityRecord(0, "أزمير", "LOC", "Izmir"), ["n:ازمير"]).id == new.id + 1
