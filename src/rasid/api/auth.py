"""Who may read and write. Writing needs ``Authorization: Bearer <token>``; reading is open
unless ``RASID_READ_OPEN=0``, then it needs the token too (header, or the ``rasid_token``
cookie the web UI sets, since a browser cannot add a header to a page load or an
EventSource). A cookie never authorises a write, so another site cannot forge one."""
from __future__ import annotations

from fastapi import Request

from .app import ApiError, get_context

COOKIE_NAME = "rasid_token"
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="rasid"'}


def read_bearer(request: Request) -> str | None:
    header = request.headers.get("authorization") or ""
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def can_read(request: Request) -> bool:
    settings = get_context(request).settings
    if settings.read_open:
        return True
    return settings.is_token(read_bearer(request)) or settings.is_token(request.cookies.get(COOKIE_NAME))


def require_read(request: Request) -> None:
    """Dependency of every read endpoint and page."""
    if not can_read(request):
        raise ApiError(401, "this archive is closed for reading: send the API token "
                            "('Authorization: Bearer <token>') or sign in on the web page",
                       headers=CHALLENGE)


def require_write(request: Request) -> None:
    """Dependency of every endpoint that changes the archive."""
    settings = get_context(request).settings
    if not settings.token:
        raise ApiError(403, "writing is disabled: no API token is configured on the server "
                            "(set RASID_API_TOKEN or RASID_API_TOKEN_FILE)")
    token = read_bearer(request)
    if token is None:
        raise ApiError(401, "writing needs the API token: send 'Authorization: Bearer <token>'",
                       headers=CHALLENGE)
    if not settings.is_token(token):
        raise ApiError(403, "the API token is not valid")
