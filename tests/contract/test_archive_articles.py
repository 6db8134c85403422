"""Articles, spans, feed state and transactions, on every engine (tests/contract/conftest.py),
with real SaudiNewsNet articles (tests/resources/README-search.md)."""
from __future__ import annotations

import pytest

from rasid.doc import Document, Span
from rasid.entities.archive import resolve_article_entities
from rasid.store import SearchQuery

from contract_data import make_docs


def search(store, text, **kw):
    return store.search(SearchQuery(text, **kw))


# -- archive --------------------------------------------------------------------------------

def test_ingest_then_reingest_adds_nothing(archive):
    store = archive
    report = store.add_documents(make_docs(), batch_size=6)
    assert (report.stored, report.duplicate, report.failed, report.batches) == (20, 0, 0, 4)
    again = store.add_documents(make_docs())
    assert (again.stored, again.duplicate) == (0, 20)
    assert {o.reason for o in again.outcomes} == {"url"}
    assert store.count_documents() == 20


def test_duplicate_by_url_and_by_content(archive):
    store = archive
    first = make_docs()[0]
    store.add_documents([first])
    same_url = Document(text="نص آخر تماما", url=first.url.replace("http://", "https://www.") + "/")
    vowelled_copy = Document(text=first.text.replace("الرئيس", "الرَّئِيسُ"), url="http://other.example/x")
    report = store.add_documents([same_url, vowelled_copy])
    assert [(o.outcome, o.reason, o.duplicate_of) for o in report.outcomes] == [
        ("duplicate", "url", first.id), ("duplicate", "content", first.id)]
    # duplicates inside one batch are caught too
    docs = make_docs()[1:3]
    report = store.add_documents(docs + [Document(text=docs[0].text, url="http://mirror.example/1")])
    assert (report.stored, report.duplicate) == (2, 1)


def test_interrupted_ingest_keeps_committed_batches_and_resumes(reopen):
    docs = make_docs()

    def feed():
        for i, doc in enumerate(docs):
            if i == 12:
                raise RuntimeError("feed broke")
            yield doc

    s = reopen()
    with pytest.raises(RuntimeError):
        s.add_documents(feed(), batch_size=5)
    s.close()
    with reopen() as s:  # a new run
        assert s.count_documents() == 10
        report = s.add_documents(docs, batch_size=5)
        assert (report.stored, report.duplicate) == (10, 10)
        assert s.count_documents() == 20
        assert len(search(s, "إردوغان")) >= 2


def test_bad_document_fails_alone(archive):
    store = archive
    bad = Document(text="نص", url="http://x.example/bad")
    bad.text = None  # type: ignore[assignment]
    report = store.add_documents([bad, make_docs()[0]])
    assert [o.outcome for o in report.outcomes] == ["failed", "stored"]
    assert "TypeError" in report.outcomes[0].reason


def test_document_the_archive_cannot_write_fails_alone(archive):
    """A document that fails while the batch is written (its span attributes cannot be
    stored) fails alone: the others of its batch are stored, duplicates still found."""
    docs = make_docs()[:4]
    docs[1].add_span("entities", Span(0, 3, "PER", {"bad": object()}))
    docs.append(Document(text=docs[2].text, url="http://mirror.example/2"))
    report = archive.add_documents(docs)
    assert [o.outcome for o in report.outcomes] == ["stored", "failed", "stored", "stored", "duplicate"]
    assert "TypeError" in report.outcomes[1].reason
    assert (report.outcomes[4].reason, report.outcomes[4].duplicate_of) == ("content", docs[2].id)
    assert archive.count_documents() == 3 and archive.get_document(docs[1].id) is None
    assert [h.id for h in search(archive, docs[3].title)][:1] == [docs[3].id]


def test_get_document_round_trip_with_layers_and_spans(archive):
    store = archive
    doc = make_docs()[18]
    start = doc.text.index("إردوغان")
    doc.add_span("entities", Span(start, start + len("إردوغان"), "PER", {"key": "اردوغان"}))
    doc.add_span("sentences", Span(0, 10))
    store.add_documents([doc])
    assert "entity_id" not in store.get_document(doc.id).layers["entities"][0].attrs
    resolve_article_entities(store, doc)  # the resolve_entities archive step
    back = store.get_document(doc.id)
    assert back.text == doc.text and back.title == doc.title and back.published == doc.published
    # the mention is resolved to an archive entity (alias table: Erdogan's full name)
    # (the office mention, added by the archive step, is stored in the layer too)
    (erdogan,) = [s for s in back.layers["entities"] if s.text_of(back.text) == "إردوغان"]
    attrs = erdogan.attrs
    assert attrs["canonical"] == "رجب طيب أردوغان" and attrs["entity_id"] >= 1
    # the article also names him by office (الرئيس التركي: the office table, July 2015)
    assert store.count_article_mentions(doc.id)[attrs["entity_id"]] == 2  # (and داعش: alias table)
    day = doc.published[:10]
    assert store.entity_spellings(attrs["entity_id"]) == [
        {"text": "إردوغان", "mentions": 1, "first_seen": day, "last_seen": day},
        {"text": "الرئيس التركي", "mentions": 1, "first_seen": day, "last_seen": day}]
    assert store.collect_article_layers([doc.id, "nope"]) == {
        # إردوغان and the office mention الرئيس التركي; داعش, found by the alias table
        doc.id: {"entities": [(attrs["entity_id"], "PER", "رجب طيب أردوغان")] * 2 + [
            (attrs["entity_id"] + 1, "ORG", "تنظيم الدولة الإسلامية")], "places": []},
        "nope": {"entities": [], "places": []}}
    assert store.get_document("nope") is None
    stats = store.stats()
    assert stats["articles"] == 1 and stats["entities"] == {"PER": 2, "ORG": 1}
    assert stats["published"]["min"] == doc.published
    assert [d.id for d in store.iter_documents(batch_size=1)] == [doc.id]


