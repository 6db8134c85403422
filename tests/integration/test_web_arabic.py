"""The web UI speaks Arabic all the way: search, access and validation errors, 404s, counted
nouns, dates and the favicon; the API's JSON errors carry a stable code and `message_ar`."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from rasid.monitor import Monitor
from rasid.server import Settings, create_app

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
TOKEN = "arabic-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LATIN_WORDS = re.compile(r"\b[A-Za-z]{3,}\b")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("arabic") / "archive.db")
    with Monitor(db) as monitor:
        monitor.ingest([str(RESOURCES / "paris-2015.txt")])
    app = create_app(db, Settings(token=TOKEN))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.rasid.monitor.close()


def shown_message(html: str) -> str:
    """The text of the page's error message (search error or error page)."""
    m = re.search(r'<p class="(?:error )?message"[^>]*>(.*?)</p>', html, flags=re.DOTALL)
    assert m, html[-2000:]
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


def test_a_query_of_only_excluded_words_is_explained_in_arabic(client):
    page = client.get("/", params={"q": "-باريس -هجوم"})
    assert page.status_code == 400
    message = shown_message(page.text)
    assert "مستبعدة" in message and not LATIN_WORDS.search(message), message
    api = client.get("/api/v1/search", params={"q": "-باريس"})
    assert api.status_code == 400
    body = api.json()
    assert body["code"] == "query_only_excluded"
    assert "only excluded" in body["error"]  # English for scripts and logs
    assert body["message_ar"] == message


@pytest.mark.parametrize("params, code, words", [
    ({"q": "؟!"}, "query_no_words", "علامات ترقيم"),
    ({"q": "باريس", "since": "2015-13-45"}, "date_invalid", "2015-13-45"),
])
def test_other_search_errors_have_a_code_and_an_arabic_message(client, params, code, words):
    page = client.get("/", params=params)
    assert page.status_code == 400
    message = shown_message(page.text)
    assert words in message and "could not" not in message, message
    api = client.get("/api/v1/search", params=params).json()
    assert api["code"] == code and words in api["message_ar"], api


def test_access_errors_are_arabic_on_pages_and_in_json(client, tmp_path):
    missing = client.post("/api/v1/watches", json={"query": "باريس"})
    assert missing.status_code == 401
    assert missing.json()["code"] == "token_missing" and "رمز الوصول" in missing.json()["message_ar"]
    wrong = client.post("/api/v1/watches", json={"query": "باريس"},
                        headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "token_invalid"
    closed = create_app(client.app.state.rasid.monitor, Settings(token=TOKEN, read_open=False))
    with TestClient(closed, raise_server_exceptions=False) as c:
        page = c.get("/stories")
        assert page.status_code == 401
        message = shown_message(page.text)
        assert "مغلق للقراءة" in message and not LATIN_WORDS.search(message)
        assert c.get("/api/v1/stats").json()["code"] == "read_closed"


def test_not_found_and_bad_values_show_arabic_pages(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404
    message = shown_message(page.text)
    assert "غير موجود" in message and "nothing" not in page.text
    bad = client.get("/stories", params={"offset": "-3"})
    assert bad.status_code == 422
    message = shown_message(bad.text)
    assert message.startswith("قيمة غير صالحة") and "offset" in message, message
    watch = client.post("/api/v1/watches", json={"place": "أتلانتس"}, headers=AUTH)
    assert watch.status_code == 400 and watch.json()["code"] == "watch_place_unknown"
    assert "أتلانتس" in watch.json()["message_ar"]


def test_counts_agree_with_their_nouns_and_dates_use_arabic_months(client):
    home = client.get("/").text
    assert "مقالة واحدة في الأرشيف" in home  # not "1 مقالة"
    status = client.post("/api/v1/articles", headers=AUTH, json={
        "title": "أولاند يزور بروكسل", "source": "test", "published": "2015-11-17T09:30:00",
        "text": "زار الرئيس الفرنسي فرانسوا أولاند العاصمة البلجيكية بروكسل يوم الاثنين بعد هجمات باريس."})
    assert status.status_code == 201, status.text
    article = client.get(f"/article/{status.json()['ids'][0]}").text
    assert "17 نوفمبر 2015، 09:30" in article
    assert "مقالتان في الأرشيف" in client.get("/").text
    results = client.get("/", params={"q": "أولاند"}).text
    assert re.search(r"(نتيجة واحدة|نتيجتان)", results), results[-3000:]


def test_a_favicon_is_linked_from_every_page_and_served(client):
    for url in ("/", "/stories", "/places", "/watches", "/alerts", "/no/such/page"):
        assert 'rel="icon" href="/static/favicon.svg"' in client.get(url).text, url
    for url in ("/favicon.ico", "/static/favicon.svg"):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
        assert r.text.lstrip().startswith("<svg")


def test_an_english_message_quoting_arabic_is_not_taken_for_arabic(client):
    """A watch error names the input (Arabic) inside an English sentence: message_ar is the
    code's Arabic message, never that mixed sentence."""
    r = client.post("/api/v1/watches", json={"entity": "؟؟"}, headers=AUTH)
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "watch_entity" and "needs a name" in body["error"]
    assert not LATIN_WORDS.search(body["message_ar"].replace("Hollande", "")), body


def test_pages_use_no_inline_styles_and_the_trend_is_drawn(client):
    """The pages' Content-Security-Policy (style-src 'self') drops inline style attributes,
    so nothing may depend on them: the search trend is an SVG with its heights as attributes."""
    client.post("/api/v1/articles", headers=AUTH, json={
        "title": "هجمات باريس بعد عام", "source": "test", "published": "2016-11-13",
        "text": "أحيت فرنسا ذكرى هجمات باريس في مسرح باتكلان بحضور الرئيس فرانسوا هولاند."})
    search = client.get("/", params={"q": "هجمات باريس"})
    assert "style-src 'self'" in search.headers["content-security-policy"]
    for page in (search, client.get("/"), client.get("/watches"), client.get("/stories")):
        assert 'style="' not in page.text
    heights = [float(h) for h in re.findall(r'<rect class="bar[^"]*"[^>]* height="([\d.]+)"', search.text)]
    assert heights and max(heights) == 80, heights  # the busiest day fills the chart


def test_a_text_article_shows_its_title_line_once_marked_and_not_in_snippets(client):
    # a plain-text article's text begins with its title line (docs/pipeline.md): the page
    # prints that line, with its place marked, as the heading, and the body after it
    title = (RESOURCES / "paris-2015.txt").read_text("utf-8").partition("\n")[0]
    hits = client.get("/api/v1/search", params={"q": "محاربة"}).json()["hits"]
    [hit] = [h for h in hits if h["title"] == title]
    assert hit["matches"] == [[title.index("محاربة"), title.index("محاربة") + len("محاربة")]]
    assert "محاربة" not in hit["snippet"]  # the word is only in the title line, shown apart
    page = client.get(f"/article/{hit['id']}").text
    h1 = re.search(r"<h1>(.*?)</h1>", page, flags=re.DOTALL).group(1)
    assert re.sub(r"<[^>]+>", "", h1) == title
    assert re.search(r'<a class="ent ent-LOC"[^>]*>باريس</a>', h1)
    body = re.search(r'<div class="body" id="article-body">(.*?)</div>', page, flags=re.DOTALL).group(1)
    assert "والخارج" not in body and body.startswith("تحدث الرئيس الفرنسي")
