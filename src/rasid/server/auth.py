"""Who may read and write. Writing needs ``Authorization: Bearer <token>``, checked before
the request body is read (`AuthBeforeBodyMiddleware`); reading is open unless
``RASID_READ_OPEN=0``, then it needs the token too (header, or the ``rasid_session`` cookie
set by ``POST /api/v1/session``, since a browser cannot add a header to a page load or an
EventSource). The cookie is HttpOnly and SameSite=Strict and holds a read credential
derived from the token, never the token: a cookie never authorises a write."""
from __future__ import annotations

from fastapi import Request

from .app import ApiError, error_body, get_context

COOKIE_NAME = "rasid_session"
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
    return settings.is_token(read_bearer(request)) or settings.is_read_credential(request.cookies.get(COOKIE_NAME))


def require_read(request: Request) -> None:
    """Dependency of every read endpoint and page."""
    if not can_read(request):
        raise ApiError(401, "this archive is closed for reading: send the API token "
                            "('Authorization: Bearer <token>') or sign in on the web page",
                       headers=CHALLENGE, code="read_closed")


def require_write(request: Request) -> None:
    """Dependency of every endpoint that changes the archive (the middleware has checked
    already; this keeps each endpoint safe on its own)."""
    error = check_write(get_context(request).settings, request.headers.get("authorization"))
    if error is not None:
        raise error


def check_write(settings, authorization: str | None) -> ApiError | None:
    """The error for a write with this ``Authorization`` header, or None when it may write."""
    if not settings.token:
        return ApiError(403, "writing is disabled: no API token is configured on the server "
                             "(set RASID_API_TOKEN or RASID_API_TOKEN_FILE)", code="write_disabled")
    scheme, _, value = (authorization or "").partition(" ")
    token = value.strip() if scheme.lower() == "bearer" and value.strip() else None
    if token is None:
        return ApiError(401, "writing needs the API token: send 'Authorization: Bearer <token>'",
                        headers=CHALLENGE, code="token_missing")
    if not settings.is_token(token):
        return ApiError(403, "the API token is not valid", code="token_invalid")
    return None


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AuthBeforeBodyMiddleware:
    """Answer 401/403 to a write under ``/api/`` without the token before anything reads
    (or parses) its body."""

    def __init__(self, app, settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] == "http" and scope.get("method") in WRITE_METHODS \
                and scope.get("path", "").startswith("/api/"):
            header = next((v.decode("latin-1") for k, v in scope.get("headers", [])
                           if k == b"authorization"), None)
            error = check_write(self.settings, header)
            if error is not None:
                from fastapi.responses import JSONResponse

                response = JSONResponse(error_body(error.status, error.message, error.code),
                                        status_code=error.status, headers=error.headers)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