def test_state_get_set(reopen):
    with reopen() as s:
        assert s.get_state("feed:aawsat") is None
        assert s.get_state("feed:aawsat", {}) == {}
        s.set_state("feed:aawsat", {"etag": "W/1", "seen": ["أ", 2]})
        s.set_state("feed:aawsat", {"etag": "W/2", "seen": ["أ", 2]})
    with reopen() as s:
        assert s.get_state("feed:aawsat") == {"etag": "W/2", "seen": ["أ", 2]}
        s.set_state("feed:aawsat", None)
        assert s.get_state("feed:aawsat") is None




def test_listings_and_sequence(archive):
    docs = make_docs()
    archive.add_documents(docs[:5])
    assert archive.has_article(docs[0].id) and not archive.has_article("nope")
    assert archive.has_document(docs[1]) and not archive.has_document(docs[6])
    after = archive.list_articles_after(0, limit=3)
    assert [a["id"] for a in after] == [d.id for d in docs[:3]]
    assert after[0]["published"] == docs[0].published and after[0]["ingested_at"].endswith("Z")
    seqs = [a["seq"] for a in archive.list_articles_after(0)]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5 and archive.latest_article_seq() == seqs[-1]
    assert [a["id"] for a in archive.list_articles_after(seqs[2])] == [d.id for d in docs[3:5]]
    page = archive.list_articles(limit=2, offset=1)
    assert page["total"] == 5 and [a["id"] for a in page["articles"]] == [docs[3].id, docs[2].id]
    assert page["articles"][0]["excerpt"] == docs[3].text[:240]
    window = archive.list_articles(since="2015-07-02", until="2015-07-04")
    assert [a["id"] for a in window["articles"]] == [docs[2].id, docs[1].id]
    src = docs[0].source
    assert archive.list_articles(source=src)["total"] == sum(1 for d in docs[:5] if d.source == src)
    assert archive.get_texts([docs[0].id, "nope"]) == {docs[0].id: docs[0].text}
    archive.set_article_meta(docs[0].id, "near_duplicate_of", docs[1].id)
    assert archive.get_document(docs[0].id).meta["near_duplicate_of"] == docs[1].id


def test_transaction_commits_rolls_back_and_nests(archive):
    docs = make_docs()
    with pytest.raises(RuntimeError):
        with archive.transaction():
            archive.add_documents(docs[:2])
            archive.set_state("k", 1)
            raise RuntimeError("boom")
    assert archive.count_documents() == 0 and archive.get_state("k") is None
    with archive.transaction():
        archive.add_documents(docs[:1])
        try:
            with archive.transaction():  # an inner block rolls back alone
                archive.add_documents(docs[1:2])
                raise ValueError("inner")
        except ValueError:
            pass
        with archive.transaction():
            archive.set_state("k", 2)
    assert [d.id for d in archive.iter_documents()] == [docs[0].id]
    assert archive.get_state("k") == 2


def test_keys_kept_from_the_duplicate_check_are_those_of_the_document_stored(archive, monkeypatch):
    """`find_duplicate` keeps an article's canonical URL and content hash for its store
    (the hash normalises the whole text: computed once); a document whose text or URL
    changed in between is written with its own (a copy of a stored text is then a
    duplicate, a new URL is a new article)."""
    from rasid.store import sql_writing

    hashed = []
    monkeypatch.setattr(sql_writing, "compute_content_hash",
                        lambda text, real=sql_writing.compute_content_hash: hashed.append(text) or real(text))
    store = archive
    first, second, third = make_docs()[:3]
    assert store.find_duplicate(first) is None and store.find_duplicate(second) is None
    assert store.find_duplicate(third) is None
    second.text = first.text  # changed after its check: now a copy of the first
    third.url = "https://elsewhere.example/story"  # a new URL: its own canonical form
    report = store.add_documents([first, second, third])
    assert [(o.outcome, o.reason) for o in report.outcomes] == [
        ("stored", ""), ("duplicate", "content"), ("stored", "")]
    assert len(hashed) == 5  # three checks, then the two changed documents again
    assert store.find_duplicate(Document(text="نص لم يخزن", url="https://elsewhere.example/story")) == (
        third.id, "url")
    assert store.find_duplicate(Document(text=first.text.replace("الرئيس", "الرَّئِيسُ"))) == (
        first.id, "content")


def test_spans_with_any_character_are_stored_as_written(archive):
    """Quotes, backslashes, escapes written as text, line breaks, Arabic and characters beyond
    the first plane in a span's text and attributes come back from its ``spans`` row as
    written (`LayerRows`, what the store writes of the layers)."""
    odd = ['"باريس"', "C:\\\\مجلد\\n\\u0041", "سطر\nوسطر\tو\r", "🇸🇦 الرياض", "{\"a\": [1]}"]
    doc = make_docs()[0]
    doc.text += " " + " ".join(odd)
    spans = []
    for i, name in enumerate(odd):
        start = doc.text.rindex(name)
        attrs = {"canonical": odd[-1 - i] + " \\"} if i % 2 else {}
        spans.append(Span(start, start + len(name), "PER", attrs))
        doc.add_span("entities", spans[-1])
    assert archive.add_documents([doc]).stored == 1
    got = archive.collect_article_layers([doc.id])[doc.id]["entities"]
    assert sorted(got) == sorted((None, "PER", s.attrs.get("canonical", doc.text[s.start:s.end])) for s in spans)
    assert archive.get_document(doc.id).layers["entities"] == doc.layers["entities"]
