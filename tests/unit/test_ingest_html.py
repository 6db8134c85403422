"""HTML pages built from the seed article: main text, metadata, encodings, no-article pages."""
from __future__ import annotations

import pytest

from rasid.ingest import Rejection, read_html, read_paths
from rasid.ingest.html import extract_fragment_text
from rasid.ingest.text import split_text_article

URL = "https://www.bbc.com/arabic/middleeast/2015/11/151116_paris_attacks_analysis"


@pytest.fixture(scope="module")
def article(seed_text):
    title, paragraphs, _ = split_text_article(seed_text)
    return title, paragraphs[:8]


def build_page(title: str, paragraphs: list[str], head: str = "", charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>{meta}<title>{title} - BBC News عربي</title>{head}</head>
<body>
<nav><ul><li><a href="/arabic">الرئيسية</a></li><li><a href="/arabic/world">العالم</a></li>
<li><a href="/arabic/sports">رياضة</a></li></ul></nav>
<div class="ad">إعلان: اشترك في النشرة البريدية</div>
<article><h1>{title}</h1>
{body}
</article>
<aside><h2>الأكثر قراءة</h2><ul><li><a href="/a">خبر آخر</a></li></ul></aside>
<footer><p>حقوق النشر محفوظة لبي بي سي 2015</p></footer>
</body></html>"""


HEAD = ('<meta name="author" content="فرانك غاردنر">'
        '<meta property="article:published_time" content="2015-11-16T10:00:00+00:00">'
        '<meta name="description" content="هل كان بالإمكان منع هجمات باريس؟">')


def test_html_main_text_and_metadata(article):
    title, paragraphs = article
    doc = read_html(build_page(title, paragraphs, HEAD), url=URL)
    assert not isinstance(doc, Rejection)
    assert doc.title == title
    assert doc.text == "\n\n".join(paragraphs)  # no navigation, ad, sidebar or footer
    assert "الأكثر قراءة" not in doc.text and "إعلان" not in doc.text
    assert doc.author == "فرانك غاردنر"
    assert doc.published == "2015-11-16"
    assert doc.summary == "هل كان بالإمكان منع هجمات باريس؟"
    assert doc.url == URL and doc.origin == URL


def test_html_without_date_has_none(article):
    title, paragraphs = article
    doc = read_html(build_page(title, paragraphs), url="https://example.org/news/1", origin="page.html")
    assert doc.published is None  # the footer's "2015" is not a publication date
    assert doc.origin == "page.html"


@pytest.mark.parametrize("encoding, charset", [
    ("cp1256", "windows-1256"),
    ("cp1256", None),
    ("iso-8859-6", "iso-8859-6"),
    ("iso-8859-6", None),
])
def test_html_legacy_encodings(article, encoding, charset):
    title, paragraphs = article
    page = build_page(title, paragraphs, charset=charset).encode(encoding)
    doc = read_html(page, url=URL)
    assert not isinstance(doc, Rejection), doc
    assert doc.title == title
    assert doc.text == "\n\n".join(paragraphs)


@pytest.mark.parametrize("page", [
    "<html><head><title>الرئيسية</title></head><body><nav><ul><li><a href='/'>الرئيسية</a></li>"
    "<li><a href='/w'>العالم</a></li></ul></nav><footer><p>حقوق النشر محفوظة</p></footer></body></html>",
    "<html><head><title>غير موجود</title></head><body><h1>404</h1><p>الصفحة غير موجودة</p></body></html>",
    "<html><head></head><body></body></html>",
    "",
], ids=["navigation-only", "error-page", "empty-body", "empty"])
def test_html_without_article_is_rejected(page):
    result = read_html(page, url="https://example.org/missing", origin="missing.html")
    assert isinstance(result, Rejection)
    assert result.origin == "missing.html"
    assert "no article" in result.reason or "empty" in result.reason


def test_html_files_in_batch(tmp_path, article):
    title, paragraphs = article
    (tmp_path / "a.html").write_text(build_page(title, paragraphs, HEAD), encoding="utf-8")
    (tmp_path / "b.htm").write_bytes(build_page(title, paragraphs[:3], charset=None).encode("cp1256"))
    (tmp_path / "empty.html").write_text("<html><body><nav>الرئيسية</nav></body></html>", encoding="utf-8")
    items = list(read_paths([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Document", "Document", "Rejection"]
    assert items[1].text == "\n\n".join(paragraphs[:3])
    assert items[2].origin == str(tmp_path / "empty.html")


def test_fragment_text_paragraphs():
    fragment = ('<p>تحدث الرئيس الفرنسي <b>فرانسوا هولاند</b> عن &quot;حرب&quot;.</p>'
                '<script>var x = 1;</script><p>الفقرة الثانية<br>سطر جديد</p>')
    assert extract_fragment_text(fragment) == (
        'تحدث الرئيس الفرنسي فرانسوا هولاند عن "حرب".\n\nالفقرة الثانية\n\nسطر جديد'
    )
