"""`kutip extract` end to end: the real command on the seeds, samples and bad input."""
import json
import subprocess
import sys

import pytest

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CONTRACT_STATEMENT_KEYS = {"kind", "text", "start", "end", "cue", "speaker", "date", "location", "event", "confidence"}
CONTRACT_META_KEYS = {"title", "outlet", "published", "dateline", "authors", "editor", "translator", "source_agency", "language"}


def check_contract(doc):
    assert set(doc) >= {"source", "text", "metadata", "statements"}
    assert set(doc["metadata"]) >= CONTRACT_META_KEYS
    text = doc["text"]
    for s in doc["statements"]:
        assert set(s) >= CONTRACT_STATEMENT_KEYS
        assert s["kind"] in ("direct", "indirect", "mixed")
        assert text[s["start"]:s["end"]] == s["text"]
        if s["cue"]:
            assert text[s["cue"]["start"]:s["cue"]["end"]] == s["cue"]["text"]
        sp = s["speaker"]
        if sp and sp["mention_start"] is not None:
            assert text[sp["mention_start"]:sp["mention_end"]] == sp["mention"]
            assert sp["type"] in (None, "person", "organization")
        if s["date"]:
            assert set(s["date"]) == {"text", "value"}
        assert 0 <= s["confidence"] <= 1


def test_seeds_score_and_contract(kutip_cli, seeds_dir, tmp_path):
    for f in sorted(seeds_dir.glob("*.txt")):
        r = kutip_cli("extract", f, "--format", "json")
        assert r.returncode == 0, r.stderr
        doc = json.loads(r.stdout)
        check_contract(doc)
        assert doc["text"] == f.read_text(encoding="utf-8")
        (tmp_path / (f.stem + ".json")).write_text(r.stdout, encoding="utf-8")
    score = subprocess.run([sys.executable, str(seeds_dir.parent / "tools" / "score_statements.py"),
                            str(seeds_dir / "gold"), str(tmp_path)], capture_output=True, text=True)
    f1 = float(score.stdout.strip().splitlines()[-1].split("=")[1])
    assert f1 >= 0.90, score.stdout


def test_seed_metadata(kutip_cli, seeds_dir):
    doc = json.loads(kutip_cli("extract", seeds_dir / "000_32ba9717b40f26bb.txt").stdout)
    m = doc["metadata"]
    assert (m["outlet"], m["dateline"], m["editor"], m["translator"], m["source_agency"], m["year"]) == (
        "ANTARA", "London", "Yuni Arisandy Sinaga", "Shofi Ayudiana", "Anadolu", 2023)
    assert "NATO desak sekutu kirim lebih banyak senjata berat untuk Ukraina" in m["related_links"]
    assert not any("Baca juga" in s["text"] or "NATO desak" in s["text"] for s in doc["statements"])


def test_samples_directory_as_jsonl_and_table(kutip_cli):
    r = kutip_cli("extract", ROOT / "samples", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(docs) == 4
    for d in docs:
        check_contract(d)
    html = next(d for d in docs if d["source"].endswith(".html"))
    assert html["metadata"]["outlet"] == "Warta Nusantara" and "Beranda" not in html["text"]
    t = kutip_cli("extract", ROOT / "samples" / "04_sidang.txt", "--format", "table")
    assert t.returncode == 0 and "Joko Susilo" in t.stdout and "Klien kami kooperatif" in t.stdout


def test_stdin(kutip_cli):
    r = kutip_cli("extract", "-", input='"Kami siap bekerja keras," kata Menteri Keuangan Ani Wibowo.')
    doc = json.loads(r.stdout)
    assert doc["statements"][0]["speaker"]["name"] == "Ani Wibowo"


def test_many_inputs_need_jsonl(kutip_cli):
    r = kutip_cli("extract", ROOT / "samples", "--format", "json")
    assert r.returncode != 0 and "jsonl" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("name,content,expect", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("binary.txt", bytes(range(256)) * 40, "binary"),
    ("pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"\x00" * 100, "pdf"),
])
def test_bad_input_clear_error(kutip_cli, tmp_path, name, content, expect):
    p = tmp_path / name
    p.write_bytes(content)
    r = kutip_cli("extract", p)
    assert r.returncode != 0
    assert expect in r.stderr.lower() and "Traceback" not in r.stderr


def test_missing_file(kutip_cli):
    r = kutip_cli("extract", "/nonexistent/article.txt")
    assert r.returncode != 0 and "no such file" in r.stderr and "Traceback" not in r.stderr


def test_latin1_and_utf16_files_decode(kutip_cli, tmp_path):
    text = '"Harga naik lagi," kata Menteri Perdagangan José Santoso.'
    for enc in ("latin-1", "utf-16"):
        p = tmp_path / f"a-{enc}.txt"
        p.write_bytes(text.encode(enc))
        r = kutip_cli("extract", p)
        assert r.returncode == 0, r.stderr
        doc = json.loads(r.stdout)
        assert doc["statements"][0]["speaker"]["name"] == "José Santoso"


def test_huge_file_is_refused_quickly(kutip_cli, tmp_path):
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        fh.write(("Kalimat biasa tanpa kutipan. " * 40).encode() * 45_000)  # ~52 MB
    r = kutip_cli("extract", p, timeout=30)
    assert r.returncode != 0 and "limit" in r.stderr and "Traceback" not in r.stderr


def test_html_without_article(kutip_cli, tmp_path):
    p = tmp_path / "nav.html"
    p.write_text("<html><body><nav><a href='/'>Beranda</a><a href='/x'>Nasional</a></nav></body></html>")
    r = kutip_cli("extract", p)
    assert r.returncode != 0 and "no article" in r.stderr.lower() and "Traceback" not in r.stderr


def test_unbalanced_and_hostile_text(kutip_cli):
    hostile = ('Budi mengatakan, "<script>alert(1)</script> \'; DROP TABLE x;-- \x07\n\n'
               'Paragraf lain tanpa kutipan sama sekali. "" “ ” " \n')
    r = kutip_cli("extract", "-", input=hostile)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["text"] == hostile
    for s in doc["statements"]:
        assert "Paragraf lain" not in s["text"]


def test_table_output_is_inert(kutip_cli):
    r = kutip_cli("extract", "-", "--format", "table",
                  input='"Kami \x1b[31mmerah\x1b[0m [bold]tebal[/bold]," kata Menteri Keuangan Ani Wibowo.')
    assert r.returncode == 0
    assert "\x1b[31m" not in r.stdout and "[bold]tebal[/bold]" in r.stdout
