"""A plain-text article's first line is analysed too (issue 14 item 3): its title is the
first line of `Document.text`, so names, places and dates of a headline are found, with
offsets into the text as read; nothing is counted twice, and an archive that stored the
file before keeps it.

Articles: the bundled seed (BBC Arabic) and SaudiNewsNet records of the bundled sample
(Mazen Abdulaziz, CC BY-NC-SA 4.0; src/rasid/sample/README.md), saved as text files.
"""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from rasid.doc import Document
from rasid.ingest.text import read_text_article

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "rasid" / "sample" / "saudinewsnet-200.jsonl"


def snn_record(title_part: str) -> dict:
    for line in SAMPLE.read_text("utf-8").splitlines():
        record = json.loads(line)
        if title_part in record["title"]:
            return record
    raise LookupError(title_part)


def analyze(tmp_path: Path, text: str, published: str) -> dict:
    """What `rasid analyze FILE --published DATE --json` prints (the held-back gold's path)."""
    from rasid.cli.main import main

    path = tmp_path / "article.txt"
    path.write_text(text, "utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["analyze", str(path), "--json", "--no-sentences", "--published", published]) == 0
    return json.loads(out.getvalue())


def spans_in_title(doc: dict, layer: str) -> list[tuple[str, int, dict]]:
    head = len(doc["title"])
    assert doc["text"].startswith(doc["title"] + "\n\n")
    return [(s["text"], s["start"], s) for s in doc["layers"].get(layer, []) if s["start"] < head]


def test_a_place_of_the_headline_is_found_with_its_offset_in_the_text(tmp_path):
    record = snn_record("أزمة المهاجرين في كاليه")
    doc = analyze(tmp_path, f"{record['title']}\n\n{record['content']}\n", "2015-08-03")
    places = spans_in_title(doc, "places")
    assert [(t, s["name_en"]) for t, _, s in places] == [
        ("فرنسا", "France"), ("بريطانيا", "United Kingdom"), ("كاليه", "Calais")]
    start = record["title"].index("كاليه")
    assert [(p[1], p[2]["end"]) for p in places if p[0] == "كاليه"] == [(start, start + len("كاليه"))]
    assert doc["text"][start:start + len("كاليه")] == "كاليه"
    # one span per mention: the title line's names are not added a second time
    offsets = [(s["start"], s["end"]) for s in doc["layers"]["places"]]
    assert len(offsets) == len(set(offsets))
    # and they vote as the same title kept apart from the body does (twice each, not more)
    from rasid.monitor import Monitor

    with Monitor(":memory:") as monitor:
        apart = monitor.analyze(Document(text=record["content"], title=record["title"], published="2015-08-03"))
    assert doc["meta"]["place_votes"] == apart.meta["place_votes"]
    assert doc["meta"]["focus_country"] == apart.meta["focus_country"]


def test_a_date_of_the_headline_is_found_with_its_value(tmp_path):
    record = snn_record("تؤجل مغادرة «زينب» إلى الثلاثاء المقبل")
    doc = analyze(tmp_path, f"{record['title']}\n\n{record['content']}\n", "2015-07-31")
    [(text, start, span)] = spans_in_title(doc, "dates")
    assert text == "الثلاثاء المقبل" and span["value"] == "2015-08-04"  # the Friday's next Tuesday
    assert start == record["title"].index(text)


def test_the_seed_title_place_and_the_summary(seed_text):
    from rasid.monitor import Monitor

    title = seed_text.partition("\n")[0]
    with Monitor(":memory:") as monitor:
        new = monitor.analyze(read_text_article(seed_text, published="2015-11-16"))
        # the body alone, as the reader gave it before the title joined the text
        old = monitor.analyze(Document(text=new.text[len(title) + 2:], title=title, published="2015-11-16"))
    assert new.title_end == len(title)
    places = [(new.text[s.start:s.end], s.start, s.attrs["name_en"]) for s in new.layers["places"]
              if s.start < new.title_end]
    assert places == [("باريس", title.index("باريس"), "Paris")]
    # the summary never repeats the title line; it is the one the body alone gets
    summary = [new.text[s.start:s.end] for s in new.layers["summary"]]
    assert len(summary) == 3 and all(s.start > new.title_end for s in new.layers["summary"])
    assert summary == [old.text[s.start:s.end] for s in old.layers["summary"]]


def test_a_file_stored_before_is_a_duplicate_and_is_kept(tmp_path, seed_text):
    from rasid.monitor import Monitor

    title = seed_text.partition("\n")[0]
    path = tmp_path / "paris.txt"
    path.write_text(seed_text, "utf-8")
    read = read_text_article(seed_text)
    # what the reader gave before the title joined the text: the body alone, its id
    before = Document(text=read.text[len(title) + 2:], title=title, images=read.images)
    assert before.id == read.id
    with Monitor(str(tmp_path / "a.db")) as monitor:
        assert monitor.ingest_documents([before]).stored == 1
        again = monitor.ingest([str(path)])
        assert (again.stored, again.duplicates) == (0, 1)
        kept = monitor.get_document(before.id)
        assert (kept.text, kept.title) == (before.text, title) and kept.layers["places"]
        assert monitor.stats()["articles"] == 1
    with Monitor(str(tmp_path / "b.db")) as monitor:
        assert monitor.ingest([str(path)]).stored == 1
        again = monitor.ingest([str(path)])
        assert (again.stored, again.duplicates) == (0, 1)
        assert monitor.get_document(read.id).text == read.text


def test_a_title_apart_from_the_text_is_still_voted_not_spanned():
    # JSON Lines, HTML, feeds: the publisher's body is the text; the title is not in it
    from rasid.stages import build_pipeline

    record = snn_record("أزمة المهاجرين في كاليه")
    doc = build_pipeline(("tokenize", "ner", "places"))(
        Document(text=record["content"], title=record["title"]))
    assert doc.title_end == 0
    # the title's small town is taken in the body, the title votes for France
    assert {doc.text[s.start:s.end] for s in doc.layers["places"] if s.attrs["name_en"] == "Calais"} == {"كاليه"}
    assert doc.meta["focus_country"] == "FR"


@pytest.mark.parametrize("title,text,end", [
    ("عنوان", "عنوان\n\nنص", 5),
    ("عنوان", "عنوان", 5),
    ("عنوان", "عنوانه نص", 0),  # a longer first word is not the title line
    ("عنوان", "نص\n\nعنوان", 0),
    ("", "نص", 0),
])
def test_title_end(title, text, end):
    assert Document(text=text, title=title).title_end == end


def test_the_article_page_prints_the_title_once(seed_text):
    from rasid.monitor import Monitor
    from rasid.web.render import render_article

    with Monitor(":memory:") as monitor:
        doc = monitor.analyze(read_text_article(seed_text, published="2015-11-16"))
    heading, body = render_article(doc)
    assert "باريس</a>" in heading and heading.startswith("هجمات ")
    assert body.startswith("تحدث الرئيس الفرنسي،") and "والخارج" not in body
    apart = Document(text=doc.text[doc.title_end + 2:], title=doc.title)
    assert render_article(apart)[0] is None


def test_a_search_snippet_starts_after_the_title_line():
    from rasid.search.snippets import make_snippet

    text = "هجوم في جدة\n\nقالت الشرطة إن الهجوم وقع أمس في حي الصفا."
    at = text.index("الهجوم")
    title_only = make_snippet(text, [(0, 4)], skip=len("هجوم في جدة"))
    assert title_only.text == text[13:] and title_only.marked == []
    both = make_snippet(text, [(0, 4), (at, at + 6)], skip=len("هجوم في جدة"))
    assert both.text == "قالت الشرطة إن [الهجوم] وقع أمس في حي الصفا."
    assert both.matches == [(0, 4), (at, at + 6)]  # offsets into the text, for highlighting
    assert make_snippet(text, [(0, 4)]).text.startswith("[هجوم] في جدة")


def test_a_story_vector_is_the_one_of_the_title_apart(seed_text):
    # the title counts title_weight times and the lead is the text after the title line, as
    # when the title was kept apart: stories of text files stored before and after agree
    from rasid.stages import build_pipeline
    from rasid.stories.tracker import compute_doc_vector

    tokenize = build_pipeline(("tokenize",))
    new = tokenize(read_text_article(seed_text))
    title = new.title
    apart = tokenize(Document(text=new.text[len(title) + 2:], title=title))
    assert compute_doc_vector(new) == pytest.approx(compute_doc_vector(apart))
    assert set(compute_doc_vector(new)) == set(compute_doc_vector(apart))


def test_the_eval_moves_spans_back_to_the_context_for_every_file_shape():
    from rasid.doc import Span
    from rasid.eval._article_file import file_text, to_context

    context = "جدة - واس\n  أعلنت الأمانة أمس افتتاح الحديقة في جدة."
    at = context.rindex("جدة")

    def moved(doc_text, start):
        return [(s.start, s.end) for s in to_context([Span(start, start + 3, "PLACE")], doc_text, context)]

    titled = read_text_article(file_text(context)).text  # خبر, a blank line, the lines stripped
    assert moved(titled, titled.rindex("جدة")) == [(at, at + 3)]
    assert moved(titled, titled.index("جدة")) == [(0, 3)]
    assert moved(titled, 0) == []  # a span in the added title line is left out
    bare = read_text_article(file_text(context, "bare")).text
    assert bare.startswith("جدة - واس\n\n") and moved(bare, 0) == [(0, 3)]
    # a reader that dropped the first line: the rest still lines up
    assert moved("أعلنت الأمانة أمس افتتاح الحديقة في جدة.", 36) == [(at, at + 3)]
    assert moved("نص آخر تماما", 0) == []
