"""The FastAPI application: REST API under ``/api/v1`` (`rasid.api`), web UI at ``/``
(`rasid.web`), docs at ``/docs``.

Both are thin shells over `rasid.monitor.Monitor`: every endpoint parses its input, calls one
Monitor method and formats the answer. Errors that are the client's fault come back as 4xx with a
message (``{"error": <English>, "status", "code", "message_ar"}``, codes and Arabic messages in
`rasid.server.messages`; web pages show the Arabic one); anything else is a 500 with a generic
message and the traceback goes to the server log only.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .settings import Settings

log = logging.getLogger("rasid.api")

API_PREFIX = "/api/v1"


class ApiError(Exception):
    """An error with a status code and a message meant for the client; `code` (and its
    `params`) pick the Arabic message (`rasid.server.messages`)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None, code: str | None = None,
                 params: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers
        self.extra = extra  # more fields of the JSON error body (e.g. ``suggestions``)
        self.code = code
        self.params = params

    @classmethod
    def from_error(cls, status: int, exc: Exception, prefix: str = "") -> "ApiError":
        """From a core error carrying `code` and `params` (`QueryError`, `WatchError`)."""
        return cls(status, prefix + (str(exc).strip("'\"") or "invalid request"),
                   code=getattr(exc, "code", None) or "invalid_request",
                   params=getattr(exc, "params", None))


@dataclass
class AppContext:
    monitor: Any
    settings: Settings
    #: one writer at a time: the pipeline and the store's write transactions
    write_lock: threading.Lock = field(default_factory=threading.Lock)


def static_dir() -> Path:
    return Path(str(resources.files("rasid.web") / "static"))


def open_monitor(source: Any) -> Any:
    """A Monitor from a Monitor, a factory, a path / URL, or None (the default archive)."""
    from ..monitor import Monitor

    if isinstance(source, Monitor) or (source is not None and hasattr(source, "search")
                                       and hasattr(source, "close")):
        return source
    if callable(source):
        return source()
    return Monitor(source)


def create_app(source: Any = None, settings: Settings | None = None) -> FastAPI:
    """The app over `source`: a `Monitor`, a callable returning one, an archive path or
    URL, or None for the default archive. `settings` default to `Settings.from_config()`
    (the registry's: flags of the running command, env, config file, defaults)."""
    settings = settings or Settings.from_config()
    ctx = AppContext(open_monitor(source), settings)
    app = FastAPI(
        title="rasid API", version=_version(), docs_url=None, redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        description="REST API of راصد rasid, the offline Arabic news monitor. Reading is open "
                    "unless RASID_READ_OPEN=0; writing needs `Authorization: Bearer <token>` "
                    "(RASID_API_TOKEN or RASID_API_TOKEN_FILE).",
    )
    app.state.rasid = ctx
    install_error_handlers(app)
    from .auth import AuthBeforeBodyMiddleware

    # the last added runs first: headers on every answer, then the token, then the body size
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(AuthBeforeBodyMiddleware, settings=settings)
    app.add_middleware(SecurityHeadersMiddleware)

    from ..api import events, exports, live, routes

    app.include_router(routes.router, prefix=API_PREFIX)
    app.include_router(events.router, prefix=API_PREFIX)
    app.include_router(live.router, prefix=API_PREFIX)
    app.include_router(exports.router, prefix=API_PREFIX)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(static_dir() / "favicon.svg", media_type="image/svg+xml")

    @app.get("/docs", include_in_schema=False)
    def swagger_docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "", title="rasid API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png")
        page.headers["Content-Security-Policy"] = docs_csp(bytes(page.body).decode("utf-8"))
        return page

    from ..web.events_pages import router as events_web_router
    from ..web.pages import router as web_router

    app.include_router(web_router)
    app.include_router(events_web_router)
    return app


def _version() -> str:
    try:
        from .. import __version__

        return __version__
    except ImportError:  # pragma: no cover
        return "0"


def get_context(request: Request) -> AppContext:
    return request.app.state.rasid


