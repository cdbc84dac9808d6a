"""Test support: a real PostgreSQL server for the store's tests.

``postgres_server()`` returns an admin URL: $KUTIP_TEST_PG if set, else a server
at 127.0.0.1:5432 (user postgres), else one started here with initdb/pg_ctl in
a temporary directory. ``throwaway_database(admin_url)`` creates a uniquely
named database and returns (url, drop). Failures raise ``PostgresUnavailable``
with the reason, which the tests turn into a clear skip message.
"""
from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from typing import Callable, Optional

DEFAULT_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
_started: dict[str, Callable[[], None]] = {}


class PostgresUnavailable(RuntimeError):
    pass


def _driver_url(url: str) -> str:
    for p in ("postgresql://", "postgres://"):
        if url.startswith(p):
            return "postgresql+psycopg://" + url[len(p):]
    return url


def _can_connect(url: str) -> Optional[str]:
    from sqlalchemy import create_engine, text

    try:
        eng = create_engine(_driver_url(url), connect_args={"connect_timeout": 3})
        with eng.connect() as c:
            c.execute(text("SELECT 1"))
        eng.dispose()
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_private_server() -> tuple[str, Callable[[], None]]:
    """initdb + pg_ctl start in a temp dir (as user postgres when run as root): (admin URL, stop)."""
    initdb = shutil.which("initdb")
    pg_ctl = shutil.which("pg_ctl")
    if not initdb or not pg_ctl:
        for d in sorted(os.listdir("/usr/lib/postgresql"), reverse=True) if os.path.isdir("/usr/lib/postgresql") else []:
            b = f"/usr/lib/postgresql/{d}/bin"
            if os.path.exists(f"{b}/initdb"):
                initdb, pg_ctl = f"{b}/initdb", f"{b}/pg_ctl"
                break
    if not initdb or not pg_ctl:
        raise PostgresUnavailable("no PostgreSQL server reachable and no initdb/pg_ctl found to start one")
    tmp = tempfile.mkdtemp(prefix="kutip-pg-")
    data = os.path.join(tmp, "data")
    port = _free_port()
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # PostgreSQL refuses to run as root: run it as the 'postgres' user when there is one
        runuser = shutil.which("runuser")
        if not runuser:
            raise PostgresUnavailable("running as root and no runuser to start PostgreSQL as another user")
        prefix = [runuser, "-u", "postgres", "--"]
        shutil.chown(tmp, user="postgres")
    try:
        subprocess.run(prefix + [initdb, "-D", data, "-U", "postgres", "-A", "trust", "--no-sync"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run(prefix + [pg_ctl, "-D", data, "-w", "-t", "60", "-l", os.path.join(tmp, "log"), "-o",
                                 f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                       check=True, capture_output=True, timeout=90)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, LookupError) as exc:
        out = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(tmp, ignore_errors=True)
        raise PostgresUnavailable(f"could not start a private PostgreSQL server: {exc} {out.decode(errors='replace')[-300:]}")

    def stop() -> None:
        subprocess.run(prefix + [pg_ctl, "-D", data, "-m", "fast", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)

    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    return url, stop


def postgres_server() -> str:
    """An admin URL of a reachable PostgreSQL server (see the module doc)."""
    env = os.environ.get("KUTIP_TEST_PG")
    if env:
        why = _can_connect(env)
        if why:
            raise PostgresUnavailable(f"KUTIP_TEST_PG={env} is not reachable: {why}")
        return _driver_url(env)
    why = _can_connect(DEFAULT_ADMIN)
    if why is None:
        return DEFAULT_ADMIN
    if _started:
        return next(iter(_started))
    try:
        url, stop = start_private_server()
        atexit.register(stop)
        _started[url] = stop
        return url
    except PostgresUnavailable as exc:
        raise PostgresUnavailable(f"no PostgreSQL at 127.0.0.1:5432 ({why}); set KUTIP_TEST_PG; {exc}") from None


def throwaway_database(admin_url: str, prefix: str = "kutip_test") -> tuple[str, Callable[[], None]]:
    """Create a uniquely named database; returns (its URL, a function that drops it)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_driver_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(_driver_url(admin_url)).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def truncate_all(store) -> None:
    """Empty every table of a store (between tests sharing one database)."""
    from sqlalchemy import text

    tables = ["lsh_band", "posting", "term_stat", "corpus_stat", "statement", "quote_cluster", "speaker_facet",
              "speaker_affiliation", "speaker_name", "speaker", "article", "outlet"]
    with store.engine.begin() as c:
        if store.engine.dialect.name == "postgresql":
            c.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                c.execute(text(f"DELETE FROM {t}"))
            c.execute(text("DELETE FROM sqlite_sequence")) if _has_seq(c) else None
    store._invalidate()


def _has_seq(c) -> bool:
    from sqlalchemy import text

    return c.execute(text("SELECT count(*) FROM sqlite_master WHERE name='sqlite_sequence'")).scalar() > 0


def build_article(items: list[dict], *, lead: str = "", title: Optional[str] = None, outlet: Optional[str] = None,
                  published: Optional[str] = None, url: Optional[str] = None, tail: str = ""):
    """An ExtractedArticle whose offsets hold (text[start:end] == statement text), for exact tests.

    Each item: {"text", "name", "mention" (default name), "role", "affiliation", "type" (person),
    "kind" (direct), "date" (ISO value), "cue" (kata)}; written as ``"TEXT," kata MENTION.``
    (direct) or ``MENTION mengatakan TEXT.`` (indirect), a paragraph each.
    """
    from kutip.core.model import Cue, DateRef, ExtractedArticle, Metadata, Speaker, Statement

    text = lead + ("\n\n" if lead else "")
    stmts = []
    for it in items:
        kind = it.get("kind", "direct")
        name = it.get("name")
        mention = it.get("mention", name) or "ia"
        cue_word = it.get("cue", "kata" if kind == "direct" else "mengatakan")
        if kind == "direct":
            text += "\u201c"
            s0 = len(text)
            text += it["text"]
            s1 = len(text)
            text += "\u201d " + cue_word + " "
            c0 = s1 + 2
            m0 = len(text)
            text += mention + ".\n\n"
        else:
            m0 = len(text)
            text += mention + " " + cue_word + " "
            c0 = m0 + len(mention) + 1
            s0 = len(text)
            text += it["text"]
            s1 = len(text)
            text += ".\n\n"
        sp = None
        if name is not None or it.get("mention"):
            sp = Speaker(mention=mention, mention_start=m0, mention_end=m0 + len(mention), name=name,
                         type=it.get("type", "person"), role=it.get("role"), affiliation=it.get("affiliation"))
        dt = DateRef(text=it["date"], value=it["date"]) if it.get("date") else None
        stmts.append(Statement(kind=kind, text=it["text"], start=s0, end=s1, cue=Cue(cue_word, c0, c0 + len(cue_word)),
                               speaker=sp, date=dt, location=it.get("location"), event=it.get("event"),
                               confidence=it.get("confidence", 0.9)))
    text += tail
    meta = Metadata(title=title, outlet=outlet, published=published, url=url)
    art = ExtractedArticle(source=url, text=text, metadata=meta, statements=stmts)
    for s in stmts:
        assert text[s.start:s.end] == s.text
    return art


# --- a synthetic corpus (benchmarks/store_speed.py and the scaling tests) ------------------------
# Indonesian-like prose from roots with affixes (Zipf-distributed), 1,500 people with roles and
# organisations, 12 outlets, dates over 18 months, ~5% agency re-runs (a lightly edited earlier
# quote from another outlet) so that clusters form.
import datetime as _dt  # noqa: E402
import random  # noqa: E402

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
    """Synthetic articles with exact statement offsets (see the section comment)."""

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
            pub = (_dt.date(y, 1, 1) + _dt.timedelta(days=d - 1)).isoformat()
            outlet = OUTLETS[a % len(OUTLETS)]
            art = build_article(items, lead=self.sentence(20) + ".", outlet=outlet, published=pub,
                                title=self.sentence(6), url=f"https://bench.example/{outlet.lower().replace(' ', '-')}/{a}")
            yield art
