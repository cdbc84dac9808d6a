"""Quotation pairing: each mark style and the failure modes of real text."""
from kutip.core.segment.quotes import find_quotes


def spans(text):
    return [text[q.start:q.end] for q in find_quotes(text)]


def test_straight_and_curly_marks():
    assert spans('"Kami siap," kata Budi. “Kami menang,” ujar Ani.') == ["Kami siap,", "Kami menang,"]


def test_mismatched_marks_pair():
    assert spans('“Harga naik," kata Budi.') == ["Harga naik,"]


def test_kompas_style_closing_mark_opens():
    assert spans("”Kami tidak akan mundur,” kata Ani.") == ["Kami tidak akan mundur,"]


def test_quote_runs_over_sentences():
    text = '"Pertama, kami siap. Kedua, kami kuat," kata Budi.'
    assert spans(text) == ["Pertama, kami siap. Kedua, kami kuat,"]


def test_paragraph_ending_inside_quote_continues_when_next_opens():
    text = '"Kami akan bekerja keras.\n\n"Kami juga akan jujur," kata Budi.'
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == 'Kami akan bekerja keras.\n\n"Kami juga akan jujur,'


def test_unbalanced_mark_closes_at_paragraph_end():
    text = 'Budi berkata, "Kami siap.\n\nParagraf berikutnya bukan kutipan. Sama sekali.'
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == "Kami siap."
    assert q.closed is False


def test_nested_single_quotes_stay_inside():
    assert spans("“Ia bilang ‘tidak’ kepada kami,” kata Ani.") == ["Ia bilang ‘tidak’ kepada kami,"]


def test_stray_inch_mark_is_not_a_quote():
    assert spans('Layar 6" itu mahal.') == []


def test_empty_and_marks_only():
    assert spans("") == []
    assert spans('""') == []


def test_quotation_whose_opening_mark_is_missing_opens_its_paragraph():
    text = "Rektor membuka acara.\n\nKami akan membantu semua mahasiswa yang kesulitan,” ucapnya.\n\nAcara selesai."
    qs = find_quotes(text)
    assert [text[q.start:q.end] for q in qs] == ["Kami akan membantu semua mahasiswa yang kesulitan,"]


def test_a_stray_closing_mark_after_a_short_fragment_is_not_a_quotation():
    text = "Dia menyebutnya ” begitu saja.\n"
    assert find_quotes(text) == []


def test_opening_mark_glued_after_a_comma():
    text = "Ditambahkan, semua harus tertib,”jangan ada yang melanggar aturan,” tegasnya."
    qs = find_quotes(text)
    assert [text[q.start:q.end] for q in qs] == ["jangan ada yang melanggar aturan,"]


def test_quotation_over_paragraphs_without_marks_between():
    text = "“Pusat punya hak untuk menambah\nKalau kami lihat ada yang baik, kami tambahkan,” tegas Budi.\n"
    assert [text[q.start:q.end] for q in find_quotes(text)] == [
        "Pusat punya hak untuk menambah\nKalau kami lihat ada yang baik, kami tambahkan,"]


def test_unclosed_quotation_followed_by_a_new_opening_ends_at_its_paragraph():
    text = "“Inflasi inti masih rendah sekali.\nBudi menambahkan hal lain.\n“Kami waspada,” katanya.\n"
    assert [text[q.start:q.end] for q in find_quotes(text)] == ["Inflasi inti masih rendah sekali.", "Kami waspada,"]


def test_many_lone_closing_marks_stay_linear():
    import time
    t = time.perf_counter()
    find_quotes("kata dia ” " * 50_000)
    assert time.perf_counter() - t < 5.0      # linear: ~0.1 s; quadratic: minutes
