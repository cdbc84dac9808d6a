"""Speech cues and reporting verbs: the words that mark a statement ("kata", "ujarnya",
"mengatakan", "tak menampik"). Every word comes from a lexicon file."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from kutip.core.segment.text import Tok
from kutip.core.lexicons import lowered


@lru_cache(maxsize=None)
def _cue_words() -> frozenset[str]:
    return lowered("speech_cues")


def cue_at(tok: Tok) -> Optional[str]:
    """'base' for a speech cue (or a passive one: "ditambahkan Tony"), 'nya' for its -nya form
    ("ujarnya"), else None."""
    low = tok.low
    if low in _cue_words() or low in lowered("passive_cues"):
        return "base"
    if low.endswith("nya") and low[:-3] in _cue_words():
        return "nya"
    return None


def verb_at(toks: list[Tok], i: int) -> int:
    """Length of a reporting verb at ``i`` (with a preceding negation: "tak menampik"), else 0."""
    if toks[i].low in lowered("reporting_verbs"):
        return 1
    if toks[i].low in lowered("negations") and i + 1 < len(toks) and toks[i + 1].low in lowered("reporting_verbs"):
        return 2
    return 0
