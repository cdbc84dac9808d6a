"""Exports of the knowledge base: JSONL, CSV (formula-injection safe) and Parquet,
plus the helpers that keep stored text inert on a terminal."""
from __future__ import annotations

import csv
import json
import re
from typing import IO, Any, Iterable, Iterator

COLUMNS = [
    "id", "article_id", "article_url", "article_title", "outlet", "date_value", "kind", "text", "start", "end",
    "cue", "cue_start", "cue_end", "speaker_id", "speaker", "speaker_mention", "speaker_name", "speaker_type",
    "role", "affiliation", "date_text", "date", "location", "event", "confidence", "cluster_id",
]
_INT = {"id", "article_id", "start", "end", "cue_start", "cue_end", "speaker_id", "cluster_id"}
_FLOAT = {"confidence"}

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
    sp = row.get("speaker") or {}
    cue = row.get("cue") or {}
    dt = row.get("date") or {}
    return {
        "id": row.get("id"), "article_id": row.get("article_id"), "article_url": row.get("article_url"),
        "article_title": row.get("article_title"), "outlet": row.get("outlet"), "date_value": row.get("date_value"),
        "kind": row.get("kind"), "text": row.get("text"), "start": row.get("start"), "end": row.get("end"),
        "cue": cue.get("text"), "cue_start": cue.get("start"), "cue_end": cue.get("end"),
        "speaker_id": row.get("speaker_id"), "speaker": row.get("speaker_canonical"),
        "speaker_mention": sp.get("mention"), "speaker_name": sp.get("name"), "speaker_type": sp.get("type"),
        "role": sp.get("role"), "affiliation": sp.get("affiliation"), "date_text": dt.get("text"),
        "date": dt.get("value"), "location": row.get("location"), "event": row.get("event"),
        "confidence": row.get("confidence"), "cluster_id": row.get("cluster_id"),
    }


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
