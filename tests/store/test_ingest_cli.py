"""`kutip ingest` on real files and a real SQLite file: an unchanged input is skipped before
extraction, --published and --no-model as in `kutip extract`, and two ingests opening one new
database file at once both succeed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kutip.cli import app
from kutip.core.errors import KutipInputError
from kutip.store import Store

ARTICLES = {
    "a.txt": "Jakarta (ANTARA) - Menteri Keuangan Sri Mulyani Indrawati mengatakan defisit anggaran tahun depan "
             "tetap terjaga.\n\n\"Kita akan menjaga defisit di bawah tiga persen,\" kata Sri Mulyani di Jakarta, Rabu (18/1).",
    "b.txt": "Surabaya (ANTARA) - \"Banjir kali ini merendam lebih dari seribu rumah warga,\" ujar Kepala BPBD Jawa "
             "Timur Budi Santoso kepada wartawan, Kamis.",
}


def _write(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def cli(args):
    res = CliRunner().invoke(app, list(args))
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.stdout


def test_an_unchanged_input_is_not_extracted_again(tmp_path):
    d = _write(tmp_path / "in")
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    code, out = cli(["ingest", str(d), "--db", db, "--no-model", "-q"])
    assert code == 0 and "2 created" in out, out
    code, out = cli(["ingest", str(d), "--db", db, "--no-model", "-q"])
    assert code == 0 and "2 unchanged, 0 failed; 0 statements; 2 unchanged input(s) skipped before extraction" in out, out
    # a changed file is extracted again (other content without a URL: another article); the other is still skipped
    (d / "b.txt").write_text(ARTICLES["b.txt"].replace("seribu", "dua ribu"), encoding="utf-8")
    code, out = cli(["ingest", str(d), "--db", db, "--no-model", "-q"])
    assert code == 0 and "1 created" in out and "; 1 statements; 1 unchanged input(s) skipped" in out, out
    # other settings give other results: not skipped; --force extracts everything
    code, out = cli(["ingest", str(d), "--db", db, "--no-model", "--published", "2023-01-18", "-q"])
    assert "skipped" not in out, out
    code, out = cli(["ingest", str(d), "--db", db, "--no-model", "--published", "2023-01-18", "--force", "-q"])
    assert "skipped" not in out and "2 unchanged" in out, out
    st = Store(db)
    try:
        assert st.stats()["articles"] == 3
    finally:
        st.close()


def test_published_and_no_model(tmp_path):
    d = _write(tmp_path / "in")
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    code, out = cli(["ingest", str(d), "--db", db, "--no-model", "--published", "2023-01-19", "-q"])
    assert code == 0, out
    st = Store(db)
    try:
        arts = st.articles()["items"]
        assert {a["published"] for a in arts} == {"2023-01-19"}
        dates = {r["date_value"] for r in st.search(limit=50)["items"]}
        assert "2023-01-18" in dates          # "Rabu (18/1)" resolved against the given publication date
    finally:
        st.close()
    res = CliRunner().invoke(app, ["ingest", str(d), "--db", db, "--published", "kemarin"])
    assert isinstance(res.exception, KutipInputError) and "YYYY-MM-DD" in str(res.exception)


def test_two_ingests_on_one_new_sqlite_file_at_once(tmp_path):
    d = _write(tmp_path / "in")
    db = f"sqlite:///{tmp_path / 'new.db'}"
    env = dict(os.environ, KUTIP_MODEL="off")
    cmd = [sys.executable, "-m", "kutip", "ingest", str(d), "--db", db, "-q"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "locked" not in err.lower()
    st = Store(db)
    try:
        assert st.stats()["articles"] == 2
    finally:
        st.close()
