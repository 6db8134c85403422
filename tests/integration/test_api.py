"""REST API and web pages in-process (FastAPI TestClient over a real SQLite archive)."""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from rasid.doc import MAX_ARTICLE_CHARS
from rasid.server import Settings, create_app
from rasid.monitor import Monitor

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
XSS_TITLE = 'عنوان <script>window.__pwned=1</script>'
XSS_TEXT = ('قال الرئيس الفرنسي فرانسوا هولاند في باريس <script>window.__pwned=1</script> '
            'إن <img src=x onerror="window.__pwned=2"> الهجوم لن يمر. <b>نص</b> & "اقتباس"')


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("api") / "archive.db")
    with Monitor(db) as monitor:
        summary = monitor.ingest([str(RESOURCES / "paris-2015.txt"),
                                  str(RESOURCES / "saudinewsnet-sample.jsonl")])
    assert summary.stored >= 15, summary.to_dict()
    return db


@pytest.fixture(scope="module")
def client(archive) -> TestClient:
    app = create_app(archive, Settings(token=TOKEN))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.rasid.monitor.close()


def an_article_id(client) -> str:
    return client.get("/api/v1/search", params={"q": "مصطفاى محاربة"}).json()["hits"][0]["id"]


# -- reading ----------------------------------------------------------------------------------
def test_health_and_stats_hide_the_path(client):
    assert client.get("/api/v1/health").json() == {"status": "ok"}
    stats = client.get("/api/v1/stats").json()
    assert stats["articles"] >= 15 and "path" not in stats


def test_articles_list_pages_and_get_with_layers(client):
    first = client.get("/api/v1/articles", params={"limit": 5}).json()
    assert first["total"] >= 15 and len(first["articles"]) == 5
    second = client.get("/api/v1/articles", params={"limit": 5, "offset": 5}).json()
    assert {a["id"] for a in first["articles"]}.isdisjoint(a["id"] for a in second["articles"])
    doc = client.get(f"/api/v1/articles/{an_article_id(client)}").json()
    assert doc["text"] and "entities" in doc["layers"] and "sentences" not in doc["layers"]
    ent = doc["layers"]["entities"][0]
    assert doc["text"][ent["start"]:ent["end"]] == ent["text"]
    assert client.get("/api/v1/articles/nope").status_code == 404
    assert client.get("/api/v1/articles", params={"source": "aawsat"}).json()["total"] >= 1


def test_search_hits_facets_and_filters(client):
    out = client.get("/api/v1/search", params={"q": "هجوم", "facets": 1}).json()
    assert out["hits"] and out["total"] >= len(out["hits"])
    assert out["hits"][0]["matches"]
    assert {"source", "date", "entity_type", "entity", "place", "country"} <= set(out["facets"])
    exact = sum(f["count"] for f in out["facets"]["source"])
    assert out["total"] == len(out["hits"])  # all on one page, so the counts can be checked
    assert exact == sum(1 for h in out["hits"] if h["source"])  # each match once, by source
    ent = out["facets"]["entity"][0]
    narrowed = client.get("/api/v1/search", params={"q": "هجوم", "entity": ent["value"]}).json()
    assert 1 <= narrowed["total"] <= out["total"]
    per = client.get("/api/v1/search", params={"q": "هجوم", "entity_type": "PER"}).json()
    assert per["total"] <= out["total"]


