"""CoNLL reading/writing and BILOU span decoding over the whole token stream.

A CoNLL file holds one token a line; whatever follows the first tab is the label
(anything after a second tab is ignored); a blank line is a sentence break. Spans are
decoded over the concatenated token stream, so a STATEMENT may cross sentence breaks.
"""
from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Union

from kutip.core.errors import KutipInputError

TYPES = (
    "STATEMENT", "CUE", "CUECOREF", "PERSONCOREF", "PERSON", "ROLE",
    "AFFILIATION", "ISSUE", "EVENT", "DATETIME", "LOCATION",
)
LABELS = ("O",) + tuple(f"{p}-{t}" for t in TYPES for p in "BILU")
LABEL_SET = frozenset(LABELS)


class ConllError(KutipInputError):
    """Malformed CoNLL input; the message carries the file name and line number."""


@dataclass
class Sentence:
    tokens: list[str]
    labels: Optional[list[str]] = None
    lines: list[int] = field(default_factory=list)  # 1-based line number of each token


def _open_text(source: Union[str, Path]) -> tuple[str, str]:
    """Return (text, display name); '-' reads standard input."""
    if str(source) == "-":
        return sys.stdin.read(), "<stdin>"
    p = Path(source)
    if not p.exists():
        raise KutipInputError(f"{p}: no such file; give the path of a CoNLL file")
    try:
        return p.read_text(encoding="utf-8"), str(p)
    except UnicodeDecodeError as exc:
        raise KutipInputError(f"{p}: not UTF-8 text ({exc.reason} at byte {exc.start}); convert it to UTF-8") from None


def parse_conll(text: str, *, name: str = "<input>", require_labels: bool = False,
                check_bilou: bool = True) -> list[Sentence]:
    """Parse CoNLL text into sentences.

    With ``require_labels`` every token line must be ``token<TAB>label`` with a known
    BILOU label, and the label sequence must be valid BILOU over the token stream;
    otherwise labels are read when present and ignored when absent.
    """
    sents: list[Sentence] = []
    toks: list[str] = []
    labs: list[str] = []
    lines: list[int] = []
    any_label = False
    for lineno, raw in enumerate(io.StringIO(text), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            if toks:
                sents.append(Sentence(toks, labs, lines))
                toks, labs, lines = [], [], []
            continue
        if line.startswith("-DOCSTART-"):
            continue
        if "\t" in line:
            tok, rest = line.split("\t", 1)
            lab = rest.split("\t", 1)[0].strip()
        else:
            tok, lab = line, None
        tok = tok.strip()
        if not tok:
            raise ConllError(f"{name}:{lineno}: empty token before the tab; each line must be token<TAB>label")
        if require_labels:
            if lab is None:
                raise ConllError(f"{name}:{lineno}: missing tab: expected 'token<TAB>label', got {line[:60]!r}")
            if lab not in LABEL_SET:
                raise ConllError(
                    f"{name}:{lineno}: unknown label {lab!r}; expected O or B-/I-/L-/U- followed by one of "
                    + ", ".join(TYPES))
        elif lab is not None and lab and lab not in LABEL_SET:
            lab = None  # a non-label column (e.g. POS) in input to be tagged: ignored
        if lab:
            any_label = True
        toks.append(tok)
        labs.append(lab or "O")
        lines.append(lineno)
    if toks:
        sents.append(Sentence(toks, labs, lines))
    if not any_label and not require_labels:
        for s in sents:
            s.labels = None
    if require_labels and check_bilou:
        check_bilou_stream(sents, name=name)
    return sents


def read_conll(source: Union[str, Path], *, require_labels: bool = False) -> list[Sentence]:
    text, name = _open_text(source)
    return parse_conll(text, name=name, require_labels=require_labels)


def check_bilou_stream(sents: list[Sentence], *, name: str = "<input>") -> None:
    """Raise ConllError at the first invalid BILOU transition over the token stream."""
    open_type: Optional[str] = None
    open_line = 0
    for s in sents:
        assert s.labels is not None
        for lab, ln in zip(s.labels, s.lines):
            p, t = (lab[0], lab[2:]) if lab != "O" else ("O", "")
            if open_type is not None:
                if p in "IL" and t == open_type:
                    if p == "L":
                        open_type = None
                    continue
                raise ConllError(
                    f"{name}:{ln}: broken BILOU: {lab} follows an unfinished {open_type} span opened at line "
                    f"{open_line}; close it with L-{open_type} (or use U- for a one-token span)")
            if p in "IL":
                raise ConllError(f"{name}:{ln}: broken BILOU: {lab} without a preceding B-{t}")
            if p == "B":
                open_type, open_line = t, ln
    if open_type is not None:
        raise ConllError(f"{name}: broken BILOU: the {open_type} span opened at line {open_line} never ends (no L-{open_type})")


def spans(labels: Iterable[str]) -> set[tuple[str, int, int]]:
    """Strict BILOU decoding over a token stream: {(type, start, end_exclusive)}.

    Only well-formed spans count (B I* L, or U); fragments of broken sequences are dropped.
    """
    out: set[tuple[str, int, int]] = set()
    start = -1
    cur = None
    for i, lab in enumerate(labels):
        if lab == "O" or len(lab) < 3:
            cur = None
            continue
        p, t = lab[0], lab[2:]
        if p == "U":
            out.add((t, i, i + 1))
            cur = None
        elif p == "B":
            cur, start = t, i
        elif p == "I":
            if cur != t:
                cur = None
        elif p == "L":
            if cur == t:
                out.add((t, start, i + 1))
            cur = None
    return out


def format_conll(sents: list[list[str]], labels: list[list[str]]) -> str:
    parts = []
    for toks, labs in zip(sents, labels):
        parts.append("".join(f"{t}\t{l}\n" for t, l in zip(toks, labs)))
    return "\n".join(parts)
