"""JSONL (optionally gzip-compressed) articles: one JSON object a line with ``text`` or ``html``
and optional ``url``, ``outlet``, ``published``, ``title``.

An uncompressed file can be read by byte range, so one big file splits into shards: the range
``[start, end)`` owns every line that *starts* inside it (the line running across ``start`` belongs
to the range before). A ``.gz`` file is read whole (gzip streams cannot be entered in the middle).
A record is every non-blank line; its identity is the file and the byte offset where the line
starts (in the decompressed stream), so it is the same however the file is split.
"""
from __future__ import annotations

import gzip
import json
import zlib
from typing import Iterator, Optional

from kutip.sources.files import max_bytes_from_env
from kutip.sources.records import SKIPPED, Record, Want

__all__ = ["is_jsonl", "is_gzip_name", "iter_jsonl", "parse_line", "JSONL_SUFFIXES"]

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_READ = 1 << 20


def is_jsonl(name: str) -> bool:
    return name.lower().endswith(JSONL_SUFFIXES)


def is_gzip_name(name: str) -> bool:
    return name.lower().endswith(".gz")


def _s(v) -> Optional[str]:
    if v is None or isinstance(v, (dict, list)):
        return None
    v = str(v).strip()
    return v or None


def parse_line(raw: bytes, source: str, offset: int, line: Optional[int]) -> Record:
    """One line to a Record (or a reject)."""
    where = f"{source}:{line}" if line is not None else f"{source}@{offset}"
    rec = Record(source=source, key=f"{source}@{offset}", offset=offset, line=line)
    try:
        d = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        rec.reject = ("undecodable", f"{where}: the line is not UTF-8 ({exc.reason} at byte {exc.start})")
        return rec
    except json.JSONDecodeError as exc:
        rec.reject = ("bad-json", f"{where}: not a JSON object ({exc.msg} at column {exc.colno})")
        return rec
    if not isinstance(d, dict):
        rec.reject = ("bad-json", f"{where}: a line must be a JSON object with 'text' or 'html', not {type(d).__name__}")
        return rec
    html, text = d.get("html"), d.get("text")
    if isinstance(html, str) and html.strip():
        rec.content, rec.html = html, True
    elif isinstance(text, str) and text.strip():
        rec.content, rec.html = text, None
    else:
        rec.reject = ("empty", f"{where}: no 'text' or 'html' with an article in it")
    rec.url, rec.outlet = _s(d.get("url")), _s(d.get("outlet"))
    rec.published, rec.title = _s(d.get("published")), _s(d.get("title"))
    return rec


def iter_jsonl(path: str, start: int = 0, end: Optional[int] = None, want: Optional[Want] = None,
               max_bytes: Optional[int] = None) -> Iterator[Record]:
    """Records of the lines starting in ``[start, end)`` (``.gz``: the whole file)."""
    limit = max_bytes if max_bytes is not None else max_bytes_from_env()
    gz = is_gzip_name(path)
    try:
        raw_fh = open(path, "rb")
    except OSError as exc:
        yield Record(source=path, key=f"{path}@open", reject=("unreadable", f"{path}: cannot be read ({exc.strerror or exc})"))
        return
    with raw_fh:
        fh = gzip.GzipFile(fileobj=raw_fh, mode="rb") if gz else raw_fh
        pos = 0
        line: Optional[int] = 1 if start == 0 else None
        index = 0
        try:
            if start > 0 and not gz:
                raw_fh.seek(start - 1)
                pos = start - 1
                while True:                          # the rest of the line that started before us
                    lead = raw_fh.readline(_READ)    # (in pieces: it may be a giant one)
                    pos += len(lead)
                    if not lead or lead.endswith(b"\n"):
                        break
            while end is None or gz or pos < end:
                line_start = pos
                raw = fh.readline(limit + 1)
                if not raw:
                    break
                pos += len(raw)
                giant = len(raw) > limit and not raw.endswith(b"\n")
                if giant:                            # drain the rest of the line, keeping nothing
                    while True:
                        more = fh.readline(_READ)
                        if not more:
                            break
                        pos += len(more)
                        if more.endswith(b"\n"):
                            break
                cur_line = line
                if line is not None:
                    line += 1
                if not raw.strip():
                    continue
                i = index
                index += 1
                if want is not None and not want(i):
                    yield SKIPPED
                    continue
                if giant:
                    where = f"{path}:{cur_line}" if cur_line is not None else f"{path}@{line_start}"
                    yield Record(source=path, key=f"{path}@{line_start}", offset=line_start, line=cur_line,
                                 reject=("giant", f"{where}: the line is {pos - line_start:,} bytes, over the "
                                                  f"{limit:,}-byte limit for one article (KUTIP_MAX_BYTES)"))
                    continue
                yield parse_line(raw, path, line_start, cur_line)
        except (OSError, EOFError, zlib.error) as exc:   # gzip.BadGzipFile is an OSError
            what = "gzip stream" if gz else "file"
            yield Record(source=path, key=f"{path}@broken", offset=pos,
                         reject=("broken-gzip" if gz else "unreadable",
                                 f"{path}: the {what} is broken after byte {pos:,} of its data "
                                 f"({type(exc).__name__}: {exc}); the records before it are kept"))