def test_search_by_entity_spelling_trend_and_similar(client):
    hollande = client.get("/api/v1/entities/lookup", params={"name": "Hollande"}).json()["entities"][0]
    by_id = client.get("/api/v1/search", params={"q": f"entity:{hollande['id']}", "limit": 50}).json()
    assert by_id["hits"]
    latin = client.get("/api/v1/search", params={"q": "Hollande", "limit": 50}).json()
    assert latin["expansions"] and latin["expansions"][0]["entity_id"] == hollande["id"]
    assert {h["id"] for h in latin["hits"]} & {h["id"] for h in by_id["hits"]}
    other = client.get("/api/v1/search", params={"q": "أولاند", "limit": 50}).json()
    assert "هولاند" in other["expansions"][0]["spellings"] and other["hits"]
    out = client.get("/api/v1/search", params={"q": "هجوم", "trend": 1, "limit": 100}).json()
    assert out["trend"]["total"] == sum(1 for h in out["hits"] if h["published"])  # dated ones
    trend = client.get("/api/v1/search/trend", params={"q": "هجوم", "unit": "day"}).json()
    assert trend["unit"] == "day" and sum(p["count"] for p in trend["series"]) == trend["total"]
    assert client.get("/api/v1/search/trend", params={"q": "-هجوم"}).status_code == 400
    doc_id = an_article_id(client)
    similar = client.get(f"/api/v1/articles/{doc_id}/similar").json()
    assert similar["terms"] and doc_id not in [a["id"] for a in similar["similar"]]
    assert client.get("/api/v1/articles/nope/similar").status_code == 404


def test_entities_by_any_spelling(client):
    top = client.get("/api/v1/entities", params={"limit": 5, "type": "PER"}).json()["entities"]
    assert top and all(e["type"] == "PER" for e in top)
    out = client.get("/api/v1/entities/lookup", params={"name": "Hollande"}).json()
    profile = out["entities"][0]
    assert profile["canonical"] == "فرانسوا هولاند"
    assert any("هولاند" in s["text"] for s in profile["spellings"])
    assert client.get(f"/api/v1/entities/{profile['id']}").json()["id"] == profile["id"]
    assert client.get("/api/v1/entities/lookup", params={"name": "Xqzvw Kjhgf"}).status_code == 404
    assert client.get("/api/v1/entities/999999").status_code == 404


def test_places(client):
    rows = client.get("/api/v1/places", params={"limit": 5}).json()["places"]
    assert rows and all(r["lat"] is not None for r in rows)
    assert client.get("/api/v1/places", params={"country": "FRA"}).status_code == 422


def test_place_page_api_and_web(client):
    # باريس is named in the seed article: the place page finds it by Arabic or English name
    body = client.get("/api/v1/places/lookup", params={"name": "باريس"}).json()
    (paris, *_) = body["places"]
    assert paris["place"]["name_en"] == "Paris" and paris["place"]["country"] == "FR"
    assert paris["place"]["articles"] >= 1 and paris["timeline"] and paris["articles"]
    assert any(e["canonical"] for e in paris["entities"])
    assert all(n["km"] <= 300 for n in paris["neighbours"])
    by_en = client.get("/api/v1/places/lookup", params={"name": "Paris"}).json()["places"][0]
    assert by_en["place"]["gazetteer_id"] == paris["place"]["gazetteer_id"]
    assert client.get("/api/v1/places/lookup", params={"name": "لا مكان هنا"}).status_code == 404
    # the events located in Paris (the seed's attacks), over time
    assert paris["events"] and all(e["place"]["gazetteer_id"] == paris["place"]["gazetteer_id"]
                                   for e in paris["events"])
    assert sum(t["events"] for t in paris["event_timeline"]) >= len(paris["events"])
    page = client.get("/place", params={"id": paris["place"]["gazetteer_id"]}).text
    assert "Paris" in page and "<svg" in page and "/article/" in page
    assert "الأحداث في هذا المكان" in page and 'class="event"' in page
    assert client.get("/place", params={"name": "لا مكان هنا"}).status_code == 404
    article = client.get(f"/article/{an_article_id(client)}").text
    assert "/place?id=" in article and ">Paris<" in article  # English name beside each place


