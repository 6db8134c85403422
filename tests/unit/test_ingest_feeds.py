"""RSS/Atom feeds: items from files, Arabic dates, and polling a local HTTP server with
conditional GET (ETag / Last-Modified) and per-feed state."""
from __future__ import annotations

import http.server
import json
import threading
from email.utils import formatdate
from html import escape

import pytest

from rasid.ingest import Rejection, poll_feed, read_feed, read_paths
from rasid.ingest.text import split_text_article

FEED_URL_PATH = "/arabic/rss.xml"


@pytest.fixture(scope="module")
def paragraphs(seed_text):
    return split_text_article(seed_text)[1]


def rss_item(n: int, paragraphs: list[str], pub_date: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs[n * 2:n * 2 + 2])
    return f"""<item>
  <title>{escape(paragraphs[n * 2][:40])}</title>
  <link>http://www.bbc.com/arabic/story-{n}</link>
  <guid isPermaLink="false">bbc-arabic-{n}</guid>
  <pubDate>{pub_date}</pubDate>
  <dc:creator>فرانك غاردنر</dc:creator>
  <category>الشرق الأوسط</category>
  <description>{escape(paragraphs[n * 2][:60])}</description>
  <content:encoded><![CDATA[{body}]]></content:encoded>
</item>"""


def build_rss(items: list[str], encoding: str = "UTF-8") -> str:
    return f"""<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>بي بي سي عربي</title><link>http://www.bbc.com/arabic</link>
<description>أخبار</description>
{"".join(items)}
</channel></rss>"""


def test_feed_items_from_bytes(paragraphs):
    items = [rss_item(0, paragraphs, "السبت 14 نوفمبر 2015"),
             rss_item(1, paragraphs, "Sat, 14 Nov 2015 10:00:00 +0100"),
             rss_item(2, paragraphs, "الأحد ١٥ تشرين الثاني ٢٠١٥")]
    docs = read_feed(build_rss(items).encode("utf-8"), url="http://www.bbc.com/arabic/rss.xml")
    assert len(docs) == 3
    first = docs[0]
    assert first.text == paragraphs[0] + "\n\n" + paragraphs[1]  # content:encoded, HTML stripped
    assert first.summary == paragraphs[0][:60].strip()
    assert first.title == paragraphs[0][:40].strip()
    assert first.url == "http://www.bbc.com/arabic/story-0"
    assert first.source == "بي بي سي عربي"
    assert first.author == "فرانك غاردنر"
    assert first.meta["source_id"] == "bbc-arabic-0"
    assert first.meta["tags"] == ["الشرق الأوسط"]
    assert first.origin == "http://www.bbc.com/arabic/rss.xml#item-1"
    # Arabic pubDates feedparser cannot read go through rasid's own parser
    assert [d.published for d in docs] == ["2015-11-14", "2015-11-14T09:00:00Z", "2015-11-15"]


