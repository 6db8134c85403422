"""Every HTTP request rasid makes goes through `fetch`: bounded, and never to a private address.

* **Bounded.** A response body stops at `MAX_DOWNLOAD_BYTES` on the wire *and* after
  ``Content-Encoding: gzip/deflate`` is undone (a small gzip answer cannot expand into
  gigabytes); over the limit `fetch` raises `FetchError` naming the URL and the limit.
  Every socket operation has a timeout.
* **No server-side request forgery.** The host is resolved once; every address it resolves
  to must be public (not loopback, private, link-local such as 169.254.169.254, multicast,
  reserved or unspecified), whatever the spelling (``2130706433``, ``0x7f000001``,
  ``[::ffff:127.0.0.1]``, a DNS name that resolves there). The connection goes to the
  checked address, and the address actually connected to is checked again. Redirects are
  followed by hand, each hop checked the same way; a redirect to anything but http(s) is
  refused.
* The setting ``allow_private_hosts`` (``RASID_ALLOW_PRIVATE_HOSTS``, see `rasid.settings`):
  comma-separated host names or addresses that may be private (a feed on your own network,
  or ``127.0.0.1`` in tests). Empty by default; read only by `read_allowed_private_hosts`.

Used by feed polls, article pages (`rasid ingest URL`, `rasid monitor`, the API's
``POST /feeds``) and webhook delivery.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

USER_AGENT = "rasid/0.1 (+offline Arabic news monitor)"
#: largest response body read, on the wire and after decompression
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
#: seconds for connecting and for each read
TIMEOUT_S = 30.0
MAX_REDIRECTS = 5
ALLOW_PRIVATE_HOSTS_ENV = "RASID_ALLOW_PRIVATE_HOSTS"
_CHUNK = 64 * 1024


class FetchError(OSError):
    """A request refused or failed; the message names the URL and the reason."""


class BlockedAddress(FetchError):
    """The URL resolves to an address rasid does not connect to."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes
    url: str  # after redirects
    redirects: list[str] = field(default_factory=list)


def read_allowed_private_hosts() -> frozenset[str]:
    """Host names / addresses of the setting ``allow_private_hosts`` (lower-cased)."""
    from .settings import current_settings

    raw = current_settings()["allow_private_hosts"] or ""
    return frozenset(h.strip().lower().strip("[]") for h in raw.split(",") if h.strip())


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not (ip.is_multicast or ip.is_reserved or ip.is_loopback
                                       or ip.is_link_local or ip.is_private or ip.is_unspecified)


def check_url(url: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of an http(s) URL; `FetchError` otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs are fetched, not {scheme or 'no scheme'!r}")
    host = (parts.hostname or "").lower()
    if not host:
        raise FetchError(f"{url}: no host")
    return scheme, host, port or (443 if scheme == "https" else 80)


def resolve_host(url: str, host: str, port: int) -> list[str]:
    """The addresses to connect to; `BlockedAddress` when any is not public (unless the
    host is named in ``RASID_ALLOW_PRIVATE_HOSTS``)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"{url}: cannot resolve {host}: {exc}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if host.strip("[]") in read_allowed_private_hosts():
        return addresses
    for address in addresses:
        if not is_public_address(address):
            raise BlockedAddress(f"{url}: refused: {host} is a private, loopback, link-local or "
                                 f"reserved address ({address}); name it in "
                                 f"{ALLOW_PRIVATE_HOSTS_ENV} to allow it")
    return addresses


def _check_peer(url: str, host: str, sock: socket.socket) -> None:
    address = sock.getpeername()[0]
    if host.strip("[]") not in read_allowed_private_hosts() and not is_public_address(address):
        sock.close()
        raise BlockedAddress(f"{url}: refused: connected address {address} is not public")


class _GuardedHTTP(http.client.HTTPConnection):
    def __init__(self, url: str, host: str, port: int, addresses: list[str], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._url, self._addresses = url, addresses

    def connect(self) -> None:
        self.sock = _connect_checked(self._url, self.host, self.port, self._addresses, self.timeout)


class _GuardedHTTPS(http.client.HTTPSConnection):
    def __init__(self, url: str, host: str, port: int, addresses: list[str], timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._url, self._addresses = url, addresses

    def connect(self) -> None:
        sock = _connect_checked(self._url, self.host, self.port, self._addresses, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connect_checked(url: str, host: str, port: int, addresses: list[str], timeout: float) -> socket.socket:
    error: OSError | None = None
    for address in addresses:
        try:
            sock = socket.create_connection((address, port), timeout=timeout)
        except OSError as exc:
            error = exc
            continue
        _check_peer(url, host, sock)
        return sock
    raise FetchError(f"{url}: cannot connect to {host}: {error}")


def fetch(url: str, *, method: str = "GET", data: bytes | None = None,
          headers: dict[str, str] | None = None, timeout: float = TIMEOUT_S,
          max_bytes: int = MAX_DOWNLOAD_BYTES, follow_redirects: bool = True) -> Response:
    """One HTTP request with the guards of the module docstring. Any status is returned
    (4xx/5xx and 304 included); `FetchError` when the request is refused, fails or the
    body is over `max_bytes`. A 301/302/303 turns a POST into a GET, as browsers do."""
    redirects: list[str] = []
    while True:
        scheme, host, port = check_url(url)
        addresses = resolve_host(url, host, port)
        kind = _GuardedHTTPS if scheme == "https" else _GuardedHTTP
        conn = kind(url, host, port, addresses, timeout)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", **(headers or {})}
        try:
            conn.request(method, target, body=data, headers=sent)
            resp = conn.getresponse()
            location = resp.getheader("Location")
            if follow_redirects and resp.status in (301, 302, 303, 307, 308) and location:
                resp.read(_CHUNK)
                if len(redirects) >= MAX_REDIRECTS:
                    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")
                next_url = urljoin(url, location.strip())
                if urlsplit(next_url).scheme.lower() not in ("http", "https"):
                    raise FetchError(f"{url}: refused redirect to a non-HTTP URL ({next_url[:100]})")
                if resp.status in (301, 302, 303) and method != "HEAD":
                    method, data = "GET", None
                redirects.append(url)
                url = next_url
                continue
            response_headers = {k.lower(): v for k, v in resp.getheaders()}
            body = read_body(resp, url, max_bytes, response_headers.get("content-encoding", ""))
            return Response(resp.status, response_headers, body, url, redirects)
        except (http.client.HTTPException, ssl.SSLError, socket.timeout, ConnectionError) as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None
        finally:
            conn.close()


def read_body(stream, url: str, max_bytes: int, encoding: str = "") -> bytes:
    """Read a response body of at most `max_bytes` on the wire and, when it is gzip or
    deflate, at most `max_bytes` once decompressed."""
    encoding = encoding.strip().lower()
    wire = 0
    out = bytearray()
    inflater = None
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    first = True
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        wire += len(chunk)
        if wire > max_bytes:
            raise FetchError(f"{url}: response too large: over {max_bytes} bytes")
        if inflater is None:
            out += chunk
            continue
        if first and encoding == "deflate" and chunk[:1] != b"\x78":
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
        first = False
        try:
            out += inflater.decompress(chunk, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise FetchError(f"{url}: corrupt {encoding} body: {exc}") from None
        if len(out) > max_bytes or inflater.unconsumed_tail:
            raise FetchError(f"{url}: response too large: over {max_bytes} bytes decompressed")
    return bytes(out)
