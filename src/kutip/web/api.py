"""The JSON API under /api. Article and statement objects follow the statements-json contract."""
from __future__ import annotations

import asyncio
import calendar
import hmac
from datetime import date
from typing import Any, Literal, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from kutip.core.errors import KutipError, KutipInputError, KutipTimeoutError
from kutip.web.inputs import ArticleInput, read_article_input

router = APIRouter(prefix="/api")

ISO_PARTIAL = r"^\d{4}(-\d{2}(-\d{2})?)?$"
MAX_LIMIT = 100
MAX_ID = 2**63 - 1          # ids are 64-bit integers in the store; a larger one cannot exist
MAX_OFFSET = 1_000_000_000  # far past any store's size; keeps OFFSET a 64-bit integer everywhere


# --------------------------------------------------------------------------- models (for OpenAPI)

class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class CueOut(_Open):
    text: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None


class SpeakerOut(_Open):
    mention: Optional[str] = None
    mention_start: Optional[int] = None
    mention_end: Optional[int] = None
    name: Optional[str] = None
    type: Optional[str] = None
    role: Optional[str] = None
    affiliation: Optional[str] = None


class DateOut(_Open):
    text: Optional[str] = None
    value: Optional[str] = None


class StatementOut(_Open):
    """One statement as in the contract; offsets index into the article's `text`."""
    kind: str = Field(description="direct, indirect or mixed")
    text: str
    start: int
    end: int
    cue: Optional[CueOut] = None
    speaker: Optional[SpeakerOut] = None
    date: Optional[DateOut] = None
    location: Optional[str] = None
    event: Optional[str] = None
    confidence: Optional[float] = None


class StoredStatementOut(StatementOut):
    id: int
    speaker_id: Optional[int] = None
    cluster_id: Optional[int] = None


class StatementRowOut(StoredStatementOut):
    """A statement found by search, with its article's outlet, title and address."""
    article_id: int
    outlet: Optional[str] = None
    article_title: Optional[str] = None
    article_url: Optional[str] = None
    date_value: Optional[str] = None


class PageInfo(BaseModel):
    total: int
    limit: int
    offset: int
    count: int = Field(description="number of items in this page")
    next: Optional[str] = Field(None, description="address of the next page, null on the last")
    prev: Optional[str] = Field(None, description="address of the previous page, null on the first")


class StatementPage(PageInfo):
    items: list[StatementRowOut]


class SpeakerSummary(_Open):
    id: int
    name: Optional[str] = None
    type: Optional[str] = None
    name_forms: list[Any] = []
    roles: list[Any] = []
    affiliations: list[Any] = []
    statement_count: int = 0
    first_date: Optional[str] = None
    last_date: Optional[str] = None


class SpeakerPage(PageInfo):
    items: list[SpeakerSummary]


class SpeakerDetail(SpeakerSummary):
    roles_over_time: list[dict[str, Any]] = []
    timeline: list[dict[str, Any]] = Field([], description='[{"date": ISO day, "count": n}]')
    statements: list[StatementRowOut] = []


class ArticleSummary(_Open):
    id: int
    title: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    url: Optional[str] = None
    statement_count: int = 0


class ArticlePage(PageInfo):
    items: list[ArticleSummary]


class ArticleOut(_Open):
    """A stored article: the contract object plus its id and provenance."""
    id: int
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    source: Optional[str] = None
    text: str
    metadata: dict[str, Any] = {}
    statements: list[StoredStatementOut] = []


class ExtractedOut(_Open):
    """The statements-json contract object for one article."""
    source: Optional[str] = None
    text: str
    metadata: dict[str, Any]
    statements: list[StatementOut]


class ClusterMember(_Open):
    statement_id: int
    article_id: int
    outlet: Optional[str] = None
    date: Optional[str] = None
    text: str
    speaker_id: Optional[int] = None
    speaker_name: Optional[str] = None


class ClusterOut(_Open):
    id: int
    text: Optional[str] = None
    members: list[ClusterMember] = []
    outlets: list[Any] = []
    first_date: Optional[str] = None
    last_date: Optional[str] = None


class StatsOut(_Open):
    articles: int
    statements: int
    speakers: int
    clusters: int
    outlets: int


class IngestOut(BaseModel):
    id: int
    status: Literal["created", "updated", "unchanged"]
    statements: int
    url: str = Field(description="API address of the stored article")
    html_url: str = Field(description="web page of the stored article")


class ExtractRequest(BaseModel):
    text: str = Field(description="the article as plain text or HTML")
    published: Optional[str] = Field(None, description="publication date, ISO (2023-01-18)")
    url: Optional[str] = None
    outlet: Optional[str] = None
    source: Optional[str] = None


