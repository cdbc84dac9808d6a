"""A batch job's work, split in deterministic shards before anything runs.

The plan depends only on the inputs as given (paths, their sizes, the directory walk) and on the
split options, never on timing or on the number of workers, so a restarted job gets the same
shards with the same ids and skips the ones already written. Planning costs a directory walk
and a ``stat`` per file; no input is read.

- article files (.txt/.html …): groups of ``part_size`` files, in walk order;
- JSONL: an uncompressed file splits into byte ranges of ``split_bytes``;
- WARC.gz: a file over ``split_bytes`` splits into byte ranges of that size (each range owns the
  records whose gzip member starts in it: kutip.sources.warc);
- a stream that cannot be entered in the middle (JSONL.gz, an uncompressed WARC) over
  ``split_bytes`` is read by ``lanes`` shards (one per ``split_bytes``, at most ``MAX_LANES``):
  each reads the whole stream and extracts every ``lanes``-th block of ``part_size`` records, so
  the records are shared out without a first pass over the file (reading is cheap next to
  extraction, and the number of lanes is bounded, so the cost stays linear);
- RSS/Atom feed files and URLs (a feed or one page, as the fetched body says): one shard each.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Optional

from kutip.batch.sources import FEED_SUFFIXES, is_url
from kutip.core.errors import KutipInputError
from kutip.sources.files import ARTICLE_SUFFIXES, walk
from kutip.sources.jsonl import JSONL_SUFFIXES, is_gzip_name, is_jsonl
from kutip.sources.warc import WARC_SUFFIXES, is_warc

MAX_LANES = 16
ALL_SUFFIXES = tuple(ARTICLE_SUFFIXES) + tuple(sorted(FEED_SUFFIXES)) + JSONL_SUFFIXES + WARC_SUFFIXES


@dataclass(frozen=True)
class Shard:
    id: str
    kind: str                      # files | jsonl | warc | feed | url
    source: str                    # the file or URL (files: the first file of the group)
    paths: tuple = ()              # kind == files: the article files
    start: int = 0                 # kind == jsonl or warc: byte range [start, end)
    end: Optional[int] = None
    lane: int = 0                  # a stream read by ``lanes`` shards: this one extracts the blocks
    lanes: int = 1                 # of ``block`` records whose number modulo ``lanes`` is ``lane``
    block: int = 0
    size: int = 0                  # bytes to read (for the progress bar)

    def describe(self) -> str:
        if self.kind == "files":
            return f"{len(self.paths)} file(s) from {self.source}"
        if self.kind in ("jsonl", "warc") and (self.start or self.end is not None):
            return f"{self.source} bytes {self.start:,}-{self.end:,}"
        if self.lanes > 1:
            return f"{self.source} lane {self.lane + 1} of {self.lanes}"
        return self.source

    def to_dict(self) -> dict:
        d = asdict(self)
        d["paths"] = list(self.paths)
        return d


def _sid(*parts) -> str:
    return hashlib.sha1(json.dumps(parts, ensure_ascii=True).encode()).hexdigest()[:16]


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def plan(inputs: Iterable[str], *, part_size: int = 1000, split_bytes: int = 8 << 20) -> list[Shard]:
    """The shards of ``inputs``; a missing input or an empty directory is a KutipInputError naming it."""
    shards: list[Shard] = []
    group: list[str] = []
    group_size = 0

    def flush_group() -> None:
        nonlocal group, group_size
        if group:
            shards.append(Shard(id=_sid("files", group), kind="files", source=group[0], paths=tuple(group),
                                size=group_size))
        group, group_size = [], 0

    def add_lanes(kind: str, name: str, size: int) -> None:
        n = min(MAX_LANES, -(-size // split_bytes))
        for k in range(n):
            shards.append(Shard(id=_sid(kind, name, size, "lane", k, n, part_size), kind=kind, source=name,
                                lane=k, lanes=n, block=part_size, size=size // n))

    def add_ranges(kind: str, name: str, size: int) -> None:
        for a in range(0, size, split_bytes):
            b = min(a + split_bytes, size)
            shards.append(Shard(id=_sid(kind, name, size, a, b), kind=kind, source=name, start=a, end=b, size=b - a))

    def add_file(p: Path) -> None:
        nonlocal group_size
        name = str(p.absolute())
        low = name.lower()
        size = _size(p)
        if is_warc(low):
            if size > split_bytes:
                (add_ranges if is_gzip_name(low) else add_lanes)("warc", name, size)
            else:
                shards.append(Shard(id=_sid("warc", name, size), kind="warc", source=name, size=size))
        elif is_jsonl(low):
            if size <= split_bytes:
                shards.append(Shard(id=_sid("jsonl", name, size, 0, None), kind="jsonl", source=name, size=size))
            else:
                (add_lanes if is_gzip_name(low) else add_ranges)("jsonl", name, size)
        elif low.endswith(tuple(FEED_SUFFIXES)):
            shards.append(Shard(id=_sid("feed", name, size), kind="feed", source=name, size=size))
        else:
            group.append(name)
            group_size += size
            if len(group) >= part_size:
                flush_group()
            return

    for inp in inputs:
        inp = str(inp)
        if is_url(inp):
            # fetched by the worker: a feed gives its items, a page is one article
            shards.append(Shard(id=_sid("url", inp), kind="url", source=inp))
            continue
        p = Path(inp)
        if p.is_dir():
            files = walk(p, ALL_SUFFIXES)
            if not files:
                raise KutipInputError(f"INPUT {inp}: no article, JSONL, WARC or feed files in this directory "
                                      f"({', '.join('*' + s for s in ALL_SUFFIXES)})")
            for f in files:
                add_file(f)
        elif p.exists():
            add_file(p)
        else:
            raise KutipInputError(f"INPUT {inp}: no such file, directory or http(s) URL; check the path")
    flush_group()
    if not shards:
        raise KutipInputError("no INPUT given: name files, directories, JSONL, WARC or feed files, or URLs")
    return shards


def fingerprint(shards: list[Shard]) -> str:
    """One hash over the plan: a restart with other inputs (or inputs that changed size) differs."""
    h = hashlib.sha1()
    for s in shards:
        h.update(s.id.encode())
        h.update(b"\n")
    return h.hexdigest()
