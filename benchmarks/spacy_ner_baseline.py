"""The issue's default choice, measured: a spaCy NER (tok2vec + transition-based NER,
blank Indonesian pipeline, no pretrained vectors) on one cross-validation fold.

Same data, folds and strict measure as `kutip train --cv 5`: trained on the labelled
articles of the other folds (one spaCy Doc per article, so a STATEMENT can cross
sentence breaks), each held-out dateline document tagged whole, scored by
`kutip evaluate`'s strict span measure. Prints the report and the time it took.

Usage: python benchmarks/spacy_ner_baseline.py ../shared/data/pfsa-id [--fold 0] [--epochs 8] [--minutes 30]
"""
from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import spacy
from spacy.tokens import Doc
from spacy.training import Example

from kutip.tagger.conll import spans
from kutip.tagger.corpus import fold_of, join_undated, load_corpus
from kutip.tagger.evaluate import evaluate_labels, format_report


def _doc(nlp, art) -> tuple[Doc, list[str]]:
    words = [t for s in art.sentences for t in s.tokens]
    labels = [l for s in art.sentences for l in (s.labels or ["O"] * len(s.tokens))]
    return Doc(nlp.vocab, words=words), labels


def _bilou(n: int, found) -> list[str]:
    """BILOU tags for ``n`` tokens from (type, start, end) spans."""
    out = ["O"] * n
    for typ, a, b in found:
        if b - a == 1:
            out[a] = "U-" + typ
        else:
            out[a] = "B-" + typ
            out[a + 1:b - 1] = ["I-" + typ] * (b - a - 2)
            out[b - 1] = "L-" + typ
    return out


def _clean(labels: list[str]) -> list[str]:
    """The spans the strict decoder reads (a fragment cut by de-duplication is dropped,
    as the evaluator drops it), as spaCy's BILUO tags."""
    return _bilou(len(labels), spans(labels))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data")
    ap.add_argument("--fold", type=int, default=0, help="held-out fold K of 5")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--minutes", type=float, default=30, help="stop training after this long")
    ap.add_argument("--limit", type=int, default=0, help="use only N training articles (smoke test)")
    a = ap.parse_args()
    arts, stats = load_corpus(Path(a.data))
    train = [x for x in arts if fold_of(x, 5) != a.fold]
    test = join_undated([x for x in arts if fold_of(x, 5) == a.fold])
    if a.limit:
        train, test = train[: a.limit], test[: max(1, a.limit // 4)]
    nlp = spacy.blank("id")
    ner = nlp.add_pipe("ner")
    examples = []
    for art in train:
        doc, labels = _doc(nlp, art)
        examples.append(Example.from_dict(doc, {"entities": _clean(labels)}))
        for l in labels:
            if l != "O":
                ner.add_label(l.split("-", 1)[1])
    t0 = time.time()
    optimizer = nlp.initialize(lambda: examples)
    random.seed(0)
    for epoch in range(a.epochs):
        random.shuffle(examples)
        losses: dict = {}
        for batch in spacy.util.minibatch(examples, size=8):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        print(f"epoch {epoch + 1}: loss {losses.get('ner', 0):.0f} ({time.time() - t0:.0f} s)", flush=True)
        if time.time() - t0 > a.minutes * 60:
            break
    train_s = time.time() - t0
    gold: list[str] = []
    pred: list[str] = []
    t1 = time.time()
    n_tok = 0
    for art in test:
        doc, labels = _doc(nlp, art)
        doc = nlp(doc)
        out = _bilou(len(doc), ((e.label_, e.start, e.end) for e in doc.ents))
        gold += labels
        pred += out
        n_tok += len(doc)
    print(f"spaCy NER, fold {a.fold + 1}/5: {len(train)} training articles, {len(test)} held-out documents; "
          f"training {train_s:.0f} s, tagging {n_tok / max(time.time() - t1, 1e-9):,.0f} tokens/s")
    print(format_report(evaluate_labels(gold, pred)))


if __name__ == "__main__":
    main()
