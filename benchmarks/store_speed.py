"""Store speed: ingest rate into SQLite and PostgreSQL and search latency (p50/p95)
on a generated database of at least 100K statements.

    nice -n 10 .venv/bin/python benchmarks/store_speed.py                  # both databases
    .venv/bin/python benchmarks/store_speed.py --statements 100000 --sample 300 --db sqlite
    KUTIP_BENCH_PG=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/store_speed.py

What it does, per database:
1. ``add_article`` (the real path: linking, clusters, index, one transaction per article)
   on a sample of articles: articles/s and statements/s.
2. Fills the database up to ``--statements`` with ``Store.bulk_add`` (the same code, many
   articles per transaction) and reports that rate too.
3. Runs a fixed set of queries (single words, stemmed variants, two- and three-word queries,
   queries with filters, filter-only listings) ``--repeat`` times: p50/p95/max latency in ms.

The text is synthetic Indonesian-like prose from a vocabulary written here (roots with
Indonesian affixes, Zipf-distributed), with speakers, affiliations, outlets, dates and
some agency re-runs (near-identical quotes across outlets) so clusters form.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOTS = """runding damai perang senjata bantu kuat negara rakyat harga beras minyak pajak anggaran
bangun jalan sekolah guru murid sehat obat rumah sakit dokter hujan banjir longsor tanam panen
pupuk tani nelayan ikan laut kapal pelabuhan dagang ekspor impor pasar modal saham bank kredit
utang bunga inflasi tumbuh ekonomi kerja buruh upah gaji pensiun pilih calon partai suara
menang kalah kampanye debat hukum adil hakim jaksa polisi tangkap periksa saksi bukti sidang
putus banding korupsi suap desa kota provinsi pulau hutan bakar asap udara air bersih listrik
tenaga surya angin bumi tambang batu bara nikel emas jual beli untung rugi tolak terima setuju
bahas rencana program dana pinjam bayar tagih pungut beri minta tanya jawab jelas tegas
janji tepat capai target kurang lebih naik turun stabil aman jaga lindung awas cegah tangani
atur ubah tetap mulai selesai lanjut henti buka tutup kirim datang pergi temu rapat sepakat
bela serang tahan mundur maju gerak latih siap tugas jabat pimpin wakil lapor umum resmi
""".split()
PLAIN = """pemerintah presiden menteri gubernur bupati warga masyarakat petani pedagang mahasiswa
tahun bulan minggu hari pekan depan lalu ini itu nasional daerah pusat baru lama besar kecil
tinggi rendah cepat lambat banyak sedikit semua setiap beberapa terus segera sudah belum masih
hanya juga bahkan namun tetapi karena sehingga agar supaya jika bila ketika saat setelah sebelum
Indonesia Jakarta Surabaya Medan Makassar Papua Aceh Bali Ukraina Rusia Eropa Asia Amerika
""".split()
PREFIX = ["", "", "me", "mem", "men", "ber", "di", "ter", "pe", "per", "ke"]
SUFFIX = ["", "", "", "kan", "an", "i", "nya"]
GIVEN = """Budi Siti Ahmad Dewi Agus Rina Eko Sri Joko Wahyu Indah Bambang Retno Hendra Yusuf
Fitri Rudi Lestari Dedi Ani Andi Nur Arif Maya Teguh Putri Hadi Sari Imam Wulan""".split()
FAMILY = """Santoso Wijaya Hartono Susanto Pratama Nugroho Hidayat Saputra Kusuma Setiawan Gunawan
Siregar Nasution Lubis Harahap Simanjuntak Sitompul Tanjung Wibowo Purnomo Halim Rahman Syahputra
Utomo Permana Sembiring Ginting Tarigan Manurung Pohan""".split()
ROLES = ["Menteri", "Kepala", "Direktur", "Ketua", "Juru Bicara", "Gubernur", "Sekretaris Jenderal", "Anggota", "Pengamat"]
AFFS = ["Kementerian Keuangan", "Kementerian Pertanian", "Kementerian Perdagangan", "Bank Indonesia",
        "Badan Pusat Statistik", "Polda Metro Jaya", "Komisi Pemberantasan Korupsi (KPK)", "DPR RI",
        "Universitas Indonesia", "Bulog", "Pertamina", "PLN", "Kementerian Kesehatan", "Pemprov Jawa Barat",
        "Pakta Pertahanan Atlantik Utara (NATO)", "Perserikatan Bangsa-Bangsa (PBB)", "Kejaksaan Agung"]
OUTLETS = ["ANTARA", "Kompas", "Tempo", "Detik", "Republika", "CNN Indonesia", "Kumparan", "Tribunnews",
           "Liputan6", "Okezone", "Suara", "Bisnis Indonesia"]

QUERIES = [
    ("perundingan", {}), ("berunding", {}), ("merundingkan", {}), ("harga beras", {}), ("pajak", {}),
    ("senjata perang", {}), ("pembangunan jalan desa", {}), ("korupsi", {}), ("inflasi ekonomi", {}),
    ("bantuan", {}), ("penanganan banjir", {}), ("listrik tenaga surya", {}), ("pemerintah", {}),
    ("kesepakatan", {}), ("hakim putusan", {}),
    ("perundingan", {"outlet": "Kompas"}), ("harga", {"kind": "direct"}),
    ("pajak", {"date_from": "2023-03-01", "date_to": "2023-06-30"}), ("bantuan", {"affiliation": "Kementerian Keuangan"}),
    ("perang", {"speaker": "Santoso"}),
    (None, {}), (None, {"outlet": "ANTARA"}), (None, {"kind": "indirect", "date_from": "2023-06-01"}),
    (None, {"speaker": "Budi"}), (None, {"affiliation": "NATO"}),
]


class Corpus:
    def __init__(self, seed: int = 7):
        self.r = random.Random(seed)
        words = []
        for root in ROOTS:
            for p in PREFIX[:6]:
                for s in SUFFIX[:5]:
                    words.append(p + root + s)
        words = sorted(set(words)) + PLAIN
        self.r.shuffle(words)
        self.words = words
        self.weights = [1.0 / (i + 1) ** 0.9 for i in range(len(words))]
        self.people = []
        for i in range(1500):
            self.people.append((f"{self.r.choice(GIVEN)} {self.r.choice(FAMILY)}", self.r.choice(ROLES),
                                self.r.choice(AFFS)))
        self.people = list(dict.fromkeys(self.people))

    def sentence(self, n: int) -> str:
        ws = self.r.choices(self.words, weights=self.weights, k=n)
        return " ".join(ws).capitalize()

    def articles(self, n_articles: int, per_article: int = 10, start: int = 0):
        """Contract-shaped ExtractedArticle objects; ~5% are agency re-runs of an earlier quote."""
        from kutip.store.testing import build_article

        recent: list[tuple[str, tuple]] = []
        for a in range(start, start + n_articles):
            items = []
            for k in range(per_article):
                if recent and self.r.random() < 0.05:
                    text, who = self.r.choice(recent)
                    w = text.split()
                    i = self.r.randrange(len(w))
                    w[i] = self.r.choice(self.words)           # lightly edited re-run
                    text = " ".join(w)
                else:
                    text = self.sentence(self.r.randint(9, 28))
                    who = self.r.choice(self.people)
                    if len(recent) < 500:
                        recent.append((text, who))
                    else:
                        recent[self.r.randrange(500)] = (text, who)
                name, role, aff = who
                items.append({"text": text, "name": name, "role": role, "affiliation": aff,
                              "kind": self.r.choice(["direct", "direct", "indirect", "mixed"]),
                              "mention": name.split()[-1] if self.r.random() < 0.5 else name})
            day = 1 + (a * 7919) % 540
            y, d = (2023, day) if day <= 365 else (2024, day - 365)
            import datetime as _dt

            pub = (_dt.date(y, 1, 1) + _dt.timedelta(days=d - 1)).isoformat()
            outlet = OUTLETS[a % len(OUTLETS)]
            art = build_article(items, lead=self.sentence(20) + ".", outlet=outlet, published=pub,
                                title=self.sentence(6), url=f"https://bench.example/{outlet.lower().replace(' ', '-')}/{a}")
            yield art


def pct(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def bench_db(label: str, url: str, args) -> dict:
    from kutip.store import Store

    out = {"db": label}
    st = Store(url)
    corpus = Corpus()
    per = args.per_article
    # 1. the real add_article path on a sample
    sample = list(corpus.articles(args.sample, per))
    t0 = time.perf_counter()
    for art in sample:
        st.add_article(art)
    el = time.perf_counter() - t0
    out["add_article_articles_s"] = len(sample) / el
    out["add_article_statements_s"] = len(sample) * per / el
    # 2. fill up to the target with bulk_add (same code, many articles per transaction)
    need = max(0, args.statements - len(sample) * per)
    n_art = (need + per - 1) // per
    t0 = time.perf_counter()
    done = 0
    batch = []
    last_report = t0
    for art in corpus.articles(n_art, per, start=args.sample):
        batch.append(art)
        if len(batch) >= args.batch:
            st.bulk_add(batch)
            done += len(batch)
            batch = []
            if time.perf_counter() - last_report > 15:
                last_report = time.perf_counter()
                print(f"  [{label}] {done}/{n_art} articles, {done * per / (last_report - t0):.0f} statements/s",
                      file=sys.stderr, flush=True)
    if batch:
        st.bulk_add(batch)
        done += len(batch)
    el = time.perf_counter() - t0
    out["bulk_articles_s"] = done / el if el else 0
    out["bulk_statements_s"] = done * per / el if el else 0
    out["bulk_seconds"] = el
    out["stats"] = st.stats()
    st.analyze()
    # 3. search latency
    lat = []
    per_query = {}
    for q, kw in QUERIES:  # warm-up
        st.search(q, **kw)
    for _ in range(args.repeat):
        for q, kw in QUERIES:
            t = time.perf_counter()
            res = st.search(q, **kw)
            ms = (time.perf_counter() - t) * 1000
            lat.append(ms)
            per_query.setdefault((q, tuple(sorted(kw.items()))), []).append((ms, res["total"]))
    out["search_p50_ms"] = pct(lat, 50)
    out["search_p95_ms"] = pct(lat, 95)
    out["search_max_ms"] = max(lat)
    out["queries"] = len(lat)
    out["slowest"] = sorted(((statistics.median(m for m, _ in v), k, v[0][1]) for k, v in per_query.items()),
                            reverse=True)[:5]
    st.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--statements", type=int, default=100_000, help="statements in the database (default 100000)")
    ap.add_argument("--per-article", type=int, default=10)
    ap.add_argument("--sample", type=int, default=300, help="articles ingested one by one with add_article")
    ap.add_argument("--batch", type=int, default=200, help="articles per bulk_add transaction")
    ap.add_argument("--repeat", type=int, default=8, help="passes over the query set")
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--sqlite-path", default=None, help="SQLite file (default: a temp file, removed after)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    results = []
    if args.db in ("sqlite", "both"):
        tmp = tempfile.mkdtemp(prefix="kutip-bench-")
        path = args.sqlite_path or os.path.join(tmp, "bench.db")
        if os.path.exists(path):
            os.remove(path)
        results.append(bench_db("SQLite", f"sqlite:///{path}", args))
        if not args.sqlite_path:
            for f in os.listdir(tmp):
                os.remove(os.path.join(tmp, f))
            os.rmdir(tmp)
    if args.db in ("postgres", "both"):
        from kutip.store.testing import PostgresUnavailable, throwaway_database

        admin = os.environ.get("KUTIP_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
        try:
            url, drop = throwaway_database(admin, "kutip_bench")
        except Exception as exc:
            print(f"PostgreSQL skipped: cannot create a database at {admin}: {exc}", file=sys.stderr)
        else:
            try:
                results.append(bench_db("PostgreSQL", url, args))
            finally:
                drop()

    print(f"\nKutip store benchmark: {args.statements} statements ({args.per_article} per article), "
          f"add_article sample {args.sample} articles, {len(QUERIES)} queries x {args.repeat}")
    print(f"{'db':<11} {'add_article art/s':>18} {'stmt/s':>8} {'bulk art/s':>11} {'stmt/s':>8} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  stats")
    for r in results:
        print(f"{r['db']:<11} {r['add_article_articles_s']:>18.1f} {r['add_article_statements_s']:>8.0f} "
              f"{r['bulk_articles_s']:>11.1f} {r['bulk_statements_s']:>8.0f} {r['search_p50_ms']:>7.1f} "
              f"{r['search_p95_ms']:>7.1f} {r['search_max_ms']:>7.1f}  {r['stats']}")
    for r in results:
        print(f"slowest queries on {r['db']} (median ms, query, filters, total hits):")
        for ms, (q, kw), total in r["slowest"]:
            print(f"  {ms:7.1f}  {q!r} {dict(kw)} -> {total}")


if __name__ == "__main__":
    main()
