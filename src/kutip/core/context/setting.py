"""Where a statement was made: place ("di Davos, Swiss") and event
("dalam Forum Ekonomi Dunia (WEF)", "saat konferensi pers").

Read from the narration around the cue, never from the quoted words.
Event head words are data (``core/lexicons/event_heads.txt``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from kutip.core.lexicons import closed_class, entries, lowered

_CAP = r"[A-Z][\w'’-]*(?:\.[A-Za-z]+)*"
_CAP_RUN = rf"{_CAP}(?:\s+(?:{_CAP}|dan|&|de|van))*?(?:\s+\([A-Z][^()]{{0,40}}\))?"
_PLACE_RE = re.compile(
    rf"\b(?:di)\s+(?P<place>{_CAP}(?:\s+{_CAP})*(?:\s*,\s*{_CAP}(?:\s+{_CAP})*)?)")
NOT_PLACES = closed_class("not_places")


@lru_cache(maxsize=None)
def _event_re() -> re.Pattern:
    heads = sorted(entries("event_heads"), key=len, reverse=True)
    alt = "|".join(re.escape(h) for h in heads)
    return re.compile(
        rf"\b(?:dalam|pada|saat|ketika|di\s+sela(?:-sela)?|seusai|usai|selepas|menjelang|sebelum|setelah)\s+"
        rf"(?:acara\s+|kegiatan\s+|sebuah\s+)?(?P<event>(?:{alt})(?:\s+(?:{_CAP}|[A-Z0-9][\w-]*|dan|tentang|di|ke-\d+))*"
        rf"(?:\s+\([A-Z][^()]{{0,40}}\))?)")


def find_event(text: str, start: int, end: int) -> Optional[str]:
    m = _event_re().search(text, start, end)
    if not m:
        return None
    event = m.group("event")
    # the place of the event is reported separately: "Forum X di Davos" -> "Forum X"
    event = re.split(r"\s+di\s+", event)[0].strip()
    words = event.split()
    while words and words[-1].casefold() in closed_class("event_trailers"):
        words.pop()
    return " ".join(words) or None


def find_location(text: str, start: int, end: int) -> Optional[str]:
    for m in _PLACE_RE.finditer(text, start, end):
        place = m.group("place")
        first = place.split()[0].casefold()
        if first in NOT_PLACES or first in lowered("not_names"):
            continue
        # "di Davos, Swiss pada Rabu": stop before a day or month name
        parts = []
        for w in re.split(r"(\s*,\s*|\s+)", place):
            if w.strip(" ,").casefold() in lowered("not_names"):
                break
            parts.append(w)
        place = "".join(parts).strip(" ,")
        if place:
            return place
    return None
