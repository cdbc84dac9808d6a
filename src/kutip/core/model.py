"""Typed records of an extracted article, serialising to the statements-json contract.

Every offset is a Python string index into ``ExtractedArticle.text`` (end exclusive),
so ``article.text[s.start:s.end] == s.text`` always holds.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Optional

Kind = Literal["direct", "indirect", "mixed"]
SpeakerType = Literal["person", "organization"]


@dataclass(frozen=True)
class TagSpan:
    """A span the tagger labels over the article text (``PERSON``, ``ROLE``, ``AFFILIATION``,
    ``STATEMENT``, ``CUE``): the output of the refinement stage, with character offsets."""
    label: str
    start: int  # character offset into the tagged text (inclusive)
    end: int  # exclusive
    text: str


@dataclass
class Cue:
    text: str
    start: int
    end: int


@dataclass
class Speaker:
    mention: Optional[str]
    mention_start: Optional[int]
    mention_end: Optional[int]
    name: Optional[str]
    type: Optional[SpeakerType] = None
    role: Optional[str] = None
    affiliation: Optional[str] = None


@dataclass
class DateRef:
    text: str
    value: Optional[str]


@dataclass
class Statement:
    kind: Kind
    text: str
    start: int
    end: int
    cue: Optional[Cue] = None
    speaker: Optional[Speaker] = None
    date: Optional[DateRef] = None
    location: Optional[str] = None
    event: Optional[str] = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Metadata:
    title: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    dateline: Optional[str] = None
    authors: list[str] = field(default_factory=list)
    editor: Optional[str] = None
    translator: Optional[str] = None
    source_agency: Optional[str] = None
    language: str = "id"
    year: Optional[int] = None
    # no published date: roughly when the article was written, from the dates it mentions
    # (kutip.core.context.dates.estimate_article_date); used for timelines, never for statements
    date_estimate: Optional[str] = None
    url: Optional[str] = None
    related_links: list[str] = field(default_factory=list)
    cited_sources: list[str] = field(default_factory=list)


@dataclass
class ExtractedArticle:
    source: Optional[str]
    text: str
    metadata: Metadata
    statements: list[Statement]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "text": self.text,
            "metadata": asdict(self.metadata),
            "statements": [s.to_dict() for s in self.statements],
        }

    def to_json(self, indent: Optional[int] = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ExtractedArticle":
        """Rebuild from the contract's JSON (used by stores and exports)."""
        stmts = []
        for s in d.get("statements", []):
            s = dict(s)
            s["cue"] = Cue(**s["cue"]) if s.get("cue") else None
            s["speaker"] = Speaker(**s["speaker"]) if s.get("speaker") else None
            s["date"] = DateRef(**s["date"]) if s.get("date") else None
            stmts.append(Statement(**s))
        meta = {k: v for k, v in (d.get("metadata") or {}).items() if k in Metadata.__dataclass_fields__}
        return cls(source=d.get("source"), text=d["text"], metadata=Metadata(**meta), statements=stmts)
