"""html_to_text: article body as blank-line separated paragraphs, page metadata, clear errors."""
import pytest

from kutip.core.errors import KutipInputError
from kutip.core.html import html_to_text

PAGE = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Menkeu: defisit terjaga - Warta Contoh</title>
<meta property="og:title" content="Menkeu: defisit terjaga">
<meta property="og:site_name" content="Kompas.com">
<meta name="author" content="Rina Wulandari; Budi Santoso">
<meta property="article:published_time" content="2024-03-05T09:30:00+07:00">
<link rel="canonical" href="https://example.id/read/2024/03/05/menkeu">
</head><body>
<nav><ul><li><a href="/">Beranda</a></li><li><a href="/ekonomi">Ekonomi</a></li><li><a href="/bola">Bola</a></li></ul></nav>
<article>
<h1>Menkeu: defisit terjaga</h1>
<p>JAKARTA, KOMPAS.com - Menteri Keuangan mengatakan bahwa defisit anggaran tahun ini tetap terjaga di bawah tiga persen dari produk domestik bruto.</p>
<p>"Kami terus menjaga disiplin fiskal agar kepercayaan pasar tetap tinggi," ujar dia<br>di Jakarta, Selasa (5/3/2024).</p>
<p>Baca juga: <a href="/x">Harga beras naik menjelang Ramadhan</a></p>
<p>Menurut dia, penerimaan pajak hingga Februari tumbuh lebih cepat dibandingkan periode yang sama tahun lalu.</p>
</article>
<footer><p>Copyright 2024 Warta Contoh. All rights reserved.</p></footer>
<script>var tracking = "jangan ikut";</script>
</body></html>"""


@pytest.fixture(scope="module")
def html_page_result():
    return html_to_text(PAGE, url="https://example.id/read/2024/03/05/menkeu")


def test_body_paragraphs_are_blank_line_separated(html_page_result):
    text, _ = html_page_result
    paras = text.split("\n\n")
    assert paras[0].startswith("JAKARTA, KOMPAS.com - Menteri Keuangan")
    assert any(p.startswith('"Kami terus menjaga') and "\ndi Jakarta" in p for p in paras)
    assert "Baca juga: Harga beras naik menjelang Ramadhan" in paras
    assert paras[-1].startswith("Menurut dia, penerimaan pajak")
    assert "\n\n\n" not in text


def test_navigation_script_and_headline_are_not_body(html_page_result):
    text, _ = html_page_result
    assert "Beranda" not in text and "tracking" not in text
    assert not text.startswith("Menkeu: defisit terjaga")


def test_metadata(html_page_result):
    _, meta = html_page_result
    assert meta.title == "Menkeu: defisit terjaga"
    assert meta.authors == ["Rina Wulandari", "Budi Santoso"]
    assert meta.published == "2024-03-05"
    assert meta.outlet == "KOMPAS.com"
    assert meta.url == "https://example.id/read/2024/03/05/menkeu"


def test_page_of_only_navigation_has_no_article():
    links = "".join(f'<li><a href="/k{i}">Rubrik {i}</a></li>' for i in range(30))
    page = f"<!DOCTYPE html><html><head><title>Portal</title></head><body><nav><ul>{links}</ul></nav>" \
           f"<div class='menu'><ul>{links}</ul></div><footer><a href='/t'>Tentang kami</a></footer></body></html>"
    with pytest.raises(KutipInputError, match="^no article text found in HTML"):
        html_to_text(page)


@pytest.mark.parametrize("page", ["", "<html></html>", "<html><body>   </body></html>", "<<<>>>"])
def test_empty_pages_have_no_article(page):
    with pytest.raises(KutipInputError, match="no article text found in HTML"):
        html_to_text(page)


def test_malformed_html_does_not_crash():
    page = ("<html><body><div><p>Unclosed <b>bold <p>Bandung - Gubernur mengatakan bahwa jalan tol baru akan "
            "dibuka untuk umum pada akhir bulan ini setelah uji kelaikan selesai.<div></span></table><p>"
            "<i>Warga menyambut baik rencana itu, kata seorang pedagang di pinggir jalan raya.</b>")
    text, meta = html_to_text(page)
    assert "Gubernur mengatakan bahwa jalan tol baru" in text
    assert meta.title is None or isinstance(meta.title, str)


def test_fragment_without_html_element():
    text, _ = html_to_text("<p>Surabaya - Wali kota menyatakan bahwa banjir di kawasan utara sudah surut "
                           "sejak Senin pagi dan warga mulai kembali.</p>")
    assert text.startswith("Surabaya - Wali kota menyatakan")
