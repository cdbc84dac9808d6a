"""Direct quotations: pair quotation marks into spans, robust to real-world typing.

Handles straight, curly and mismatched marks (“ … "), Kompas-style ” used as the
opening mark, quotations running over several paragraphs (a paragraph that ends
inside a quotation continues when the next paragraph opens with a mark), and
unbalanced marks, which are closed at the end of their paragraph so that they
never swallow the rest of the article. Single quotes are left to the content
(nested quotations).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "“„«‟〝"
CLOSERS = "”»〞"
AMBIGUOUS = '"'
MARKS = set(OPENERS + CLOSERS + AMBIGUOUS)


@dataclass(frozen=True, slots=True)
class Quote:
    open: int      # index of the opening mark
    start: int     # first character of the quoted words
    end: int       # one past the last quoted character (before the closing mark)
    close: int     # one past the closing mark (== end when unclosed)
    closed: bool

    @property
    def span(self) -> tuple[int, int]:
        return self.open, self.close


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _looks_opening(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if prev in ",." and nxt.isalpha() and text[i] in CLOSERS:
        return True           # a mark glued between a clause and the quoted words: 'narkotika,”masak'
    return (_is_space(prev) or prev in "([:—–-/" or prev in OPENERS) and not _is_space(nxt)


def _paragraph_opening(text: str, i: int, start: int, last_mark: int) -> int | None:
    """Where a quotation closed at ``i`` with no opening mark starts: its paragraph's first word,
    when the paragraph holds no other mark before it, at least four words, and a lowercase word
    (the cue) or the paragraph's end follows ("Jangan ragu …,” ucapnya")."""
    if last_mark >= start:
        return None           # another mark in the paragraph before it: not a lone closing mark
    while start < i and not text[start].isalnum():
        if text[start] in MARKS:
            return None
        start += 1
    body = text[start:i]
    if len(body.split()) < 4 or any(c in MARKS for c in body):
        return None
    j = i + 1
    while j < len(text) and text[j] in " \t":
        j += 1
    if j < len(text) and text[j] != "\n" and not text[j].islower():
        return None
    return start


def _looks_closing(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    return not _is_space(prev) or _is_space(nxt) or nxt in ",.;:!?)"


def _next_paragraph_opens(text: str, i: int) -> int | None:
    """Index of the opening mark that continues a quotation after the newline at ``i``."""
    j = i
    n = len(text)
    while j < n and text[j].isspace():
        j += 1
    if j < n and text[j] in MARKS and j + 1 < n and not text[j + 1].isspace():
        return j
    return None


CONTINUE_PARAGRAPHS = 3


def _closes_later(text: str, i: int) -> bool:
    """Whether a quotation still open at the newline ``i`` closes within the next few paragraphs
    with no mark before its closing one ("“Pusat punya hak ⏎ Kalau kami … ⏎ Lewat mana? …,” tegas
    Klemen"): its paragraphs are one quotation."""
    paragraphs = 0
    j = i
    n = len(text)
    while j < n:
        ch = text[j]
        if ch == "\n":
            paragraphs += 1
            if paragraphs > CONTINUE_PARAGRAPHS:
                return False
        elif ch in MARKS:
            return ch in CLOSERS or (ch == AMBIGUOUS and not _looks_opening(text, j))
        j += 1
    return False


_MARK_OR_BREAK = re.compile("[\n" + re.escape("".join(sorted(MARKS))) + "]")


def find_quotes(text: str) -> list[Quote]:
    """All quotations in ``text`` in order, with offsets into it."""
    quotes: list[Quote] = []
    n = len(text)
    i = 0
    open_at = -1          # index of the current opening mark, -1 when outside
    last_mark = -1        # index of the last mark seen
    para = 0              # where the current paragraph starts
    while i < n:
        # only line breaks and quotation marks change anything: jump from one to the next
        m = _MARK_OR_BREAK.search(text, i)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if ch == "\n":
            para = i + 1
        if ch == "\n" and open_at >= 0:
            cont = _next_paragraph_opens(text, i)
            if cont is not None:
                i = cont + 1      # the continuation mark belongs to the quotation
                continue
            if _closes_later(text, i):
                i += 1            # paragraphs of one quotation with no marks between them
                continue
            end = i
            while end > open_at + 1 and text[end - 1].isspace():
                end -= 1
            if end > open_at + 1:
                quotes.append(Quote(open_at, open_at + 1, end, end, False))
            open_at = -1
            i += 1
            continue
        if ch in MARKS:
            mark, last_mark = last_mark, i
            if open_at < 0:
                if ch in OPENERS or (ch in CLOSERS + AMBIGUOUS and _looks_opening(text, i)):
                    open_at = i
                elif ch in CLOSERS + AMBIGUOUS and (start := _paragraph_opening(text, i, para, mark)) is not None:
                    # the opening mark is missing: the quotation opens its paragraph
                    quotes.append(Quote(start, start, i, i + 1, True))
            elif ch in CLOSERS or ch in AMBIGUOUS or (ch in OPENERS and _looks_closing(text, i)):
                if i > open_at + 1:
                    quotes.append(Quote(open_at, open_at + 1, i, i + 1, True))
                open_at = -1
        i += 1
    if open_at >= 0:
        end = n
        while end > open_at + 1 and text[end - 1].isspace():
            end -= 1
        if end > open_at + 1:
            quotes.append(Quote(open_at, open_at + 1, end, end, False))
    return quotes
