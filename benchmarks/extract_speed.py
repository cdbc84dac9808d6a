"""Extraction throughput and peak memory for one process, on a corpus built from the samples.

Usage: python benchmarks/extract_speed.py [--articles N] [--seeds DIR]
Prints articles/second, statements/second and peak RSS. The corpus repeats the bundled
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--text-only", action="store_true", help="leave the HTML sample out")
    ap.add_argument("--no-model", action="store_true", help="the rule path only, without the PFSA-ID tagger")
    a = ap.parse_args()
    docs = corpus(a.articles, a.seeds)
    if a.text_only:
        docs = [d for d in docs if not d[1]]
    use_model = not a.no_model
    extract(docs[0][0], use_model=use_model)  # warm caches (lexicons, regexes, model)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    n_stmt = chars = 0
    for text, is_html in docs:
        n_stmt += len(extract(text, html=is_html, use_model=use_model).statements)
        chars += len(text)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    html = sum(1 for d in docs if d[1])
    print(f"articles={len(docs)} (html={html}) chars={chars:,} statements={n_stmt} model={'on' if use_model else 'off'}")
    print(f"time={dt:.2f}s  articles/s={len(docs) / dt:.1f}  statements/s={n_stmt / dt:.1f}  "
          f"MB/s={chars / dt / 1e6:.2f}")
    print(f"peak_rss_mb={rss / 1024:.1f} (before run {rss0 / 1024:.1f})")


if __name__ == "__main__":
    main()
