"""Records of a batch: one article (or one bad record) read from a JSONL line, a WARC record or
an article file, with a deterministic identity.

Readers never raise for one bad record: they yield a :class:`Record` whose ``reject`` says why
(``kind``, ``reason``), so a million-record job reports the broken ones and goes on. A reader that
cannot go on (a gzip stream that breaks in the middle) yields one reject at the position it
reached and stops.

Every reader takes ``want(index) -> bool``: a record it is not wanted for (its part of the job is
already written) is yielded as a bare placeholder without parsing or decoding, so resuming a job
costs a read of the input and nothing more.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable, Optional, Union

__all__ = ["Record", "record_id", "SKIPPED", "classify_input_error"]


def record_id(key: str) -> str:
    """16 hex digits of SHA-1 over the record's identity (source + position, or a WARC record id)."""
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass
class Record:
    source: str                                  # the file (or URL) the record came from
    key: str                                     # identity hashed into ``id``
    offset: Optional[int] = None                 # byte offset (in the decompressed stream for .gz)
    line: Optional[int] = None                   # 1-based line, where known
    content: Union[str, bytes, None] = None
    html: Optional[bool] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    title: Optional[str] = None
    path: Optional[str] = None                   # an article file to read with sources.files.read_document
    fetch: Optional[str] = None                  # a URL to fetch (feed items)
    reject: Optional[tuple[str, str]] = None     # (kind, reason)

    @property
    def id(self) -> str:
        return record_id(self.key)

    def position(self) -> dict:
        pos = {}
        if self.line is not None:
            pos["line"] = self.line
        if self.offset is not None:
            pos["offset"] = self.offset
        return pos


SKIPPED = Record(source="", key="")   # the placeholder for a record whose part is already written

Want = Callable[[int], bool]


def classify_input_error(message: str) -> str:
    """The reject kind of a KutipInputError from the one reader/decoder."""
    m = message.lower()
    if "-byte limit" in m or "over the" in m and "limit" in m:
        return "giant"
    if "is empty" in m:
        return "empty"
    if "no such file" in m or "cannot be read" in m or "not a regular file" in m:
        return "unreadable"
    if "no article text" in m:
        return "no-article"
    return "undecodable"
