"""Plain-text articles in the BBC layout (the seed article) and publication dates."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasid.doc import Document, content_id
from rasid.ingest import IngestError, parse_published, read_paths, read_text_article
from rasid.ingest.files import sample_paths

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
TITLE = "هجمات باريس: محاربة تنظيم الدولة في الداخل والخارج"


def test_text_title_images_and_body(seed_text):
    doc = read_text_article(seed_text, origin="paris-2015.txt")
    assert doc.title == TITLE
    assert doc.origin == "paris-2015.txt"
    assert [img["credit"] for img in doc.images] == ["Getty", "AFP", "AFP", "Getty", "AFP"]
    assert doc.images[0]["caption"] == (
        "أحد منفذي هجمات الجمعة الدامية على الأقل كان معروفا لدى أجهزة الأمن الفرنسية"
    )
    assert doc.images[2]["caption"] == "أحد المعروفين لدى الشرطة الفرنسية استهدف مسرح باتكلان للحفلات"
    # credits, captions and the trailer are not text; the title line is, once, at the start
    for marker in ("مصدر الصورة", "Image caption", "Getty", "AFP", "المزيد حول هذه القصة"):
        assert marker not in doc.text
    assert doc.text.startswith(TITLE + '\n\nتحدث الرئيس الفرنسي، فرانسوا هولاند، عن شن "حرب لا رحمة فيها"')
    assert doc.text.count(TITLE) == 1
    assert doc.text.endswith("أكثر قدرة على توفير احتياجات مواطنيها.")


def test_text_keeps_paragraph_breaks(seed_text):
    doc = read_text_article(seed_text, origin="x")
    paragraphs = doc.text.split("\n\n")
    # 79 lines: title, 5 image pairs, the trailer, blank lines, and 31 paragraphs
    # (including the sub-headings "صلات داخل بلجيكا" and "فراغ السلطة في سوريا")
    assert len(paragraphs) == 1 + 31 and paragraphs[0] == TITLE
    assert "صلات داخل بلجيكا" in paragraphs
    assert "فراغ السلطة في سوريا" in paragraphs
    assert all(p == p.strip() and p for p in paragraphs)
    assert "\n\n\n" not in doc.text


def test_text_trailer_and_related_links_dropped():
    text = (
        "عنوان الخبر\n\nالفقرة الأولى من الخبر عن باريس.\n\nالفقرة الثانية.\n\n"
        "المزيد حول هذه القصة\n\nهجمات باريس: ماذا نعرف عن المهاجمين؟\n\nفرنسا تعلن حالة الطوارئ\n"
    )
    doc = read_text_article(text, origin="x")
    assert doc.text == "عنوان الخبر\n\nالفقرة الأولى من الخبر عن باريس.\n\nالفقرة الثانية."


def test_text_crlf_bom_and_caption_without_credit():
    text = "\ufeffعنوان\r\n\r\nImage caption صورة بلا مصدر\r\n\r\nنص الخبر.\r\n"
    doc = read_text_article(text, origin="x")
    assert doc.title == "عنوان"
    assert doc.images == [{"credit": "", "caption": "صورة بلا مصدر"}]
    assert doc.text == "عنوان\n\nنص الخبر."


def test_first_line_is_a_paragraph_of_its_own():
    # a dateline line with the story's first line right under it (no blank line)
    doc = read_text_article("الرياض - واس\nأعلنت الوزارة أمس نتائج القبول.\nوقالت إن العدد زاد.\n")
    assert doc.title == "الرياض - واس"
    assert doc.text == "الرياض - واس\n\nأعلنت الوزارة أمس نتائج القبول.\nوقالت إن العدد زاد."


@pytest.mark.parametrize("text", ["", "\n\n", "\ufeff \n\t\n"])
def test_text_empty_article_raises(text):
    with pytest.raises(IngestError, match="empty article"):
        read_text_article(text, origin="x")


def test_one_line_file_is_a_one_line_article():
    line = "قال مسؤولون إن الهجوم وقع في جدة أمس الخميس."
    doc = read_text_article(f"\ufeff{line}\r\n\r\n", origin="x")
    assert doc.text == line and doc.title == ""


def test_title_line_with_only_images_is_a_one_line_article():
    # a saved page that lost its body: its one line is analysed, its images kept
    doc = read_text_article("عنوان الخبر عن جدة\n\nمصدر الصورة AFP\nImage caption تعليق\n", origin="x")
    assert doc.text == "عنوان الخبر عن جدة" and doc.title == ""
    assert doc.images == [{"credit": "AFP", "caption": "تعليق"}]


def test_id_is_the_content_id_of_the_text_after_the_first_line(seed_text):
    # what the id was when the title was kept out of the text: a file stored before is
    # found again by its id (test_ingest_files: re-ingest stores nothing twice)
    doc = read_text_article(seed_text, origin="x")
    body = doc.text[len(TITLE) + 2:]
    assert doc.id == content_id(body) == Document(text=body, title=TITLE).id
    assert doc.id != content_id(doc.text)
    line = "قال مسؤولون إن الهجوم وقع في جدة أمس الخميس."
    assert read_text_article(line).id == content_id(line)
    # a URL or an id given by the caller decides as for any document
    assert read_text_article(seed_text, url="https://www.bbc.com/arabic/x").id == \
        Document(text="x", url="https://www.bbc.com/arabic/x").id
    assert read_text_article(seed_text, id="given").id == "given"


def test_text_file_through_read_paths(tmp_path, seed_text):
    path = tmp_path / "paris.txt"
    path.write_text(seed_text, encoding="utf-8")
    [doc] = list(read_paths([path]))
    assert doc.title == TITLE and doc.origin == str(path) and len(doc.images) == 5


def test_text_sample_paths_are_shipped():
    paths = sample_paths()
    assert [p.name for p in paths] == ["paris-2015.txt", "saudinewsnet-200.jsonl"]
    assert all(p.exists() for p in paths)
    assert paths[0].read_bytes() == (RESOURCES / "paris-2015.txt").read_bytes()
    items = list(read_paths(paths))
    assert len(items) == 201
    assert all(hasattr(item, "text") for item in items)  # no rejections in the demo
    assert len({item.id for item in items}) == 201
    assert len({item.source for item in items[1:]}) >= 12


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("السبت 14 نوفمبر 2015", "2015-11-14"),
        ("14 نوفمبر/تشرين الثاني 2015", "2015-11-14"),
        ("١٤ تشرين الثاني ٢٠١٥", "2015-11-14"),
        ("الجمعة 13 تشرين الثاني 2015", "2015-11-13"),
        ("2 أيار 2016", "2016-05-02"),
        ("14 نونبر 2015", "2015-11-14"),
        ("الأحد 15 نوفمبر 2015 الساعة 10:30 مساء", "2015-11-15T22:30:00"),
        ("14/11/2015", "2015-11-14"),
        ("2015/11/14", "2015-11-14"),
        ("2015-07-21 02:51:32", "2015-07-21T02:51:32"),
        ("2015-07-21", "2015-07-21"),
        ("2015-11-14T10:00:00+01:00", "2015-11-14T09:00:00Z"),
        ("Sat, 14 Nov 2015 10:00:00 +0100", "2015-11-14T09:00:00Z"),
        ("14 Nov 2015", "2015-11-14"),
        (1447495200, "2015-11-14T10:00:00Z"),
        ("أمس", None),
        ("30 فبراير 2015", None),
        ("", None),
    ],
)
def test_parse_published(raw, expected):
    assert parse_published(raw) == expected
