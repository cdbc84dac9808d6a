"""Wall time of `kutip search` as a user runs it (a fresh process each time) on a store of
N generated statements, the figure issue 10 asks for (≤ 0.5 s on 10K statements).

    .venv/bin/python benchmarks/search_cli.py --statements 10000 --runs 7

Builds the store with benchmarks/store_speed.py's generator (same schema and index as
`kutip ingest`), then runs `kutip search WORD --db URL` alternately for a few words and prints the
median and the worst wall time, and `python -c pass` for the interpreter's own start; the CPU
time (user + system) of each `kutip search` process is printed beside it, a figure that holds
when other work shares the machine.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_speed import Corpus, fast_fill  # noqa: E402

KUTIP = str(Path(sys.executable).with_name("kutip"))


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def wall(cmd: list[str], cpu: list[float] | None = None) -> float:
    t, c = time.perf_counter(), _children_cpu()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if cpu is not None:
        cpu.append(_children_cpu() - c)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--statements", type=int, default=10_000)
    ap.add_argument("--per-article", type=int, default=10)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    from kutip.store import Store

    with tempfile.TemporaryDirectory() as d:
        url = f"sqlite:///{d}/search.db"
        st = Store(url)
        t = time.perf_counter()
        fast_fill(st, Corpus(), a.statements // a.per_article, a.per_article, 0)
        print(f"store: {st.stats()['statements']} statements built in {time.perf_counter() - t:.1f} s")
        st.engine.dispose()
        words = ["banjir", "harga beras", "pemilu", "tanggul"]
        py, search, cpu = [], [], []
        for i in range(a.runs):
            py.append(wall([sys.executable, "-c", "pass"]))
            search.append(wall([KUTIP, "search", words[i % len(words)], "--db", url], cpu))
        print(f"python -c pass   median {statistics.median(py):.3f} s")
        print(f"kutip search     median {statistics.median(search):.3f} s   max {max(search):.3f} s   "
              f"({a.runs} runs, {a.statements} statements)")
        print(f"kutip search CPU median {statistics.median(cpu):.3f} s   max {max(cpu):.3f} s   (user + system)")


if __name__ == "__main__":
    main()
