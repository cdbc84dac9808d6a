"""Tokens and sentence units with character offsets into the article text.

The rule engine works on characters, not on a parse: every token and sentence
carries ``start``/``end`` into the untouched article text, like spaCy's ``Token.idx``.
A regex tokenizer is used on this hot path because it is ~30x faster than a spaCy
``Doc`` for the same offsets (see docs/benchmarks.md); the tagger uses spaCy.
"""
from __future__ import annotations

from kutip.core.regions import Regions

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from kutip.core.lexicons import closed_class, lowered

# a one-letter title glued to a name ("H.Hairan") is two tokens: "H." and "Hairan"
TOKEN_RE = re.compile(r"[A-Z]\.(?=[A-Z][a-z]{2})|\w+(?:[-'’.]\w+)*|[^\w\s]", re.UNICODE)
_SENT_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s)|\n")


class Tok:
    """A token with its offsets into the article text and what the rules ask of it, computed
    once (the rules compare these everywhere)."""
    __slots__ = ("text", "start", "end", "low", "is_word", "is_acronym")

    def __init__(self, text: str, start: int, end: int, low: str = "") -> None:
        self.text = text
        self.start = start
        self.end = end
        self.low = low or text.casefold()
        self.is_word = text[0].isalnum()
        self.is_acronym = len(text) >= 2 and text.isupper() and text.isalpha()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tok) and (self.text, self.start, self.end) == (other.text, other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end))

    def __repr__(self) -> str:
        return f"Tok({self.text!r}, {self.start}, {self.end})"


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Tok]:
    end = len(text) if end is None else end
    return [Tok(w, m.start(), m.end(), w.casefold()) for m in TOKEN_RE.finditer(text, start, end) for w in (m.group(),)]


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


@lru_cache(maxsize=None)
def _abbreviations() -> frozenset[str]:
    return closed_class("abbreviations") | lowered("honorifics")


def split_sentences(text: str, protected: list[tuple[int, int]], excluded: list[tuple[int, int]]) -> list[Sentence]:
    """Split into sentence units, never inside a ``protected`` span (a quotation).

    A newline ends a sentence unless it falls inside a quotation that continues
    into the next paragraph. Sentences inside ``excluded`` regions (boilerplate) are dropped.
    """
    spans = sorted(protected)
    opens = [a for a, _ in spans]

    def inside(pos: int) -> bool:
        k = bisect_right(opens, pos - 1) - 1      # last span opening before pos
        return k >= 0 and spans[k][0] < pos < spans[k][1]

    abbr = _abbreviations()
    cuts = [0]
    for m in _SENT_END.finditer(text):
        pos = m.end()
        if m.group() != "\n":
            # "Dr. Budi", "H. Ahmad", initials "A. Yani": not an end.
            before = text[max(0, m.start() - 6):m.start()]
            w = re.search(r"(\w+)$", before)
            if w and m.group().startswith(".") and (w.group(1).casefold() in abbr or len(w.group(1)) == 1):
                continue
            nxt = text[pos:pos + 3].lstrip()
            if nxt and nxt[0].islower():
                continue
        if inside(pos if m.group() != "\n" else m.start()):
            continue
        cuts.append(pos)
    cuts.append(len(text))
    sentences: list[Sentence] = []
    boiler = excluded if isinstance(excluded, Regions) else Regions(excluded)
    for a, b in zip(cuts, cuts[1:]):
        chunk = text[a:b]
        s = a + (len(chunk) - len(chunk.lstrip()))
        e = a + len(chunk.rstrip())
        if e <= s:
            continue
        if boiler.covers(s, e):
            continue
        sentences.append(Sentence(s, e))
    return sentences
