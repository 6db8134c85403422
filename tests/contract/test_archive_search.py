"""Search on every engine (tests/contract/conftest.py): 20 SaudiNewsNet articles
(tests/resources/README-search.md)."""
from __future__ import annotations

import pytest

from rasid.doc import Document
from rasid.search.analyzer import get_analyzer
from rasid.search.query import QueryError
from rasid.store import SearchQuery, open_store

from contract_data import ENGINES, archive_location, make_docs


@pytest.fixture(scope="module", params=ENGINES)
def archive(request, tmp_path_factory):
    s = open_store(archive_location(request.param, tmp_path_factory.mktemp("search")))
    s.add_documents(make_docs(), batch_size=7)
    yield s
    s.close()


def search(store, text, **kw):
    return store.search(SearchQuery(text, **kw))


def hit_words(hit, text):
    return [text[s:e] for s, e in hit.matches]


@pytest.mark.parametrize("query,forms", [
    ("هجوم", {"هجوم", "الهجوم", "وهجوم", "والهجوم", "بالهجوم"}),
    ("رئيس", {"رئيس", "الرئيس", "ورئيس"}),
])
def test_clitics_and_article(archive, query, forms):
    hits = search(archive, query, limit=50)
    found = set()
    for hit in hits:
        text = archive.get_document(hit.id).text
        found.update(w for w in hit_words(hit, text) if w in forms)
    assert forms <= found, forms - found


def test_rais_finds_articles_with_only_the_definite_form(archive):
    only_def = [d for d in make_docs() if "الرئيس" in d.text and " رئيس" not in d.text
                and "رئيس" not in d.title]
    assert only_def
    ids = {h.id for h in search(archive, "رئيس", limit=50)}
    assert {d.id for d in only_def} <= ids


def test_vowelled_and_alef_variants(archive, tmp_path):
    assert search(archive, "الهُجُومُ")[0].id == search(archive, "الهجوم")[0].id
    with_hamza = {h.id for h in search(archive, "إردوغان")}
    assert with_hamza == {h.id for h in search(archive, "اردوغان")} == {h.id for h in search(archive, "أردوغان")}
    assert len(with_hamza) == 2
    # a vowelled document is found by the plain spelling, highlighted as written
    with open_store(":memory:") as s:
        s.add_documents([Document(text="وَقَالَ الرَّئِيسُ التُّرْكِيُّ إِنَّ الهُجُومَ إِرْهَابِيٌّ", url="http://v.example/1")])
        (hit,) = search(s, "الرئيس التركي")
        assert "[الرَّئِيسُ] [التُّرْكِيُّ]" in hit.snippet
        (hit,) = search(s, "هجوم")
        assert "[الهُجُومَ]" in hit.snippet


def test_phrase(archive):
    phrase = search(archive, '"مجلس الأمن"', limit=50)
    both = search(archive, "مجلس الأمن", limit=50)
    assert phrase and {h.id for h in phrase} <= {h.id for h in both}
    for hit in phrase:
        doc = archive.get_document(hit.id)
        assert "مجلس الأمن" in doc.text or "مجلس الأمن" in doc.title


def test_a_phrase_that_matches_nothing_falls_back_to_its_words(archive):
    """Quotes the user typed stay strict while the phrase matches something; when nothing
    has it as written, its words are searched as ordinary words and the result says so."""
    strict = search(archive, '"مجلس الأمن"', limit=50)
    assert strict and not strict.phrases_relaxed
    words = search(archive, "مجلس الأمن", limit=50)
    loose = search(archive, '"الأمن مجلس"', limit=50)  # in no article in this order
    assert loose.phrases_relaxed and [(h.id, h.partial) for h in loose] == [(h.id, h.partial) for h in words]
    assert not any("الأمن مجلس" in archive.get_document(h.id).text for h in loose)
    # +"phrase": each word stays required (no partial hits); paging keeps the fallback
    both = {h.id for h in words if not h.partial}
    assert {h.id for h in search(archive, '+"الأمن مجلس"', limit=50)} == both
    page = search(archive, '"الأمن مجلس"', limit=1, offset=1)
    assert page.phrases_relaxed and [h.id for h in page] == [h.id for h in loose][1:2]
    # a title with quoted text that no article has as written: the title's article first
    title = search(archive, 'خامنئي ينذر "واشنطن وأوروبا" بعقود طهران')
    assert title.phrases_relaxed and title[0].title.startswith("خامنئي ينذر واشنطن")
    # words that are in no article either: nothing, and nothing relaxed
    none = search(archive, '"زيمبابوي كوالالمبور"')
    assert not none and not none.phrases_relaxed


