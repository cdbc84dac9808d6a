"""Speed of the per-article input layers: decode_bytes, analyse (boilerplate), find_dates, html_to_text.

    nice -n 10 .venv/bin/python benchmarks/clean_speed.py [--seeds ../shared/seeds] [--repeat 2000]

Uses the shared seed articles (read in place, never copied) as typical 2-4 KB
plain-text articles, and a synthetic HTML page built from them. One process,
one thread; prints mean time per article.
"""
from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from kutip.core.boilerplate import analyse
from kutip.core.context.dates import find_dates
from kutip.core.decode import decode_bytes
from kutip.core.html import html_to_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"


def per_call(fn, arg, repeat: int) -> float:
    fn(arg)  # warm caches (lexicons, compiled regexes)
    t = time.perf_counter()
    for _ in range(repeat):
        fn(arg)
    return (time.perf_counter() - t) / repeat


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--repeat", type=int, default=2000)
    args = ap.parse_args()
    files = sorted(args.seeds.glob("*.txt"))
    if not files:
        raise SystemExit(f"no seed articles in {args.seeds}")
    pub = date(2023, 1, 20)
    print(f"{'article':32} {'bytes':>6} {'decode':>9} {'analyse':>9} {'find_dates':>11}")
    for f in files:
        data = f.read_bytes()
        text = decode_bytes(data)
        d = per_call(decode_bytes, data, args.repeat)
        a = per_call(analyse, text, args.repeat)
        fd = per_call(lambda t: find_dates(t, published=pub), text, args.repeat)
        print(f"{f.name:32} {len(data):6d} {d * 1e3:7.3f}ms {a * 1e3:7.3f}ms {fd * 1e3:9.3f}ms")
    body = "".join(f"<p>{p}</p>" for p in decode_bytes(files[0].read_bytes()).split("\n\n") if p.strip())
    page = (f"<!DOCTYPE html><html><head><title>Judul</title><meta property='og:site_name' content='ANTARA'></head>"
            f"<body><nav><a href='/'>Beranda</a></nav><article><h1>Judul</h1>{body}</article></body></html>")
    h = per_call(html_to_text, page, max(1, args.repeat // 20))
    print(f"html_to_text on a {len(page)}-char page: {h * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
