"""Load test of `kutip serve`: a fixed number of requests at a fixed concurrency, while an ingest
writes into the same store.

    .venv/bin/python benchmarks/load_test.py --requests 2000 --concurrency 32
    .venv/bin/python benchmarks/load_test.py --db postgresql://postgres@127.0.0.1:5432/test

What it does, with real components only:

1. fills a store (a temporary SQLite file, or the database at --db) with --articles generated
   articles whose offsets hold (kutip.store.testing.build_article);
2. starts a real `kutip serve` process on a free 127.0.0.1 port over it;
3. writes --ingest generated plain-text articles to a temporary folder and starts
   `kutip ingest FOLDER --db ...` as a second process, which extracts and stores them while
   the requests run;
4. sends --requests requests from --concurrency concurrent httpx clients, mixed as
   search (GET /api/statements?q=), speaker page (GET /speakers/{id}), article
   (GET /api/articles/{id}) and extract (POST /api/extract);
5. stops the ingest and the server and prints, per endpoint: requests, answers by class,
   503s (the extraction limit, with Retry-After: expected under load), 5xx, dropped connections
   (transport errors: no answer at all), requests/s and p50/p95/p99 latency.

It exits non-zero when any request got a 5xx other than 503 or no answer.

    .venv/bin/python benchmarks/load_test.py --keepalive-race 30

instead measures the dropped-connection race: 32 connections each reuse their connection after
being idle for about as long as the client keeps one (2 s, like httpx's 5 s but quicker), against
a server that closes idle connections after the same 2 s, then against one that keeps them 75 s
(`kutip serve --keep-alive`, the default now); it prints the requests that got no answer.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

KUTIP = [sys.executable, "-c", "from kutip.cli import main; main()"]

GIVEN = ["Budi", "Sri", "Joko", "Ani", "Retno", "Agus", "Dewi", "Hendra", "Siti", "Rudi", "Yusuf", "Maya"]
FAMILY = ["Santoso", "Wijaya", "Hartono", "Lestari", "Pratama", "Nugroho", "Saputra", "Halim", "Kusuma"]
ROLES = ["Menteri Keuangan", "Gubernur", "Ketua DPR", "Direktur Utama", "Kepala Dinas", "Juru bicara"]
AFFS = ["Kementerian Keuangan", "PT Pertamina", "DPR RI", "Bank Indonesia", "Pemprov Jawa Tengah"]
OUTLETS = ["ANTARA", "Kompas", "Tempo", "Detik", "CNN Indonesia"]
WORDS = ("harga beras naik turun inflasi anggaran defisit banjir jalan tol pembangunan pemerintah "
         "rakyat pasar ekspor impor pajak subsidi listrik bahan bakar minyak sekolah guru rumah sakit "
         "dokter petani nelayan pelabuhan bandara kereta api investasi pertumbuhan ekonomi kebijakan "
         "perundingan damai keamanan pemilu partai koalisi anggota program bantuan sosial").split()
SEARCH_WORDS = ["harga", "inflasi", "anggaran banjir", "pemerintah", "ekonomi", "pajak subsidi", "petani",
                "perundingan", "listrik", "pemilu partai"]
EXTRACT_TEXT = ('JAKARTA (ANTARA) - Menteri Keuangan Sri Mulyani Indrawati mengatakan bahwa inflasi '
                'masih terkendali.\n\n"Kami akan terus menjaga daya beli masyarakat," kata Sri Mulyani '
                'di Jakarta, Senin (6/3/2023).\n\nIa menambahkan pemerintah menyiapkan bantuan sosial.')
MIX = [("search", 4), ("speaker page", 2), ("article", 3), ("extract", 1)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sentence(r: random.Random, n: int) -> str:
    return " ".join(r.choice(WORDS) for _ in range(n)).capitalize()


def fill(url: str, n: int, r: random.Random) -> None:
    from kutip.store import Store
    from kutip.store.testing import build_article

    people = [(f"{g} {f}", r.choice(ROLES), r.choice(AFFS)) for g in GIVEN for f in FAMILY]
    st = Store(url=url)
    try:
        for a in range(n):
            items = []
            for _ in range(r.randint(3, 8)):
                name, role, aff = r.choice(people)
                items.append({"text": sentence(r, r.randint(8, 20)), "name": name, "role": role,
                              "affiliation": aff, "kind": r.choice(["direct", "indirect"]),
                              "mention": name, "date": f"2023-{1 + a % 12:02d}-{1 + a % 28:02d}"})
            outlet = OUTLETS[a % len(OUTLETS)]
            art = build_article(items, lead=sentence(r, 15) + ".", outlet=outlet, title=sentence(r, 5),
                                published=f"2023-{1 + a % 12:02d}-{1 + a % 28:02d}",
                                url=f"https://load.example/{outlet.lower().replace(' ', '-')}/{a}")
            st.add_article(art, url=art.metadata.url, outlet=outlet, published=art.metadata.published)
    finally:
        st.close()


def write_ingest_inputs(folder: Path, n: int, r: random.Random) -> None:
    for i in range(n):
        g, f = r.choice(GIVEN), r.choice(FAMILY)
        role = r.choice(ROLES)
        text = (f"JAKARTA ({r.choice(OUTLETS)}) - {role} {g} {f} mengatakan bahwa {sentence(r, 12).lower()}.\n\n"
                f"\"{sentence(r, 14)},\" kata {f} di Jakarta, Selasa ({1 + i % 28}/{1 + i % 12}/2024).\n\n"
                f"Menurut {f}, {sentence(r, 10).lower()}.\n")
        (folder / f"ingest-{i:05d}.txt").write_text(text, encoding="utf-8")


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(p / 100 * len(xs) + 0.5)) - 1))]


def wait_up(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"kutip serve exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise SystemExit("kutip serve did not come up")
        time.sleep(0.1)


async def drive(base: str, n: int, concurrency: int, speakers: list[int], articles: list[int],
                seed: int, timeout: float) -> tuple[dict, float]:
    r = random.Random(seed)
    kinds = [k for k, w in MIX for _ in range(w)]
    plan = [r.choice(kinds) for _ in range(n)]
    stats: dict = defaultdict(lambda: {"lat": [], "status": defaultdict(int), "dropped": 0, "errors": []})
    queue: asyncio.Queue = asyncio.Queue()
    for k in plan:
        queue.put_nowait(k)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient, wr: random.Random) -> None:
        while True:
            try:
                kind = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            t0 = time.perf_counter()
            try:
                if kind == "search":
                    resp = await client.get("/api/statements", params={"q": wr.choice(SEARCH_WORDS)})
                elif kind == "speaker page":
                    resp = await client.get(f"/speakers/{wr.choice(speakers)}")
                elif kind == "article":
                    resp = await client.get(f"/api/articles/{wr.choice(articles)}")
                else:
                    resp = await client.post("/api/extract", json={"text": EXTRACT_TEXT})
                await resp.aread()
                stats[kind]["status"][resp.status_code] += 1
                if resp.status_code >= 500 and resp.status_code != 503:
                    stats[kind]["errors"].append(f"{resp.status_code} {resp.text[:120]}")
            except httpx.TransportError as exc:
                stats[kind]["dropped"] += 1
                stats[kind]["errors"].append(f"{type(exc).__name__}: {exc}")
            stats[kind]["lat"].append(time.perf_counter() - t0)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(client, random.Random(seed + i)) for i in range(concurrency)))
        elapsed = time.perf_counter() - t0
    return stats, elapsed


def report(stats: dict, elapsed: float, n: int, concurrency: int, ingest: dict) -> int:
    print(f"\n{n} requests, concurrency {concurrency}, {elapsed:.1f} s: {n / elapsed:.1f} requests/s overall")
    print(f"ingest during the run: {ingest}")
    head = f"{'endpoint':<13} {'n':>5} {'2xx':>5} {'4xx':>4} {'503':>4} {'5xx':>4} {'drop':>4} " \
           f"{'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    print(head)
    print("-" * len(head))
    bad = 0
    for kind, _ in MIX:
        s = stats.get(kind)
        if not s:
            continue
        st = s["status"]
        c2 = sum(v for k, v in st.items() if 200 <= k < 300)
        c4 = sum(v for k, v in st.items() if 400 <= k < 500)
        c503 = st.get(503, 0)
        c5 = sum(v for k, v in st.items() if k >= 500 and k != 503)
        total = sum(st.values()) + s["dropped"]
        ok_lat = [x * 1000 for x in s["lat"]]
        print(f"{kind:<13} {total:>5} {c2:>5} {c4:>4} {c503:>4} {c5:>4} {s['dropped']:>4} "
              f"{total / elapsed:>6.1f} {pct(ok_lat, 50):>7.0f} {pct(ok_lat, 95):>7.0f} {pct(ok_lat, 99):>7.0f}")
        bad += c5 + s["dropped"]
        for e in s["errors"][:3]:
            print(f"    {e}")
    return bad


def keepalive_race(rounds: int, expiry: float = 2.0) -> int:
    """Requests that get no answer when a client reuses a connection idle for about as long as
    both the client and the server keep one, and when the server keeps it longer."""
    tmp = Path(tempfile.mkdtemp(prefix="kutip-race-"))
    url = f"sqlite:///{tmp / 'race.db'}"
    worst = 0
    try:
        for server_keep in (expiry, 75):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(KUTIP + ["serve", "--db", url, "--port", str(port),
                                               f"--keep-alive={int(server_keep)}"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_up(base, server)
                drops: dict = defaultdict(int)
                answered = 0

                async def run() -> None:
                    nonlocal answered
                    limits = httpx.Limits(max_connections=32, keepalive_expiry=expiry)
                    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
                        async def conn(i: int) -> None:
                            nonlocal answered
                            r = random.Random(i)
                            for _ in range(rounds):
                                try:
                                    await client.get("/api/stats")
                                    answered += 1
                                except httpx.TransportError as exc:
                                    drops[type(exc).__name__] += 1
                                await asyncio.sleep(expiry + r.uniform(-0.15, 0.05))
                        await asyncio.gather(*(conn(i) for i in range(32)))

                asyncio.run(run())
                print(f"server keeps idle connections {server_keep:g} s, client {expiry:g} s: "
                      f"{answered} answered, {sum(drops.values())} without an answer {dict(drops)}")
                if server_keep > expiry:
                    worst = sum(drops.values())
            finally:
                server.terminate()
                server.wait(10)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if worst else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--db", default=None, help="store URL (default: a temporary SQLite file); it is filled first")
    ap.add_argument("--articles", type=int, default=300, help="articles put in the store before the run")
    ap.add_argument("--ingest", type=int, default=300, help="articles `kutip ingest` adds during the run (0: none)")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per request before it counts as dropped")
    ap.add_argument("--serve-arg", action="append", default=[],
                    help="extra argument for `kutip serve` (repeatable), e.g. --serve-arg=--keep-alive=5")
    ap.add_argument("--keepalive-race", type=int, default=0, metavar="ROUNDS",
                    help="measure the keep-alive race instead (ROUNDS reuses per connection)")
    args = ap.parse_args(argv)
    if args.keepalive_race:
        return keepalive_race(args.keepalive_race)

    tmp = Path(tempfile.mkdtemp(prefix="kutip-load-"))
    url = args.db or f"sqlite:///{tmp / 'load.db'}"
    r = random.Random(args.seed)
    t = time.perf_counter()
    fill(url, args.articles, r)
    print(f"store {url}: {args.articles} articles filled in {time.perf_counter() - t:.1f} s")
    inputs = tmp / "ingest"
    inputs.mkdir()
    write_ingest_inputs(inputs, args.ingest, r)

    env = {k: v for k, v in os.environ.items() if k not in ("KUTIP_API_TOKEN",)}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(KUTIP + ["serve", "--db", url, "--port", str(port), *args.serve_arg],
                              stdout=subprocess.DEVNULL, stderr=open(tmp / "serve.log", "w"), env=env)
    ingest = None
    try:
        wait_up(base, server)
        speakers = [s["id"] for s in httpx.get(base + "/api/speakers", params={"limit": 100}).json()["items"]]
        articles = [a["id"] for a in httpx.get(base + "/api/articles", params={"limit": 100}).json()["items"]]
        before = httpx.get(base + "/api/stats").json()["articles"]
        if args.ingest:
            ingest = subprocess.Popen(KUTIP + ["ingest", str(inputs), "--db", url, "--quiet"],
                                      stdout=subprocess.DEVNULL, stderr=open(tmp / "ingest.log", "w"), env=env)
        stats, elapsed = asyncio.run(drive(base, args.requests, args.concurrency, speakers, articles,
                                           args.seed, args.timeout))
        ingest_info = {"running at the end": ingest is not None and ingest.poll() is None}
        if ingest is not None:
            try:
                ingest.wait(300)
            except subprocess.TimeoutExpired:
                ingest.terminate()
                ingest.wait(10)
            ingest_info["exit"] = ingest.returncode
        after = httpx.get(base + "/api/stats").json()["articles"]
        ingest_info["articles added"] = after - before
        bad = report(stats, elapsed, args.requests, args.concurrency, ingest_info)
    finally:
        for p in (ingest, server):
            if p is not None and p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        log = (tmp / "serve.log").read_text(errors="replace").strip()
        if log:
            print("\nkutip serve logged:\n" + "\n".join(log.splitlines()[-15:]))
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{'FAIL' if bad else 'OK'}: {bad} requests with a 5xx (other than 503) or no answer")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
