"""read_document / iter_documents: files, directories, stdin; batches survive bad files."""
import io
import os
import sys
import time

import pytest

from kutip.core.errors import KutipInputError
from kutip.sources.files import Document, iter_documents, read_document

TEXT = "Medan - Bupati mengatakan bahwa jembatan itu akan selesai tahun depan, kata dia.\n"
HTML = "<!DOCTYPE html><html><body><p>Halo dunia ini paragraf berita.</p></body></html>"


def test_read_plain_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(TEXT.encode("utf-8"))
    doc = read_document(p)
    assert doc == Document(source=str(p), content=TEXT, is_html=False)


def test_read_html_by_suffix_and_by_content(tmp_path):
    (tmp_path / "a.html").write_text("<p>x</p> teks biasa", encoding="utf-8")
    (tmp_path / "b.txt").write_text(HTML, encoding="utf-8")
    assert read_document(tmp_path / "a.html").is_html
    assert read_document(str(tmp_path / "b.txt")).is_html


def test_latin1_and_utf16_files(tmp_path):
    (tmp_path / "l.txt").write_bytes("Café di Bogor, kata dia.".encode("latin-1"))
    (tmp_path / "u.txt").write_bytes("\ufeffKupang - Wali kota berkata.".encode("utf-16-le"))
    assert read_document(tmp_path / "l.txt").content == "Café di Bogor, kata dia."
    assert read_document(tmp_path / "u.txt").content == "Kupang - Wali kota berkata."


def test_empty_file(tmp_path):
    p = tmp_path / "kosong.txt"
    p.write_bytes(b"")
    with pytest.raises(KutipInputError, match=r"kosong\.txt is empty: nothing to extract"):
        read_document(p)


def test_binary_file(tmp_path):
    p = tmp_path / "scan.txt"
    p.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 10)
    with pytest.raises(KutipInputError, match=r"scan\.txt looks like a PDF document"):
        read_document(p)


def test_missing_path_is_named(tmp_path):
    missing = tmp_path / "tidak-ada.txt"
    with pytest.raises(KutipInputError, match=r"tidak-ada\.txt: no such file"):
        read_document(missing)


def test_directory_is_refused_by_read_document(tmp_path):
    with pytest.raises(KutipInputError, match="is a directory"):
        read_document(tmp_path)


def test_50mb_file_is_refused_fast(tmp_path):
    p = tmp_path / "besar.txt"
    with open(p, "wb") as fh:
        fh.truncate(50_000_000)  # sparse: cheap to create
    t = time.perf_counter()
    with pytest.raises(KutipInputError, match=r"besar\.txt is 50\.0 MB .*KUTIP_MAX_BYTES="):
        read_document(p)
    assert time.perf_counter() - t < 0.5


def test_size_limit_from_environment(tmp_path, monkeypatch):
    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    monkeypatch.setenv("KUTIP_MAX_BYTES", "10")
    with pytest.raises(KutipInputError, match="10-byte limit"):
        read_document(p)
    monkeypatch.setenv("KUTIP_MAX_BYTES", "lots")
    with pytest.raises(KutipInputError, match="KUTIP_MAX_BYTES"):
        read_document(p)
    assert read_document(p, max_bytes=1000).content == TEXT


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-16"))))
    doc = read_document("-")
    assert doc.source == "<stdin>" and doc.content == TEXT


def test_iter_documents_recurses_sorted_and_keeps_going(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.htm").write_text(HTML, encoding="utf-8")
    (tmp_path / "b" / "1.text").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"")  # bad: empty
    (tmp_path / "gambar.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not an article suffix: skipped
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "D.HTML").write_text(HTML, encoding="utf-8")
    out = list(iter_documents([str(tmp_path), str(tmp_path / "nope.txt")]))
    names = [os.path.relpath(o.source, tmp_path) if isinstance(o, Document) else str(o) for o in out]
    assert names[:3] == ["D.HTML", "a.txt", os.path.join("b", "1.text")]
    assert names[3] == os.path.join("b", "2.htm")
    assert isinstance(out[4], KutipInputError) and "c.txt is empty" in str(out[4])
    assert isinstance(out[5], KutipInputError) and "nope.txt: no such file" in str(out[5])
    assert len(out) == 6
    assert out[3].is_html and not out[1].is_html


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_unreadable_file_is_an_error_not_a_stop(tmp_path):
    bad = tmp_path / "a.txt"
    bad.write_text(TEXT, encoding="utf-8")
    bad.chmod(0)
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    try:
        out = list(iter_documents([str(tmp_path)]))
    finally:
        bad.chmod(0o644)
    assert isinstance(out[0], KutipInputError) and "cannot be read" in str(out[0])
    assert isinstance(out[1], Document)


def test_empty_directory_is_reported(tmp_path):
    out = list(iter_documents([str(tmp_path)]))
    assert len(out) == 1 and isinstance(out[0], KutipInputError) and "no article files" in str(out[0])


@pytest.mark.skipif(os.name != "posix", reason="needs symlinks")
def test_broken_link_in_batch_is_an_error_not_a_stop(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "hilang.txt")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    out = list(iter_documents([str(tmp_path)]))
    assert isinstance(out[0], KutipInputError) and "a.txt" in str(out[0])
    assert isinstance(out[1], Document) and out[1].content == TEXT


def test_oversized_stdin_is_refused_without_reading_it_all(monkeypatch):
    stream = io.BytesIO(b"a" * 5000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
    with pytest.raises(KutipInputError, match=r"<stdin> is over the 1,000-byte limit"):
        read_document("-", max_bytes=1000)
    assert stream.tell() <= 1001 + 8192  # stopped near the limit (TextIOWrapper may buffer a chunk)


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    import os

    from kutip.core.errors import KutipInputError
    from kutip.sources.files import iter_documents, read_document

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(KutipInputError, match="not a regular file"):
        read_document(fifo)
    out = list(iter_documents([str(tmp_path)]))
    assert len(out) == 1 and isinstance(out[0], KutipInputError)


def test_xhtml_is_an_article_suffix_for_every_reader(tmp_path):
    from kutip.batch.sources import expand
    from kutip.sources.files import iter_documents

    (tmp_path / "a.xhtml").write_text("<html><body><p>Kata dia, semua baik.</p></body></html>", encoding="utf-8")
    docs = list(iter_documents([str(tmp_path)]))
    assert len(docs) == 1 and docs[0].is_html
    assert [j.source for j in expand([str(tmp_path)])] == [str(tmp_path / "a.xhtml")]
