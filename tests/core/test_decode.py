"""decode_bytes / looks_like_html: every input either decodes to the exact text or fails with a clear message."""
import codecs
import time

import pytest

from kutip.core.errors import KutipInputError
from kutip.core.decode import decode_bytes, looks_like_html

ARTICLE = "Jakarta (ANTARA) - Menteri Keuangan mengatakan bahwa “defisit anggaran” tetap terjaga, kata dia.\r\n\r\nBaca juga: Harga naik\n"


def test_utf8_roundtrip_is_unchanged():
    assert decode_bytes(ARTICLE.encode("utf-8")) == ARTICLE


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\r\n\t  \n"])
def test_empty_or_whitespace_is_refused_naming_the_source(data):
    with pytest.raises(KutipInputError, match=r"^berita\.txt is empty: nothing to extract$"):
        decode_bytes(data, source="berita.txt")


def test_empty_without_source_says_input():
    with pytest.raises(KutipInputError, match=r"^input is empty"):
        decode_bytes(b"")


def test_whitespace_only_utf16_is_empty():
    with pytest.raises(KutipInputError, match="empty"):
        decode_bytes(codecs.BOM_UTF16_LE + "  \n ".encode("utf-16-le"))


@pytest.mark.parametrize("bom,enc", [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_bom_is_removed_and_text_kept(bom, enc):
    assert decode_bytes(bom + ARTICLE.encode(enc)) == ARTICLE


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_is_detected(enc):
    assert decode_bytes(ARTICLE.encode(enc)) == ARTICLE


def test_latin1_and_cp1252_fall_back():
    latin = "Café di Bogor — “kata dia” – ©".encode("cp1252")
    assert decode_bytes(latin) == "Café di Bogor — “kata dia” – ©"
    # 0x81 is undefined in cp1252, so only latin-1 can read it
    words = "Kopi ÿ enak sekali di warung itu, kata dia. " * 3
    raw = words.encode("latin-1") + b"\x81"
    assert decode_bytes(raw) == words + "\x81"


@pytest.mark.parametrize("magic,what", [
    (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
    (b"PK\x03\x04\x14\x00", "ZIP"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
    (b"GIF89a\x01\x00", "GIF"),
    (b"\x1f\x8b\x08\x00", "gzip"),
])
def test_binary_formats_are_named(magic, what):
    with pytest.raises(KutipInputError, match=rf"foto\.bin looks like .*{what}.*not text: expected .*article"):
        decode_bytes(magic + bytes(range(256)) * 4, source="foto.bin")


def test_nul_bytes_without_utf16_pattern_are_binary():
    data = bytes([0, 1, 2, 200, 0, 0, 0, 17, 99, 0, 250, 3]) * 200
    with pytest.raises(KutipInputError, match="looks like a binary file"):
        decode_bytes(data)


def test_mostly_control_characters_are_binary():
    data = bytes(range(1, 32)) * 50 + b"teks"
    with pytest.raises(KutipInputError, match="control characters"):
        decode_bytes(data)


def test_hostile_text_survives_unchanged():
    hostile = ('Jakarta - <script>alert("x")</script> Menteri berkata "aman" \x07\x1b[31m merah\x1b[0m '
               "tab\there\u200b zero-width, RTL \u202e kiri \u202c, NBSP\u00a0.\n") * 20
    assert decode_bytes(hostile.encode("utf-8")) == hostile
    assert looks_like_html(hostile) is False


def test_oversized_input_is_refused_fast_with_size_and_remedy():
    big = b"a" * 50_000_000
    t = time.perf_counter()
    with pytest.raises(KutipInputError) as err:
        decode_bytes(big, source="besar.txt")
    assert time.perf_counter() - t < 0.5
    msg = str(err.value)
    assert "besar.txt is 50.0 MB" in msg and "20,000,000-byte limit" in msg
    assert "KUTIP_MAX_BYTES=50000000" in msg and "max_bytes=" in msg


def test_max_bytes_can_be_raised():
    assert decode_bytes(b"abc def", max_bytes=7) == "abc def"
    with pytest.raises(KutipInputError, match="limit"):
        decode_bytes(b"abc def!", max_bytes=7)


def test_bad_utf16_after_bom_is_explained():
    with pytest.raises(KutipInputError, match="UTF-16-LE"):
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8\x41")  # lone high surrogate then odd byte


@pytest.mark.parametrize("text", [
    "<!DOCTYPE html><html><body><p>x</p></body></html>",
    "  \n<html lang='id'><head><title>t</title></head>",
    "<?xml version='1.0'?>\n<!-- c -->\n<html><body>",
    "<div class='a'><p>Satu paragraf.</p><p>Dua paragraf.</p></div>",
])
def test_looks_like_html_true(text):
    assert looks_like_html(text)


@pytest.mark.parametrize("text", [
    ARTICLE,
    "Rumus a<b dan b>c berlaku, kata guru itu. " * 30,
    "Ia menulis tag <b> di papan tulis untuk menjelaskan HTML kepada siswa. " * 30,
    "",
])
def test_looks_like_html_false(text):
    assert not looks_like_html(text)


def test_mostly_utf8_with_a_stray_byte_stays_utf8():
    text = "“Kami siap,” kata Menteri — jelas dia. " * 10
    data = text.encode("utf-8") + b"\xe9 akhir"
    out = decode_bytes(data)
    assert out == text + "\ufffd akhir"


def test_few_non_ascii_latin1_is_not_taken_for_utf8():
    data = "Café di Bogor. ".encode("utf-8") + "Crème brûlée".encode("latin-1")
    assert decode_bytes(data) == "Café di Bogor. ".encode("utf-8").decode("cp1252") + "Crème brûlée"


def test_random_bytes_without_nul_are_binary():
    import random

    rng = random.Random(7)
    data = bytes(rng.choice(range(1, 256)) for _ in range(5000))
    with pytest.raises(KutipInputError, match="binary"):
        decode_bytes(data, source="acak.dat")
