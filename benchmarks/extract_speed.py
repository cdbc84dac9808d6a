"""Extraction throughput and peak memory for one process, on a corpus built from the samples.

Usage: python benchmarks/extract_speed.py [--articles N] [--seeds DIR] [--no-model | --compare]
Prints articles/second (wall, and per core from this process's CPU time, which a shared,
loaded machine disturbs less), statements and peak RSS; ``--compare`` runs the rule path and the
model path side by side in one run, interleaved, and prints their ratio. The corpus repeats the bundled
sample articles (and the seed articles when found) with a varied suffix so no two
inputs are identical; every article goes through the full public `kutip.extract`.
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from kutip import extract
from kutip.sources.files import iter_documents

ROOT = Path(__file__).resolve().parents[1]


def corpus(n: int, seeds: Path | None) -> list[tuple[str, bool]]:
    paths = [str(ROOT / "samples")] + ([str(seeds)] if seeds and seeds.is_dir() else [])
    base = [(d.content, d.is_html) for d in iter_documents(paths) if not isinstance(d, Exception)]
    out = []
    for i in range(n):
        text, is_html = base[i % len(base)]
        if not is_html:
            text = text + f"\n\nArtikel nomor {i}."
        out.append((text, is_html))
    return out


def _run(docs, tagger) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, statements) for the whole corpus."""
    n_stmt = 0
    w, c = time.perf_counter(), time.process_time()
    for text, is_html in docs:
        n_stmt += len(extract(text, html=is_html, use_model=tagger is not None, tagger=tagger).statements)
    return time.perf_counter() - w, time.process_time() - c, n_stmt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--text-only", action="store_true", help="leave the HTML sample out")
    ap.add_argument("--no-model", action="store_true", help="the rule path only, without the PFSA-ID tagger")
    ap.add_argument("--compare", action="store_true",
                    help="both paths side by side in one run, interleaved in rounds (for the ratio)")
    ap.add_argument("--rounds", type=int, default=3, help="with --compare: rounds per path (best kept)")
    a = ap.parse_args()
    docs = corpus(a.articles, a.seeds)
    if a.text_only:
        docs = [d for d in docs if not d[1]]
    from kutip.tagger import load_default_model

    tagger = load_default_model()
    paths = [("rules", None), ("model", tagger)] if a.compare else [("model" if not a.no_model else "rules",
                                                                      None if a.no_model else tagger)]
    for _, t in paths:
        extract(docs[0][0], use_model=t is not None, tagger=t)  # warm caches (lexicons, regexes, model)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    best: dict[str, tuple[float, float, int]] = {}
    for _ in range(a.rounds if a.compare else 1):
        for name, t in paths:
            r = _run(docs, t)
            if name not in best or r[1] < best[name][1]:
                best[name] = r
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    chars = sum(len(d[0]) for d in docs)
    html = sum(1 for d in docs if d[1])
    print(f"articles={len(docs)} (html={html}) chars={chars:,}")
    for name, (wall, cpu, n_stmt) in best.items():
        print(f"{name:5}  statements={n_stmt}  wall={wall:.2f}s  articles/s={len(docs) / wall:.1f}  "
              f"CPU={cpu:.2f}s  articles/s per core (CPU time)={len(docs) / cpu:.1f}  MB/s={chars / wall / 1e6:.2f}")
    if len(best) == 2:
        print(f"model/rules rate (CPU time) = {best['rules'][1] / best['model'][1]:.2f}")
    print(f"peak_rss_mb={rss / 1024:.1f} (before run {rss0 / 1024:.1f})")


if __name__ == "__main__":
    main()
