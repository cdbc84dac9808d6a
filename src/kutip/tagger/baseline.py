"""Rules-only baseline on PFSA-ID, scored with the same strict measure as the model.

    python -m kutip.tagger.baseline ../shared/data/pfsa-id

STATEMENT = every pair of quote marks (paired by parity over the article, marks
included); CUE / CUECOREF = a speech verb (or verb+nya) within three tokens after a
closing mark. This is what the quotation rules find without a model; the CRF takes the
same findings as features (see features.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

from kutip.tagger.corpus import load_corpus
from kutip.tagger.evaluate import evaluate_labels, format_report
from kutip.tagger.features import QUOTES, default_vocab


def rule_labels(tokens: list[str], *, cue_required: bool = False) -> list[str]:
    n = len(tokens)
    labs = ["O"] * n
    vocab = default_vocab()
    marks = [i for i, t in enumerate(tokens) if t in QUOTES]
    for a, b in zip(marks[0::2], marks[1::2]):
        cue = None
        for k in range(b + 1, min(n, b + 4)):
            low = tokens[k].lower()
            if low in vocab.cue_bases or vocab.is_cuecoref(low):
                cue = k
                break
        if cue_required and cue is None:
            continue
        labs[a] = "B-STATEMENT"
        for k in range(a + 1, b):
            labs[k] = "I-STATEMENT"
        labs[b] = "L-STATEMENT"
        if cue is not None:
            labs[cue] = "U-CUECOREF" if vocab.is_cuecoref(tokens[cue].lower()) else "U-CUE"
    return labs


def main(argv: list[str]) -> None:
    arts, _ = load_corpus(Path(argv[0]))
    for req in (False, True):
        gold, pred = [], []
        for a in arts:
            toks = [t for s in a.sentences for t in s.tokens]
            gold += [l for s in a.sentences for l in s.labels]
            pred += rule_labels(toks, cue_required=req)
        print(f"rules only ({'quote pairs followed by a cue' if req else 'every quote pair'}):")
        print(format_report(evaluate_labels(gold, pred)))
        print()


if __name__ == "__main__":
    main(sys.argv[1:] or ["../shared/data/pfsa-id"])
