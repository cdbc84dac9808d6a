"""What `kutip ingest` reads: files, directories, JSONL, RSS/Atom feeds (file or URL)
and single URLs, expanded into one job per article.

Expansion never raises for one bad input: it yields a :class:`Job` carrying the
error instead, so the batch goes on and the summary lists what failed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Iterable, Iterator, Optional

from kutip.core.errors import KutipInputError
from kutip.core.decode import decode_bytes
from kutip.sources.files import ARTICLE_SUFFIXES as READ_SUFFIXES, max_bytes_from_env, read_document, walk

ARTICLE_SUFFIXES = set(READ_SUFFIXES)
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
DEFAULT_TIMEOUT = 20.0
USER_AGENT = "kutip/0.1 (+https://github.com/kutip; statement knowledge base)"


@dataclass
class Job:
    """One article to extract. Exactly one of ``path``, ``content`` or ``fetch`` says where its text is."""

    source: str
    path: Optional[str] = None
    content: Optional[str] = None
    fetch: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    title: Optional[str] = None
    error: Optional[str] = None
    extra: dict = field(default_factory=dict)


def is_url(s: str) -> bool:
    return bool(re.match(r"^https?://", s.strip(), re.I))


def decode(data: bytes, source: str) -> str:
    """Bytes to text with the one decoder (binary, encoding and size checks; KUTIP_MAX_BYTES)."""
    try:
        return decode_bytes(data, source=source, max_bytes=max_bytes_from_env())
    except KutipInputError as exc:
        raise ValueError(str(exc)) from None


def feed_date(entry) -> Optional[str]:
    for key in ("published", "updated", "created"):
        v = entry.get(key)
        if not v:
            continue
        try:
            return parsedate_to_datetime(v).date().isoformat()
        except Exception:
            pass
        m = re.match(r"(\d{4}-\d{2}-\d{2})", v)
        if m:
            return m.group(1)
    for key in ("published_parsed", "updated_parsed"):
        t = entry.get(key)
        if t:
            return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
    return None


def looks_like_feed(text: str) -> bool:
    head = text[:2000].lstrip("\ufeff \t\r\n").lower()
    return bool(re.search(r"<rss[\s>]|<feed[\s>]|<rdf:rdf[\s>]", head))


def feed_jobs(text: str, source: str, outlet: Optional[str] = None) -> Iterator[Job]:
    """One job per feed item: its page is fetched later (by the worker)."""
    import feedparser

    parsed = feedparser.parse(text)
    if not parsed.entries:
        why = f": {parsed.get('bozo_exception')}" if parsed.get("bozo") else ""
        yield Job(source=source, error=f"{source}: no items in the feed{why}")
        return
    feed_title = (parsed.feed.get("title") or "").strip() or None
    for n, e in enumerate(parsed.entries, 1):
        link = (e.get("link") or "").strip()
        src = f"{source}#{n}"
        if not link or not is_url(link):
            yield Job(source=src, error=f"{src}: feed item without an http(s) link")
            continue
        yield Job(source=link, fetch=link, url=link, outlet=outlet or feed_title, published=feed_date(e),
                  title=(e.get("title") or None))


def jsonl_jobs(path: str, outlet: Optional[str] = None) -> Iterator[Job]:
    """One job per line: {"url", "outlet", "published", "html" or "text"}."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield Job(source=path, error=f"{path}: cannot read: {exc.strerror or exc}")
        return
    with fh:
        for n, raw in enumerate(fh, 1):
            src = f"{path}:{n}"
            if not raw.strip():
                continue
            try:
                d = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield Job(source=src, error=f"{src}: not a JSON object ({exc})")
                continue
            if not isinstance(d, dict):
                yield Job(source=src, error=f"{src}: a line must be a JSON object with html or text")
                continue
            content = d.get("html") if isinstance(d.get("html"), str) and d.get("html").strip() else d.get("text")
            url = d.get("url") if isinstance(d.get("url"), str) and d.get("url").strip() else None
            if not isinstance(content, str) or not content.strip():
                if url and is_url(url):
                    yield Job(source=url, fetch=url, url=url, outlet=outlet or _s(d.get("outlet")),
                              published=_s(d.get("published")), title=_s(d.get("title")))
                else:
                    yield Job(source=src, error=f"{src}: no 'html' or 'text' (and no URL to fetch)")
                continue
            yield Job(source=url or src, content=content, url=url, outlet=outlet or _s(d.get("outlet")),
                      published=_s(d.get("published")), title=_s(d.get("title")))


def _s(v) -> Optional[str]:
    if v is None:
        return None
    v = str(v).strip()
    return v or None


def fetch_text(url: str, timeout: float = DEFAULT_TIMEOUT) -> tuple[str, str]:
    """GET a URL: (final URL, decoded body). Raises ValueError with a clear message."""
    import httpx

    limit = max_bytes_from_env()
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}) as client:
            with client.stream("GET", url) as r:
                if r.status_code >= 400:
                    raise ValueError(f"{url}: HTTP {r.status_code}")
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise ValueError(f"{url}: larger than {limit:,} bytes (KUTIP_MAX_BYTES)")
                    chunks.append(chunk)
                data = b"".join(chunks)
                final = str(r.url)
                encoding = r.charset_encoding
    except httpx.TimeoutException:
        raise ValueError(f"{url}: timed out after {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise ValueError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from None
    if encoding:
        try:
            return final, data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    return final, decode(data, url)


def expand(inputs: Iterable[str], *, outlet: Optional[str] = None, timeout: float = DEFAULT_TIMEOUT) -> Iterator[Job]:
    """Jobs for every article named by ``inputs`` (paths, directories, JSONL, feeds, URLs)."""
    for inp in inputs:
        inp = str(inp)
        if is_url(inp):
            try:
                final, body = fetch_text(inp, timeout)
            except ValueError as exc:
                yield Job(source=inp, error=str(exc))
                continue
            if looks_like_feed(body):
                yield from feed_jobs(body, inp, outlet)
            else:
                yield Job(source=inp, content=body, url=final or inp, outlet=outlet)
            continue
        p = Path(inp)
        if p.is_dir():
            files = walk(p, tuple(ARTICLE_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES))
            if not files:
                yield Job(source=inp, error=f"{inp}: no .txt, .html, .jsonl or feed files in this directory")
            for f in files:
                yield from _file_jobs(f, outlet)
        elif p.is_file():
            yield from _file_jobs(p, outlet)
        elif p.exists():
            # a FIFO, socket or device: read_document says why it is refused (and never blocks on it)
            try:
                read_document(p)
            except KutipInputError as exc:
                yield Job(source=inp, error=str(exc))
        else:
            yield Job(source=inp, error=f"{inp}: no such file, directory or http(s) URL")


def _file_jobs(p: Path, outlet: Optional[str]) -> Iterator[Job]:
    suffix = p.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from jsonl_jobs(str(p), outlet)
        return
    if suffix in FEED_SUFFIXES:
        try:
            text = read_document(p).content     # the one reader: size limit, FIFOs, encodings
        except KutipInputError as exc:
            yield Job(source=str(p), error=str(exc))
            return
        if looks_like_feed(text):
            yield from feed_jobs(text, str(p), outlet)
            return
        yield Job(source=str(p), content=text, outlet=outlet)
        return
    yield Job(source=str(p), path=str(p), outlet=outlet)
