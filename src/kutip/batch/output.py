"""Where a batch job writes: a directory (local, a shared mount, or any fsspec URL such as
``s3://bucket/prefix``) holding

- ``articles/month=YYYY-MM/<shard>-<part>.parquet``: one row per article;
- ``statements/month=YYYY-MM/<shard>-<part>.parquet``: one row per statement, with its article's
  id, url, outlet and date;
- ``rejects.jsonl``: every bad record (source, position, kind, reason), assembled at the end;
- ``_kutip/``: the job manifest, one marker per finished part and per finished shard.

Every file is written whole or not at all: locally to a temporary name then ``os.replace``; on an
object store one PUT (an object appears only complete). A part's marker is written after its
Parquet files, so a part without a marker is redone, rewriting the same names with the same rows.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import uuid
from typing import Optional

MONTH_UNKNOWN = "unknown"


def _pa():
    import pyarrow as pa

    return pa


def article_schema():
    pa = _pa()
    return pa.schema([
        ("id", pa.string()), ("source", pa.string()), ("offset", pa.int64()), ("line", pa.int64()),
        ("url", pa.string()), ("outlet", pa.string()), ("published", pa.string()), ("date", pa.string()),
        ("title", pa.string()), ("statements", pa.int32()), ("text", pa.string()),
        ("contract", pa.string()),        # the statements-json contract without "text" (that is the column)
    ])


def statement_schema():
    pa = _pa()
    return pa.schema([
        ("id", pa.string()), ("article_id", pa.string()), ("n", pa.int32()), ("url", pa.string()),
        ("outlet", pa.string()), ("date", pa.string()), ("kind", pa.string()), ("text", pa.string()),
        ("start", pa.int64()), ("end", pa.int64()), ("cue", pa.string()), ("cue_start", pa.int64()),
        ("cue_end", pa.int64()), ("speaker", pa.string()), ("speaker_mention", pa.string()),
        ("speaker_type", pa.string()), ("role", pa.string()), ("affiliation", pa.string()),
        ("date_text", pa.string()), ("date_value", pa.string()), ("location", pa.string()),
        ("event", pa.string()), ("confidence", pa.float64()),
    ])


def month_of(date: Optional[str]) -> str:
    if date and len(date) >= 7 and date[:4].isdigit() and date[4] == "-" and date[5:7].isdigit():
        return date[:7]
    return MONTH_UNKNOWN


def parquet_bytes(rows: list[dict], schema) -> bytes:
    import pyarrow.parquet as pq

    table = _pa().Table.from_pylist(rows, schema=schema)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


class Output:
    """A job's output directory through fsspec (local paths use plain os calls)."""

    def __init__(self, url: str):
        import fsspec
        from fsspec.implementations.local import LocalFileSystem

        self.url = url
        try:
            self.fs, root = fsspec.core.url_to_fs(url)
        except (ImportError, ValueError) as exc:
            raise OSError(f"cannot open {url}: {exc}") from None
        self.local = isinstance(self.fs, LocalFileSystem)
        self.root = os.path.abspath(root) if self.local else root.rstrip("/")

    def path(self, rel: str) -> str:
        return os.path.join(self.root, rel) if self.local else f"{self.root}/{rel}"

    def read_json(self, rel: str) -> Optional[dict]:
        p = self.path(rel)
        try:
            if self.local:
                with open(p, "rb") as fh:
                    data = fh.read()
            else:
                data = self.fs.cat_file(p)
        except FileNotFoundError:
            return None
        return json.loads(data)

    def exists(self, rel: str) -> bool:
        p = self.path(rel)
        return os.path.exists(p) if self.local else self.fs.exists(p)

    def write(self, rel: str, data: bytes) -> None:
        """Write a whole file atomically (readers see the old file, or none, or the new one)."""
        p = self.path(rel)
        if not self.local:
            self.fs.pipe_file(p, data)
            return
        with self.open_write(rel) as fh:
            fh.write(data)

    @contextlib.contextmanager
    def open_write(self, rel: str):
        """A file written as a stream, appearing whole at the end (as :meth:`write`), for big ones."""
        p = self.path(rel)
        if not self.local:
            with self.fs.open(p, "wb") as fh:       # an object store's upload completes or leaves nothing
                yield fh
            return
        os.makedirs(os.path.dirname(p), exist_ok=True)
        # hidden (dataset readers skip names starting with '.'), unique per writer
        tmp = os.path.join(os.path.dirname(p), f".{os.path.basename(p)}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            with open(tmp, "wb") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())        # on disk before its name (and so before any marker after it)
            os.replace(tmp, p)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def write_json(self, rel: str, obj) -> None:
        self.write(rel, json.dumps(obj, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def remove_temporaries(self) -> int:
        """Temporary files left by writers that were killed (local output only)."""
        if not self.local:
            return 0
        n = 0
        for top in ("articles", "statements", "_kutip", "."):
            base = os.path.join(self.root, top)
            for dirpath, _dirs, files in (os.walk(base) if top != "." else [(base, [], os.listdir(base))]):
                for f in files:
                    if f.startswith(".") and ".tmp-" in f:
                        try:
                            os.unlink(os.path.join(dirpath, f))
                            n += 1
                        except OSError:
                            pass
        return n

    def makedirs(self) -> None:
        if self.local:
            os.makedirs(self.root, exist_ok=True)
        else:
            self.fs.makedirs(self.root, exist_ok=True)