def test_guillemets_are_not_phrase_operators(archive):
    guillemets = search(archive, "«الاتفاق النووي» إيران", limit=50)
    assert guillemets and not guillemets.phrases_relaxed
    assert [h.id for h in guillemets] == [h.id for h in search(archive, "الاتفاق النووي إيران", limit=50)]
    # a quoted phrase across the title's «» matches as written
    (hit,) = search(archive, '"إيران تقول إنه غير مقبول"', limit=50)
    assert hit.title.startswith("مجلس الأمن يصادق") and not search(
        archive, '"إيران تقول إنه غير مقبول"').phrases_relaxed


def test_trend_and_facets_follow_the_phrase_fallback(archive):
    from rasid.search.searcher import count_facets
    from rasid.search.trend import compute_trend

    loose = compute_trend(archive, SearchQuery('"الأمن مجلس"'))
    assert loose["total"] > 0
    assert loose == compute_trend(archive, SearchQuery("مجلس الأمن"))
    assert compute_trend(archive, SearchQuery('"زيمبابوي كوالالمبور"'))["total"] == 0
    assert count_facets(archive, SearchQuery('"الأمن مجلس"'))["source"] == count_facets(
        archive, SearchQuery("مجلس الأمن"))["source"] != []


def test_fill_up_below_the_articles_with_every_word(archive):
    """`هجوم سوريا`: one article has both words (داعش's first suicide attack in Turkey,
    `هجماته` ... `سوريا`), others only one (the Syrian commander's death: سوريا alone). The
    article with both comes first and unmarked; the others follow it, every one marked
    partial, none of them above it."""
    docs = make_docs()
    both, syria_only = docs[0], docs[6]
    hits = search(archive, "هجوم سوريا", limit=50)
    assert [(h.id, h.partial) for h in hits[:1]] == [(both.id, False)]
    assert syria_only.id in [h.id for h in hits[1:]]
    assert len(hits) > 2 and all(h.partial for h in hits[1:]) and hits.relaxed
    an = get_analyzer()
    wanted = {t.stem for t in an.analyze("هجوم سوريا")}
    for h in hits[1:]:
        doc = archive.get_document(h.id)
        stems = {t.stem for t in an.analyze(doc.title + " " + doc.text)}
        assert len(stems & wanted) == 1  # exactly one of the two words
    # paging runs on across the boundary (a page past the strict matches counts them)
    assert [h.id for h in search(archive, "هجوم سوريا", limit=1)] == [both.id]
    for offset in (1, 2, 4):
        page = search(archive, "هجوم سوريا", limit=2, offset=offset)
        assert [(h.id, h.partial) for h in page] == [(h.id, h.partial) for h in hits[offset:offset + 2]]
    # the strict set fills the page: no partial hit, nothing relaxed
    assert not search(archive, "إيران النووي", limit=3).relaxed


def test_fill_up_never_relaxes_operators(archive):
    """`+word` and quoted phrases stay required and `-word` excluded below the strict
    matches too."""
    forced = search(archive, "+هجوم سوريا", limit=50)
    assert forced and not forced.relaxed
    an = get_analyzer()
    stem = an.analyze("هجوم")[0].stem
    for h in forced:
        doc = archive.get_document(h.id)
        assert stem in {t.stem for t in an.analyze(doc.title + " " + doc.text)}
    excluded = search(archive, "هجوم سوريا -داعش", limit=50)
    assert excluded and excluded.relaxed
    assert not any("داعش" in archive.get_document(h.id).text for h in excluded)
    phrase = search(archive, '"مجلس الأمن" إيران', limit=50)
    assert phrase and not phrase.relaxed


