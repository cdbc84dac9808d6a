"""Hostile inputs at the edge: a FIFO, NUL bytes past the sniffed 8 KiB, a 50,000-deep page.

Each test runs the real `kutip extract` (a subprocess with a timeout) or the real core, so a
regression shows as a hang turned into a timeout failure, a traceback or a wrong result.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kutip.core.decode import decode_bytes
from kutip.core.errors import KutipInputError
from kutip.core.html import html_to_text

KUTIP = [sys.executable, "-m", "kutip"]
QUOTE = ('Menteri Keuangan Sri Mulyani mengatakan, "Pertumbuhan ekonomi Indonesia tahun ini akan tetap '
         'kuat meskipun ada tekanan global," ujarnya di Jakarta, Senin.')


def _kutip(*args: str, timeout: float = 60, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, KUTIP_MODEL="off")
    return subprocess.run([*KUTIP, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)


@pytest.fixture
def fifo_dir(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    (tmp_path / "d").mkdir()
    os.mkfifo(tmp_path / "pipa.txt")
    os.mkfifo(tmp_path / "d" / "pipa.txt")
    (tmp_path / "d" / "berita.txt").write_text(QUOTE + "\n", encoding="utf-8")
    return tmp_path


def test_extract_of_a_fifo_refuses_instead_of_hanging(fifo_dir):
    # nobody ever writes to the FIFO: a read would block until the timeout fails the test
    r = _kutip("extract", str(fifo_dir / "pipa.txt"), timeout=60)
    assert r.returncode != 0
    err = " ".join(r.stderr.split())
    assert "not a regular file" in err and "FIFO" in err
    assert "Traceback" not in r.stderr


def test_extract_of_a_directory_with_a_fifo_skips_it_and_extracts_the_rest(fifo_dir):
    r = _kutip("extract", str(fifo_dir / "d"), "--format", "jsonl", timeout=60)
    assert r.returncode == 1, r.stderr  # one input could not be read
    assert "pipa.txt is not a regular file" in " ".join(r.stderr.split())  # Rich wraps long lines
    assert "Traceback" not in r.stderr
    [line] = r.stdout.splitlines()
    art = json.loads(line)
    assert art["source"].endswith("berita.txt")
    assert any("Pertumbuhan ekonomi" in s["text"] for s in art["statements"])


def test_ingest_of_a_fifo_and_of_a_directory_with_one_does_not_hang(fifo_dir):
    db = f"sqlite:///{fifo_dir / 'kb.db'}"
    r = _kutip("ingest", str(fifo_dir / "pipa.txt"), "--db", db, "-q", timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    r = _kutip("ingest", str(fifo_dir / "d"), "--db", db, "-q", timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "1 created" in r.stdout and "1 failed" in r.stdout, r.stdout
    assert "pipa.txt is not a regular file" in " ".join(r.stderr.split())


def test_ingest_of_a_fifo_names_the_reason(fifo_dir):
    r = _kutip("ingest", str(fifo_dir / "pipa.txt"), "--db", f"sqlite:///{fifo_dir / 'kb.db'}", "-q", timeout=120)
    assert "not a regular file" in " ".join(r.stderr.split()), r.stderr


# --- NUL bytes -------------------------------------------------------------------------------
# Decision: a NUL anywhere makes the input binary (the same refusal as a NUL in the first 8 KiB).
# No news article has one, and PostgreSQL cannot store U+0000 in a text column.

def _text_with_nul_at(pos: int) -> bytes:
    body = (QUOTE + "\n\n").encode("utf-8")
    data = (body * (pos // len(body) + 2))
    return data[:pos] + b"\x00" + data[pos:]


@pytest.mark.parametrize("pos", [10, 8191, 8192, 9000, 100_000, 1_000_000])
def test_a_nul_byte_anywhere_is_binary(pos):
    with pytest.raises(KutipInputError, match="binary file .*NUL"):
        decode_bytes(_text_with_nul_at(pos), source="x.txt")


def test_nul_after_a_utf8_bom_is_binary():
    import codecs
    with pytest.raises(KutipInputError, match="NUL"):
        decode_bytes(codecs.BOM_UTF8 + _text_with_nul_at(9000))


def test_binary_appended_after_8kib_of_text_is_binary():
    import random
    rng = random.Random(3)
    junk = bytes(rng.choice(range(1, 256)) for _ in range(20_000))
    with pytest.raises(KutipInputError, match="binary"):
        decode_bytes((QUOTE + "\n").encode() * 60 + junk)


def test_cli_refuses_a_file_with_a_late_nul(tmp_path):
    f = tmp_path / "nul.txt"
    f.write_bytes(_text_with_nul_at(9000))
    r = _kutip("extract", str(f), timeout=60)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "NUL" in r.stderr and "Traceback" not in r.stderr


# --- deep nesting ----------------------------------------------------------------------------

DEPTH = 50_000


@pytest.mark.parametrize("wrap", ["div", "span", "section"])
def test_a_50000_deep_page_gives_its_paragraph(wrap):
    page = ("<html><head><title>Ekonomi</title></head><body>"
            + f"<{wrap}>" * DEPTH + f"<p>{QUOTE}</p>" + f"</{wrap}>" * DEPTH + "</body></html>")
    t = time.monotonic()
    text, _ = html_to_text(page)
    took = time.monotonic() - t
    assert text == QUOTE
    assert took < 30, f"{took:.1f} s for a {DEPTH}-deep page"  # ~1 s here; bounded, not exponential


def test_a_deep_page_keeps_paragraph_breaks_and_the_extract_finds_the_quote():
    import kutip
    second = ("Gubernur Bank Indonesia menambahkan bahwa inflasi masih terkendali dalam kisaran "
              "sasaran yang ditetapkan pemerintah.")
    page = ("<!DOCTYPE html><html><body>" + "<div>" * DEPTH + f"<p>{QUOTE}</p><div>{second}</div>"
            + "</div>" * DEPTH + "</body></html>")
    art = kutip.extract(page, use_model=False)
    assert art.text == QUOTE + "\n\n" + second
    [st] = [s for s in art.statements if s.kind == "direct"]
    assert st.text.startswith("Pertumbuhan ekonomi") and art.text[st.start:st.end] == st.text


def test_unclosed_inline_tags_50000_deep():
    page = "<html><body>" + "<b>" * DEPTH + f"<p>{QUOTE}</p></body></html>"
    text, _ = html_to_text(page)
    assert QUOTE in text


def test_cli_extracts_a_deep_page(tmp_path):
    f = tmp_path / "dalam.html"
    f.write_text("<html><body>" + "<div>" * DEPTH + f"<p>{QUOTE}</p>" + "</div>" * DEPTH + "</body></html>",
                 encoding="utf-8")
    r = _kutip("extract", str(f), timeout=120)
    assert r.returncode == 0, r.stderr
    art = json.loads(r.stdout)
    assert art["text"] == QUOTE and art["statements"]


def test_a_page_within_the_depth_limit_is_parsed_as_before():
    from kutip.core.html import _flatten_deep, _MAX_DEPTH
    page = "<html><body>" + "<div>" * (_MAX_DEPTH - 5) + f"<p>{QUOTE}</p>" + "</div>" * (_MAX_DEPTH - 5) + "</body></html>"
    assert _flatten_deep(page) is page
    # unclosed <p>/<li> (HTML closes them itself) do not count as depth
    flat = "<html><body>" + "<p>Kalimat." * 5000 + "<ul>" + "<li>butir" * 5000 + "</ul></body></html>"
    assert _flatten_deep(flat) is flat
