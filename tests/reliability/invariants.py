"""The invariants every extract() result keeps, shared by the property tests and the fuzzer."""
from __future__ import annotations

import json
import math

from kutip.core.model import ExtractedArticle

KINDS = {"direct", "indirect", "mixed"}


def check_article(art: ExtractedArticle, given_text: str | None = None) -> None:
    """Every invariant of one result; ``given_text``: the plain-text input it must keep unchanged."""
    text = art.text
    assert isinstance(text, str)
    if given_text is not None:
        assert text == given_text, "plain text must come back unchanged as `text`"
    for s in art.statements:
        assert s.kind in KINDS
        assert 0 <= s.start <= s.end <= len(text), (s.start, s.end, len(text))
        assert text[s.start:s.end] == s.text, (s.start, s.end, s.text)
        assert s.text.strip(), f"empty or whitespace-only statement {s.text!r} at {s.start}"
        if s.cue is not None:
            assert 0 <= s.cue.start <= s.cue.end <= len(text)
            assert text[s.cue.start:s.cue.end] == s.cue.text
        sp = s.speaker
        if sp is not None and sp.mention_start is not None:
            assert 0 <= sp.mention_start <= sp.mention_end <= len(text)
            assert text[sp.mention_start:sp.mention_end] == sp.mention
        assert isinstance(s.confidence, (int, float)) and math.isfinite(s.confidence)
        assert 0.0 <= s.confidence <= 1.0
    d = art.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert json.loads(art.to_json()) == d
    assert ExtractedArticle.from_dict(json.loads(json.dumps(d))).to_dict() == d
