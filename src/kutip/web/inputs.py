"""Reading an article sent to the server: JSON, a raw text/HTML body, or a form with a file.

Bodies are read with a size cap (413 past it) and decoded with clear 4xx
messages for empty, binary or undecodable input.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect

MULTIPART_OVERHEAD = 64 * 1024
DRAIN_LIMIT = 16 * 1024 * 1024
MAX_JSON_DEPTH = 64       # nesting of arrays/objects in a JSON body (the contract needs 4)
# a JSON string, once escaped backslashes and quotes are gone: a failed match can only start at
# the last quote, so one pass is linear whatever the body
_JSON_STRING = re.compile(rb'"[^"]*"')
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_SQUARE = bytes.maketrans(b"{}", b"[]")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ArticleInput:
    text: Optional[str] = None
    contract: Optional[dict] = None  # an already-extracted statements-json article
    published: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    source: Optional[str] = None


def too_large(size: Optional[int], limit: int) -> HTTPException:
    got = f"{size} bytes" if size is not None else "more than that"
    return HTTPException(413, (
        f"The article is too large ({got}); this server accepts at most {limit} bytes "
        f"({limit // 1024} KiB). Send a shorter text, or run `kutip extract FILE` locally."))


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 once it passes ``limit`` bytes (400 when the client stops sending
    before the end of the body it announced)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        size = int(declared)
        if size <= DRAIN_LIMIT:  # read it anyway so the client gets the answer, not a reset
            try:
                async for _ in request.stream():
                    pass
            except ClientDisconnect:
                pass
        raise too_large(size, limit)
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large(None, limit)
            chunks.append(chunk)
    except ClientDisconnect:
        raise HTTPException(400, "The request body ended before the length it announced "
                                 "(Content-Length); send the whole body.") from None
    return b"".join(chunks)


def decode_bytes(data: bytes, what: str, charset: Optional[str] = None) -> str:
    """Decode an uploaded file or raw body as text (UTF-8, UTF-16 with BOM, or Windows-1252)."""
    if not data.strip():
        raise HTTPException(422, f"{what} is empty: send the article's text or HTML.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" in data[:4096]:
        raise HTTPException(422, f"{what} looks like a binary file, not text or HTML. "
                                 "Convert it to plain text or HTML first.")
    encodings = [charset] if charset else []
    encodings += ["utf-8-sig", "cp1252"]
    for enc in encodings:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise HTTPException(422, f"{what} cannot be decoded as text; save it as UTF-8 and send it again.")


def check_text(text: Any, what: str = "text") -> str:
    if not isinstance(text, str):
        raise HTTPException(422, f"`{what}` must be a string holding the article's text or HTML.")
    if not text.strip():
        raise HTTPException(422, f"`{what}` is empty: send the article's text or HTML.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise HTTPException(422, f"`{what}` contains invalid Unicode (an unpaired surrogate); "
                                 "send it as valid UTF-8.") from None
    return text


def check_published(value: Any) -> Optional[str]:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _ISO_DAY.match(value.strip()):
        raise HTTPException(422, f"`published` must be an ISO date like 2023-01-18, not {str(value)[:40]!r}.")
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        raise HTTPException(422, f"`published` is not a real date: {value[:40]!r}.") from None
    return value.strip()


def too_deep(body: bytes, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects nest more than ``max_depth`` deep in a JSON text, found without
    parsing it: strings are dropped (brackets inside them do not count), then each pass removes
    the innermost pairs of brackets; a pair still there after ``max_depth`` passes is too deep.
    All in C: at most about 0.15 s for a 2 MiB body of tiny strings, a few ms for an article."""
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"").replace(b'""', b"")
    brackets = _JSON_STRING.sub(b"", unescaped).translate(_SQUARE, _NOT_BRACKET)
    for _ in range(max_depth):
        inner = brackets.replace(b"[]", b"")
        if inner == brackets:
            break
        brackets = inner
    # still a pair, or more openers in a row than allowed (never closed: invalid, but refused here)
    return b"[]" in brackets or b"[" * (max_depth + 1) in brackets


def parse_json(body: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """A JSON body, or 422 when it is not JSON, not UTF-8, or nests deeper than ``max_depth``."""
    if too_deep(body, max_depth):
        raise HTTPException(422, f"The JSON body nests arrays or objects more than {max_depth} levels deep; "
                                 f"at most {max_depth} are accepted.")
    try:
        return json.loads(body.decode("utf-8-sig"))
    except RecursionError:  # the scan refuses these first; kept as a second line of defence
        raise HTTPException(422, f"The JSON body nests arrays or objects too many levels deep; at most "
                                 f"{max_depth} are accepted.") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(422, f"The body is not valid JSON ({exc}).") from None


def _opt_str(value: Any, name: str) -> Optional[str]:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise HTTPException(422, f"`{name}` must be a string.")
    if len(value) > 2000:
        raise HTTPException(422, f"`{name}` is too long (at most 2000 characters).")
    if "\x00" in value:
        raise HTTPException(422, f"`{name}` contains a NUL character; remove it.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise HTTPException(422, f"`{name}` contains invalid Unicode (an unpaired surrogate); "
                                 "send it as valid UTF-8.") from None
    return value


def _check_contract(d: dict) -> dict:
    """Strict checks on an uploaded statements-json article (kutip.web.contract), then the
    contract's own fields."""
    from kutip.web.contract import check_contract

    check_text(d.get("text"))
    if not isinstance(d.get("statements"), list):
        raise HTTPException(422, "`statements` must be a list of statement objects.")
    out = check_contract(d)
    try:
        json.dumps(out, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise HTTPException(422, "The article contains invalid Unicode (an unpaired surrogate).") from None
    return out


async def read_article_input(request: Request, limit: int, *, allow_contract: bool) -> ArticleInput:
    """Parse a JSON body, a text/plain or text/html body, or a (multipart) form."""
    ctype = request.headers.get("content-type", "")
    mime = ctype.split(";")[0].strip().lower()
    q = request.query_params
    if mime == "multipart/form-data" or mime == "application/x-www-form-urlencoded":
        body = await read_body(request, limit + MULTIPART_OVERHEAD)
        return await _from_form(request, body, limit)
    body = await read_body(request, limit)
    if mime == "application/json" or mime.endswith("+json"):
        d = parse_json(body)
        if not isinstance(d, dict):
            raise HTTPException(422, 'Send a JSON object such as {"text": "..."}.')
        meta = d.get("metadata") if isinstance(d.get("metadata"), dict) else {}
        inp = ArticleInput(
            published=check_published(d.get("published", meta.get("published"))),
            url=_opt_str(d.get("url", meta.get("url")), "url"),
            outlet=_opt_str(d.get("outlet", meta.get("outlet")), "outlet"),
            source=_opt_str(d.get("source"), "source"),
        )
        if "statements" in d:
            if not allow_contract:
                raise HTTPException(422, "This endpoint extracts statements itself: send only `text`.")
            inp.contract = _check_contract(d)
        else:
            inp.text = check_text(d.get("text"))
        return inp
    if mime.startswith("text/") or mime == "":
        m = re.search(r"charset=([\w.-]+)", ctype, re.I)
        text = decode_bytes(body, "The body", m.group(1) if m else None)
        return ArticleInput(text=check_text(text), published=check_published(q.get("published")),
                            url=_opt_str(q.get("url"), "url"), outlet=_opt_str(q.get("outlet"), "outlet"),
                            source=_opt_str(q.get("source"), "source"))
    raise HTTPException(415, (
        f"Unsupported content type {mime!r}. Send JSON {{\"text\": ...}}, a text/plain or "
        "text/html body, or a multipart form with a `file` or `text` field."))


async def _from_form(request: Request, body: bytes, limit: int) -> ArticleInput:
    async def replay() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    replayed = Request(request.scope, replay)
    try:
        form = await replayed.form(max_files=2, max_fields=20, max_part_size=limit + MULTIPART_OVERHEAD + 1)
    except HTTPException:
        raise
    except Exception as exc:  # malformed multipart
        raise HTTPException(422, f"The form could not be read ({exc}).") from None
    try:
        file = form.get("file")
        text: Optional[str] = None
        source = None
        if isinstance(file, UploadFile) and (file.filename or file.size):
            data = await file.read(limit + 1)
            if len(data) > limit:
                raise too_large(len(data), limit)
            source = file.filename or None
            text = decode_bytes(data, f"The file {file.filename or ''}".rstrip())
        else:
            value = form.get("text")
            if isinstance(value, str):
                if len(value.encode("utf-8", "surrogatepass")) > limit:
                    raise too_large(len(value.encode("utf-8", "surrogatepass")), limit)
                text = value
        if text is None or not text.strip():
            raise HTTPException(422, "Nothing to extract: paste the article's text or HTML, or choose a file.")

        def field(name: str) -> Any:
            v = form.get(name)
            return v if isinstance(v, str) else None

        return ArticleInput(text=check_text(text), published=check_published(field("published")),
                            url=_opt_str(field("url"), "url"), outlet=_opt_str(field("outlet"), "outlet"),
                            source=source or _opt_str(field("source"), "source"))
    finally:
        await form.close()
