"""URL canonicalisation for de-duplication."""
from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_TRACKING = {"fbclid", "gclid", "ocid", "ref", "at_medium", "at_campaign", "cmpid", "mc_cid", "mc_eid"}


def canonicalize_url(url: str) -> str:
    """Lower-case scheme/host, drop default ports, fragments, tracking parameters and a
    trailing slash; decode then re-encode the path so %D8%A8 and ب compare equal."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = (parts.scheme or "http").lower()
    if scheme == "https":
        scheme = "http"  # the same article is served on both
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = quote(unquote(parts.path), safe="/-._~!$&'()*+,;=:@")
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in _TRACKING and not k.lower().startswith("utm_")]
    return urlunsplit((scheme, host, path or "/", urlencode(sorted(query)), ""))
