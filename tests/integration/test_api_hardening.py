"""Issue 15, item 6: authentication before work, body limits, response headers; item 2 at the
API: non-finite numbers and over-long texts are refused before they reach the archive."""
from __future__ import annotations

import asyncio
import concurrent.futures
import warnings

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from rasid.server import Settings, create_app
from rasid.doc import MAX_ARTICLE_CHARS
from rasid.monitor import Monitor

TOKEN = "hardening-token-456"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    application = create_app(Monitor(str(tmp_path_factory.mktemp("hard") / "a.db")),
                             Settings(token=TOKEN, max_body_bytes=50_000))
    yield application
    application.state.rasid.monitor.close()


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def call_asgi(app, method: str, path: str, headers: list[tuple[bytes, bytes]], chunks: list[bytes]):
    """Drive the ASGI app by hand; return (status, body read?, number of chunks read)."""
    state = {"reads": 0}
    messages = [{"type": "http.request", "body": c, "more_body": i + 1 < len(chunks)}
                for i, c in enumerate(chunks)]
    sent: list[dict] = []

    async def receive():
        state["reads"] += 1
        if messages:
            return messages.pop(0)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 5), "server": ("t", 80)}
    # in a thread of its own: Playwright's sync API (the e2e tests) may leave an event loop
    # running in the main thread, where asyncio.run() refuses to start
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], state["reads"], dict(start["headers"])


def test_unauthenticated_write_gets_401_before_the_body_is_read(app):
    body = b'{"text": ' + b"[" * 5000  # would be a parse error if anything parsed it
    for headers, expected in (([], 401), ([(b"authorization", b"Bearer wrong")], 403)):
        status, reads, _ = call_asgi(app, "POST", "/api/v1/articles",
                                     [(b"content-type", b"application/json"), *headers], [body])
        assert (status, reads) == (expected, 0)
    status, reads, _ = call_asgi(app, "DELETE", "/api/v1/watches/1", [], [b""])
    assert (status, reads) == (401, 0)


def test_chunked_body_over_the_limit_gets_413(app):
    chunks = [b'{"text": "' + "ن".encode() * 10_000] + ["ن".encode() * 10_000] * 5 + [b'"}']
    headers = [(b"content-type", b"application/json"), (b"authorization", f"Bearer {TOKEN}".encode())]
    status, reads, _ = call_asgi(app, "POST", "/api/v1/articles", headers, chunks)
    assert status == 413
    assert reads < len(chunks)  # it stopped reading at the limit


def test_json_and_static_answers_are_nosniff_and_docs_have_a_csp(client):
    for path in ("/api/v1/health", "/static/js/rasid.js", "/api/v1/openapi.json", "/docs", "/"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["x-content-type-options"] == "nosniff", path
    csp = client.get("/docs").headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert client.post("/api/v1/articles", json={}).headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("raw,words", [
    (b'{"text": "\xd9\x86\xd8\xb5", "meta": {"score": NaN}}', "non-finite"),
    (b'{"text": "\xd9\x86\xd8\xb5", "meta": {"x": Infinity}}', "non-finite"),
    (b'{"text": "\xd9\x86\xd8\xb5", "meta": {"x": -Infinity}}', "non-finite"),
    (b'{"text": "\xd9\x86\xd8\xb5", "title": ["a", "b"]}', "title"),
    (b'{"text": "\xd9\x86\xd8\xb5", "meta": ' + b'{"a": ' * 30 + b"1" + b"}" * 30 + b"}", "deeper"),
])
def test_bad_values_are_422_and_nothing_is_stored(client, raw, words):
    before = client.get("/api/v1/stats").json()["articles"]
    r = client.post("/api/v1/articles", content=raw, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert words in r.text
    assert client.get("/api/v1/stats").json()["articles"] == before


def test_deeply_nested_json_body_is_a_client_error(client):
    raw = b"[" * 100_000 + b"]" * 100_000
    r = client.post("/api/v1/articles", content=raw[:49_000], headers={**AUTH, "Content-Type": "application/json"})
    assert 400 <= r.status_code < 500


def test_article_length_limit_is_the_shared_one(app):
    with TestClient(create_app(app.state.rasid.monitor, Settings(token=TOKEN))) as c:
        r = c.post("/api/v1/articles", json={"text": "ن" * (MAX_ARTICLE_CHARS + 1)}, headers=AUTH)
        assert r.status_code == 422 and str(MAX_ARTICLE_CHARS) in r.text


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://2130706433/feed.xml",
                                 "http://0x7f000001/feed.xml", "http://[::1]/feed.xml"])
def test_feed_urls_on_private_addresses_are_refused(client, url, monkeypatch):
    monkeypatch.delenv("RASID_ALLOW_PRIVATE_HOSTS", raising=False)
    r = client.post("/api/v1/feeds", json={"url": url}, headers=AUTH)
    assert r.status_code == 502 and "refused" in r.json()["error"]


def test_webhooks_are_posted_in_the_background(client, monkeypatch):
    """The request that stores a matching article returns while the webhook is still being
    posted: the receiver here only answers once the response is back."""
    import threading

    from rasid.alerts import delivery

    released, calls = threading.Event(), []

    def slow_receiver(url, payload, timeout=10.0):
        waited = released.wait(20)
        calls.append((threading.current_thread().name, waited, payload["article"]["title"]))
        return 200, None

    monkeypatch.setattr(delivery, "post_webhook", slow_receiver)
    r = client.post("/api/v1/watches", json={"query": "الرياض", "webhook": "https://hooks.example.org/x"},
                    headers=AUTH)
    assert r.status_code == 201, r.text
    r = client.post("/api/v1/articles", json={"title": "خبر عاجل", "text": "وصل الوفد إلى الرياض صباح اليوم."},
                    headers=AUTH)
    assert r.status_code == 201 and not calls  # answered before the receiver did
    released.set()
    delivery.wait_for_deliveries(client.app.state.rasid.monitor.store)
    assert calls == [("rasid-webhooks", True, "خبر عاجل")]
