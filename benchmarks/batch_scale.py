"""`kutip batch` at scale (issue 11): articles/s and peak memory per worker for 1 and 2 local
workers and a 2-worker Dask cluster (a real `dask scheduler` and two `dask worker` processes on
127.0.0.1), with the model off and on, reading JSONL and WARC.gz.

The corpus is generated from the articles in samples/: every person a sample quotes gets another
name in each copy (first and last names from two lists), so no two neighbouring articles are alike.

On a shared machine wall-clock rates say little, so each run also reports CPU seconds: the
per-core rate is articles per CPU second spent inside the shards (reading, extraction, Parquet
writing; each shard measures its own process time), and per CPU second of the whole worker
processes (getrusage: imports, model loading, Dask's own threads included). The 2-worker CPU
speed-up is 2 x (CPU per article on 1 worker) / (CPU per article on 2 workers): what 2 free cores
would give.

    .venv/bin/python benchmarks/batch_scale.py --articles 20000
    .venv/bin/python benchmarks/batch_scale.py --articles 3000 --inputs jsonl --models off,on
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FIRST = ["Agus", "Bayu", "Citra", "Dimas", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko", "Kurnia", "Lina",
         "Made", "Nanda", "Oki", "Putri", "Rizal", "Sari", "Teguh", "Umi", "Vina", "Wahyu", "Yanti", "Zainal"]
LAST = ["Pratama", "Saputra", "Hidayat", "Nugroho", "Kusuma", "Setiawan", "Permana", "Siregar", "Nasution",
        "Harahap", "Simanjuntak", "Wibowo", "Halim", "Gunawan", "Suryadi", "Purba", "Rangkuti", "Tanjung"]


def templates():
    """(text, is_html, [person names]) for each sample: the names a copy replaces."""
    import kutip

    out = []
    for p in sorted(SAMPLES.glob("0*")):
        text = p.read_text(encoding="utf-8")
        art = kutip.extract(text, use_model=False)
        names = sorted({s.speaker.name for s in art.statements
                        if s.speaker and s.speaker.name and s.speaker.type == "person" and len(s.speaker.name.split()) == 2})
        out.append((text, p.suffix == ".html", names))
    return out


def vary(text: str, names: list[str], i: int) -> str:
    for k, name in enumerate(names):
        first, last = name.split()
        nf = FIRST[(i * 7 + k * 5) % len(FIRST)]
        nl = LAST[(i * 11 + k * 3 + i // len(FIRST)) % len(LAST)]
        text = re.sub(rf"\b{re.escape(first)}\b", nf, text)
        text = re.sub(rf"\b{re.escape(last)}\b", nl, text)
    return text


def build_corpus(n: int, d: Path) -> dict:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    d.mkdir(parents=True, exist_ok=True)
    tm = templates()
    jl = d / "corpus.jsonl"
    warc_dir = d / "warc"
    warc_dir.mkdir(exist_ok=True)
    n_warc = 16
    writers = [WARCWriter(open(warc_dir / f"crawl-{k:02d}.warc.gz", "wb"), gzip=True) for k in range(n_warc)]
    with open(jl, "w", encoding="utf-8") as fh:
        for i in range(n):
            text, is_html, names = tm[i % len(tm)]
            body = vary(text, names, i)
            url = f"https://warta.example/{i}"
            pub = f"20{22 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            fh.write(json.dumps({"url": url, "outlet": "Warta Contoh", "published": pub,
                                 ("html" if is_html else "text"): body}, ensure_ascii=False) + "\n")
            html = body if is_html else "<html><body><article>" + "".join(
                f"<p>{p}</p>" for p in body.split("\n\n") if p.strip()) + "</article></body></html>"
            w = writers[i % n_warc]
            rec = w.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")),
                                       http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                                                     protocol="HTTP/1.1"))
            w.write_record(rec)
    for w in writers:
        w.out.close()
    return {"jsonl": jl, "warc": warc_dir}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(inp: str, out: str, model: bool, mode: str, split_bytes: int) -> dict:
    """Runs in its own process (so peak memory is this run's): returns the measures as a dict."""
    from kutip.batch.job import JobOptions, _rusage, run_job

    procs = []
    scheduler = None
    try:
        if mode == "cluster":
            port = free_port()
            scheduler = f"tcp://127.0.0.1:{port}"
            dask = str(Path(sys.executable).with_name("dask"))
            env = dict(os.environ, DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED="False",
                       DASK_DISTRIBUTED__WORKER__MEMORY__MONITOR_INTERVAL="1s",
                       DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__INTERVAL="1s")
            procs.append(subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                           "--no-dashboard"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            for k in range(2):
                procs.append(subprocess.Popen([dask, "worker", scheduler, "--nthreads", "1", "--no-dashboard",
                                               "--host", "127.0.0.1", "--name", f"w{k}"], env=env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            from distributed import Client

            deadline = time.time() + 60
            while True:
                try:
                    with Client(scheduler, timeout="5s") as c:
                        c.wait_for_workers(2, timeout=60)
                    break
                except OSError:
                    if time.time() > deadline:
                        raise
                    time.sleep(0.5)
        o = JobOptions(inputs=[inp], out=out, model=model, workers=1 if mode == "1" else 2, scheduler=scheduler,
                       part_size=500, split_bytes=split_bytes)
        t0 = time.perf_counter()
        res = run_job(o)
        wall = time.perf_counter() - t0
        workers = res.workers or {"in-process": _rusage()}
        return {"articles": res.articles, "statements": res.statements, "rejects": res.rejects, "wall_s": wall,
                "shard_cpu_s": res.cpu_s, "thread_cpu_s": res.thread_cpu_s,
                "workers": workers, "driver": _rusage()}
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20000, help="corpus size (default 20000)")
    ap.add_argument("--inputs", default="jsonl,warc", help="jsonl,warc")
    ap.add_argument("--models", default="off,on", help="off,on")
    ap.add_argument("--modes", default="1,2,cluster", help="1 (one worker, in process), 2 (LocalCluster), cluster")
    ap.add_argument("--work", help="working directory (default: a temporary one, removed)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        spec = json.loads(a.one)
        print(json.dumps(one_run(**spec)))
        return
    work = Path(a.work) if a.work else Path(tempfile.mkdtemp(prefix="kutip-batch-bench-"))
    t0 = time.perf_counter()
    corpus = build_corpus(a.articles, work / "corpus")
    size = corpus["jsonl"].stat().st_size
    print(f"corpus: {a.articles} articles, JSONL {size / 1e6:.1f} MB, WARC.gz "
          f"{sum(p.stat().st_size for p in corpus['warc'].iterdir()) / 1e6:.1f} MB in 16 files "
          f"(built in {time.perf_counter() - t0:.1f} s)", flush=True)
    split = max(64 << 10, size // 16)              # 16 JSONL shards, like the 16 WARC files
    results = []
    for inp in a.inputs.split(","):
        for model in a.models.split(","):
            base = None
            for mode in a.modes.split(","):
                out = work / f"out-{inp}-{model}-{mode}"
                shutil.rmtree(out, ignore_errors=True)
                spec = {"inp": str(corpus[inp]), "out": str(out), "model": model == "on", "mode": mode,
                        "split_bytes": split}
                r = subprocess.run([sys.executable, __file__, "--one", json.dumps(spec)], capture_output=True,
                                   text=True, cwd=ROOT)
                if r.returncode != 0:
                    print(f"{inp} model={model} workers={mode}: FAILED\n{r.stderr[-3000:]}", flush=True)
                    continue
                m = json.loads(r.stdout.strip().splitlines()[-1])
                cpu = sum(w["cpu_s"] for w in m["workers"].values())
                peak = max(w["peak_rss_mb"] for w in m["workers"].values())
                row = {"input": inp, "model": model, "workers": mode, "articles": m["articles"],
                       "statements": m["statements"], "wall_s": round(m["wall_s"], 1),
                       "articles_per_s": round(m["articles"] / m["wall_s"], 1),
                       "worker_cpu_s": round(cpu, 1), "shard_cpu_s": round(m["shard_cpu_s"], 1),
                       "thread_cpu_s": round(m["thread_cpu_s"], 1),
                       "per_core_articles_per_cpu_s": round(m["articles"] / m["shard_cpu_s"], 1),
                       "per_core_incl_startup": round(m["articles"] / cpu, 1),
                       "peak_rss_mb_per_worker": round(peak), "driver_peak_rss_mb": round(m["driver"]["peak_rss_mb"])}
                if mode == "1":
                    base = row
                elif base:
                    row["wall_speedup"] = round(base["wall_s"] / m["wall_s"], 2)
                    row["cpu_speedup_2_cores"] = round(2 * base["shard_cpu_s"] / m["shard_cpu_s"], 2)
                    row["cpu_speedup_incl_startup"] = round(2 * base["worker_cpu_s"] / cpu, 2)
                results.append(row)
                print(json.dumps(row), flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1))
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