def test_feed_atom_and_summary_only(paragraphs):
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>الجزيرة</title><id>urn:feed</id>
<updated>2015-11-14T12:00:00Z</updated>
<entry><title>هجمات باريس</title><id>urn:a1</id><link href="http://example.org/a1"/>
<updated>2015-11-14T12:00:00Z</updated>
<summary type="html">&lt;p&gt;{escape(paragraphs[3])}&lt;/p&gt;</summary></entry>
<entry><title>بلا نص</title><id>urn:a2</id><updated>2015-11-14T12:00:00Z</updated></entry>
</feed>"""
    docs = read_feed(atom.encode("utf-8"), url="http://example.org/atom")
    assert docs[0].text == paragraphs[3]
    assert docs[0].published == "2015-11-14T12:00:00Z"
    assert docs[0].summary is None
    assert isinstance(docs[1], Rejection) and docs[1].reason.startswith("empty article")


def test_feed_legacy_encoding_file(tmp_path, paragraphs):
    rss = build_rss([rss_item(0, paragraphs, "السبت 14 نوفمبر 2015")], encoding="windows-1256")
    path = tmp_path / "bbc.rss"
    path.write_bytes(rss.encode("cp1256"))
    undeclared = tmp_path / "bbc-undeclared.xml"
    undeclared.write_bytes(rss.replace(' encoding="windows-1256"', "").encode("cp1256"))
    docs = list(read_paths([path, undeclared]))
    assert [d.text for d in docs] == [paragraphs[0] + "\n\n" + paragraphs[1]] * 2
    assert docs[0].origin == f"{path}#item-1"


def test_feed_not_a_feed_is_rejected(tmp_path):
    path = tmp_path / "note.xml"
    path.write_text("<?xml version='1.0'?><note><to>خبر</to></note>", encoding="utf-8")
    truncated = tmp_path / "truncated.rss"
    truncated.write_text("<rss><channel><item><title>خبر", encoding="utf-8")
    rejections = list(read_paths([path, truncated]))
    assert all(isinstance(r, Rejection) for r in rejections)
    assert [r.origin for r in rejections] == [str(path), f"{truncated}#item-1"]
    assert rejections[0].reason.startswith("not an RSS or Atom feed")
    assert rejections[1].reason.startswith("empty article")


class FeedServer:
    """A feed on 127.0.0.1 that honours If-None-Match and If-Modified-Since."""

    def __init__(self, body: bytes):
        self.requests: list[dict[str, str]] = []
        self.set_body(body)
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                server.requests.append({k: v for k, v in self.headers.items()})
                if self.path != FEED_URL_PATH:
                    self.send_error(404)
                    return
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                if (inm is not None and inm == server.etag) or (inm is None and ims == server.last_modified):
                    self.send_response(304)
                    self.send_header("ETag", server.etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(server.body)))
                self.send_header("ETag", server.etag)
                self.send_header("Last-Modified", server.last_modified)
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{FEED_URL_PATH}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def set_body(self, body: bytes) -> None:
        self.version = getattr(self, "version", 0) + 1
        self.body = body
        self.etag = f'"v{self.version}"'
        self.last_modified = formatdate(1447495200 + self.version * 3600, usegmt=True)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def make_server(monkeypatch):
    # the feed runs on 127.0.0.1, which rasid refuses unless named in this setting
    monkeypatch.setenv("RASID_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    servers = []

    def make(body: bytes) -> FeedServer:
        servers.append(FeedServer(body))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def test_poll_feed_conditional_get_and_seen_items(make_server, paragraphs):
    items = [rss_item(n, paragraphs, f"السبت {14 + n} نوفمبر 2015") for n in range(3)]
    server = make_server(build_rss(items).encode("utf-8"))

    first = poll_feed(server.url, None)
    assert not first.not_modified and first.status == 200
    assert [d.meta["source_id"] for d in first.documents] == ["bbc-arabic-0", "bbc-arabic-1", "bbc-arabic-2"]
    assert first.new_state["etag"] == '"v1"'
    assert first.new_state["last_modified"] == server.last_modified
    assert first.new_state["seen"] == ["bbc-arabic-0", "bbc-arabic-1", "bbc-arabic-2"]
    state = json.loads(json.dumps(first.new_state))  # the store keeps it as JSON

    second = poll_feed(server.url, state)
    assert second.not_modified and second.status == 304
    assert second.documents == []
    assert server.requests[-1]["If-None-Match"] == '"v1"'
    assert server.requests[-1]["If-Modified-Since"] == server.last_modified
    state = second.new_state

    server.set_body(build_rss([rss_item(3, paragraphs, "الأحد 15 نوفمبر 2015")] + items).encode("utf-8"))
    third = poll_feed(server.url, state)
    assert not third.not_modified
    assert [d.meta["source_id"] for d in third.documents] == ["bbc-arabic-3"]
    assert third.documents[0].text == paragraphs[6] + "\n\n" + paragraphs[7]
    assert third.new_state["etag"] == '"v2"'
    assert third.new_state["seen"][-1] == "bbc-arabic-3" and len(third.new_state["seen"]) == 4


def test_poll_feed_without_conditional_get_still_skips_seen(make_server, paragraphs):
    items = [rss_item(n, paragraphs, "السبت 14 نوفمبر 2015") for n in range(2)]
    server = make_server(build_rss(items).encode("utf-8"))
    first = poll_feed(server.url, {})
    state = dict(first.new_state)
    del state["etag"], state["last_modified"]  # as if the server sent no validators
    again = poll_feed(server.url, state)
    assert not again.not_modified and again.documents == []


def test_poll_feed_seen_list_is_bounded(make_server, paragraphs):
    items = [rss_item(n, paragraphs, "السبت 14 نوفمبر 2015") for n in range(3)]
    server = make_server(build_rss(items).encode("utf-8"))
    result = poll_feed(server.url, {"seen": [f"old-{i}" for i in range(10)]}, max_seen=5)
    assert result.new_state["seen"] == ["old-8", "old-9", "bbc-arabic-0", "bbc-arabic-1", "bbc-arabic-2"]


def test_poll_feed_http_error_raises(make_server):
    from rasid.net import FetchError

    server = make_server(b"")
    with pytest.raises(FetchError, match="HTTP 404"):
        poll_feed(server.url.replace(FEED_URL_PATH, "/missing.xml"), {})
