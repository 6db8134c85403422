"""Why names were linked, roles held, the user's decisions and moving an entity's rows, on
every engine (tests/contract/conftest.py)."""
from __future__ import annotations

from rasid.doc import Span
from rasid.entities.archive import resolve_article_entities
from rasid.store import EntityRecord

from contract_data import make_docs


def test_links_roles_and_decisions(archive):
    a = archive.add_entity(EntityRecord(0, "عادل الجبير", "PER", "Adel al-Jubeir"), ["n:عادل الجبير"])
    b = archive.add_entity(EntityRecord(0, "الجبير", "PER", "al-Jubeir"), ["n:الجبير"])
    archive.add_entity_links(a.id, {"عادل الجبير": "canonical", "الجبير": "article:عادل الجبير"})
    archive.add_entity_links(a.id, {"الجبير": "surname"})  # a name keeps its first reason
    assert archive.list_entity_links(a.id) == {"الجبير": "article:عادل الجبير", "عادل الجبير": "canonical"}
    archive.set_entity_link(a.id, "الجبير", "user-merge")
    assert archive.list_entity_links(a.id)["الجبير"] == "user-merge"

    archive.add_entity_roles(a.id, [("وزير خارجيه", "وزير الخارجية", "2015-07-20")])
    # several entities at once (what a batch writes), in order: the same as one by one
    archive.add_entity_roles_many([
        (a.id, [("وزير خارجيه", "وزير الخارجية", "2015-07-02"),
                ("وزير خارجيه سعودي", "وزير الخارجية السعودي", None)]),
        (b.id, [("وزير خارجيه", "وزير الخارجية", "2015-08-10")])])
    archive.add_entity_links_many([(b.id, {"الجبير": "new"}), (b.id, {"الجبير": "later"}), (a.id, {})])
    assert archive.list_entity_links(b.id) == {"الجبير": "new"}
    roles = archive.list_entity_roles(a.id)
    assert roles[0] == {"role": "وزير خارجيه", "text": "وزير الخارجية", "first_seen": "2015-07-02",
                        "last_seen": "2015-07-20", "mentions": 2}
    assert roles[1]["first_seen"] is None and roles[1]["mentions"] == 1
    holders = archive.find_role_holders("وزير خارجيه")
    assert [(h["entity_id"], h["mentions"]) for h in holders] == [(a.id, 2), (b.id, 1)]
    assert archive.find_role_holders("ولي عهد") == []

    archive.add_entity_decision("split", a.id, "الجبير", b.id)
    archive.add_entity_decision("merge", b.id, "جبير")
    decisions = archive.list_entity_decisions()
    assert [(d["kind"], d["entity_id"], d["name"], d["other_id"]) for d in decisions] == [
        ("split", a.id, "الجبير", b.id), ("merge", b.id, "جبير", None)]
    assert decisions[0]["created_at"][:2] == "20"

    # b's rows move to a, b is gone; decisions follow the entity
    archive.move_entity_rows(b.id, a.id)
    assert archive.get_entity(b.id) is None
    assert archive.find_entity_candidates(["n:الجبير"]) == [archive.get_entity(a.id)]
    roles = archive.list_entity_roles(a.id)
    assert roles[0]["mentions"] == 3 and roles[0]["last_seen"] == "2015-08-10"
    assert {(d["entity_id"], d["other_id"]) for d in archive.list_entity_decisions()} == {
        (a.id, a.id), (a.id, None)}
    archive.remove_entity_keys(a.id, ["n:الجبير"])
    assert archive.find_entity_candidates(["n:الجبير"]) == []
    assert archive.find_entity_candidates(["n:عادل الجبير"])[0].id == a.id


def test_entity_articles_and_moved_mentions(archive):
    docs = [d for d in make_docs() if "إردوغان" in d.text][:2]
    for doc in docs:
        start = doc.text.index("إردوغان")
        doc.add_span("entities", Span(start, start + len("إردوغان"), "PER", {}))
    archive.add_documents(docs)
    for doc in docs:
        resolve_article_entities(archive, doc)
    eid = next(s for s in docs[0].layers["entities"]
               if docs[0].text[s.start:s.end] == "إردوغان").attrs["entity_id"]
    assert archive.list_entity_article_ids(eid) == sorted(d.id for d in docs)
    other = archive.add_entity(EntityRecord(0, "أنقرة", "LOC", "Ankara"), ["n:انقره"])
    archive.move_entity_rows(eid, other.id)
    moved = archive.count_article_mentions(docs[0].id)  # إردوغان, الرئيس التركي (and داعش)
    assert moved[other.id] == 2 and eid not in moved
    assert archive.list_entity_article_ids(eid) == []


def test_batch_index_role_holders_are_the_archive_after_its_flush(archive):
    """The resolve step's batch index answers who held an office from the archive's rows and
    the batch's roles in memory (no write mid-batch): the answer the archive gives once the
    batch is written."""
    from rasid.entities.archive import BatchEntityIndex

    a = archive.add_entity(EntityRecord(0, "عادل الجبير", "PER", "Adel al-Jubeir"), ["n:عادل الجبير"])
    b = archive.add_entity(EntityRecord(0, "سعود الفيصل", "PER", "Saud al-Faisal"), ["n:سعود الفيصل"])
    role = "وزير خارجيه"
    archive.add_entity_roles_many([(a.id, [(role, "وزير الخارجية", "2015-07-10")]),
                                   (b.id, [(role, "وزير خارجية السعودية", None)])])
    index = BatchEntityIndex(archive)
    c = index.add(EntityRecord(0, "الجبير", "PER", "al-Jubeir"), ["n:الجبير"])
    batch = [(b.id, [(role, "الوزير", "2015-07-01")]), (c.id, [(role, "وزير الخارجية", None)]),
             (a.id, [(role, "الوزير", "2015-07-20"), ("ولي عهد", "ولي العهد", "2015-07-20")]),
             (c.id, [(role, "وزير الخارجية", "2015-06-30")]), (b.id, [(role, "الوزير", "2015-07-05")])]
    answers = []
    for entity_id, roles in batch:
        index.add_roles(entity_id, roles)
        answers.append(index.find_role_holders(role))
    assert [(h["entity_id"], h["mentions"]) for h in answers[-1]] == [(b.id, 3), (a.id, 2), (c.id, 2)]
    assert index.find_role_holders("ولي عهد")[0]["entity_id"] == a.id
    index.flush()
    assert answers[-1] == archive.find_role_holders(role)
    assert index.find_role_holders("ولي عهد") == archive.find_role_holders("ولي عهد")
