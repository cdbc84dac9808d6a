"""Exports of the knowledge base: JSONL, CSV (formula-injection safe) and Parquet,
plus the helpers that keep stored text inert on a terminal."""
from __future__ import annotations

import csv
import json
import re
from typing import IO, Any, Iterable, Iterator

from kutip.store import record

COLUMNS = list(record.EXPORT_COLUMNS)       # declared once, in kutip.store.record
_TYPES = record.export_types()
_INT = {c for c, t in _TYPES.items() if t == "int"}
_FLOAT = {c for c, t in _TYPES.items() if t == "float"}

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_JSON_C1 = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(s: Any) -> str:
    """Text safe to print on a terminal: control characters (ANSI escapes, bidi overrides, ...)
    shown as visible \\xNN / \\uNNNN escapes instead of being interpreted."""
    if s is None:
        return ""
    s = str(s)

    def rep(m: re.Match) -> str:
        c = ord(m.group(0))
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"

    return _CONTROL.sub(rep, s)


def json_line(obj: Any, indent=None) -> str:
    """JSON with every control character escaped (also DEL/C1 and bidi overrides, which json leaves raw)."""
    s = json.dumps(obj, ensure_ascii=False, indent=indent, default=str)
    return _JSON_C1.sub(lambda m: f"\\u{ord(m.group(0)):04x}", s)


def flat_row(row: dict) -> dict:
    """A StatementRow flattened to the export columns."""
    return record.flat(row)


def csv_cell(v: Any) -> Any:
    """Neutralise spreadsheet formulas: a text cell starting with = + - @ (or tab/CR) gets a leading '."""
    if isinstance(v, str) and v.startswith(_FORMULA_START):
        return "'" + v
    return v


def write_jsonl(rows: Iterable[dict], out: IO[str]) -> int:
    n = 0
    for r in rows:
        out.write(json_line(r) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict], out: IO[str]) -> int:
    w = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    n = 0
    for r in rows:
        f = flat_row(r)
        w.writerow({k: ("" if f[k] is None else csv_cell(f[k])) for k in COLUMNS})
        n += 1
    return n


def write_parquet(rows: Iterable[dict], path: str, batch: int = 5000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = []
    for c in COLUMNS:
        t = pa.int64() if c in _INT else pa.float64() if c in _FLOAT else pa.string()
        fields.append(pa.field(c, t))
    schema = pa.schema(fields)
    n = 0
    with pq.ParquetWriter(path, schema) as w:
        buf: list[dict] = []
        for r in rows:
            buf.append(flat_row(r))
            n += 1
            if len(buf) >= batch:
                w.write_table(pa.Table.from_pylist(buf, schema=schema))
                buf = []
        if buf or n == 0:
            w.write_table(pa.Table.from_pylist(buf, schema=schema))
    return n


def _chunks(it: Iterable[dict], n: int) -> Iterator[list[dict]]:
    buf = []
    for x in it:
        buf.append(x)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf
