"""`kutip ingest` and the batch layer end to end: files, directories, JSONL,
RSS/Atom feeds and pages over a local HTTP server, per-item failures, idempotency,
Dask workers; the real extractor and a real SQLite file (PostgreSQL where noted)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kutip.batch import runner, sources
from kutip.cli import app
from kutip.store import Store

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Warta Contoh</title><link>{base}/</link><description>x</description>
<item><title>Satu</title><link>{base}/a.html</link><pubDate>Mon, 06 Mar 2023 10:00:00 +0700</pubDate></item>
<item><title>Dua</title><link>{base}/b.html</link><pubDate>Tue, 07 Mar 2023 09:00:00 +0700</pubDate></item>
<item><title>Hilang</title><link>{base}/missing.html</link></item>
<item><title>Lambat</title><link>{base}/slow.html</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Contoh</title><id>urn:x</id><updated>2023-03-08T00:00:00Z</updated>
<entry><title>Tiga</title><link href="{base}/c.html"/><id>urn:c</id><updated>2023-03-08T08:00:00Z</updated></entry>
</feed>"""


def page(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


PAGE_A = page("Anggaran", "<p>Menteri Keuangan Sri Mulyani Indrawati mengatakan bahwa defisit anggaran akan dijaga "
              "di bawah tiga persen.</p><p>\"Kami akan berunding dengan DPR soal belanja negara,\" kata Sri Mulyani.</p>")
PAGE_B = page("Perang", "<p>Sekretaris Jenderal NATO Jens Stoltenberg mengatakan bahwa perundingan damai hanya "
              "mungkin jika Ukraina kuat.</p><p>\"Itulah satu-satunya cara menuju damai yang adil,\" kata Stoltenberg.</p>")
PAGE_C = page("Pangan", "<p>Kepala Bulog Budi Waseso mengatakan bahwa stok beras aman sampai akhir tahun ini.</p>")


def cli(args, db=None):
    """Run the kutip CLI in-process; KutipError becomes exit code + message as in kutip.cli.main."""
    from kutip.core.errors import KutipError

    full = list(args) + (["--db", db] if db else [])
    res = CliRunner().invoke(app, full)
    if isinstance(res.exception, KutipError):
        return res.exception.exit_code, str(res.exception)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.output


def test_expand_directory_jsonl_and_errors(batch_dir, tmp_path):
    (batch_dir / "more.jsonl").write_text(
        json.dumps({"url": "https://x.id/j1", "outlet": "Tempo", "published": "2023-03-01",
                    "text": "Gubernur Jawa Barat Ridwan Kamil mengatakan bahwa jalan tol baru akan dibuka bulan depan."}) + "\n"
        + "{not json\n"
        + json.dumps({"url": "not-a-url", "outlet": "Tempo"}) + "\n"
        + "\n"
        + json.dumps({"outlet": "Detik", "html": PAGE_C}) + "\n", encoding="utf-8")
    (batch_dir / "ignored.bin").write_bytes(b"\x00\x01")
    jobs = list(sources.expand([str(batch_dir), str(tmp_path / "nope.txt")]))
    ok = [j for j in jobs if not j.error]
    bad = [j for j in jobs if j.error]
    assert [Path(j.source).name if j.path else j.source for j in ok] == ["a.txt", "b.html", "https://x.id/j1",
                                                                         str(batch_dir / "more.jsonl") + ":5"]
    assert ok[2].outlet == "Tempo" and ok[2].published == "2023-03-01" and ok[2].url == "https://x.id/j1"
    assert len(bad) == 3
    assert "more.jsonl:2" in bad[0].error and "not a JSON object" in bad[0].error
    assert "more.jsonl:3" in bad[1].error
    assert "nope.txt" in bad[2].error and "no such file" in bad[2].error


def test_cli_ingest_directory_is_idempotent(batch_dir, tmp_path):
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    code, out = cli(["ingest", str(batch_dir)], db)
    assert code == 0, out
    assert "2 created, 0 updated, 0 unchanged, 0 failed" in out
    code, out = cli(["ingest", str(batch_dir), "-q"], db)
    assert code == 0 and "0 created, 0 updated, 2 unchanged, 0 failed" in out
    st = Store(db)
    assert st.stats()["articles"] == 2 and st.stats()["statements"] >= 2
    assert st.search("perundingan")["total"] >= 1
    st.close()


def test_cli_ingest_rss_over_http_with_failures(batch_http, tmp_path):
    b = batch_http.base
    batch_http.routes.update({
        "/feed.xml": ("application/rss+xml", RSS.format(base=b), 0),
        "/a.html": ("text/html; charset=utf-8", PAGE_A, 0),
        "/b.html": ("text/html; charset=utf-8", PAGE_B, 0),
        "/slow.html": ("text/html", PAGE_C, 3),
    })
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    code, out = cli(["ingest", f"{b}/feed.xml", "--timeout", "1"], db)
    assert code == 1                                              # some items failed: non-zero, but the rest is stored
    assert "2 created, 0 updated, 0 unchanged, 2 failed" in out
    assert f"{b}/missing.html: HTTP 404" in out
    assert f"{b}/slow.html: timed out" in out
    st = Store(db)
    arts = st.articles()["items"]
    assert sorted(a["url"] for a in arts) == [f"{b}/a.html", f"{b}/b.html"]
    assert {a["outlet"] for a in arts} == {"Warta Contoh"}
    assert sorted(a["published"] for a in arts) == ["2023-03-06", "2023-03-07"]
    assert st.search("berunding", outlet="Warta Contoh")["total"] >= 1
    st.close()
    # the missing page appears later: only it is new
    batch_http.routes["/missing.html"] = ("text/html", PAGE_C, 0)
    batch_http.routes.pop("/slow.html")
    code, out = cli(["ingest", f"{b}/feed.xml", "-q"], db)
    assert "1 created, 0 updated, 2 unchanged, 1 failed" in out


def test_cli_ingest_atom_file_single_url_and_bad_inputs(batch_http, tmp_path):
    b = batch_http.base
    batch_http.routes.update({"/c.html": ("text/html", PAGE_C, 0), "/b.html": ("text/html", PAGE_B, 0),
                              "/empty.xml": ("application/rss+xml", "<rss><channel></channel></rss>", 0)})
    atom = tmp_path / "feed.atom"
    atom.write_text(ATOM.format(base=b), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    code, out = cli(["ingest", str(atom), f"{b}/b.html", f"{b}/empty.xml", str(tmp_path / "missing"),
                     "http://127.0.0.1:9/refused"], db)
    assert code == 1
    assert "2 created, 0 updated, 0 unchanged, 3 failed" in out
    assert "no items in the feed" in out and "no such file" in out and "cannot fetch" in out
    st = Store(db)
    urls = {a["url"]: a for a in st.articles()["items"]}
    assert urls[f"{b}/c.html"]["outlet"] == "Atom Contoh" and urls[f"{b}/c.html"]["published"] == "2023-03-08"
    assert f"{b}/b.html" in urls
    st.close()


def test_dask_workers_match_serial(batch_dir, tmp_path):
    for i in range(4):
        (batch_dir / f"extra{i}.txt").write_text(
            f"Jakarta - Kepala Dinas Pendidikan Ahmad Fauzi{i} mengatakan bahwa sekolah nomor {i} akan dibuka kembali "
            f"pekan depan setelah renovasi selesai.\n", encoding="utf-8")
    jobs = list(sources.expand([str(batch_dir)]))
    serial = [(o.job.source, o.error, o.article.to_dict() if o.article else None) for o in runner.run(jobs)]
    parallel = [(o.job.source, o.error, o.article.to_dict() if o.article else None)
                for o in runner.run(jobs, workers=2, chunk=3)]
    assert parallel == serial
    db1, db2 = Store(f"sqlite:///{tmp_path / 's.db'}"), Store(f"sqlite:///{tmp_path / 'p.db'}")
    s1 = runner.ingest(db1, runner.run(jobs))
    s2 = runner.ingest(db2, runner.run(jobs, workers=2))
    assert s1 == s2 and s1["created"] == 6 and s1["failed"] == 0
    assert db1.stats() == db2.stats()
    db1.close()
    db2.close()


def test_cli_ingest_with_workers(batch_dir, tmp_path):
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    code, out = cli(["ingest", str(batch_dir), "--workers", "2", "-q"], db)
    assert code == 0 and "2 created" in out


def test_one_article_failing_to_store_does_not_stop_the_batch(tmp_path):
    from kutip.batch.sources import Job
    from kutip.store.testing import build_article

    st = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    good = build_article([{"text": "Pernyataan yang baik dan cukup panjang untuk disimpan", "name": "Rina Wati"}])
    bad = build_article([{"text": "Pernyataan rusak yang akan ditolak oleh basis data", "name": "Eko Prasetyo"}])
    bad.statements[0].kind = "rusak"
    outs = [runner.Outcome(Job(source="bad", url="u:bad"), article=bad),
            runner.Outcome(Job(source="good", url="u:good"), article=good)]
    summary = runner.ingest(st, outs)
    assert summary["created"] == 1 and summary["failed"] == 1
    assert summary["failures"][0].startswith("bad: cannot store")
    assert st.stats()["articles"] == 1 and st.speakers()["items"][0]["name"] == "Rina Wati"
    st.close()


SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.mark.slow
def test_cli_seeds_into_postgres_and_sqlite(tmp_path):
    """The acceptance path through the real command line: `kutip ingest` both seeds, then
    `kutip speakers` shows one Jens Stoltenberg; on PostgreSQL too when a server is available."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    from kutip.store.testing import PostgresUnavailable, postgres_server, throwaway_database

    dbs = [f"sqlite:///{tmp_path / 'seeds.db'}"]
    drop = None
    try:
        url, drop = throwaway_database(postgres_server(), "kutip_test_batch")
        dbs.append(url)
    except PostgresUnavailable as exc:
        print(f"PostgreSQL part skipped: {exc}")
    try:
        for db in dbs:
            kutip_bin = Path(sys.executable).with_name("kutip")
            env = dict(os.environ, KUTIP_DB=db)
            r = subprocess.run([str(kutip_bin), "ingest", str(SEEDS)], capture_output=True, text=True, env=env, timeout=300)
            assert r.returncode == 0, r.stderr
            assert "2 created" in r.stdout
            code, out = cli(["speakers", "Stoltenberg", "--format", "json"], db)
            res = json.loads(out)
            assert res["total"] == 1 and res["items"][0]["name"] == "Jens Stoltenberg"
            assert res["items"][0]["statement_count"] >= 2
            code, out = cli(["search", "perundingan", "--speaker", "Stoltenberg", "--format", "json"], db)
            assert json.loads(out)["total"] >= 1
    finally:
        if drop:
            drop()


def test_fetch_limits_and_encodings(batch_http, monkeypatch):
    b = batch_http.base
    batch_http.routes.update({
        "/big.html": ("text/html", "x" * 5000, 0),
    })
    monkeypatch.setenv("KUTIP_MAX_BYTES", "1000")     # the one size limit, as a user sets it
    with pytest.raises(ValueError, match="larger than 1,000 bytes"):
        sources.fetch_text(f"{b}/big.html")
    # a page that declares its charset is decoded with it
    batch_http.routes["/latin.html"] = ("text/html; charset=windows-1252",
                                        "Menurut Pak José, “harga naik”".encode("cp1252"), 0)
    final, body = sources.fetch_text(f"{b}/latin.html")
    assert body == "Menurut Pak José, “harga naik”" and final == f"{b}/latin.html"
    out = runner.process(sources.Job(source=f"{b}/nothing-here", fetch=f"{b}/nothing-here"))
    assert out.error == f"{b}/nothing-here: HTTP 404"
