"""`Store.replace_document`: a fuller version of a stored article replaces it under the same
id, on every engine (tests/contract/conftest.py). The article is a real SaudiNewsNet record
(tests/resources/README-search.md): its first two paragraphs stand for the feed snippet."""
from __future__ import annotations

import pytest

from rasid.doc import Document, Span
from rasid.entities.archive import resolve_article_entities
from rasid.store import SearchQuery

from contract_data import make_docs


def add_name(doc: Document, name: str, label: str = "PER") -> None:
    start = doc.text.index(name)
    doc.add_span("entities", Span(start, start + len(name), label, {}))


def make_versions() -> tuple[Document, Document, Document]:
    """The snippet (first two paragraphs), its full text (same URL) and another article."""
    full, other = make_docs()[:2]
    snippet_text = "\n\n".join(full.text.split("\n\n")[:2])
    snippet = Document(text=snippet_text, url=full.url, title=full.title, source=full.source,
                       published=full.published)
    add_name(snippet, "إردوغان")
    add_name(full, "إردوغان")
    add_name(full, "أحمد داود أوغلو")  # only in the full text
    return snippet, full, other


def ids_of(archive, text: str) -> list[str]:
    return [h.id for h in archive.search(SearchQuery(text, limit=20))]


def test_replace_keeps_id_and_alerts_and_rewrites_what_the_text_derived(archive):
    snippet, full, other = make_versions()
    assert "تعزيزات" in full.text and "تعزيزات" not in snippet.text
    archive.add_documents([snippet, other])
    resolve_article_entities(archive, snippet)
    erdogan = snippet.layers["entities"][0].attrs["entity_id"]
    snippet_mentions = archive.count_article_mentions(snippet.id)
    assert archive.count_entity_mentions([erdogan]) == {erdogan: snippet_mentions[erdogan]}
    archive.add_signature(snippet.id, bytes(512), [(0, 7), (1, 8)])
    archive.add_near_duplicate(snippet.id, other.id, 0.9)
    story = archive.create_story("إردوغان", "2015-07-01T10:00:00Z", {"اردوغان": 1.0},
                                 ["اردوغان"], [])
    archive.add_story_article(story, snippet.id, "2015-07-01T10:00:00Z", 1.0)
    watch = archive.add_watch("إردوغان", None, "إردوغان", None, None, None, None)
    alert = archive.add_alert(watch, snippet.id, "match", "2015-07-01T10:00:00Z", {"matches": []})
    assert archive.add_watch_match(watch, snippet.id, "2015-07-01T10:00:00Z", {})
    mark = archive.latest_article_seq()
    archive.set_alert_mark(mark)
    before = archive.list_articles_after(0)
    assert ids_of(archive, "تعزيزات") == []

    full.id = snippet.id
    outcome = archive.replace_document(full)

    assert (outcome.outcome, outcome.id) == ("updated", snippet.id)
    assert archive.count_documents() == 2
    stored = archive.get_document(snippet.id)
    assert stored.text == full.text
    spans = [(s.start, s.end, s.label) for s in stored.layers["entities"]]
    assert spans == [(s.start, s.end, s.label) for s in full.layers["entities"]]
    assert ids_of(archive, "تعزيزات") == [snippet.id]  # the new part is searchable
    assert ids_of(archive, "إردوغان") == [snippet.id]  # once, not twice
    # mentions are rewritten by entity resolution; the old ones left their entity's count
    assert archive.count_article_mentions(snippet.id) == {}
    assert archive.count_entity_mentions([erdogan]) == {erdogan: 0}
    resolve_article_entities(archive, full)
    full_mentions = archive.count_article_mentions(snippet.id)
    assert sum(full_mentions.values()) > sum(snippet_mentions.values())
    assert archive.count_entity_mentions([erdogan]) == {erdogan: full_mentions[erdogan]}
    # the near-duplicate signature and link go (the step recomputes them); story, alert stay
    assert archive.get_signatures([snippet.id]) == {} and archive.get_near_duplicate(snippet.id) is None
    assert archive.get_story_id(snippet.id) == story
    assert [a["id"] for a in archive.list_alerts()] == [alert]
    assert [m["article_id"] for m in archive.list_watch_matches(watch, "2015-07-01T00:00:00Z",
                                                                "2015-07-02T00:00:00Z")] == [snippet.id]
    # a new sequence number past the alert mark, the first-seen time kept
    after = archive.list_articles_after(mark)
    assert [a["id"] for a in after] == [snippet.id]
    assert after[0]["ingested_at"] == next(a for a in before if a["id"] == snippet.id)["ingested_at"]
    assert archive.find_duplicate(Document(text="نص آخر", url=full.url)) == (snippet.id, "url")


def test_replace_refuses_another_articles_text_and_unknown_ids(archive):
    snippet, full, other = make_versions()
    archive.add_documents([snippet, other])
    copy = Document(text=other.text, url=snippet.url)
    copy.id = snippet.id
    outcome = archive.replace_document(copy)
    assert (outcome.outcome, outcome.reason, outcome.duplicate_of) == ("duplicate", "content", other.id)
    assert archive.get_document(snippet.id).text == snippet.text
    assert ids_of(archive, "إردوغان") == [snippet.id]
    stray = Document(text=full.text, url="http://example.com/elsewhere")
    with pytest.raises(KeyError):
        archive.replace_document(stray)
    assert archive.count_documents() == 2
