"""The Kutip web application: a JSON API under /api, HTML pages, OpenAPI docs at /docs.

Reading is open. Writing (``POST /api/articles``) needs ``Authorization: Bearer
<token>`` where the token comes from ``create_app(api_token=...)``, ``kutip serve
--token`` or ``$KUTIP_API_TOKEN``; with none configured writes are refused.
"""
from __future__ import annotations

import logging
import os
from contextlib import asynccontextmanager
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from kutip import __version__
from kutip.core.errors import KutipError
from kutip.web.render import STATIC_DIR, make_env

log = logging.getLogger("kutip.web")

DEFAULT_MAX_UPLOAD = 2 * 1024 * 1024
DEFAULT_EXTRACT_TIMEOUT = 30.0   # seconds one extraction may take before the answer is a 422

# Pages load only their own scripts and styles: no inline script, no CDN, no plugins.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
# Swagger UI sets some inline styles of its own.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")

API_DESCRIPTION = """\
Who said what, when, and who reported it, from Indonesian news.

Every article and statement follows the **statements-json contract**: character
offsets (`start`/`end`, cue and speaker mention offsets) index into the article's
`text`, end exclusive. List endpoints are paginated with `limit` and `offset` and
return `total`, `next` and `prev`.

Reading is open. `POST /api/articles` writes to the store and needs
`Authorization: Bearer <token>` (the token given to `kutip serve --token` or
`$KUTIP_API_TOKEN`). `POST /api/extract` only extracts and stores nothing.
"""


