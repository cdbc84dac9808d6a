"""Excluded regions of an article (boilerplate, chrome) as sorted disjoint spans with
logarithmic queries, so that every per-sentence or per-match check costs O(log n) and an
article's analysis stays linear in its length. Pure; no dependencies."""
from __future__ import annotations

from bisect import bisect_right
from typing import Iterable, Optional


class Regions:
    """[start, end) spans, merged where they overlap or touch."""

    __slots__ = ("starts", "ends")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        merged: list[list[int]] = []
        for a, b in sorted((int(a), int(b)) for a, b in spans if b > a):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self):
        return iter(zip(self.starts, self.ends))

    def _at(self, pos: int) -> int:
        """Index of the last span starting at or before ``pos`` (-1 when none)."""
        return bisect_right(self.starts, pos) - 1

    def contains(self, pos: int) -> bool:
        i = self._at(pos)
        return i >= 0 and pos < self.ends[i]

    def end_of(self, pos: int) -> Optional[int]:
        """The end of the span that contains ``pos``, else None."""
        i = self._at(pos)
        return self.ends[i] if i >= 0 and pos < self.ends[i] else None

    def covers(self, start: int, end: int) -> bool:
        """Whether [start, end) lies inside one span."""
        i = self._at(start)
        return i >= 0 and end <= self.ends[i]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) shares a character with a span."""
        i = bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.ends[i] > start