class ErrorOut(BaseModel):
    detail: Any


ERRORS = {404: {"model": ErrorOut, "description": "Not found"}}

_FILE_FORM = {
    "type": "object",
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "a .txt or .html article"},
        "text": {"type": "string", "description": "or the article pasted as text/HTML"},
        "published": {"type": "string"}, "url": {"type": "string"}, "outlet": {"type": "string"},
    },
}


def _body_doc(*, contract: bool) -> dict:
    json_schema: dict = ExtractRequest.model_json_schema()
    if contract:
        json_schema = {"oneOf": [json_schema, {
            "type": "object", "description": "an already-extracted statements-json article",
            "required": ["text", "statements"],
            "properties": {"text": {"type": "string"}, "metadata": {"type": "object"},
                           "statements": {"type": "array", "items": {"type": "object"}},
                           "url": {"type": "string"}, "outlet": {"type": "string"},
                           "published": {"type": "string"}}}]}
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": json_schema},
        "multipart/form-data": {"schema": _FILE_FORM},
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
    }}}


# --------------------------------------------------------------------------- helpers

def store_of(request: Request) -> Any:
    return request.app.state.store


def page_links(request: Request, total: int, limit: int, offset: int) -> dict:
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")]

    def link(off: int) -> str:
        return request.url.path + "?" + urlencode(params + [("limit", limit), ("offset", off)])

    return {
        "total": total, "limit": limit, "offset": offset,
        "next": link(offset + limit) if offset + limit < total else None,
        "prev": link(max(0, offset - limit)) if offset > 0 else None,
    }


def paged(request: Request, result: dict, limit: int, offset: int) -> dict:
    # the store's page data are JSON values already (str, int, float, None, lists, dicts): the
    # response model serialises them as they are (FastAPI's jsonable_encoder cost 3 ms a page of 20)
    items = result.get("items", [])
    return {**page_links(request, int(result.get("total", 0)), limit, offset), "count": len(items),
            "items": items}


def date_bound(value: Optional[str], *, upper: bool) -> Optional[str]:
    """Widen a year or year-month to the first (or last) day it covers; check the date is real
    (422 naming the parameter, ``from`` or ``to``)."""
    if not value:
        return None
    parts = value.split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else (12 if upper else 1)
        d = int(parts[2]) if len(parts) > 2 else (calendar.monthrange(y, m)[1] if upper else 1)
        return date(y, m, d).isoformat()
    except (ValueError, IndexError, calendar.IllegalMonthError):
        name = "to" if upper else "from"
        raise KutipInputError(f"`{name}`: {value!r} is not a date: write it as YYYY, YYYY-MM or YYYY-MM-DD "
                              "(a real one, year 1 to 9999).") from None


def not_found(what: str, ident: int) -> HTTPException:
    return HTTPException(404, f"No {what} with id {ident}.")


bearer = HTTPBearer(auto_error=False, description="The write token of this server (kutip serve --token)")