class SecurityHeaders:
    """Pure ASGI middleware adding CSP and related headers to every HTTP response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        csp = DOCS_CSP if path == "/docs" or path.startswith("/static/swagger/") else CSP

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for k, v in ((b"content-security-policy", csp.encode()),
                             (b"x-content-type-options", b"nosniff"),
                             (b"referrer-policy", b"same-origin"),
                             (b"x-frame-options", b"DENY")):
                    if k not in present:
                        headers.append((k, v))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestLimits:
    """Pure ASGI middleware refusing, before any route runs: a declared body larger than
    ``max_body`` (413), and a NUL character in the query string (422 under /api, else 400) or in
    the path (404). PostgreSQL cannot hold NUL in text, and no name, word or date contains one."""

    def __init__(self, app: Any, max_body: int, max_article: int) -> None:
        self.app = app
        self.max_body = int(max_body)  # the article limit plus room for a multipart form's framing
        self.max_article = int(max_article)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from urllib.parse import parse_qsl

        path = scope.get("path", "")
        is_api = path.startswith("/api") or path == "/openapi.json"
        status, detail = 0, ""
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            from kutip.web.inputs import too_large

            status, detail = 413, too_large(int(declared), self.max_article).detail
        elif "\x00" in path:
            status, detail = 404, "There is nothing at this address (it contains a NUL character)."
        else:
            qs = scope.get("query_string", b"").decode("latin-1")
            for key, value in parse_qsl(qs, keep_blank_values=True):
                if "\x00" in key or "\x00" in value:
                    status = 422 if is_api else 400
                    detail = (f"The query parameter `{key.replace(chr(0), '')[:40]}` contains a NUL character "
                              "(%00); remove it.")
                    break
        if not status:
            await self.app(scope, receive, send)
            return
        if status == 413 and int(declared) <= 16 * 1024 * 1024:  # read it so the client gets the answer
            more = True
            while more:
                message = await receive()
                more = message.get("type") == "http.request" and message.get("more_body", False)
        if is_api or status == 413:
            import json

            body = json.dumps({"detail": detail}).encode()
            ctype = b"application/json"
        else:
            from html import escape

            body = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error {status}"
                    f"</title></head><body><h1>Error {status}</h1><p>{escape(detail)}</p></body></html>").encode()
            ctype = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def resolve_token(api_token: Optional[str]) -> Optional[str]:
    """The write token: the argument if given (``""`` disables writes), else $KUTIP_API_TOKEN."""
    token = api_token if api_token is not None else os.environ.get("KUTIP_API_TOKEN")
    return token or None


def warm_extractor() -> None:
    """Load the extractor (lexicons, and the tagger when $KUTIP_MODEL says so) and run it once, so
    the first request does not pay for it."""
    from kutip import extract
    from kutip.config import extract_options

    extract("Budi mengatakan bahwa harga beras naik.", **extract_options())


def create_app(store: Any = None, *, db_url: Optional[str] = None, api_token: Optional[str] = None,
               max_upload_bytes: int = DEFAULT_MAX_UPLOAD, preload: bool = False,
               max_extractions: Optional[int] = None,
               extract_timeout: float = DEFAULT_EXTRACT_TIMEOUT) -> FastAPI:
    """Build the ASGI app around a :class:`kutip.store.Store` (opened from ``db_url`` if not given).
    ``preload``: warm the extractor at start-up (``kutip serve`` does), not on the first request.
    ``max_extractions``: extractions (POST /api/extract, /api/articles with text, /extract) that
    may run at once, default the number of CPUs; past it the answer is 503 with Retry-After.
    ``extract_timeout``: seconds one extraction may take before the answer is a 422."""
    from kutip.web.api import ExtractionLimiter

    limiter = ExtractionLimiter(max_extractions or os.cpu_count() or 1, extract_timeout)
    if store is None:
        from kutip.store import Store
        store = Store(url=db_url)

    @asynccontextmanager
    async def lifespan(_app):
        if preload:
            from starlette.concurrency import run_in_threadpool

            await run_in_threadpool(warm_extractor)
        yield
        limiter.executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="Kutip API", version=__version__, description=API_DESCRIPTION,
        docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=lifespan,
    )
    app.state.store = store
    app.state.api_token = resolve_token(api_token)
    app.state.max_upload_bytes = int(max_upload_bytes)
    app.state.extractions = limiter
    app.state.templates = make_env()

    from kutip.web.api import router as api_router
    from kutip.web.pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    try:  # mounted before /static, which would otherwise swallow /static/swagger/...
        from swagger_ui_bundle import swagger_ui_path
        app.mount("/static/swagger", StaticFiles(directory=str(swagger_ui_path)), name="swagger")
        has_swagger = True
    except ImportError:  # pragma: no cover - the dependency is declared; keep /docs working anyway
        has_swagger = False
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return render(request, "docs.html", {"has_swagger": has_swagger,
                                            "openapi": app.openapi() if not has_swagger else None})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    @app.get("/api", include_in_schema=False)
    def api_root() -> RedirectResponse:
        return RedirectResponse("/docs")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return error_page(request, exc.status_code, str(exc.detail) if exc.detail else None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        if _wants_json(request):
            errors = []
            for e in exc.errors():
                errors.append({"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")})
            return JSONResponse({"detail": errors}, status_code=422)
        if any(e.get("loc", ("",))[0] == "path" for e in exc.errors()):
            return error_page(request, 404, None)
        names = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
        return error_page(request, 400, "These values in the address are not valid: " + ", ".join(names) + ".")

    @app.exception_handler(KutipError)
    async def kutip_error(request: Request, exc: KutipError):
        if _wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=422)
        return error_page(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        log.exception("error while serving %s %s", request.method, request.url.path)
        msg = "Something went wrong on the server. The error has been logged; try again or report it."
        if _wants_json(request):
            return JSONResponse({"detail": msg}, status_code=500)
        return error_page(request, 500, msg)

    app.add_middleware(GZipMiddleware, minimum_size=2048)
    from kutip.web.inputs import MULTIPART_OVERHEAD

    app.add_middleware(RequestLimits, max_body=int(max_upload_bytes) + MULTIPART_OVERHEAD,
                       max_article=int(max_upload_bytes))
    app.add_middleware(SecurityHeaders)
    return app


def render(request: Request, template: str, context: dict, status_code: int = 200) -> HTMLResponse:
    env = request.app.state.templates
    ctx = {"request": request, "path": request.url.path, **context}
    html = env.get_template(template).render(**ctx)
    return HTMLResponse(html, status_code=status_code)


_TITLES = {400: "Bad request", 401: "Sign-in needed", 403: "Not allowed", 404: "Not found",
           405: "Method not allowed", 413: "Too large", 422: "Cannot process this input",
           500: "Server error", 503: "Busy"}


def error_page(request: Request, status: int, message: Optional[str]) -> HTMLResponse:
    if status == 404 and (not message or message == "Not Found"):
        message = "There is nothing at this address. It may have been removed, or the link is wrong."
    return render(request, "error.html", {"status": status, "title": _TITLES.get(status, "Error"),
                                          "message": message}, status_code=status)