# -- errors ---------------------------------------------------------------------------------
def is_api_path(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_body(status: int, message: str, code: str | None = None,
               params: dict[str, Any] | None = None) -> dict[str, Any]:
    """``{"error", "status", "code", "message_ar"}``: the code's Arabic message; an error
    without a code whose message is Arabic (raised by a web page) is its own ``message_ar``."""
    from .messages import arabic_message, default_code, is_arabic

    message_ar = (message if code is None and is_arabic(message)
                  else arabic_message(code, params, status))
    return {"error": message, "status": status, "code": code or default_code(status),
            "message_ar": message_ar}


def error_response(request: Request, status: int, message: str, details: list | None = None,
                   headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None,
                   code: str | None = None, params: dict[str, Any] | None = None) -> Response:
    body = error_body(status, message, code, params)
    if not is_api_path(request) and request.method == "GET":
        from ..web.pages import render_error

        return render_error(request, status, body["message_ar"], headers=headers)
    if details:
        body["details"] = details
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=headers)


def format_validation_errors(exc: RequestValidationError) -> tuple[int, str, list[dict]]:
    """(status, message, details) for a validation error, without echoing the input.
    Errors of the other branch of a union body (object vs list) are dropped."""
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        err = next(e for e in errors if e.get("type") == "json_invalid")
        reason = (err.get("ctx") or {}).get("error") or "not valid JSON"
        return 400, f"the request body is not valid JSON: {reason}", []
    body = getattr(exc, "body", None)
    branch_errors = [e for e in errors if len(e.get("loc", ())) > 1 and e["loc"][0] == "body"
                     and isinstance(e["loc"][1], str) and (e["loc"][1][:1].isupper()
                                                           or e["loc"][1].startswith("list["))]
    if branch_errors and len(branch_errors) == len(errors):
        if isinstance(body, list):
            errors = [e for e in errors if e["loc"][1].startswith("list[")]
        elif isinstance(body, dict):
            errors = [e for e in errors if not e["loc"][1].startswith("list[")]
        else:
            return 422, "the request body must be a JSON object or a list of objects", []
        errors = [{**e, "loc": ("body", *e["loc"][2:])} for e in errors]
    details = []
    for e in errors[:20]:
        loc = [str(x) for x in e.get("loc", ())]
        details.append({"loc": loc, "msg": str(e.get("msg", "invalid")).removeprefix("Value error, "),
                        "type": e.get("type")})
    shown = "; ".join(f"{'.'.join(d['loc']) or 'request'}: {d['msg']}" for d in details[:5])
    return 422, f"invalid request: {shown}", details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.message, headers=exc.headers, extra=exc.extra,
                              code=exc.code, params=exc.params)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        status, message, details = format_validation_errors(exc)
        fields = "، ".join(dict.fromkeys(d["loc"][-1] for d in details if d["loc"]))
        code = "invalid_json" if status == 400 else "invalid_request"
        return error_response(request, status, message, details, code=code,
                              params={"fields": fields} if fields else None)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return error_response(request, exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(request, 500, "internal server error (the details are in the server log)",
                              code="internal_error")


def docs_csp(page: str) -> str:
    """A Content-Security-Policy for the Swagger page: scripts from this server only, plus
    its one inline start-up script, allowed by its hash."""
    import base64
    import hashlib
    import re

    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
        for body in re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL))
    return (f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'")


class SecurityHeadersMiddleware:
    """``X-Content-Type-Options: nosniff`` on every answer (JSON, static files, pages)."""

    def __init__(self, app: Callable):
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-content-type-options"]
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuse request bodies over `max_bytes` with 413: by Content-Length before anything
    is read, or, for a chunked body, as soon as the bytes read pass the limit (the 413 is
    sent then, and the endpoint sees a disconnected client)."""

    def __init__(self, app: Callable, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        message = f"the request body is larger than {limit} bytes"
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = True
                if too_big:
                    response = JSONResponse(error_body(413, message), status_code=413)
                    await response(scope, receive, send)
                    return
        seen = 0
        started = refused = False

        async def limited_receive() -> dict:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            msg = await receive()
            if msg.get("type") == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    refused = True
                    if not started:
                        response = JSONResponse(error_body(413, message), status_code=413)
                        await response(scope, receive, send)
                    return {"type": "http.disconnect"}
            return msg

        async def guarded_send(msg: dict) -> None:
            nonlocal started
            if refused:
                return  # the 413 went out already
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        await self.app(scope, limited_receive, guarded_send)
