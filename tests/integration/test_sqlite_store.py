"""The SQLite archive on real SaudiNewsNet articles (tests/resources/README-search.md)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from rasid.doc import Document, Span
from rasid.entities.archive import resolve_article_entities
from rasid.search.analyzer import get_analyzer
from rasid.search.query import QueryError
from rasid.store import SearchQuery, default_db_path, open_store
from rasid.store.sqlite import load_migrations, SqliteStore, migrate

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
RECORDS = [json.loads(line) for line in
           (RESOURCES / "saudinewsnet-search.jsonl").read_text(encoding="utf-8").splitlines()]


def make_docs() -> list[Document]:
    """The 20 records; `published` is spread over July 2015 (day i+1) for the date tests."""
    return [Document(text=r["content"], title=r["title"], url=r["url"], source=r["source"],
                     author=r["author"], published=f"2015-07-{i + 1:02d}T10:00:00")
            for i, r in enumerate(RECORDS)]


@pytest.fixture(params=["file", "memory"])
def store(request, tmp_path):
    path = tmp_path / "archive" / "rasid.db" if request.param == "file" else ":memory:"
    s = SqliteStore(path)
    yield s
    s.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    s = SqliteStore(tmp_path_factory.mktemp("search") / "rasid.db")
    s.add_documents(make_docs(), batch_size=7)
    yield s
    s.close()


def search(store, text, **kw):
    return store.search(SearchQuery(text, **kw))


# -- archive --------------------------------------------------------------------------------

def test_ingest_then_reingest_adds_nothing(store):
    report = store.add_documents(make_docs(), batch_size=6)
    assert (report.stored, report.duplicate, report.failed, report.batches) == (20, 0, 0, 4)
    again = store.add_documents(make_docs())
    assert (again.stored, again.duplicate) == (0, 20)
    assert {o.reason for o in again.outcomes} == {"url"}
    assert store.count_documents() == 20


def test_duplicate_by_url_and_by_content(store):
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


def test_interrupted_ingest_keeps_committed_batches_and_resumes(tmp_path):
    path = tmp_path / "rasid.db"
    docs = make_docs()

    def feed():
        for i, doc in enumerate(docs):
            if i == 12:
                raise RuntimeError("feed broke")
            yield doc

    s = SqliteStore(path)
    with pytest.raises(RuntimeError):
        s.add_documents(feed(), batch_size=5)
    assert s.last_report.stored == 10  # two committed batches; the third was rolled back
    s.close()
    with SqliteStore(path) as s:  # a new run
        assert s.count_documents() == 10
        report = s.add_documents(docs, batch_size=5)
        assert (report.stored, report.duplicate) == (10, 10)
        assert s.count_documents() == 20
        assert len(search(s, "إردوغان")) >= 2


def test_bad_document_fails_alone(store):
    bad = Document(text="نص", url="http://x.example/bad")
    bad.text = None  # type: ignore[assignment]
    report = store.add_documents([bad, make_docs()[0]])
    assert [o.outcome for o in report.outcomes] == ["failed", "stored"]
    assert "TypeError" in report.outcomes[0].reason


def test_get_document_round_trip_with_layers_and_spans(store):
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
    attrs = back.layers["entities"][0].attrs
    assert attrs["canonical"] == "رجب طيب أردوغان" and attrs["entity_id"] >= 1
    assert back.layers["entities"][0].text_of(back.text) == "إردوغان"
    rows = store.con.execute('SELECT layer, start, "end", label, text, attrs FROM spans').fetchall()
    assert [r[:5] for r in rows] == [("entities", start, start + 7, "PER", "إردوغان")]
    assert json.loads(rows[0][5])["entity_id"] == attrs["entity_id"]
    mention = store.con.execute('SELECT article_id, start, "end", text FROM mentions').fetchall()
    assert mention == [(doc.id, start, start + 7, "إردوغان")]
    assert store.get_document("nope") is None
    stats = store.stats()
    assert stats["articles"] == 1 and stats["entities"] == {"PER": 1}
    assert stats["published"]["min"] == doc.published
    assert [d.id for d in store.iter_documents(batch_size=1)] == [doc.id]


def test_state_get_set(tmp_path):
    path = tmp_path / "rasid.db"
    with SqliteStore(path) as s:
        assert s.get_state("feed:aawsat") is None
        assert s.get_state("feed:aawsat", {}) == {}
        s.set_state("feed:aawsat", {"etag": "W/1", "seen": ["أ", 2]})
        s.set_state("feed:aawsat", {"etag": "W/2", "seen": ["أ", 2]})
    with SqliteStore(path) as s:
        assert s.get_state("feed:aawsat") == {"etag": "W/2", "seen": ["أ", 2]}
        s.set_state("feed:aawsat", None)
        assert s.get_state("feed:aawsat") is None


def test_migrates_an_old_version_database(tmp_path):
    path = tmp_path / "old.db"
    con = sqlite3.connect(path, isolation_level=None)
    assert migrate(con, target=1) == [1]
    doc = make_docs()[0]
    layers = {"entities": [{"start": 0, "end": 2, "label": "ORG", "text": doc.text[:2]}],
              "sentences": [{"start": 0, "end": 5, "label": ""}]}
    con.execute("INSERT INTO articles (id, url, canonical_url, content_hash, title, text, source, "
                "published, layers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc.id, doc.url, "x", doc.content_hash, doc.title, doc.text, doc.source,
                 doc.published, json.dumps(layers, ensure_ascii=False)))
    con.close()
    with SqliteStore(path) as s:
        assert s.schema_version == load_migrations()[-1][0]
        versions = s.con.execute("SELECT version, name FROM schema_version ORDER BY 1").fetchall()
        assert versions[:3] == [(1, "init"), (2, "spans_search"), (3, "entities")]
        assert s.con.execute("SELECT layer, label FROM spans").fetchall() == [("entities", "ORG")]
        assert [h.id for h in search(s, "داعش")] == [doc.id]  # indexed on open


def test_default_db_path_and_open_store(monkeypatch, tmp_path):
    monkeypatch.setenv("RASID_DB", str(tmp_path / "env.db"))
    assert default_db_path() == tmp_path / "env.db"
    monkeypatch.delenv("RASID_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "rasid" / "rasid.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_db_path() == tmp_path / "home" / ".local" / "share" / "rasid" / "rasid.db"
    with open_store(None) as s:  # creates the folder
        assert Path(s.path) == default_db_path()
    with open_store("sqlite:///:memory:") as s:
        assert s.count_documents() == 0
    with open_store(f"sqlite:///{tmp_path}/u.db") as s:
        assert s.path == f"{tmp_path}/u.db"


# -- search ---------------------------------------------------------------------------------

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
    with SqliteStore(":memory:") as s:
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
    assert not search(archive, '"الأمن مجلس"')


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