def test_count_matches(archive):
    from rasid.search.searcher import compile_query

    _, plan = compile_query(SearchQuery("هجوم سوريا"))
    assert archive.count_matches(plan) == 1
    _, plan = compile_query(SearchQuery("الرئيس", since="2015-07-06"))
    assert archive.count_matches(plan) == len(search(archive, "الرئيس", since="2015-07-06", limit=50))


def test_exclusion(archive):
    with_ = {h.id for h in search(archive, "الرئيس", limit=50)}
    without = {h.id for h in search(archive, "الرئيس -إردوغان", limit=50)}
    assert without and without < with_
    assert all("إردوغان" not in archive.get_document(i).text for i in without)


def test_date_and_source_filters(archive):
    hits = search(archive, "الرئيس", since="2015-07-06", until="2015-07-14", limit=50)
    assert hits and all("2015-07-06" <= h.published[:10] <= "2015-07-14" for h in hits)
    assert {h.published[:10] for h in search(archive, "الرئيس", until="2015-07-01")} <= {"2015-07-01"}
    hits = search(archive, "الرئيس", source="aawsat", limit=50)
    assert hits and {h.source for h in hits} == {"aawsat"}
    hits = search(archive, "الرئيس", source=["alwatan", "okaz"], limit=50)
    assert {h.source for h in hits} <= {"alwatan", "okaz"}
    with pytest.raises(QueryError):
        search(archive, "الرئيس", since="last week")


def test_ranking_title_first_and_paging(archive):
    docs = make_docs()
    hits = search(archive, "طيران ناس طاقم")
    assert {h.id for h in hits[:2]} == {docs[10].id, docs[13].id}
    assert hits[0].score >= hits[1].score > 0
    page = search(archive, "الرئيس", limit=3, offset=3)
    assert [h.id for h in page] == [h.id for h in search(archive, "الرئيس", limit=6)][3:]


def test_snippets_highlight_the_original_text(archive):
    analyzer = get_analyzer()
    for query in ("الرئيس", "هجوم", "أميركا"):
        hits = search(archive, query)
        assert hits
        for hit in hits:
            text = archive.get_document(hit.id).text
            assert hit.matches
            for s, e in hit.matches:
                word = text[s:e]
                (term,) = analyzer.analyze(word)
                assert term.exact in {t.exact for t in analyzer.analyze(query)} or \
                    term.stem in {t.stem for t in analyzer.analyze(query)}
            assert any(f"[{text[s:e]}]" in hit.snippet for s, e in hit.matches)
            assert len(hit.snippet) < 400


@pytest.mark.parametrize("query", ['"', "NEAR(", "*", "OR OR", "", "x" * 10_000, "\ud800",
                                   "title_stem: هجوم", '-"', "هجوم)", "'; DROP TABLE articles; --"])
def test_hostile_queries(archive, query):
    try:
        hits = search(archive, query)
    except QueryError as err:
        assert str(err)
    else:
        assert isinstance(hits, list)
    assert archive.count_documents() == 20


def test_bad_limits(archive):
    with pytest.raises(QueryError):
        search(archive, "الرئيس", limit=0)
    with pytest.raises(QueryError):
        search(archive, "الرئيس", offset=-1)


def _only_in(doc, other):
    """A body word of `doc` whose forms (stem and exact) are nowhere in `other`."""
    an = get_analyzer()
    theirs = {f for t in an.analyze(other.title + " " + other.text) for f in (t.exact, t.stem)}
    return next(t.exact for t in an.analyze(doc.text)
                if len(t.exact) > 4 and t.exact.isalpha() and not {t.exact, t.stem} & theirs)


@pytest.mark.parametrize("engine", ENGINES)
def test_index_forms_carried_from_a_worker(engine, tmp_path):
    """The index forms a worker computed (`attach_index_forms`, pickled back with the
    document) are what the store indexes, the same index as computed by the store; forms
    made by another analyzer, or for another text, are computed again."""
    import pickle

    from rasid.carried import CARRIED_ATTR
    from rasid.search.analyzer import INDEX_FORMS, attach_index_forms

    def carrying(doc, forms, sig=None):  # `doc` carrying these forms under this signature
        values = getattr(attach_index_forms(doc), CARRIED_ATTR)[1]
        values[INDEX_FORMS] = (sig or values[INDEX_FORMS][0], forms)
        return doc

    plain = open_store(archive_location(engine, tmp_path / "plain"))
    fed = open_store(archive_location(engine, tmp_path / "fed"))
    try:
        plain.add_documents(make_docs(), batch_size=7)
        fed.add_documents([pickle.loads(pickle.dumps(attach_index_forms(d))) for d in make_docs()],
                          batch_size=7)
        for query in ("هجوم", "الرئيس التركي", '"وزارة الداخلية"', "رئيس -هجوم"):
            expected = [(h.id, round(h.score, 9), h.matches) for h in search(plain, query, limit=30)]
            assert expected, query
            assert [(h.id, round(h.score, 9), h.matches) for h in search(fed, query, limit=30)] == expected
    finally:
        plain.close()
        fed.close()

    a, b = make_docs()[:2]
    word = _only_in(b, a)
    with open_store(archive_location(engine, tmp_path / "trusted")) as store:
        other = getattr(attach_index_forms(b), CARRIED_ATTR)[1][INDEX_FORMS][1]
        a.id = "a"
        doc = carrying(a, other)
        store.add_documents([doc])  # same analyzer, same text: taken as carried
        assert [h.id for h in search(store, word)] == ["a"]
    for change in ("analyzer", "text"):
        with open_store(archive_location(engine, tmp_path / change)) as store:
            doc = carrying(make_docs()[0], other, "light10+exact/v1" if change == "analyzer" else None)
            if change == "text":
                doc.text = doc.text + " خاتمة"
            store.add_documents([doc])
            assert search(store, word) == []
            assert [h.id for h in search(store, "خاتمة" if change == "text" else _only_in(a, b))] == [doc.id]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_quoted_phrase_matches_its_words_with_a_proclitic(engine, tmp_path):
    """A proclitic is part of the Arabic word: "كرة القدم" finds «الاتحاد الاوروبي لكرة
    القدم» strictly (no fallback, not partial), highlighted as written; the words after
    other articles' prepositions too (بنسبة is نسبة)."""
    import json

    from contract_data import RESOURCES

    records = [json.loads(line) for line in
               (RESOURCES / "saudinewsnet-sample.jsonl").read_text(encoding="utf-8").splitlines()]
    docs = [Document(text=r["content"], title=r["title"], url=r["url"], source=r["source"])
            for r in records]
    with open_store(archive_location(engine, tmp_path)) as store:
        store.add_documents(docs)
        hits = search(store, '"كرة القدم"')
        assert not hits.phrases_relaxed and not any(h.partial for h in hits)
        football = next(h for h in hits if h.title.startswith("ميسي ورونالدو"))
        text = store.get_document(football.id).text
        pairs = zip(football.matches, football.matches[1:])
        assert "لكرة القدم" in [text[a[0]:b[1]] for a, b in pairs]
        quoted = search(store, '"نسبة"', limit=20)
        written = {w for h in quoted for w in hit_words(h, store.get_document(h.id).text)}
        assert "بنسبة" in written


@pytest.mark.parametrize("engine", [e for e in ENGINES if e != "sqlite-memory"])
def test_an_index_of_another_analyzer_is_rebuilt_on_open(engine, tmp_path):
    """An archive indexed by an older analyzer (here light10, whose stems differ) is
    rebuilt when it is opened, once: then it searches like a fresh one."""
    from rasid.search.analyzer import Analyzer

    location = archive_location(engine, tmp_path)
    with open_store(location, analyzer=Analyzer("light10", "base")) as old:
        old.add_documents(make_docs(), batch_size=7)
        assert old.reindex() == 0  # its own analyzer's index already
        light = [(h.id, round(h.score, 6)) for h in search(old, "الهجمات", limit=30)]
    with open_store(location) as store:
        assert store.reindex() == 0  # rebuilt when opened
        now = [(h.id, round(h.score, 6)) for h in search(store, "الهجمات", limit=30)]
        with open_store(":memory:") as fresh:
            fresh.add_documents(make_docs(), batch_size=7)
            assert now == [(h.id, round(h.score, 6)) for h in search(fresh, "الهجمات", limit=30)]
    assert now != light
