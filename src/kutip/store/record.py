"""The statement record, declared once.

``FIELDS`` lists every field of a stored statement as the outside world sees it (the
export columns, in order). Each field says where its value lives:

* ``path``: its place in the statements-json contract (``("speaker", "name")``), for the
  fields the extractor produces; these are also the columns of the ``statement`` table
  (``column``), generated from this list by :mod:`kutip.store.schema`;
* ``row``: its key in a StatementRow (what search, listings and exports return), for what the
  store adds (ids, outlet, article title, canonical speaker name, cluster).

Everything else derives from here: the table's contract columns (:func:`sql_columns`), a
statement's row for insertion (:func:`to_columns`), the contract dict of a stored statement
(:func:`to_contract`), the flat export row (:func:`flat`, :data:`EXPORT_COLUMNS`), the Parquet
types (:func:`export_types`) and the API's schema (:func:`api_fields`, :func:`pydantic_models`).
``tests/store/test_record.py`` checks the list covers every field of ``kutip.core.model``'s
records, so a field added there fails until it is declared here (and migrated).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class Field:
    name: str                        # export column
    type: str                        # "str" (short), "text" (SafeText), "int", "float"
    path: Optional[tuple] = None     # place in the contract statement dict
    column: Optional[str] = None     # statement table column (contract fields)
    row: Optional[str] = None        # key of a StatementRow (fields the store adds)
    length: Optional[int] = None     # String(length) for "str"
    nullable: bool = True
    default: Any = None
    export: bool = True
    doc: str = ""


FIELDS: tuple[Field, ...] = (
    Field("id", "int", row="id", nullable=False, doc="statement id"),
    Field("article_id", "int", row="article_id", nullable=False),
    Field("article_url", "text", row="article_url"),
    Field("article_title", "text", row="article_title"),
    Field("outlet", "text", row="outlet"),
    Field("date_value", "str", row="date_value", doc="ISO day used on timelines (statement date, else published)"),
    Field("kind", "str", path=("kind",), column="kind", length=10, nullable=False, doc="direct, indirect or mixed"),
    Field("text", "text", path=("text",), column="text", nullable=False),
    Field("start", "int", path=("start",), column="start", nullable=False, doc="offset into the article text"),
    Field("end", "int", path=("end",), column="end_offset", nullable=False, doc="end offset (exclusive)"),
    Field("cue", "text", path=("cue", "text"), column="cue_text"),
    Field("cue_start", "int", path=("cue", "start"), column="cue_start"),
    Field("cue_end", "int", path=("cue", "end"), column="cue_end"),
    Field("speaker_id", "int", row="speaker_id"),
    Field("speaker", "text", row="speaker_canonical", doc="the speaker record's name"),
    Field("speaker_mention", "text", path=("speaker", "mention"), column="mention"),
    Field("speaker_mention_start", "int", path=("speaker", "mention_start"), column="mention_start", export=False),
    Field("speaker_mention_end", "int", path=("speaker", "mention_end"), column="mention_end", export=False),
    Field("speaker_name", "text", path=("speaker", "name"), column="speaker_name"),
    Field("speaker_type", "str", path=("speaker", "type"), column="speaker_type", length=20),
    Field("role", "text", path=("speaker", "role"), column="role"),
    Field("affiliation", "text", path=("speaker", "affiliation"), column="affiliation"),
    Field("date_text", "text", path=("date", "text"), column="date_text"),
    Field("date", "str", path=("date", "value"), column="date_raw", length=40),
    Field("location", "text", path=("location",), column="location"),
    Field("event", "text", path=("event",), column="event"),
    Field("confidence", "float", path=("confidence",), column="confidence", nullable=False, default=0.5),
    Field("cluster_id", "int", row="cluster_id"),
)

CONTRACT = tuple(f for f in FIELDS if f.path)
# nested contract objects and the column that says whether one is there (None: any field set)
GROUPS = {"cue": None, "speaker": "has_speaker", "date": "has_date"}
EXPORT_COLUMNS = [f.name for f in FIELDS if f.export]
_BY_NAME = {f.name: f for f in FIELDS}


def sql_columns(text_type) -> dict[str, Any]:
    """``mapped_column`` objects for the contract columns of the statement table (``text_type``:
    the column type of long text, the schema's SafeText)."""
    from sqlalchemy import Float, Integer, String
    from sqlalchemy.orm import mapped_column

    out = {}
    for f in CONTRACT:
        t = {"int": Integer, "float": Float, "text": text_type}.get(f.type) or String(f.length or 200)
        kw = {"nullable": f.nullable}
        if f.default is not None:
            kw["default"] = f.default
        out[f.column] = mapped_column(f.column, t, **kw)
    return out


def _get(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def to_columns(statement: Any) -> dict[str, Any]:
    """The contract columns (and presence flags) of a statement (a core Statement or its dict)."""
    out: dict[str, Any] = {}
    for f in CONTRACT:
        v = statement
        for p in f.path:
            v = _get(v, p)
        if f.type == "str" and v is not None:
            v = str(v)[: f.length or 200]
        elif f.type == "float":
            v = float(v) if v is not None else f.default
        out[f.column] = v
    for group, flag in GROUPS.items():
        if flag:
            out[flag] = 1 if _get(statement, group) is not None else 0
    return out


def to_contract(rec: Any) -> dict[str, Any]:
    """The contract's statement dict of a stored statement (an ORM row or a mapping of columns)."""
    out: dict[str, Any] = {}
    for f in CONTRACT:
        v = _get(rec, f.column)
        if len(f.path) == 1:
            out[f.path[0]] = v
        else:
            out.setdefault(f.path[0], {})[f.path[1]] = v
    for group, flag in GROUPS.items():
        sub = out.get(group)
        present = bool(_get(rec, flag)) if flag else any(v is not None for v in (sub or {}).values())
        if not present:
            out[group] = None
    return out


def flat(row: dict) -> dict[str, Any]:
    """A StatementRow (contract dict + the store's keys) flattened to the export columns."""
    out = {}
    for f in FIELDS:
        if not f.export:
            continue
        if f.row:
            out[f.name] = row.get(f.row)
        else:
            v: Any = row
            for p in f.path:
                v = v.get(p) if isinstance(v, dict) else None
            out[f.name] = v
    return out


def export_types() -> dict[str, str]:
    """Export column -> "int" | "float" | "str"."""
    return {f.name: ("str" if f.type == "text" else f.type) for f in FIELDS if f.export}


def api_fields() -> dict[str, Any]:
    """The statement's JSON shape for API schemas: {field: (python type, required, doc)} with the
    nested objects (cue, speaker, date) as dicts of the same, and the store's added keys under
    ``"_row"``. :func:`pydantic_models` builds models from it."""
    py = {"int": int, "float": float, "str": str, "text": str}
    out: dict[str, Any] = {}
    for f in CONTRACT:
        spec = (py[f.type], not f.nullable and len(f.path) == 1, f.doc)
        if len(f.path) == 1:
            out[f.path[0]] = spec
        else:
            out.setdefault(f.path[0], {})[f.path[1]] = (py[f.type], False, f.doc)
    out["_row"] = {f.row: (py[f.type], not f.nullable, f.doc) for f in FIELDS if f.row}
    return out


def pydantic_models(base=None) -> dict[str, Any]:
    """Pydantic models of a statement built from :data:`FIELDS`: {"Cue", "Speaker", "Date",
    "Statement", "StatementRow"}; ``base`` is the models' base class (default ``BaseModel``).
    For the web API (``kutip.web``), so its schema follows this one declaration."""
    from typing import Optional as Opt

    from pydantic import BaseModel, Field as PField, create_model

    base = base or BaseModel
    spec = api_fields()
    names = {"cue": "Cue", "speaker": "Speaker", "date": "Date"}
    models: dict[str, Any] = {}
    top: dict[str, Any] = {}
    for key, val in spec.items():
        if key == "_row":
            continue
        if isinstance(val, dict):
            sub = {k: (Opt[t], PField(None, description=d or None)) for k, (t, _req, d) in val.items()}
            models[names[key]] = create_model(names[key] + "Out", __base__=base, **sub)
            top[key] = (Opt[models[names[key]]], None)
        else:
            t, req, d = val
            top[key] = (t, PField(..., description=d or None)) if req else (Opt[t], PField(None, description=d or None))
    models["Statement"] = create_model("StatementOut", __base__=base, **top)
    row = {k: ((t, PField(..., description=d or None)) if req else (Opt[t], PField(None, description=d or None)))
           for k, (t, req, d) in spec["_row"].items()}
    models["StatementRow"] = create_model("StatementRowOut", __base__=models["Statement"], **row)
    return models


def column_of(export_name: str) -> Optional[str]:
    f = _BY_NAME.get(export_name)
    return f.column if f else None