def require_token(request: Request,
                  credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> None:
    """Writes need `Authorization: Bearer <token>` matching the server's token."""
    token = request.app.state.api_token
    if not token:
        raise HTTPException(403, (
            "Writing through the API is disabled on this server: no API token is configured. "
            "Start it with `kutip serve --token TOKEN` (or set KUTIP_API_TOKEN) and send "
            "`Authorization: Bearer TOKEN`."))
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise HTTPException(401, "This endpoint writes to the store and needs `Authorization: Bearer <token>`.",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(credentials.credentials.encode("utf-8", "surrogatepass"),
                               token.encode("utf-8", "surrogatepass")):
        raise HTTPException(403, "The API token is not valid for this server.")


async def run_extract(request: Request, inp: ArticleInput) -> Any:
    """Extract one article in a worker thread, within the server's limits: at most
    ``max_extractions`` at once (past that 503 with Retry-After) and ``extract_timeout`` seconds
    each (past that 422). The core's own time budget (``extract(time_budget=)``) stops the work in
    its thread soon after; until it does, the extraction keeps its slot, so no more than
    ``max_extractions`` ever run at once."""
    from kutip import extract
    from kutip.config import extract_options

    limiter: ExtractionLimiter = request.app.state.extractions
    if not limiter.try_acquire():
        raise HTTPException(503, (
            f"The server is busy: all {limiter.capacity} of its extraction slots are in use. "
            f"Try again in {limiter.retry_after} s."), headers={"Retry-After": str(limiter.retry_after)})
    options = extract_options()

    def work() -> Any:
        try:
            return extract(inp.text, published=inp.published, source=inp.source, url=inp.url,
                           outlet=inp.outlet, time_budget=limiter.timeout, **options)
        finally:
            limiter.release()

    future = asyncio.get_running_loop().run_in_executor(limiter.executor, work)
    too_long = HTTPException(422, (
        f"Extracting this article took longer than {limiter.timeout:g} s, this server's limit "
        "per article. Send a shorter text, or run `kutip extract FILE` locally."))
    try:
        return await asyncio.wait_for(asyncio.shield(future), timeout=limiter.timeout)
    except asyncio.TimeoutError:
        future.add_done_callback(_discard)
        raise too_long from None
    except KutipTimeoutError:
        raise too_long from None
    except KutipError as exc:
        raise HTTPException(422, str(exc)) from None


def _discard(future: "asyncio.Future") -> None:
    if not future.cancelled():
        future.exception()  # retrieved, so a late error is not reported as never retrieved


class ExtractionLimiter:
    """How many extractions may run at once, and for how long each, with the threads they run in."""

    def __init__(self, capacity: int, timeout: float, retry_after: int = 2) -> None:
        import threading
        from concurrent.futures import ThreadPoolExecutor

        if capacity < 1:
            raise ValueError("max_extractions must be at least 1")
        if not timeout > 0:
            raise ValueError("extract_timeout must be a positive number of seconds")
        self.capacity, self.timeout, self.retry_after = int(capacity), float(timeout), int(retry_after)
        self.running = 0
        self._lock = threading.Lock()
        self.executor = ThreadPoolExecutor(max_workers=self.capacity, thread_name_prefix="kutip-extract")

    def try_acquire(self) -> bool:
        with self._lock:
            if self.running >= self.capacity:
                return False
            self.running += 1
            return True

    def release(self) -> None:
        with self._lock:
            self.running -= 1


# --------------------------------------------------------------------------- read endpoints

Limit = Query(20, ge=1, le=MAX_LIMIT, description=f"page size (1-{MAX_LIMIT})")
Offset = Query(0, ge=0, le=MAX_OFFSET, description=f"items to skip (0-{MAX_OFFSET})")


@router.get("/statements", response_model=StatementPage, tags=["read"])
def search_statements(
    request: Request,
    q: Optional[str] = Query(None, max_length=500, description="words to find in statements"),
    speaker: Optional[str] = Query(None, max_length=200, description="speaker name (any of its forms)"),
    speaker_id: Optional[int] = Query(None, ge=1, le=MAX_ID, description="a speaker's id"),
    affiliation: Optional[str] = Query(None, max_length=200),
    outlet: Optional[str] = Query(None, max_length=200),
    kind: Optional[Literal["direct", "indirect", "mixed"]] = None,
    date_from: Optional[str] = Query(None, alias="from", pattern=ISO_PARTIAL,
                                     description="earliest date: YYYY, YYYY-MM or YYYY-MM-DD"),
    date_to: Optional[str] = Query(None, alias="to", pattern=ISO_PARTIAL,
                                   description="latest date: YYYY, YYYY-MM or YYYY-MM-DD"),
    limit: int = Limit,
    offset: int = Offset,
) -> dict:
    """Search statements by words, speaker, affiliation, outlet, kind and date range."""
    result = store_of(request).search(
        q or None, speaker_id=speaker_id, speaker=speaker or None, affiliation=affiliation or None,
        outlet=outlet or None, kind=kind, date_from=date_bound(date_from, upper=False),
        date_to=date_bound(date_to, upper=True), limit=limit, offset=offset)
    return paged(request, result, limit, offset)


@router.get("/speakers", response_model=SpeakerPage, tags=["read"])
def list_speakers(request: Request, q: Optional[str] = Query(None, max_length=200),
                  limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Offset) -> dict:
    """Speakers (people and organisations), most quoted first, optionally filtered by name."""
    return paged(request, store_of(request).speakers(q or None, limit=limit, offset=offset), limit, offset)


@router.get("/speakers/{speaker_id}", response_model=SpeakerDetail, responses=ERRORS, tags=["read"])
def get_speaker(request: Request, speaker_id: int = Path(ge=1, le=MAX_ID)) -> dict:
    """One speaker: name forms, roles over time, a timeline of counts and all their statements."""
    sp = store_of(request).speaker(speaker_id)
    if sp is None:
        raise not_found("speaker", speaker_id)
    return sp


@router.get("/articles", response_model=ArticlePage, tags=["read"])
def list_articles(request: Request, limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Offset) -> dict:
    """Stored articles, newest first."""
    return paged(request, store_of(request).articles(limit=limit, offset=offset), limit, offset)


@router.get("/articles/{article_id}", response_model=ArticleOut, responses=ERRORS, tags=["read"])
def get_article(request: Request, article_id: int = Path(ge=1, le=MAX_ID)) -> dict:
    """One stored article as a contract object (text, metadata, statements) with ids."""
    art = store_of(request).article(article_id)
    if art is None:
        raise not_found("article", article_id)
    return art


class ClusterSummary(_Open):
    id: int
    text: Optional[str] = None
    size: int = 0


class ClusterPage(PageInfo):
    items: list[ClusterSummary]


@router.get("/clusters", response_model=ClusterPage, tags=["read"])
def list_clusters(request: Request, limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Offset) -> dict:
    """Quote clusters (one quote carried by several reports), largest first."""
    return paged(request, store_of(request).clusters(limit=limit, offset=offset), limit, offset)


@router.get("/clusters/{cluster_id}", response_model=ClusterOut, responses=ERRORS, tags=["read"])
def get_cluster(request: Request, cluster_id: int = Path(ge=1, le=MAX_ID)) -> dict:
    """A quote carried by several reports: which outlets, when, and who said it."""
    cl = store_of(request).cluster(cluster_id)
    if cl is None:
        raise not_found("cluster", cluster_id)
    return cl


@router.get("/stats", response_model=StatsOut, tags=["read"])
def stats(request: Request) -> dict:
    """How many articles, statements, speakers, clusters and outlets the store holds."""
    return store_of(request).stats()


# --------------------------------------------------------------------------- extract and write

@router.post("/extract", response_model=ExtractedOut, tags=["extract"], openapi_extra=_body_doc(contract=False),
             responses={413: {"model": ErrorOut, "description": "Article too large"},
                        415: {"model": ErrorOut, "description": "Unsupported content type"},
                        422: {"model": ErrorOut, "description": "Empty, unreadable or invalid input, or "
                                                              "extraction past the time budget"},
                        503: {"model": ErrorOut, "description": "All extraction slots busy (see Retry-After)"}})
async def extract_article(request: Request) -> Any:
    """Extract the statements of one article on the spot (nothing is stored; no token needed).

    Send JSON `{"text": ..., "published": ..., "outlet": ..., "url": ...}`, a
    `text/plain` or `text/html` body (metadata in the query string), or a
    multipart form with a `file` (or `text`) field.
    """
    inp = await read_article_input(request, request.app.state.max_upload_bytes, allow_contract=False)
    result = await run_extract(request, inp)
    return result.to_dict()


@router.post("/articles", response_model=IngestOut, status_code=201, tags=["write"],
             dependencies=[Depends(require_token)], openapi_extra=_body_doc(contract=True),
             responses={200: {"model": IngestOut, "description": "Already stored (updated or unchanged)"},
                        401: {"model": ErrorOut, "description": "No token sent"},
                        403: {"model": ErrorOut, "description": "Wrong token, or writes disabled"},
                        413: {"model": ErrorOut, "description": "Article too large"},
                        422: {"model": ErrorOut, "description": "Empty, unreadable or invalid input (an "
                                                              "extracted article that breaks the contract), "
                                                              "or extraction past the time budget"},
                        503: {"model": ErrorOut, "description": "All extraction slots busy (see Retry-After)"}})
async def ingest_article(request: Request) -> Any:
    """Store an article (needs `Authorization: Bearer <token>`).

    Send the article like `/api/extract` does (it is extracted first), or an
    already-extracted statements-json object (with `statements`). Returns 201
    when created, 200 when the article was already there.
    """
    from kutip.core.model import ExtractedArticle

    inp = await read_article_input(request, request.app.state.max_upload_bytes, allow_contract=True)
    if inp.contract is not None:
        try:
            result = ExtractedArticle.from_dict(inp.contract)
        except (TypeError, KeyError, ValueError) as exc:
            raise HTTPException(422, f"Not a statements-json article: {exc}") from None
    else:
        result = await run_extract(request, inp)
    store = store_of(request)
    try:
        article_id, status = await run_in_threadpool(
            store.add_article, result, url=inp.url, outlet=inp.outlet, published=inp.published)
    except KutipError as exc:
        raise HTTPException(422, str(exc)) from None
    body = {"id": article_id, "status": status, "statements": len(result.statements),
            "url": f"/api/articles/{article_id}", "html_url": f"/articles/{article_id}"}
    return JSONResponse(body, status_code=201 if status == "created" else 200,
                        headers={"Location": f"/api/articles/{article_id}"})
