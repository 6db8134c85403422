"""Office mentions learnt from the whole input in `rasid batch` (`rasid.batch.offices`)
without Spark: the events each worker lists, the ordered pass Spark runs per office and the
relinking of the articles give the same spans as the archive's resolver taking the same
articles one by one (`rasid ingest`)."""
from __future__ import annotations

import json

from rasid.batch.offices import OFFICE, ROLE, link_article, list_office_events, resolve_in_order
from rasid.batch.tables import convert_document_to_rows
from rasid.entities.resolver import EntityResolver, MemoryEntityIndex

from test_entity_offices import resolved

NAMED = ("وقال وزير الخارجية البحريني خالد بن أحمد آل خليفة إن المنامة تدعم التحالف.",
         [("خالد بن أحمد آل خليفة", "PER")])
BARE = ("وأكد وزير الخارجية البحريني أن بلاده تقف مع السعودية.", [])
TWICE = ("استقبل وزير الخارجية البحريني السفير، ثم قال وزير الخارجية البحريني إن الزيارة مهمة.", [])

# the input in order: a bare mention before anyone was seen holding the office (stays
# unresolved, as in the archive), the named one, bare mentions 10 days later, one twice, and
# one 200 days later (outside the window the archive keeps an office for)
INPUT = [(BARE, "2015-07-01"), (NAMED, "2015-07-10"), (BARE, "2015-07-20"), (TWICE, "2015-07-21"),
         (BARE, "2016-02-01")]


# one holder under two spellings, then the bare office: the archive counts them as one
# person (one record), who then stands out
SUDAN = [(("وقال الرئيس السوداني عمر حسن البشير إن الحوار مستمر.", [("عمر حسن البشير", "PER")]), "2015-07-20"),
         (("واستقبل الرئيس السوداني عمر البشير الوفد.", [("عمر البشير", "PER")]), "2015-07-20"),
         (("وأكد الرئيس السوداني أن بلاده تدعم الحل.", []), "2015-07-21")]


def make_docs(items=INPUT):
    docs = []
    for n, ((text, entities), day) in enumerate(items):
        doc = resolved(text, entities, day)
        doc.id = f"a{n}"
        docs.append(doc)
    return docs


def spans(doc) -> list[tuple]:
    return [(s.start, s.end, s.label, s.attrs.get("link"), s.attrs.get("holder"), s.attrs.get("cluster"))
            for s in doc.layers.get("entities", [])]


def batch_links(docs) -> dict[str, list[tuple]]:
    """The batch job's steps on plain rows, Spark's shuffle and sort done by `sorted`."""
    events = [dict(e, article_id=doc.id, file="in.jsonl", line=n)
              for n, doc in enumerate(docs, 1) for e in list_office_events(doc)]
    events.sort(key=lambda e: (e["office"], e["file"], e["line"], e["article_id"], e["kind"], e["position"]))
    links: dict[str, list[dict]] = {}
    for link in resolve_in_order(events):
        links.setdefault(link["article_id"], []).append(link)
    out = {}
    for doc in docs:
        article, mentions = convert_document_to_rows(doc)
        if doc.id in links:
            mentions = link_article(dict(article, mentions=mentions), links[doc.id])
        out[doc.id] = sorted((m["start"], m["end"], m["label"], *(
            json.loads(m["attrs"]).get(k) for k in ("link", "holder", "cluster")))
            for m in mentions if m["layer"] == "entities")
    return out


def test_events_are_the_roles_and_the_offices_left_without_a_holder():
    named, bare = make_docs()[1:3]
    (role,) = list_office_events(named)
    assert role["kind"] == ROLE and role["text"] == "وزير الخارجية البحريني"
    assert role["entity_key"] and role["canonical"] == "خالد بن أحمد آل خليفة" and role["day"] == "2015-07-10"
    (office,) = list_office_events(bare)
    assert office["kind"] == OFFICE and office["office"] == role["office"] and office["position"] == 0
    bare.published = None  # no day: the archive resolves nothing
    assert list_office_events(bare) == []


def resolve_one_by_one(docs) -> dict[str, list[tuple]]:
    resolver = EntityResolver(MemoryEntityIndex())
    for doc in docs:
        resolver.resolve(doc)
    return {doc.id: sorted(spans(doc)) for doc in docs}


def test_same_spans_as_the_archive_resolving_article_by_article():
    expected = resolve_one_by_one(make_docs())
    linked = [s for doc in expected.values() for s in doc if s[3] == "office-archive"]
    assert len(linked) == 3 and {s[4] for s in linked} == {"خالد بن أحمد آل خليفة"}
    assert not any(s[3] for s in expected["a0"] + expected["a4"])  # before it was learnt; too late
    assert batch_links(make_docs()) == expected


def test_two_spellings_of_one_holder_count_as_one_person_as_in_the_archive():
    expected = resolve_one_by_one(make_docs(SUDAN))
    (linked,) = [s for s in expected["a2"] if s[3] == "office-archive"]
    assert linked[4] == "عمر حسن البشير"
    assert batch_links(make_docs(SUDAN)) == expected
