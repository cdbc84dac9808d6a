"""Extraction time per MB as an article grows (issue 10: flat within 1.5x from 0.25 to 4 MB).

    .venv/bin/python benchmarks/extract_scaling.py                 # rules only (--no-model)
    .venv/bin/python benchmarks/extract_scaling.py --model         # with the shipped tagger
    .venv/bin/python benchmarks/extract_scaling.py --sizes 0.25 1 2 4

The article is a seed's paragraphs repeated to length (samples/ when ../shared is absent), so
every size has the same density of quotations, cues and boilerplate. Prints seconds, seconds
per MB, statements, peak RSS growth, and the ratio of the largest to the smallest s/MB.
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import kutip

ROOT = Path(__file__).resolve().parents[1]


def seed_text() -> str:
    seed = ROOT.parent / "shared" / "seeds" / "000_32ba9717b40f26bb.txt"
    path = seed if seed.is_file() else ROOT / "samples" / "01_banjir_semarang.txt"
    return path.read_text(encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.25, 1.0, 2.0, 4.0])
    ap.add_argument("--model", action="store_true", help="tag with the shipped model too")
    a = ap.parse_args()
    seed = seed_text() + "\n\n"
    per_mb = []
    for mb in a.sizes:
        text = seed * max(1, int(mb * 1e6 / len(seed)))
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        art = kutip.extract(text, use_model=a.model)
        dt = time.perf_counter() - t
        rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
        per_mb.append(dt / (len(text) / 1e6))
        print(f"{len(text) / 1e6:5.2f} MB  {dt:7.2f} s  {per_mb[-1]:6.2f} s/MB  {len(art.statements):6d} statements  "
              f"peak RSS +{rss:.0f} MB", flush=True)
    print(f"largest/smallest s/MB: {max(per_mb) / min(per_mb):.2f}  (model {'on' if a.model else 'off'})")


if __name__ == "__main__":
    main()
