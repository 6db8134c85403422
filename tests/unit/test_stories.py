"""Near-duplicates (MinHash/LSH) and the online story tracker on hand-built documents and an
in-memory SQLite archive (no NER: entity sharing is covered by the integration tests)."""
from __future__ import annotations

import json

import pytest

from rasid.doc import Document
from rasid.eval.stories import score_bcubed, score_pairwise
from rasid.archive_steps import (ARCHIVE_STEPS, NearDuplicatesStep, StoriesStep, build_archive_steps,
                                 run_archive_steps)
from rasid.stories import (NearDuplicateDetector, StoryTracker, compute_signature,
                           estimate_jaccard, get_story, list_stories, story_of_article)
from rasid.stories.tracker import compute_gap_days, convert_doc_time
from rasid.store import open_store

QUAKE = ("ضرب زلزال بقوة ست درجات على مقياس ريختر مدينة إسطنبول التركية صباح اليوم الثلاثاء، "
         "وأعلنت هيئة إدارة الكوارث والطوارئ التركية أن الزلزال أسفر عن مقتل أربعة أشخاص وإصابة "
         "العشرات، فيما انهارت عدة مبان قديمة في أحياء المدينة القديمة. وقال وزير الداخلية التركي إن "
         "فرق الإنقاذ تواصل البحث عن ناجين تحت الأنقاض، مشيرا إلى أن الهزات الارتدادية ما زالت مستمرة.")
QUAKE_EDITED = ("إسطنبول - وكالات: " + QUAKE.replace("أربعة أشخاص", "خمسة أشخاص")
                .replace("صباح اليوم الثلاثاء", "فجر الثلاثاء").replace("عدة مبان قديمة", "مبان"))
QUAKE_FOLLOWUP = ("ارتفعت حصيلة ضحايا زلزال إسطنبول التركية إلى تسعة قتلى، بحسب هيئة إدارة الكوارث "
                  "والطوارئ التركية، فيما تواصل فرق الإنقاذ البحث تحت أنقاض المباني المنهارة في المدينة. "
                  "وأوضحت الهيئة أن الزلزال الذي بلغت قوته ست درجات على مقياس ريختر تبعته هزات ارتدادية.")
FOOTBALL = ("توج فريق الهلال بلقب كأس السوبر السعودي لكرة القدم بعد فوزه على النصر بركلات الترجيح في "
            "المباراة التي أقيمت على ملعب لوفتس رود في العاصمة البريطانية لندن، وسط حضور جماهيري كبير "
            "من المشجعين السعوديين المقيمين في بريطانيا، وأشاد مدرب الفريق بأداء اللاعبين.")


def make(text, title, url, published="2015-08-06T10:00:00"):
    return Document(text, title=title, url=url, published=published, source="test")


@pytest.fixture()
def store():
    s = open_store(":memory:")
    yield s
    s.close()


def ingest(store, docs, steps):
    """Store `docs` and run the archive steps on them in one transaction, as Monitor does."""
    with store.transaction():
        report = store.add_documents(docs)
        stored = {o.id for o in report.outcomes if o.outcome == "stored"}
        docs = [d for d in docs if d.id in stored]
        run_archive_steps(steps, store, docs)
    return docs


def count(store, kind):
    return sum(1 for _ in store.iter_records(kind))


# -- MinHash ----------------------------------------------------------------------------------
def test_signature_is_stable_and_estimates_jaccard():
    a, b, c = compute_signature(QUAKE), compute_signature(QUAKE_EDITED), compute_signature(FOOTBALL)
    assert a.dtype.name == "uint32" and len(a) == 128
    assert (compute_signature(QUAKE) == a).all()
    assert estimate_jaccard(a, b) >= 0.75
    assert estimate_jaccard(a, c) < 0.2
    assert compute_signature("قصير جدا") is None


def test_vowelled_copy_has_the_same_signature():
    vowelled = QUAKE.replace("زلزال", "زِلْزَال").replace("مدينة", "مَدِينَة")
    assert estimate_jaccard(compute_signature(QUAKE), compute_signature(vowelled)) == 1.0


