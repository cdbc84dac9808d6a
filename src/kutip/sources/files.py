"""Read articles from files, directories and stdin into decoded Documents.

Batch reading never stops at one bad file: iter_documents yields the error in
its place so a thousand-file run reports the broken ones and carries on.
"""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from kutip.core.errors import KutipInputError
from kutip.core.decode import DEFAULT_MAX_BYTES, decode_bytes, looks_like_html

__all__ = ["Document", "read_document", "iter_documents", "walk", "ARTICLE_SUFFIXES", "max_bytes_from_env"]

# the one list of article file suffixes: `kutip extract`, `kutip ingest` and batch jobs all read these
ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass
class Document:
    source: str
    content: str
    is_html: bool


def max_bytes_from_env() -> int:
    """The per-article size limit: KUTIP_MAX_BYTES if set (so CLI users can raise it), else 20 MB."""
    raw = os.environ.get("KUTIP_MAX_BYTES", "").strip().replace("_", "")
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        raise KutipInputError(f"KUTIP_MAX_BYTES={raw!r} is not a whole number of bytes; set e.g. KUTIP_MAX_BYTES=50000000") from None
    if value <= 0:
        raise KutipInputError(f"KUTIP_MAX_BYTES must be positive, not {value}")
    return value


def _read_stdin(limit: int) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-mode replacement (tests, notebooks)
        return sys.stdin.read(limit + 1).encode("utf-8")
    return stream.read(limit + 1)  # one byte over tells decode_bytes it is too big


def read_document(path: str | Path, *, max_bytes: int | None = None) -> Document:
    """Read and decode one article file ('-' is stdin); every failure is a KutipInputError naming the path."""
    limit = max_bytes if max_bytes is not None else max_bytes_from_env()
    if str(path) == "-":
        data = _read_stdin(limit)
        if len(data) > limit:  # we stopped reading one byte past the limit: the true size is unknown
            raise KutipInputError(
                f"<stdin> is over the {limit:,}-byte limit for one article. Split it into articles, or raise "
                "the limit (KUTIP_MAX_BYTES=<bytes> in the environment of the kutip command, or max_bytes=<bytes> in Python)."
            )
        return _to_document("<stdin>", data, limit, suffix="")
    p = Path(path)
    name = str(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise KutipInputError(f"{name}: no such file or directory; check the path") from None
    except OSError as exc:
        raise KutipInputError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if p.is_dir():
        raise KutipInputError(f"{name} is a directory; pass the article files, or read it with iter_documents()")
    if not stat.S_ISREG(st.st_mode):
        # a FIFO would block the read until some other program writes to it
        raise KutipInputError(f"{name} is not a regular file (a FIFO, socket or device); kutip reads article files. "
                              f"To read a stream, pipe it: cat {name} | kutip extract -")
    if st.st_size > limit:
        # refuse before reading: a 50 MB file costs nothing to reject
        raise KutipInputError(
            f"{name} is {st.st_size / 1_000_000:.1f} MB ({st.st_size:,} bytes), over the {limit:,}-byte "
            f"limit for one article. Split it into articles, or raise the limit "
            f"(KUTIP_MAX_BYTES={st.st_size} in the environment of the kutip command, or max_bytes={st.st_size} in Python)."
        )
    try:
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise KutipInputError(f"{name}: cannot be read ({exc.strerror or exc}); check its permissions") from None
    return _to_document(name, data, limit, suffix=p.suffix.lower())


def _to_document(name: str, data: bytes, limit: int, *, suffix: str) -> Document:
    content = decode_bytes(data, source=name, max_bytes=limit)
    return Document(source=name, content=content, is_html=suffix in _HTML_SUFFIXES or looks_like_html(content))


def walk(root: Path, suffixes: tuple[str, ...] = ARTICLE_SUFFIXES) -> list[Path]:
    """The one directory walker: files under root with one of ``suffixes``, sorted, hidden entries
    skipped, symlinked dirs not followed (no loops)."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for f in filenames:
            if not f.startswith(".") and f.lower().endswith(suffixes):
                found.append(Path(dirpath) / f)
    return sorted(found, key=lambda q: q.as_posix())


def iter_documents(paths: Iterable[str], *, max_bytes: int | None = None) -> Iterator[Document | KutipInputError]:
    """Yield a Document per article file (directories expanded recursively), or the error for a bad one."""
    for path in paths:
        p = Path(path)
        if str(path) != "-" and p.is_dir():
            files = walk(p)
            if not files:
                yield KutipInputError(f"{path}: directory has no article files ({', '.join('*' + s for s in ARTICLE_SUFFIXES)})")
            for f in files:
                yield _safe_read(str(f), max_bytes)
        else:
            yield _safe_read(str(path), max_bytes)


def _safe_read(path: str, max_bytes: int | None) -> Document | KutipInputError:
    try:
        return read_document(path, max_bytes=max_bytes)
    except KutipInputError as exc:
        return exc
