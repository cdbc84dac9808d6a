"""kutip.tagger: a statement-attribution tagger trained on PFSA-ID (11 BILOU labels).

Python API (stable, used by the extractor)::

    from kutip.tagger import load_default_model
    tagger = load_default_model()          # None when no model ships with the package
    for span in tagger.tag_text(text):     # TagSpan(label, start, end, text), char offsets
        ...
    tagger.tag_tokens([["Ia", "berkata", "."]])  # -> [["O", "O", "O"]] (BILOU per token)

The shipped model is trained on PFSA-ID (CC BY-NC-SA 4.0): it and its outputs are for
non-commercial use, shared alike; see docs/model-card.md.
"""
from __future__ import annotations

import threading
from bisect import bisect_left
from pathlib import Path
from typing import Optional, Union

from kutip.core.model import TagSpan

__all__ = ["TagSpan", "Tagger", "load_default_model", "load_model", "DEFAULT_MODEL_DIR"]

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "pfsa-id"
# the longest text tagged as one sequence; longer ones are tagged in pieces (see Tagger.tag_text)
PIECE = 100_000
_UNSET = object()


class Tagger:
    """A loaded tagger model."""

    def __init__(self, path: Union[str, Path], *, spacy_tokenizer: bool = False):
        """``spacy_tokenizer``: tokenise with spaCy itself instead of the model's frozen copy
        (the same tokens, slower to start; for comparisons)."""
        from kutip.tagger.crf import CrfModel

        self.path = Path(path)
        self.spacy_tokenizer = spacy_tokenizer
        self._model = CrfModel(self.path)
        self._nlp = None
        self._frozen = _UNSET
        self._lock = threading.Lock()

    @property
    def meta(self) -> dict:
        return self._model.meta

    def tag_tokens(self, sentences: list[list[str]], rule_feats=None) -> list[list[str]]:
        """BILOU labels for tokenised sentences (one or more articles, split at datelines)."""
        with self._lock:
            return self._model.tag_sentences(sentences, rule_feats)

    def _frozen_tokenizer(self):
        """The model's frozen tokenizer (``tokenizer.json``, no spaCy), or None for a model
        saved without one (spaCy then tokenises, as when the model was trained), or when the
        tagger was made with ``spacy_tokenizer=True``."""
        if self._frozen is _UNSET:
            from kutip.tagger.tokenizer import load_tokenizer

            self._frozen = None if self.spacy_tokenizer else load_tokenizer(self.path)
        return self._frozen

    def _tokenizer(self):
        if self._nlp is None:
            import spacy

            nlp = spacy.blank("id")
            nlp.add_pipe("sentencizer")
            self._nlp = nlp
        return self._nlp

    def tokenize(self, text: str) -> list[list[tuple[str, int]]]:
        """Sentences of (token, char offset): spaCy's blank Indonesian tokenizer and
        sentencizer, with every line break also ending a sentence. A model folder with a
        ``tokenizer.json`` runs them from that frozen data, without importing spaCy."""
        frozen = self._frozen_tokenizer()
        if frozen is not None:
            return frozen.sentences(text)
        doc = self._tokenizer()(text)
        out: list[list[tuple[str, int]]] = []
        cur: list[tuple[str, int]] = []
        prev_end = 0
        for sent in doc.sents:
            if cur:
                out.append(cur)
                cur = []
            for tok in sent:
                if tok.is_space:
                    continue
                if cur and "\n" in text[prev_end:tok.idx]:
                    out.append(cur)
                    cur = []
                cur.append((tok.text, tok.idx))
                prev_end = tok.idx + len(tok.text)
        if cur:
            out.append(cur)
        return out

    def refine(self, analysis, statements, budget=None) -> list[TagSpan]:
        """The refinement stage of extraction: spans over ``analysis.text`` from the extractor's
        own :class:`~kutip.core.attribute.engine.Analysis` and the rules' attribution
        ``statements`` (the rule features), so the rules run once per article. ``budget``: the
        extraction's :class:`~kutip.core.budget.Budget`, checked between pieces."""
        from kutip.tagger.rule_features import spans_of

        text = analysis.text
        rules = spans_of(text, statements, analysis.phrases)
        if len(text) <= PIECE:
            return self._tag_piece(text, 0, len(text), rules)
        # texts longer than PIECE characters (no real article is) are tagged in pieces cut at
        # line breaks, so time and memory stay linear in the length
        out: list[TagSpan] = []
        rules.sort(key=lambda r: r[1])
        start = 0
        while start < len(text):
            end = min(len(text), start + PIECE)
            if end < len(text):
                cut = text.rfind("\n", start + PIECE // 2, end)
                if cut == -1:
                    cut = text.rfind(" ", start + PIECE // 2, end)
                end = cut + 1 if cut != -1 else end
            lo = bisect_left(rules, start, key=lambda r: r[1])
            hi = bisect_left(rules, end, key=lambda r: r[1])
            out += self._tag_piece(text, start, end, rules[lo:hi])
            start = end
            if budget is not None:
                budget.check("tagger")
        return out

    def tag_text(self, text: str) -> list[TagSpan]:
        """Tag raw text: the rules read it (as :func:`kutip.extract` does, without boilerplate
        regions), then :meth:`refine`. Spans carry character offsets into ``text``."""
        from kutip.core.attribute.engine import analyse, attribute

        analysis = analyse(text, [])
        return self.refine(analysis, attribute(analysis)) if analysis.toks else []

    def _tag_piece(self, text: str, start: int, end: int, rules: list) -> list[TagSpan]:
        from kutip.tagger.conll import spans
        from kutip.tagger.rule_features import features_at

        sents = self.tokenize(text[start:end])
        if not sents:
            return []
        flat_tok = [(t, i + start) for s in sents for t, i in s]
        feats = features_at(rules, [(i, i + len(t)) for t, i in flat_tok])
        labels = self.tag_tokens([[t for t, _ in s] for s in sents], feats)
        flat_lab = [l for s in labels for l in s]
        out = []
        for label, a, b in sorted(spans(flat_lab), key=lambda x: (x[1], x[2])):
            s0 = flat_tok[a][1]
            e0 = flat_tok[b - 1][1] + len(flat_tok[b - 1][0])
            out.append(TagSpan(label, s0, e0, text[s0:e0]))
        return out


def load_model(path: Union[str, Path]) -> Tagger:
    from kutip.core.errors import KutipError

    p = Path(path)
    if not (p / "meta.json").exists():
        raise KutipError(f"{p}: not a kutip tagger model (no meta.json); train one with `kutip train`")
    return Tagger(p)


_default: Optional[Tagger] = None
_default_loaded = False
_default_lock = threading.Lock()


def load_default_model() -> Optional[Tagger]:
    """The model shipped in the package (cached), or None when none is shipped."""
    global _default, _default_loaded
    with _default_lock:
        if not _default_loaded:
            _default = Tagger(DEFAULT_MODEL_DIR) if (DEFAULT_MODEL_DIR / "meta.json").exists() else None
            _default_loaded = True
        return _default
