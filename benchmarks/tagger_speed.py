"""Tagger speed: model load time and tagging throughput (tokens/s, one process).

    nice -n 10 .venv/bin/python benchmarks/tagger_speed.py [--data ../shared/data/pfsa-id/pfsa-id-dev40.conll] [--model DIR]

Tags the token stream of a CoNLL file (default: PFSA-ID dev40, read from the shared
folder, never copied) with the shipped model on one thread, and raw text through
``Tagger.tag_text`` (tokenizer included), one article at a time as the extractor does: with
the model's frozen tokenizer (``tokenizer.json``, kutip.tagger.tokenizer) and, for
comparison in the same run, with spaCy's (what a model folder without the file uses).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "pfsa-id" / "pfsa-id-dev40.conll"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--max-tokens", type=int, default=200_000)
    args = ap.parse_args()

    # cold load in a fresh process (import + model open), as `kutip tag` pays it
    code = ("import time; t=time.perf_counter(); from kutip.tagger import load_default_model, load_model; "
            + (f"m=load_model({str(args.model)!r})" if args.model else "m=load_default_model()")
            + "; print(time.perf_counter()-t)")
    cold = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)

    from kutip.tagger import load_default_model, load_model
    from kutip.tagger.conll import read_conll
    from kutip.tagger.corpus import segment_documents
    from kutip.tagger.rule_features import detokenise

    t = time.perf_counter()
    tagger = load_model(args.model) if args.model else load_default_model()
    warm_load = time.perf_counter() - t
    if tagger is None:
        sys.exit("no model shipped; pass --model")
    sents = []
    n = 0
    for s in read_conll(args.data):
        sents.append(s.tokens)
        n += len(s.tokens)
        if n >= args.max_tokens:
            break
    tagger.tag_tokens(sents[:50])  # warm-up
    t = time.perf_counter()
    tagger.tag_tokens(sents)
    dt = time.perf_counter() - t
    # raw text as `kutip extract` meets it: one article at a time, natural spacing
    texts = []
    ntext = 0
    for lo, hi in segment_documents(sents[:3000]):
        texts.append("\n\n".join(detokenise(s)[0] for s in sents[lo:hi]))
        ntext += sum(len(s) for s in sents[lo:hi])
    frozen = tagger._frozen_tokenizer()
    runs = [("frozen" if frozen is not None else "spaCy", frozen)]
    if frozen is not None:
        runs.append(("spaCy", None))
    results = []
    for name, tok in runs:
        tagger._frozen = tok  # None: spaCy's tokenizer, as for a model without tokenizer.json
        tagger.tag_text(texts[0])  # warm-up: the tokenizer loads on first use
        t = time.perf_counter()
        for text in texts:
            tagger.tokenize(text)
        dt_tok = time.perf_counter() - t
        t = time.perf_counter()
        for text in texts:
            tagger.tag_text(text)
        results.append((name, dt_tok, time.perf_counter() - t))
    tagger._frozen = frozen
    # the tagger stage of extraction alone: refine() over the extractor's analysis, whose rule
    # features come from that analysis (the rules' own time is the extractor's, not counted here)
    from kutip.core.attribute.engine import analyse, attribute

    prepared = []
    for text in texts:
        analysis = analyse(text, [])
        prepared.append((analysis, attribute(analysis)))
    tagger.refine(*prepared[0])
    best_refine = float("inf")
    for _ in range(3):
        t = time.process_time()
        for analysis, statements in prepared:
            tagger.refine(analysis, statements)
        best_refine = min(best_refine, time.process_time() - t)
    size = sum(p.stat().st_size for p in tagger.path.iterdir())
    print(f"model: {tagger.path} ({size / 1e6:.1f} MB)")
    print(f"load time (fresh process, import + open): {cold:.3f} s")
    print(f"load time (model open only): {warm_load:.3f} s")
    print(f"tag_tokens: {n} tokens in {dt:.2f} s = {n / dt:,.0f} tokens/s (one process)")
    for name, dt_tok, dt_text in results:
        print(f"tag_text ({name} tokenizer + tagging), {len(texts)} articles one by one: ~{ntext} tokens in "
              f"{dt_text:.2f} s = {ntext / dt_text:,.0f} tokens/s (tokenizer alone: {ntext / dt_tok:,.0f} tokens/s)")
    print(f"refine (the tagger stage of extraction: tokenizer, features, CRF; rule features from the "
          f"analysis), best of 3 in CPU time: ~{ntext} tokens in {best_refine:.2f} s = "
          f"{ntext / best_refine:,.0f} tokens/s")


if __name__ == "__main__":
    main()
