"""rasid.net.fetch: bounded downloads and the private-address guard (issue 15, items 1 and 5).

The servers here run on 127.0.0.1, which `fetch` refuses unless RASID_ALLOW_PRIVATE_HOSTS
names it: the tests that need them set it explicitly."""
from __future__ import annotations

import gzip
import http.server
import threading
import zlib

import pytest

from rasid.net import BlockedAddress, FetchError, fetch, is_public_address


class Server:
    """Answers GET by `routes[path]`: (status, headers, body) or a callable returning it."""

    def __init__(self, routes: dict):
        self.routes = routes
        self.hits: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):  # noqa: N802
                server.hits.append(self.path)
                status, headers, body = server.routes.get(self.path, (404, {}, b"missing"))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers and "Transfer-Encoding" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if headers.get("Transfer-Encoding") == "chunked":
                        for i in range(0, len(body), 65536):
                            part = body[i:i + 65536]
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve(monkeypatch):
    monkeypatch.setenv("RASID_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    servers = []

    def make(routes):
        servers.append(Server(routes))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/feed.xml", "http://localhost/", "http://2130706433/", "http://0x7f000001/",
    "http://017700000001/", "http://127.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://192.168.1.1/",
    "http://172.16.0.1/", "http://100.64.0.1/", "http://224.0.0.1/", "http://0.0.0.0/",
    "http://[fe80::1]/", "http://[fc00::1]/", "http://240.0.0.1/", "https://[::]/",
])
def test_private_addresses_are_refused_in_every_spelling(url, monkeypatch):
    monkeypatch.delenv("RASID_ALLOW_PRIVATE_HOSTS", raising=False)
    with pytest.raises(BlockedAddress, match="refused"):
        fetch(url, timeout=2)


@pytest.mark.parametrize("address,public", [
    ("8.8.8.8", True), ("2a00:1450:4001:80b::200e", True), ("127.0.0.1", False),
    ("169.254.169.254", False), ("::ffff:10.0.0.1", False), ("ff02::1", False), ("not-an-ip", False),
])
def test_is_public_address(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/", "http://"])
def test_non_http_urls_are_refused(url):
    with pytest.raises(FetchError):
        fetch(url)


def test_allow_setting_names_hosts_one_by_one(serve, monkeypatch):
    server = serve({"/ok": (200, {}, "مرحبا".encode())})
    assert fetch(server.base + "/ok").body == "مرحبا".encode()
    monkeypatch.setenv("RASID_ALLOW_PRIVATE_HOSTS", "feeds.internal")  # not this one
    with pytest.raises(BlockedAddress):
        fetch(server.base + "/ok")


def test_each_redirect_is_checked_again(serve):
    # 127.0.0.1 is allowed, but the same server under another name (localhost, 2130706433) is not
    server = serve({})
    server.routes.update({
        "/to-localhost": (302, {"Location": f"http://localhost:{server.port}/ok"}, b""),
        "/to-decimal": (301, {"Location": f"http://2130706433:{server.port}/ok"}, b""),
        "/to-metadata": (307, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/relative": (302, {"Location": "/ok"}, b""),
        "/ok": (200, {}, b"fine"),
    })
    for path in ("/to-localhost", "/to-decimal", "/to-metadata"):
        with pytest.raises(BlockedAddress):
            fetch(server.base + path)
    with pytest.raises(FetchError, match="non-HTTP"):
        fetch(server.base + "/to-file")
    answer = fetch(server.base + "/relative")
    assert answer.body == b"fine" and answer.url == server.base + "/ok"
    assert answer.redirects == [server.base + "/relative"]


def test_redirect_loops_stop(serve):
    server = serve({"/loop": (302, {"Location": "/loop"}, b"")})
    with pytest.raises(FetchError, match="redirects"):
        fetch(server.base + "/loop")


def test_body_is_bounded_on_the_wire(serve):
    body = b"x" * 300_000
    server = serve({"/big": (200, {}, body), "/chunked": (200, {"Transfer-Encoding": "chunked"}, body)})
    assert len(fetch(server.base + "/big", max_bytes=300_000).body) == 300_000
    for path in ("/big", "/chunked"):
        with pytest.raises(FetchError, match="too large: over 100000 bytes"):
            fetch(server.base + path, max_bytes=100_000)


def test_gzip_bomb_is_bounded_after_decompression(serve):
    bomb = gzip.compress(b"\0" * 5_000_000)  # ~5 KB that expands to 5 MB
    deflated = zlib.compress(b"a" * 5_000_000)
    small = gzip.compress("خبر".encode() * 100)
    server = serve({"/bomb": (200, {"Content-Encoding": "gzip"}, bomb),
                    "/deflate": (200, {"Content-Encoding": "deflate"}, deflated),
                    "/small": (200, {"Content-Encoding": "gzip"}, small)})
    assert len(bomb) < 100_000
    for path in ("/bomb", "/deflate"):
        with pytest.raises(FetchError, match="decompressed"):
            fetch(server.base + path, max_bytes=1_000_000)
    assert fetch(server.base + "/small").body == "خبر".encode() * 100


def test_status_codes_come_back(serve):
    server = serve({"/gone": (410, {}, b"gone"), "/same": (304, {"ETag": '"a"'}, b"")})
    assert fetch(server.base + "/gone").status == 410
    same = fetch(server.base + "/same")
    assert same.status == 304 and same.headers["etag"] == '"a"'