# -- near-duplicates --------------------------------------------------------------------------
def test_near_duplicate_is_linked_to_the_first_copy(store):
    det = NearDuplicatesStep()
    first = make(QUAKE, "زلزال يضرب إسطنبول", "http://a.example/1")
    ingest(store, [first], [det])
    copy = make(QUAKE_EDITED, "عاجل | زلزال يضرب إسطنبول", "http://b.example/xyz")
    ingest(store, [copy], [det])
    assert copy.meta["near_duplicate_of"] == first.id
    row = store.get_near_duplicate(copy.id)
    assert row[0] == first.id and row[1] >= 0.75
    assert store.get_document(copy.id).meta["near_duplicate_of"] == first.id  # for later hooks
    # a copy of the copy points at the first copy
    third = make(QUAKE_EDITED.replace("وكالات", "واس"), "زلزال", "http://c.example/3")
    ingest(store, [third], [det])
    assert third.meta["near_duplicate_of"] == first.id
    unrelated = make(FOOTBALL, "الهلال بطلا", "http://d.example/4")
    ingest(store, [unrelated], [det])
    assert "near_duplicate_of" not in unrelated.meta


def test_near_duplicate_hook_is_idempotent(store):
    det = NearDuplicateDetector()
    a = make(QUAKE, "t", "http://a.example/1")
    b = make(QUAKE_EDITED, "t2", "http://b.example/2")
    ingest(store, [a, b], [NearDuplicatesStep(det)])  # same batch: b sees a
    assert b.meta["near_duplicate_of"] == a.id
    n = count(store, "neardup_bands")
    assert n == 2 * 32
    det.process(store, [a, b])
    assert count(store, "neardup_bands") == n
    assert store.list_near_duplicates() == [{"article_id": b.id, "duplicate_of": a.id,
                                             "similarity": store.get_near_duplicate(b.id)[1]}]


# -- stories ----------------------------------------------------------------------------------
def test_stories_join_start_and_skip_duplicates(store):
    det, tracker = NearDuplicateDetector(), StoryTracker()
    hooks = [NearDuplicatesStep(det), StoriesStep(tracker)]
    a = make(QUAKE, "زلزال بقوة ست درجات يضرب إسطنبول", "http://a.example/1", "2015-08-06T08:00:00")
    ingest(store, [a], hooks)
    dup = make(QUAKE_EDITED, "عاجل: زلزال يضرب إسطنبول", "http://b.example/2", "2015-08-06T09:00:00")
    follow = make(QUAKE_FOLLOWUP, "ارتفاع حصيلة ضحايا زلزال إسطنبول إلى تسعة قتلى", "http://c.example/3",
                  "2015-08-07T12:00:00")
    other = make(FOOTBALL, "الهلال يتوج بكأس السوبر في لندن", "http://d.example/4", "2015-08-07T13:00:00")
    ingest(store, [dup, follow, other], hooks)
    s_a, s_dup, s_follow, s_other = (story_of_article(store, d.id) for d in (a, dup, follow, other))
    assert s_a["id"] == s_dup["id"] == s_follow["id"]
    assert s_dup["duplicate_of"] == a.id
    assert s_other["id"] != s_a["id"]
    stories = {r["id"]: r for r in store.iter_records("stories")}
    assert len(stories) == 2
    story = stories[s_a["id"]]
    assert (story["article_count"], story["first_published"], story["last_published"],
            story["n_vectors"]) == (3, "2015-08-06T08:00:00", "2015-08-07T12:00:00", 2)  # the copy adds no vector
    # re-running the steps changes nothing
    before = list(store.iter_records("stories"))
    det.process(store, [a, dup, follow, other])
    assert tracker.process(store, [a, dup, follow, other]) == []
    assert list(store.iter_records("stories")) == before


def test_story_window_keeps_old_story_closed(store):
    tracker = [StoriesStep()]
    a = make(QUAKE, "زلزال يضرب إسطنبول", "http://a.example/1", "2015-08-01T08:00:00")
    later = make(QUAKE_FOLLOWUP, "حصيلة زلزال إسطنبول", "http://c.example/3", "2015-09-01T08:00:00")
    ingest(store, [a], tracker)
    ingest(store, [later], tracker)
    assert story_of_article(store, a.id)["id"] != story_of_article(store, later.id)["id"]


