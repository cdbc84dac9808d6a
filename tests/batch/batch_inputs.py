"""Small batch inputs written by the tests themselves: JSONL (.gz), WARC (.gz) and RSS, with
articles whose speakers' names vary, and helpers that read a batch output back as sorted rows."""
from __future__ import annotations

import gzip
import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

FIRST = ["Sri", "Budi", "Rina", "Ahmad", "Dewi", "Eko", "Siti", "Joko", "Ayu", "Hendra"]
LAST = ["Mulyani", "Santoso", "Wati", "Fauzi", "Lestari", "Prasetyo", "Nurhaliza", "Widodo", "Kartika", "Wijaya"]
ROLES = [("Menteri Keuangan", "Jakarta"), ("Gubernur Jawa Barat", "Bandung"), ("Kepala Dinas Pendidikan", "Semarang"),
         ("Wali Kota Surabaya", "Surabaya"), ("Direktur Utama PT Kereta Api Indonesia", "Yogyakarta")]
TOPICS = ["defisit anggaran akan dijaga di bawah tiga persen", "jalan tol baru akan dibuka bulan depan",
          "sekolah akan dibuka kembali setelah renovasi selesai", "stok beras aman sampai akhir tahun",
          "harga tiket tidak akan naik menjelang libur panjang"]


def name(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}{'' if i < 100 else str(i // 100)}"


def article_text(i: int) -> str:
    role, city = ROLES[i % len(ROLES)]
    who = name(i)
    topic = TOPICS[(i // 3) % len(TOPICS)]
    short = who.split()[-1]
    return (f"{city} (ANTARA) - {role} {who} mengatakan bahwa {topic}.\n\n"
            f"\"Kami akan terus bekerja keras agar rencana nomor {i} berjalan sesuai jadwal,\" kata {short} "
            f"di {city}, Senin.\n")


def article_html(i: int) -> str:
    body = "".join(f"<p>{p}</p>" for p in article_text(i).split("\n\n"))
    return (f"<html><head><title>Berita {i}</title></head><body><nav><a href='/'>Beranda</a></nav>"
            f"<article><h1>Berita {i}</h1>{body}</article></body></html>")


def jsonl_record(i: int, *, html: bool = False, month: int | None = None) -> dict:
    d = {"url": f"https://warta.example/{i}", "outlet": "Warta Contoh", "title": f"Berita {i}",
         "published": f"2023-{(month or 1 + i % 3):02d}-{1 + i % 27:02d}"}
    d["html" if html else "text"] = article_html(i) if html else article_text(i)
    return d


def write_jsonl(path: Path, ids, *, gz: bool = False, html: bool = False, extra_lines=()) -> Path:
    lines = [json.dumps(jsonl_record(i, html=html), ensure_ascii=False) for i in ids] + list(extra_lines)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


def write_warc(path: Path, records, *, gz: bool = True) -> Path:
    """records: (url, http status line, content type, body bytes); a request record before each response."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for n, (url, status, ctype, body) in enumerate(records):
            req = w.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                       http_headers=StatusAndHeaders(f"GET /{n} HTTP/1.1", [("Host", "warta.example")],
                                                                     is_http_request=True),
                                       warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:req-{path.name}-{n}>"})
            w.write_record(req)
            resp = w.create_warc_record(url, "response", payload=io.BytesIO(body),
                                        http_headers=StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1"),
                                        warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:{path.name}-{n}>"})
            w.write_record(resp)
    return path


def html_records(ids, host="https://crawl.example"):
    return [(f"{host}/{i}", "200 OK", "text/html; charset=utf-8", article_html(i).encode("utf-8")) for i in ids]


# ------------------------------------------------------------------------ reading an output back

def dataset_rows(out: Path, table: str) -> list[dict]:
    import pyarrow.dataset as ds

    d = out / table
    if not d.exists():
        return []
    rows = ds.dataset(str(d), format="parquet", partitioning="hive").to_table().to_pylist()
    return sorted(rows, key=lambda r: r["id"])


def snapshot(out: Path) -> dict:
    """Everything a job leaves for its users: sorted rows of both datasets, the rejects file, the file names."""
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*")
                   if p.is_file() and not str(p.relative_to(out)).startswith("_kutip"))
    return {"articles": dataset_rows(out, "articles"), "statements": dataset_rows(out, "statements"),
            "rejects": (out / "rejects.jsonl").read_text(encoding="utf-8") if (out / "rejects.jsonl").exists() else None,
            "files": files}


# ------------------------------------------------------------------------ processes

KUTIP = str(Path(sys.executable).with_name("kutip"))
DASK = str(Path(sys.executable).with_name("dask"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(cond, timeout: float, step: float = 0.01, what: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.kill(proc.pid, 9)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
