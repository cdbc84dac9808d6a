"""WARC / WARC.gz crawls (read with warcio): every ``response`` (and ``resource``) record is one
record of the batch; ``request``, ``warcinfo``, ``metadata`` and ``revisit`` records are not
articles and are passed over. HTML bodies are decoded by the one decoder (kutip.core.decode)
and then go through the same extraction as any page; a non-HTML body, an HTTP error, an
over-large or undecodable body is a reject. A crawl broken in the middle (truncated gzip member,
garbage where a record should start) gives one reject at the offset reached and ends the file
(or the byte range): the records before it are kept.

A ``.warc.gz`` is a series of gzip members, one a record, so one big crawl file splits into byte
ranges read in parallel: the range ``[start, end)`` owns every record whose member starts inside
it; a range that starts inside a member finds the next member that opens a WARC record (the gzip
magic bytes, then a ``WARC/`` header once inflated), and the record running across ``end`` is
read to its end by the range it started in.

A record's identity is its ``WARC-Record-ID`` (globally unique), else the file and byte offset.
"""
from __future__ import annotations

import re
import zlib
from typing import BinaryIO, Iterator, Optional

from kutip.core.decode import decode_bytes
from kutip.core.errors import KutipInputError
from kutip.sources.files import max_bytes_from_env
from kutip.sources.records import SKIPPED, Record, Want, classify_input_error

__all__ = ["is_warc", "iter_warc", "WARC_SUFFIXES"]

WARC_SUFFIXES = (".warc", ".warc.gz")
_ARTICLE_TYPES = ("response", "resource")
_HTML_TYPES = re.compile(r"^\s*(text/html|application/xhtml\+xml)\b", re.I)


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


_GZIP_MAGIC = b"\x1f\x8b\x08"
_SCAN = 1 << 16


def _opens_record(fh: BinaryIO, offset: int) -> bool:
    """Whether a gzip member starting at ``offset`` inflates to the start of a WARC record."""
    fh.seek(offset)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(fh.read(4096), 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


def member_at_or_after(fh: BinaryIO, start: int, end: Optional[int]) -> Optional[int]:
    """Offset of the first gzip member in ``[start, end)`` that opens a WARC record, or None.
    Linear in the bytes scanned: the file is read in 64 KiB windows, each candidate checked once."""
    pos = start
    while end is None or pos < end:
        fh.seek(pos)
        window = fh.read(_SCAN + len(_GZIP_MAGIC) - 1)
        if len(window) < len(_GZIP_MAGIC):
            return None
        k = window.find(_GZIP_MAGIC)
        while 0 <= k < _SCAN:
            cand = pos + k
            if end is not None and cand >= end:
                return None
            if _opens_record(fh, cand):
                return cand
            k = window.find(_GZIP_MAGIC, k + 1)
        pos += _SCAN
    return None


def iter_warc(path: str, want: Optional[Want] = None, max_bytes: Optional[int] = None,
              start: int = 0, end: Optional[int] = None) -> Iterator[Record]:
    """Records of the crawl file (``start``/``end``: of the ``.warc.gz`` byte range, see above)."""
    from warcio.archiveiterator import ArchiveIterator

    limit = max_bytes if max_bytes is not None else max_bytes_from_env()
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield Record(source=path, key=f"{path}@open", reject=("unreadable", f"{path}: cannot be read ({exc.strerror or exc})"))
        return
    index = 0
    offset = 0
    done = start                          # where the last whole record ended
    with fh:
        try:
            if start > 0:
                first = member_at_or_after(fh, start, end)
                if first is None:
                    return                # no record starts in this range
                fh.seek(first)
                done = first
            it = ArchiveIterator(fh)
            for rec in it:
                # where this record starts, read before its body (warcio's get_record_offset()
                # reads the body to its end first); offsets are the file's, not the range's
                if end is not None and it.offset >= end:
                    return                # the next range's record
                if rec.rec_type not in _ARTICLE_TYPES:
                    done = it.get_record_offset() + it.get_record_length()
                    continue
                i = index
                index += 1
                if want is not None and not want(i):
                    done = it.get_record_offset() + it.get_record_length()
                    yield SKIPPED
                    continue
                out = _record(path, rec, limit)
                offset = it.get_record_offset()      # (reads the record to its end: after the body)
                done = offset + it.get_record_length()
                out.offset = offset
                if out.key == "":
                    out.key = f"{path}@{offset}"
                if out.reject is not None:
                    out.reject = (out.reject[0], out.reject[1].replace("{where}", _where(path, offset, out.url), 1))
                yield out
            # warcio stops quietly at a record cut short: what is left must be blank
            fh.seek(done)
            tail = fh.read(4096)
            if tail.strip(b"\r\n\t \x00"):
                raise EOFError("the file ends in the middle of a record")
        except Exception as exc:  # warcio raises ArchiveLoadFailed, zlib/EOF/OSError errors on a broken file
            msg = " ".join(str(exc).split())
            if "non-chunked gzip" in msg:
                # `gzip crawl.warc`: one gzip member for the whole crawl (warcio's offsets are
                # meaningless then); it is not broken, but it cannot be read record by record
                yield Record(source=path, key=f"{path}@broken@{start}", offset=start,
                             reject=("broken-warc", f"{path}: the file is gzip-compressed as a whole, not record by "
                                                    "record as a WARC.gz must be; rewrite it with "
                                                    f"`warcio recompress {path} NEW.warc.gz` and give that file"))
                return
            done = max(done, start)
            yield Record(source=path, key=f"{path}@broken@{done}", offset=done,
                         reject=("broken-warc", f"{path}: the WARC file is broken after byte {done:,} "
                                                f"({type(exc).__name__}{': ' + msg[:200] if msg else ''}); "
                                                "the records before it are kept"))


def _where(path: str, offset: int, url: Optional[str]) -> str:
    return f"{path}@{offset}" + (f" ({url})" if url else "")


def _record(path: str, rec, limit: int) -> Record:
    """The record's body and headers (its offset is known only once it is read: the caller sets it)."""
    h = rec.rec_headers
    rid = (h.get_header("WARC-Record-ID") or "").strip()
    url = (h.get_header("WARC-Target-URI") or "").strip() or None
    out = Record(source=path, key=f"warc:{rid}" if rid else "", url=url, html=True)
    where = "{where}"
    if rec.rec_type == "response":
        http = rec.http_headers
        if http is None:
            out.reject = ("non-html", f"{where}: a response record without HTTP headers")
            return out
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            out.reject = ("http-status", f"{where}: HTTP {status or '(no status)'}, not a page")
            return out
        ctype = http.get_header("Content-Type") or ""
    else:
        ctype = h.get_header("Content-Type") or ""
    if not _HTML_TYPES.match(ctype):
        out.reject = ("non-html", f"{where}: not an HTML page (Content-Type {ctype.strip() or 'missing'})")
        return out
    stream = rec.content_stream()
    data = stream.read(limit + 1)
    if len(data) > limit:
        out.reject = ("giant", f"{where}: the page is over the {limit:,}-byte limit for one article (KUTIP_MAX_BYTES)")
        return out
    try:
        out.content = decode_bytes(data, source=where, max_bytes=limit)
    except KutipInputError as exc:
        out.reject = (classify_input_error(str(exc)), str(exc))
    return out