def test_get_story_and_list(store):
    docs = [make(QUAKE, "زلزال بقوة ست درجات يضرب إسطنبول", "http://a.example/1", "2015-08-06T08:00:00"),
            make(QUAKE_FOLLOWUP, "ارتفاع حصيلة ضحايا زلزال إسطنبول", "http://c.example/3", "2015-08-07T12:00:00")]
    ingest(store, docs, build_archive_steps(("near_duplicates", "stories")))
    sid = story_of_article(store, docs[0].id)["id"]
    story = get_story(store, sid)
    assert story["title"] and story["article_count"] == 2
    assert [a["id"] for a in story["articles"]] == [docs[0].id, docs[1].id]
    assert story["first_published"] == "2015-08-06T08:00:00"
    assert story["timeline"] == [{"date": "2015-08-06", "articles": 1, "first_seen": 0},
                                 {"date": "2015-08-07", "articles": 1, "first_seen": 0}]
    assert [a["time_basis"] for a in story["articles"]] == ["published", "published"]
    assert story["summary"] and all(
        docs_by_id(docs)[s["doc_id"]].text[s["start"]:s["end"]] == s["text"] for s in story["summary"])
    assert story["keyphrases"]
    assert story["entities"] == [] and story["places"] == []  # no NER here
    json.dumps(story, ensure_ascii=False)
    assert [s["id"] for s in list_stories(store)] == [sid]
    assert list_stories(store, since="2015-08-08") == []
    assert get_story(store, 999) is None and get_story(store, "x") is None
    assert story_of_article(store, "nope") is None


def docs_by_id(docs):
    return {d.id: d for d in docs}


def test_archive_steps_are_declared_in_order():
    steps = build_archive_steps()
    assert [s.name for s in steps] == list(ARCHIVE_STEPS) == [
        "resolve_entities", "near_duplicates", "stories", "event_groups", "alerts"]
    with pytest.raises(ValueError, match="unknown archive step 'story'"):
        build_archive_steps(["story"])


def test_times_and_gaps():
    assert convert_doc_time(Document("x", published="2015-08-06")) == "2015-08-06T00:00:00"
    assert convert_doc_time(Document("x", published="2015-08-06T10:00:00+03:00")) == "2015-08-06T07:00:00"
    assert compute_gap_days("2015-08-10T00:00:00", "2015-08-06T00:00:00", "2015-08-08T00:00:00") == 2.0
    assert compute_gap_days("2015-08-07T00:00:00", "2015-08-06T00:00:00", "2015-08-08T00:00:00") == 0.0


def test_cluster_metrics():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert score_pairwise(gold, gold) == (1.0, 1.0, 1.0)
    assert score_bcubed(gold, gold) == (1.0, 1.0, 1.0)
    one = {k: 0 for k in gold}
    p, r, _ = score_pairwise(gold, one)
    assert (p, r) == (2 / 6, 1.0)
    p, r, _ = score_bcubed(gold, one)
    assert (p, r) == (0.5, 1.0)


def test_doc_vector_is_its_definition_per_token():
    """`compute_doc_vector` (word forms weighed once each: `rasid.summarise.terms.weigh_term`) against its
    definition token by token: stopwords and one-letter words left out, term = light10 stem
    of the base, IDF = the largest of the term's words', title counted twice."""
    import math

    from rasid.arabic.tokenize import tokenize
    from rasid.stories.tracker import compute_doc_vector
    from rasid.summarise.terms import compute_idf, convert_term, is_stopword

    def reference(doc):
        tf, idf = {}, {}
        words = [[t for t in tokenize(text) if t.kind == "word"] for text in (doc.title, doc.text)]
        for toks, weight in ((words[0], 2.0), (words[1][:300], 1.0)):
            for tok in toks:
                if is_stopword(tok) or len(tok.base or tok.norm) < 2:
                    continue
                key = convert_term(tok)
                tf[key] = tf.get(key, 0.0) + weight
                idf[key] = max(idf.get(key, 0.0), compute_idf(tok.norm))
        vec = sorted(((k, (1.0 + math.log(v)) * idf[k]) for k, v in tf.items()), key=lambda kv: (-kv[1], kv[0]))[:40]
        norm = math.sqrt(sum(w * w for _, w in vec))
        return {k: w / norm for k, w in vec}

    for doc in (make(QUAKE, "زلزال في إسطنبول", "u1"), make(FOOTBALL, "الهلال بطلا للسوبر", "u2"),
                make(QUAKE_FOLLOWUP, "ارتفاع حصيلة زلزال إسطنبول", "u3")):
        assert compute_doc_vector(doc) == reference(doc)
