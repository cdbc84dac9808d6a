"""Checking an already-extracted article (the statements-json contract) before it is stored.

``POST /api/articles`` accepts an article that was extracted elsewhere. Everything in it is
checked here, strictly, before the store sees it: field types (no string for a number, no
number for a name, no object for a title), value ranges, and that every offset lies inside the
article's ``text`` with ``text[start:end]`` equal to the statement's (cue's, mention's) text.
The first problem found is reported as a 422 naming the field, e.g.
``statements[3].confidence: must be a number from 0 to 1``.

The contract is ``shared/spec/statements-json.md``; fields other than the contract's own are
ignored (so an article read from ``GET /api/articles/{id}``, with its ``id``s, can be posted back).
"""
from __future__ import annotations

from typing import Any, Literal, Optional

from fastapi import HTTPException
from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_SHORT = 2000          # names, roles, titles, outlets, dates: characters

Short = Optional[str]
# ISO 8601 as the contract writes dates: YYYY, YYYY-MM, YYYY-MM-DD, a yearless --MM-DD; a
# publication date may carry a time
ISO_VALUE = r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|--[0-9]{2}-[0-9]{2})$"
ISO_STAMP = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?$"


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


def _short(desc: str = "") -> Any:
    return Field(None, max_length=MAX_SHORT, description=desc)


class CueIn(_Strict):
    text: str = Field(max_length=MAX_SHORT)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class SpeakerIn(_Strict):
    mention: Short = _short()
    mention_start: Optional[int] = Field(None, ge=0)
    mention_end: Optional[int] = Field(None, ge=0)
    name: Short = _short()
    type: Optional[Literal["person", "organization"]] = None
    role: Short = _short()
    affiliation: Short = _short()


class DateIn(_Strict):
    text: str = Field(max_length=MAX_SHORT)
    value: Short = Field(None, max_length=64, pattern=ISO_VALUE)


class StatementIn(_Strict):
    kind: Literal["direct", "indirect", "mixed"]
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    cue: Optional[CueIn] = None
    speaker: Optional[SpeakerIn] = None
    date: Optional[DateIn] = None
    location: Short = _short()
    event: Short = _short()
    confidence: float = Field(0.5, ge=0.0, le=1.0, allow_inf_nan=False)


class MetadataIn(_Strict):
    title: Short = _short()
    outlet: Short = _short()
    published: Short = Field(None, max_length=64, pattern=ISO_STAMP)
    dateline: Short = _short()
    authors: list[str] = Field(default_factory=list, max_length=200)
    editor: Short = _short()
    translator: Short = _short()
    source_agency: Short = _short()
    language: str = Field("id", max_length=64)
    year: Optional[int] = Field(None, ge=1, le=9999)
    date_estimate: Short = Field(None, max_length=64, pattern=ISO_VALUE)
    url: Short = _short()
    related_links: list[str] = Field(default_factory=list, max_length=10_000)
    cited_sources: list[str] = Field(default_factory=list, max_length=10_000)


class ArticleIn(_Strict):
    source: Short = _short()
    text: str
    metadata: Optional[MetadataIn] = None
    statements: list[StatementIn]


def _where(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


def _explain(err: dict) -> str:
    loc, kind, msg = _where(tuple(err.get("loc", ()))), err.get("type", ""), err.get("msg", "")
    if kind == "missing":
        return f"`{loc}` is missing."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"`{loc}` must be a whole number (an offset), not {_shown(err.get('input'))}."
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"`{loc}` must be a number from 0 to 1, not {_shown(err.get('input'))}."
    if kind in ("string_type",):
        return f"`{loc}` must be a string or null, not {_shown(err.get('input'))}."
    if kind == "string_pattern_mismatch":
        return f"`{loc}` must be an ISO 8601 date (2023-01-18, 2023-01, 2023 or --01-18), not {_shown(err.get('input'))}."
    return f"`{loc}`: {msg} (got {_shown(err.get('input'))})."


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    r = repr(value)
    return r if len(r) <= 40 else r[:37] + "..."


def _slice_error(text: str, start: int, end: int, got: str, where: str, what: str) -> Optional[str]:
    n = len(text)
    if not (start <= end <= n):
        return (f"`{where}.start`/`{where}.end` ({start}, {end}) must be offsets into `text`, "
                f"0 <= start <= end <= {n}.")
    if text[start:end] != got:
        return (f"`{where}.{what}` must equal text[{start}:{end}] of the article "
                f"({_shown(text[start:end])}), but is {_shown(got)}.")
    return None


def check_contract(d: dict) -> dict:
    """Validate an uploaded statements-json article; the contract's own fields, or a 422 saying
    which field is wrong and how."""
    try:
        art = ArticleIn.model_validate(d)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = _explain(errors[0])
        more = f" ({len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        raise HTTPException(422, f"Not a valid statements-json article: {first}{more}") from None
    text = art.text
    for i, s in enumerate(art.statements):
        w = f"statements[{i}]"
        problem = _slice_error(text, s.start, s.end, s.text, w, "text")
        if problem is None and s.cue is not None:
            problem = _slice_error(text, s.cue.start, s.cue.end, s.cue.text, f"{w}.cue", "text")
        sp = s.speaker
        if problem is None and sp is not None:
            if (sp.mention_start is None) != (sp.mention_end is None):
                problem = f"`{w}.speaker`: give both `mention_start` and `mention_end`, or neither."
            elif sp.mention_start is not None:
                if sp.mention is None:
                    problem = f"`{w}.speaker.mention` is missing: its offsets are given."
                else:
                    problem = _slice_error(text, sp.mention_start, sp.mention_end, sp.mention,
                                           f"{w}.speaker", "mention")
                    if problem:
                        problem = problem.replace(".speaker.start`/`", ".speaker.mention_start`/`").replace(
                            ".speaker.end`", ".speaker.mention_end`")
        if problem:
            raise HTTPException(422, f"Not a valid statements-json article: {problem}")
    out = art.model_dump()
    out["metadata"] = out["metadata"] or {}
    return out
