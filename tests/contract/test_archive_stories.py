"""Near-duplicate and story storage on every engine (tests/contract/conftest.py); the
values (signatures, centroids) are what `rasid.stories` computes for SaudiNewsNet articles."""
from __future__ import annotations

from rasid.stories.neardup import compute_band_keys, compute_signature

from contract_data import make_docs


def test_near_duplicates(archive):
    docs = make_docs()[:3]
    archive.add_documents(docs)
    sigs = {d.id: compute_signature(d.text) for d in docs}
    a, b, c = (d.id for d in docs)
    assert not archive.has_signature(a) and archive.get_near_duplicate(a) is None
    archive.add_signature(a, sigs[a].astype("<u4").tobytes(), compute_band_keys(sigs[a]))
    archive.add_signature(b, sigs[b].astype("<u4").tobytes(), compute_band_keys(sigs[b]))
    assert archive.has_signature(a) and not archive.has_signature(c)
    assert archive.find_band_matches(compute_band_keys(sigs[a]), 50) == {a: 32}
    assert archive.find_band_matches(compute_band_keys(sigs[c]), 50) == {}
    assert archive.get_signatures([a, c]) == {a: sigs[a].astype("<u4").tobytes()}
    archive.add_near_duplicate(b, a, 0.8)
    archive.add_near_duplicate(b, c, 0.9)  # kept as first recorded
    assert archive.get_near_duplicate(b) == (a, 0.8)
    assert archive.get_document(b).meta["near_duplicate_of"] == a
    assert archive.list_near_duplicates() == [{"article_id": b, "duplicate_of": a, "similarity": 0.8}]


def test_stories(archive):
    docs = make_docs()[:3]
    archive.add_documents(docs)
    a, b, c = (d.id for d in docs)
    sid = archive.create_story("زلزال", "2015-07-01T10:00:00", {"زلزال": 0.8, "تركيا": 0.6},
                               ["زلزال", "تركيا"], [7, 8])
    archive.add_story_article(sid, a, "2015-07-01T10:00:00", 1.0)
    assert archive.get_story_id(a) == sid and archive.get_story_id(b) is None
    assert archive.find_stories_by_terms(["زلزال", "بركان"], "2015-06-30T00:00:00", 10) == {"زلزال": [sid]}
    assert archive.find_stories_by_terms(["زلزال"], "2015-07-02T00:00:00", 10) == {}
    assert archive.find_stories_by_terms([], "2015-06-30T00:00:00", 10) == {}
    assert archive.find_stories_by_entities([9, 7], "2015-06-30T00:00:00", 10) == {7: [sid]}
    assert archive.get_story_entities([sid], [7, 9]) == {sid: {7}}
    assert archive.get_story_entities([sid], []) == {}
    archive.update_story(sid, {"زلزال": 1.4, "إسطنبول": 0.5}, "2015-07-01T10:00:00",
                         "2015-07-02T10:00:00", ["زلزال", "إسطنبول"], [7, 9])
    archive.add_story_article(sid, b, "2015-07-02T10:00:00", 0.61)
    archive.add_story_article(sid, c, "2015-07-02T11:00:00", 0.9, duplicate_of=b)
    (cent,) = archive.get_story_centroids([sid, 999])
    assert cent == {"id": sid, "centroid": {"زلزال": 1.4, "إسطنبول": 0.5},
                    "first_published": "2015-07-01T10:00:00", "last_published": "2015-07-02T10:00:00"}
    assert archive.find_stories_by_terms(["تركيا"], "2015-06-30T00:00:00", 10) == {}  # index replaced
    assert archive.find_stories_by_entities([8], "2015-07-02T00:00:00", 10) == {8: [sid]}  # last date moved on
    ents = {(r["entity_id"], r["articles"]) for r in archive.iter_records("story_entities")}
    assert ents == {(7, 2), (8, 1), (9, 1)}
    (listed,) = archive.list_stories()
    assert listed["id"] == sid and listed["article_count"] == 3 and listed["title"] == "زلزال"
    assert archive.list_stories(since="2015-07-03") == [] and archive.list_stories(min_articles=4) == []
    assert archive.story_of_article(c)["duplicate_of"] == b and archive.story_of_article("x") is None
    story = archive.get_story(sid)
    assert [x["id"] for x in story["articles"]] == [a, b, c]
    assert story["centroid"] == cent["centroid"] and story["entities"] == [] and story["places"] == []
    assert story["timeline"] == [{"date": "2015-07-01", "articles": 1, "first_seen": 0},
                                 {"date": "2015-07-02", "articles": 2, "first_seen": 0}]
    assert [x["story_time"] for x in story["articles"]] == [
        "2015-07-01T10:00:00", "2015-07-02T10:00:00", "2015-07-02T11:00:00"]
    assert archive.get_story(999) is None
    assert [(m["article_id"], m["story_id"]) for m in archive.list_story_members()] == \
        sorted([(a, sid), (b, sid), (c, sid)])
    # per key, the latest stories first, at most `limit` of them
    other = archive.create_story("زلزال آخر", "2015-07-01T12:00:00", {"زلزال": 1.0}, ["زلزال"], [7])
    assert archive.find_stories_by_terms(["إسطنبول", "زلزال"], "2015-06-30T00:00:00", 10) == \
        {"إسطنبول": [sid], "زلزال": [sid, other]}
    assert archive.find_stories_by_terms(["زلزال"], "2015-06-30T00:00:00", 1) == {"زلزال": [sid]}
    assert archive.find_stories_by_entities([7], "2015-06-30T00:00:00", 10) == {7: [sid, other]}


def test_band_matches_count_each_band_up_to_its_limit(archive):
    """Every band is looked up with its own limit (one statement on SQLite, one arm per
    band): three articles with one signature fill each band of it three times."""
    docs = make_docs()[:4]
    archive.add_documents(docs)
    sigs = {d.id: compute_signature(d.text) for d in docs}
    a, b, c, d = (x.id for x in docs)
    for aid in (a, b, c):  # the same signature: the same 32 buckets
        archive.add_signature(aid, sigs[a].astype("<u4").tobytes(), compute_band_keys(sigs[a]))
    archive.add_signature(d, sigs[d].astype("<u4").tobytes(), compute_band_keys(sigs[d]))
    assert archive.find_band_matches(compute_band_keys(sigs[a]), 50) == {a: 32, b: 32, c: 32}
    two = archive.find_band_matches(compute_band_keys(sigs[a]), 2)
    assert set(two) <= {a, b, c} and sum(two.values()) == 64 and max(two.values()) <= 32
    mixed = compute_band_keys(sigs[a])[:5] + compute_band_keys(sigs[d])[5:]
    assert archive.find_band_matches(mixed, 50) == {a: 5, b: 5, c: 5, d: 27}


def test_latest_stories_of_many_keys(archive):
    """More keys than one statement reads (`sql_stories.KEYS_PER_STATEMENT`): every key is
    answered, in the order given, latest stories first."""
    first = archive.create_story("أ", "2015-07-01T10:00:00", {"زلزال": 1.0}, ["زلزال", "تركيا"], [7])
    second = archive.create_story("ب", "2015-07-01T12:00:00", {"زلزال": 1.0}, ["زلزال"], [7, 8])
    terms = [f"كلمة{i}" for i in range(150)] + ["تركيا", "زلزال"]
    got = archive.find_stories_by_terms(terms, "2015-06-30T00:00:00", 10)
    assert got == {"تركيا": [first], "زلزال": [second, first]}
    assert list(got) == ["تركيا", "زلزال"]
    assert archive.find_stories_by_entities(list(range(100, 250)) + [8, 7], "2015-06-30T00:00:00", 1) == \
        {8: [second], 7: [second]}


def test_step_writes_join_the_open_transaction(archive):
    """The archive steps' writes (a signature and its bands, a near-duplicate link, a story)
    inside the batch's transaction are part of it, not savepoints of their own: rolled back
    with it; a nested `transaction()` is still a savepoint that fails alone."""
    import pytest

    docs = make_docs()[:2]
    archive.add_documents(docs)
    a, b = (d.id for d in docs)
    sig = compute_signature(docs[0].text)
    with pytest.raises(RuntimeError), archive.transaction():
        archive.add_signature(a, sig.astype("<u4").tobytes(), compute_band_keys(sig))
        archive.add_near_duplicate(b, a, 0.9)
        archive.create_story("زلزال", "2015-07-01T10:00:00", {"زلزال": 0.8}, ["زلزال"], [])
        raise RuntimeError("the batch fails after its steps wrote")
    assert not archive.has_signature(a) and archive.get_near_duplicate(b) is None
    assert archive.find_band_matches(compute_band_keys(sig), 50) == {}
    assert archive.list_stories() == []
    with archive.transaction():
        archive.add_signature(a, sig.astype("<u4").tobytes(), compute_band_keys(sig))
        with pytest.raises(RuntimeError), archive.transaction():
            archive.add_near_duplicate(b, a, 0.9)
            raise RuntimeError("a savepoint the caller catches")
    assert archive.has_signature(a) and archive.get_near_duplicate(b) is None
    assert "near_duplicate_of" not in archive.get_document(b).meta