# -- auth -------------------------------------------------------------------------------------
def test_writes_need_the_token(client):
    body = {"text": "نص تجريبي عن الأمن في الرياض.", "title": "تجربة"}
    assert client.post("/api/v1/articles", json=body).status_code == 401
    r = client.post("/api/v1/articles", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and "token" in r.json()["error"]
    r = client.post("/api/v1/articles", json=body, headers={"Cookie": f"rasid_token={TOKEN}"})
    assert r.status_code == 401  # a cookie never authorises a write


def test_writes_disabled_without_a_configured_token(archive):
    app = create_app(Monitor(archive), Settings(token=None))
    with TestClient(app) as c:
        r = c.post("/api/v1/articles", json={"text": "نص"}, headers=AUTH)
        assert r.status_code == 403 and "RASID_API_TOKEN" in r.json()["error"]
    app.state.rasid.monitor.close()


def test_closed_reading(archive):
    app = create_app(Monitor(archive), Settings(token=TOKEN, read_open=False))
    with TestClient(app) as c:
        assert c.get("/api/v1/articles").status_code == 401
        assert c.get("/api/v1/articles", headers=AUTH).status_code == 200
        # the old cookie that carried the token itself opens nothing
        assert c.get("/api/v1/articles", headers={"Cookie": f"rasid_token={TOKEN}"}).status_code == 401
        assert c.get("/api/v1/articles", headers={"Cookie": f"rasid_session={TOKEN}"}).status_code == 401
        page = c.get("/")
        assert page.status_code == 401 and 'id="signin"' in page.text
        assert c.post("/api/v1/session", headers={"Authorization": "Bearer wrong"}).status_code == 403
        signin = c.post("/api/v1/session", headers=AUTH)
        assert signin.status_code == 200
        cookie = signin.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and TOKEN not in cookie
        assert c.get("/").status_code == 200  # the client keeps the cookie
        assert c.get("/api/v1/articles").status_code == 200
        # the read cookie never authorises a write
        assert c.post("/api/v1/feeds", json={"url": "http://x.org/f"}).status_code == 401
        assert c.get("/api/v1/health").status_code == 200
    app.state.rasid.monitor.close()


def test_settings_from_env(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n")
    s = Settings.from_env({"RASID_API_TOKEN_FILE": str(token_file), "RASID_READ_OPEN": "0"})
    assert s.token == "from-file" and not s.read_open and s.is_token("from-file")
    assert not s.is_token("from-fil") and not s.is_token(None)
    assert Settings.from_env({"RASID_API_TOKEN": "x"}).read_open
    from rasid.server import SettingsError

    with pytest.raises(SettingsError):
        Settings.from_env({"RASID_READ_OPEN": "maybe"})
    with pytest.raises(SettingsError):
        Settings.from_env({"RASID_API_TOKEN_FILE": str(tmp_path / "missing")})


# -- ingestion --------------------------------------------------------------------------------
def test_post_articles_stores_and_reports_duplicates(client):
    body = {"title": "أولاند في بروكسل", "published": "2015-11-17", "source": "api-test",
            "text": "زار الرئيس الفرنسي فرانسوا أولاند العاصمة البلجيكية بروكسل يوم الاثنين.",
            "images": [{"caption": "أولاند", "credit": "AFP"}]}
    r = client.post("/api/v1/articles", json=body, headers=AUTH)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["stored"] == 1 and len(out["ids"]) == 1
    doc = client.get(f"/api/v1/articles/{out['ids'][0]}").json()
    assert doc["source"] == "api-test" and doc["images"][0]["credit"] == "AFP"
    again = client.post("/api/v1/articles", json=[body], headers=AUTH)
    assert again.status_code == 200 and again.json()["duplicates"] == 1


def test_post_articles_reports_a_fuller_version_as_updated(client):
    """Issue 16 item 4: the page of an article first posted as its feed snippet (a
    SaudiNewsNet summary record, tests/resources/README-summ.md) replaces it."""
    record = json.loads((RESOURCES / "saudinewsnet-summ.jsonl").read_text(encoding="utf-8").splitlines()[0])
    snippet = {"url": record["url"], "source": record["source"], "text": record["text"].split("\n")[0]}
    first = client.post("/api/v1/articles", json=snippet, headers=AUTH).json()
    assert first["stored"] == 1
    full = client.post("/api/v1/articles", json=dict(snippet, text=record["text"]), headers=AUTH)
    assert full.status_code == 200, full.text
    out = full.json()
    assert (out["stored"], out["updated"], out["duplicates"]) == (0, 1, 0) and out["ids"] == first["ids"]
    assert client.get(f"/api/v1/articles/{first['ids'][0]}").json()["text"] == record["text"]


@pytest.mark.parametrize("body, status, words", [
    ({"title": "بلا نص"}, 422, "text"),
    ({"text": 5}, 422, "text"),
    ({"text": "   "}, 422, "text"),
    ({"text": "نص", "published": "أمس"}, 422, "published"),
    ({"text": "نص", "url": "javascript:alert(1)"}, 422, "url"),
    ({"text": "نص", "surprise": 1}, 422, "surprise"),
    ([{"text": "نص"}, {"title": 3}], 422, "1"),
    ([], 400, "empty"),
    (5, 422, "object"),
    ("text", 422, "object"),
])
def test_post_articles_bad_input(client, body, status, words):
    r = client.post("/api/v1/articles", json=body, headers=AUTH)
    assert r.status_code == status, r.text
    assert words in r.json()["error"]


def test_malformed_json_and_oversized_bodies(client, archive):
    r = client.post("/api/v1/articles", content=b'{"text": "x",', headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 400 and "JSON" in r.json()["error"]
    app = create_app(Monitor(archive), Settings(token=TOKEN, max_body_bytes=1000))
    with TestClient(app) as c:
        r = c.post("/api/v1/articles", json={"text": "ن" * 2000}, headers=AUTH)
        assert r.status_code == 413
    app.state.rasid.monitor.close()
    r = client.post("/api/v1/articles", json={"text": "ن" * (MAX_ARTICLE_CHARS + 1)}, headers=AUTH)
    assert r.status_code == 422


def test_feeds_validation_and_unreachable(client):
    assert client.post("/api/v1/feeds", json={"url": "file:///etc/passwd"}, headers=AUTH).status_code == 422
    assert client.post("/api/v1/feeds", json={}, headers=AUTH).status_code == 422
    assert client.post("/api/v1/feeds", json={"url": "http://x.org/f"}).status_code == 401
    r = client.post("/api/v1/feeds", json={"url": "http://127.0.0.1:9/feed.xml"}, headers=AUTH)
    assert r.status_code == 502 and "could not read" in r.json()["error"]


# -- hostile input ----------------------------------------------------------------------------
HOSTILE_QUERIES = ['"', 'NEAR(', '*', 'OR OR', "'; DROP TABLE articles;--", 'title:x', '^', '""',
                   'a AND', '(((', '-', '- -', '\x00', 'ب' * 1000, '"unclosed phrase', 'NOT',
                   '{body_stem}: x', 'x" OR "1"="1', '%', '\\', '١٢٣', '🙂']


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_hostile_search_queries_never_500(client, q):
    for path in ("/api/v1/search", "/"):
        r = client.get(path, params={"q": q, "facets": 1})
        assert r.status_code < 500, (q, r.text[:300])
        if r.status_code >= 400 and path.startswith("/api"):
            assert r.json()["error"]
    assert client.get("/api/v1/stats").json()["articles"] >= 15  # nothing dropped


@pytest.mark.parametrize("url", [
    "/api/v1/search", "/api/v1/search?q=", "/api/v1/search?q=x&limit=0", "/api/v1/search?q=x&limit=abc",
    "/api/v1/search?q=x&limit=99999999999999999999", "/api/v1/search?q=x&offset=-1",
    "/api/v1/search?q=x&since=2015-13-45", "/api/v1/search?q=x&until=yesterday",
    "/api/v1/search?q=x&entity=abc", "/api/v1/search?q=x&entity_type=BAD",
    "/api/v1/search?q=" + "x" * 5000, "/api/v1/articles?limit=-5", "/api/v1/articles?since=bad",
    "/api/v1/articles/" + "a" * 500, "/api/v1/articles/%00", "/api/v1/entities?type=XYZ",
    "/api/v1/entities?since=notadate", "/api/v1/entities/abc", "/api/v1/entities/-1",
    "/api/v1/entities/99999999999999999999999", "/api/v1/entities/lookup?name=",
    "/api/v1/entities/lookup?name=" + "%27%3B DROP TABLE entities;--", "/api/v1/places?limit=0",
    "/api/v1/places?since=x", "/api/v1/alerts?since_id=-1", "/api/v1/alerts?since_id=abc",
    "/api/v1/watches/abc", "/api/v1/stories/" + "x" * 100, "/article/%3Cscript%3E",
    "/entity?name=%3Cscript%3E", "/entity?id=999999999", "/entity", "/?q=x&offset=-1",
    "/?q=x&since=bad", "/?q=x&entity=abc", "/?q=x&type=%3Cscript%3E", "/places?country=ZZZ",
    "/story/x", "/stories?offset=abc",
])
def test_bad_reads_get_4xx_not_500(client, url):
    r = client.get(url)
    assert 400 <= r.status_code < 500 or r.status_code == 200, (url, r.status_code, r.text[:300])
    assert "Traceback" not in r.text


@pytest.mark.parametrize("method, url, body", [
    ("post", "/api/v1/watches", {"query": '"'}),
    ("post", "/api/v1/watches", {"place": "لا مكان بهذا الاسم أبدا"}),
    ("post", "/api/v1/watches", {"entity": "!!!"}),
    ("post", "/api/v1/watches", {"query": "x", "surge": "lots"}),
    ("post", "/api/v1/watches", {"query": "x", "webhook": "ftp://x"}),
    ("post", "/api/v1/watches", {}),
    ("post", "/api/v1/watches", [1, 2]),
    ("delete", "/api/v1/watches/987654", None),
    ("delete", "/api/v1/watches/abc", None),
    ("post", "/api/v1/feeds", {"url": 7}),
    ("post", "/api/v1/articles", {"text": ["a"]}),
    ("post", "/api/v1/articles", {"text": "نص", "images": "x"}),
    ("post", "/api/v1/articles", {"text": "نص", "meta": []}),
    ("put", "/api/v1/articles", {"text": "x"}),
])
def test_bad_writes_get_4xx_not_500(client, method, url, body):
    kwargs = {"headers": AUTH}
    if body is not None:
        kwargs["json"] = body
    r = getattr(client, method)(url, **kwargs)
    assert 400 <= r.status_code < 500, (url, body, r.status_code, r.text[:300])
    assert r.json()["error"]


def test_server_bugs_give_a_generic_500(archive):
    monitor = Monitor(archive)
    app = create_app(monitor, Settings(token=TOKEN))

    def broken():
        raise RuntimeError("secret internal detail")

    monitor.stats = broken
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/stats")
        assert r.status_code == 500
        assert "secret" not in r.text and "Traceback" not in r.text
        assert r.json()["error"].startswith("internal server error")
    monitor.close()


# -- escaping ---------------------------------------------------------------------------------
def test_article_content_is_escaped_everywhere(client):
    r = client.post("/api/v1/articles", headers=AUTH, json={
        "title": XSS_TITLE, "text": XSS_TEXT, "source": "xss",
        "images": [{"caption": "<script>window.__pwned=3</script>", "credit": "<b>x</b>"}]})
    assert r.status_code == 201, r.text
    doc_id = r.json()["ids"][0]
    pages = [client.get(f"/article/{doc_id}"), client.get("/", params={"q": "الهجوم"}),
             client.get("/", params={"q": "عنوان"}), client.get("/")]
    for page in pages:
        assert page.status_code == 200
        html = page.text
        assert "<script>window.__pwned" not in html
        assert "<img src=x" not in html and "<b>" not in html
        assert "script-src 'self'" in page.headers["content-security-policy"]
    article = pages[0].text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=" in article
    assert 'class="ent ent-PER"' in article


# -- web pages and docs -----------------------------------------------------------------------
def test_pages_render_rtl(client):
    doc_id = an_article_id(client)
    for url in ("/", "/?q=هجوم", f"/article/{doc_id}", "/entity?name=هولاند", "/places",
                "/watches", "/alerts"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert '<html lang="ar" dir="rtl">' in r.text
        assert "cdn" not in r.text.lower() and "https://" not in r.text.split("<main>")[0]
    search = client.get("/", params={"q": "هجوم"}).text
    assert "<mark>" in search and 'data-facet="entity"' in search
    assert 'id="trend"' in search
    article = client.get(f"/article/{doc_id}").text
    assert 'class="ent ent-PER"' in article and "/entity?name=" in article
    assert 'id="similar"' in article and "/?q=entity:" in article
    assert "Getty" in article  # image credits
    assert "<time" in article  # dates
    entity = client.get("/entity", params={"name": "هولاند"}).text
    assert "فرانسوا هولاند" in entity and "<svg" in entity
    assert "<path" in client.get("/places").text


def test_docs_are_served_offline(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in docs.text and "cdn.jsdelivr" not in docs.text
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/swagger/swagger-ui.css").status_code == 200
    assert client.get("/static/fonts/NotoSansArabic-Regular.ttf").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/search", "/api/v1/articles", "/api/v1/entities/lookup", "/api/v1/places",
                 "/api/v1/watches", "/api/v1/alerts", "/api/v1/feeds"):
        assert path in schema["paths"], path


# -- watches and alerts -----------------------------------------------------------------------
def test_watch_alert_cycle(client):
    r = client.post("/api/v1/watches", json={"query": "طائرة مسيرة"})
    assert r.status_code == 401
    r = client.post("/api/v1/watches", json={"name": "مسيرات", "query": "طائرة مسيرة"}, headers=AUTH)
    assert r.status_code == 201, r.text
    watch = r.json()
    assert watch["id"] and watch["query"] == "طائرة مسيرة"
    assert any(w["id"] == watch["id"] for w in client.get("/api/v1/watches").json()["watches"])
    before = client.get("/api/v1/alerts").json()["last_id"]
    r = client.post("/api/v1/articles", headers=AUTH, json={
        "title": "طائرة مسيرة فوق الحدود", "text": "أسقطت الدفاعات طائرة مسيرة قرب الحدود يوم الأحد.",
        "published": "2015-11-20", "source": "api-test"})
    assert r.status_code == 201, r.text
    alerts = client.get("/api/v1/alerts", params={"since_id": before}).json()["alerts"]
    assert [a["article_id"] for a in alerts] == r.json()["ids"]
    assert alerts[0]["watch_id"] == watch["id"]
    # the live stream sends it too
    events = collect_stream_events(client, before)
    assert any(e.startswith("id: ") and "event: alert" in e and r.json()["ids"][0] in e for e in events), events
    assert client.delete(f"/api/v1/watches/{watch['id']}", headers=AUTH).status_code == 200
    assert client.delete(f"/api/v1/watches/{watch['id']}", headers=AUTH).status_code == 404


def collect_stream_events(client, since_id: int) -> list[str]:
    """Run the SSE generator for two polls, as a disconnecting client would."""
    from rasid.api import live

    class FakeRequest:
        calls = 0

        async def is_disconnected(self):
            FakeRequest.calls += 1
            return FakeRequest.calls > 2

    async def run():
        out = []
        old = live.POLL_SECONDS
        live.POLL_SECONDS = 0.01
        try:
            async for chunk in live.alert_events(FakeRequest(), client.app.state.rasid.monitor, since_id):
                out.append(chunk)
        finally:
            live.POLL_SECONDS = old
        return out

    # in a thread of its own: the session may already run an event loop (Playwright's)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        events = pool.submit(lambda: asyncio.run(run())).result(timeout=60)
    assert events[0].startswith("retry:")
    for e in events[1:]:
        if e.startswith("event: alert"):
            json.loads(e.split("data: ", 1)[1])
    return events


def test_stories_endpoints(client):
    r = client.get("/api/v1/stories")
    assert r.status_code == 200
    stories = r.json()["stories"]
    assert client.get("/stories").status_code == 200
    if stories:
        sid = stories[0]["id"]
        assert client.get(f"/api/v1/stories/{sid}").status_code == 200
        assert client.get(f"/story/{sid}").status_code == 200
    assert client.get("/api/v1/stories/nonexistent-story").status_code == 404
