"""HTML pages: search, speakers, articles (highlighted), clusters, and extract-on-the-spot."""
from __future__ import annotations

import json
import re
from typing import Any, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from kutip.web.api import MAX_ID, date_bound, run_extract
from kutip.web.app import render
from kutip.web.inputs import read_article_input
from kutip.web.render import highlight, spread_chart, timeline_chart

router = APIRouter(include_in_schema=False)

PER_PAGE = 20
_ISO_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ID = re.compile(r"^[0-9]{1,19}$")  # ASCII digits only: int() also reads "²" or "٣"
KINDS = ("direct", "indirect", "mixed")


def _clean(value: Optional[str], n: int = 200) -> Optional[str]:
    if value is None:
        return None
    value = value.strip()[:n]
    return value or None


def _speaker_id(value: Optional[str]) -> Optional[int]:
    """The ``speaker_id`` filter of the search page: empty, or a speaker's id (else 400)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _ID.match(value) or not 1 <= int(value) <= MAX_ID:
        shown = value[:40] + ("..." if len(value) > 40 else "")
        raise HTTPException(400, f"The speaker_id {shown!r} is not a speaker's id: it must be a whole "
                                 f"number from 1 to {MAX_ID}.")
    return int(value)


def _page_number(value: Optional[str]) -> int:
    value = (value or "").strip()
    return max(1, min(int(value), 10_000)) if _ID.match(value) else 1


def _pager(request: Request, total: int, page: int, per_page: int) -> dict:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page" and v != ""]

    def link(p: int) -> str:
        return request.url.path + "?" + urlencode(params + [("page", p)])

    pages = max(1, -(-total // per_page))
    return {"page": page, "pages": pages, "total": total,
            "first": (page - 1) * per_page + 1 if total else 0,
            "last": min(total, page * per_page),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < pages else None}


def _not_found(what: str, ident: int) -> HTTPException:
    return HTTPException(404, f"There is no {what} with id {ident}. It may have been removed, or the link is wrong.")


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, q: Optional[str] = None, speaker: Optional[str] = None,
                affiliation: Optional[str] = None, outlet: Optional[str] = None, kind: Optional[str] = None,
                speaker_id: Optional[str] = None, page: Optional[str] = None) -> HTMLResponse:
    store = request.app.state.store
    qp = request.query_params
    form = {"q": _clean(q, 500), "speaker": _clean(speaker), "affiliation": _clean(affiliation),
            "outlet": _clean(outlet), "kind": kind if kind in KINDS else None,
            "from": _clean(qp.get("from"), 10), "to": _clean(qp.get("to"), 10)}
    notes = []
    for key in ("from", "to"):
        if form[key] and not _ISO_PARTIAL.match(form[key]):
            notes.append(f"Ignored the “{key}” date {form[key]!r}: write it as YYYY, YYYY-MM or YYYY-MM-DD.")
            form[key] = None
    sid = _speaker_id(speaker_id)
    speaker_name = None
    if sid is not None:
        sp = store.speaker(sid)
        speaker_name = sp.get("name") if sp else None
    pg = _page_number(page)
    result = store.search(form["q"], speaker_id=sid, speaker=form["speaker"], affiliation=form["affiliation"],
                          outlet=form["outlet"], kind=form["kind"],
                          date_from=date_bound(form["from"], upper=False),
                          date_to=date_bound(form["to"], upper=True),
                          limit=PER_PAGE, offset=(pg - 1) * PER_PAGE)
    filtered = any(v for v in form.values()) or sid is not None
    return render(request, "search.html", {
        "speaker_id": sid, "speaker_name": speaker_name,
        "form": form, "notes": notes, "items": result.get("items", []),
        "pg": _pager(request, int(result.get("total", 0)), pg, PER_PAGE), "filtered": filtered,
        "stats": store.stats(), "kinds": KINDS,
    })


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(request: Request, q: Optional[str] = None, page: Optional[str] = None) -> HTMLResponse:
    pg = _page_number(page)
    q = _clean(q)
    result = request.app.state.store.speakers(q, limit=50, offset=(pg - 1) * 50)
    return render(request, "speakers.html", {"q": q, "items": result.get("items", []),
                                             "pg": _pager(request, int(result.get("total", 0)), pg, 50)})


@router.get("/speakers/{speaker_id}", response_class=HTMLResponse)
def speaker_page(request: Request, speaker_id: int = Path(ge=1, le=MAX_ID)) -> HTMLResponse:
    sp = request.app.state.store.speaker(speaker_id)
    if sp is None:
        raise _not_found("speaker", speaker_id)
    return render(request, "speaker.html", {"sp": sp, "chart": timeline_chart(sp.get("timeline") or [])})


def _list_page(request: Request, page: Optional[str], fetch, template: str, per_page: int = 50) -> HTMLResponse:
    """A paginated list page: one store listing, 50 rows a page."""
    pg = _page_number(page)
    result = fetch(limit=per_page, offset=(pg - 1) * per_page)
    return render(request, template, {"items": result.get("items", []),
                                      "pg": _pager(request, int(result.get("total", 0)), pg, per_page)})


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, page: Optional[str] = None) -> HTMLResponse:
    return _list_page(request, page, request.app.state.store.articles, "articles.html")


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int = Path(ge=1, le=MAX_ID)) -> HTMLResponse:
    art = request.app.state.store.article(article_id)
    if art is None:
        raise _not_found("article", article_id)
    statements = art.get("statements") or []
    return render(request, "article.html", {
        "art": art, "meta": art.get("metadata") or {}, "statements": statements,
        "highlighted": highlight(art.get("text") or "", statements, anchor_prefix="s-"),
    })


@router.get("/clusters", response_class=HTMLResponse)
def clusters_page(request: Request, page: Optional[str] = None) -> HTMLResponse:
    return _list_page(request, page, request.app.state.store.clusters, "clusters.html")


@router.get("/clusters/{cluster_id}", response_class=HTMLResponse)
def cluster_page(request: Request, cluster_id: int = Path(ge=1, le=MAX_ID)) -> HTMLResponse:
    cl = request.app.state.store.cluster(cluster_id)
    if cl is None:
        raise _not_found("cluster", cluster_id)
    members = sorted(cl.get("members") or [], key=lambda m: (m.get("date") or "9999", m.get("outlet") or ""))
    return render(request, "cluster.html", {"cl": cl, "members": members, "chart": spread_chart(members)})


@router.get("/extract", response_class=HTMLResponse)
def extract_form(request: Request) -> HTMLResponse:
    return render(request, "extract.html", {"form": {}, "result": None, "error": None,
                                            "limit": request.app.state.max_upload_bytes})


@router.post("/extract", response_class=HTMLResponse)
async def extract_submit(request: Request) -> HTMLResponse:
    limit = request.app.state.max_upload_bytes
    form: dict[str, Any] = {}
    try:
        inp = await read_article_input(request, limit, allow_contract=False)
        form = {"text": inp.text if inp.source is None else "", "published": inp.published or "",
                "outlet": inp.outlet or "", "url": inp.url or ""}
        result = await run_extract(request, inp)
    except HTTPException as exc:
        page = render(request, "extract.html", {"form": form, "result": None, "error": exc.detail,
                                                "limit": limit}, status_code=exc.status_code)
        page.headers.update(exc.headers or {})
        return page
    d = result.to_dict()
    statements = d["statements"]
    highlighted = await run_in_threadpool(highlight, d["text"], statements, anchor_prefix="x-")
    return render(request, "extract.html", {
        "form": form, "result": d, "meta": d.get("metadata") or {}, "statements": statements,
        "highlighted": highlighted, "source": inp.source, "error": None, "limit": limit,
        "as_json": json.dumps(d, ensure_ascii=False, indent=1),
    })
