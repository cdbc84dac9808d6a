"""The speaker-phrase grammar (honorific? office? rank? NAME degree?) and clause subjects,
on sentences written for the tests."""
import pytest

from kutip.core.attribute.engine import find_statements
from kutip.core.attribute.phrases import parse_phrase
from kutip.core.segment.text import tokenize


def parse(s):
    return parse_phrase(s, tokenize(s))


def speakers(text):
    return [(s.speaker.name, s.speaker.role, s.speaker.affiliation) if s.speaker else None
            for s in find_statements(text, [])]


@pytest.mark.parametrize("phrase, name, role, aff", [
    ("Kapolda Jawa Timur Irjen Pol Budi Santoso", "Budi Santoso", "Kapolda", "Jawa Timur"),
    ("Kapolres Sleman AKBP Rina Kartika", "Rina Kartika", "Kapolres", "Sleman"),
    ("Kapolri Jenderal Agus Wibowo", "Agus Wibowo", "Kapolri", None),
    ("Bupati Sleman H Danang Prasetyo", "Danang Prasetyo", "Bupati", "Sleman"),
    ("Kepala Dinas Kesehatan Joko Susilo SH", "Joko Susilo", "Kepala", "Dinas Kesehatan"),
])
def test_rank_honorific_and_degree_are_neither_role_nor_name(phrase, name, role, aff):
    p = parse(phrase)
    assert (p.name, p.role, p.affiliation) == (name, role, aff)


def test_a_rank_that_is_the_whole_office_stays_the_role():
    p = parse("Kapten Persija")
    assert p.role == "Kapten" or p.name == "Persija"


def test_multi_word_office_is_not_cut_at_dan_and_the_outer_body_is_the_affiliation():
    text = ('"Kami menolak tuduhan itu," kata Kepala Biro Hukum dan Humas Kementerian Pertanian, '
            'Rina Wulandari di Jakarta.')
    assert speakers(text) == [("Rina Wulandari", "Kepala Biro Hukum dan Humas", "Kementerian Pertanian")]


def test_office_with_unknown_body_before_an_appositive_name():
    text = '"Produksi naik tahun ini," ujar Direktur Produksi dan Niaga Semenku, Andi Saputra di Gresik.'
    assert speakers(text) == [("Andi Saputra", "Direktur Produksi dan Niaga", "Semenku")]


def test_name_dari_organisation_gives_the_affiliation():
    text = "Sementara itu, Andi Pratama dari Partai Hijau menjelaskan bahwa rapat itu tertutup untuk umum."
    assert speakers(text) == [("Andi Pratama", None, "Partai Hijau")]


@pytest.mark.parametrize("between", ["hingga kini", "yang memimpin rapat", "secara terbuka", ","])
def test_subject_with_modifiers_before_the_verb(between):
    sep = "" if between == "," else " "
    text = f"Ketua DPRD Sleman Budi Raharjo{sep}{between} mengaku belum menerima surat dari bupati."
    assert speakers(text) == [("Budi Raharjo", "Ketua", "DPRD Sleman")]


def test_a_verb_inside_a_relative_clause_has_no_speaker():
    assert find_statements("Laporan yang mengatakan bahwa tanggul jebol belum dikonfirmasi.", []) == []


def test_region_word_between_body_and_name_moves_to_the_affiliation():
    text = ('"Air mulai surut," kata Kepala BPBD Kobar Sutrisno di posko.\n\n'
            "Petugas Polres Kobar, kata dia, terus berjaga.\n\n"
            '"Bantuan datang besok," kata Sutrisno.')
    names = {s[0] for s in speakers(text) if s}
    assert names == {"Sutrisno"}


def test_a_first_name_is_not_taken_for_a_region():
    text = ('"Kami siap berkoalisi," kata Presiden PKB Ahmad Fauzan.\n\n'
            '"Keputusan ada di majelis syuro," kata Fauzan.')
    assert {s[0] for s in speakers(text)} == {"Ahmad Fauzan"}


def test_a_comma_draws_the_first_name_even_when_a_short_name_follows():
    text = ('"Kami tidak ambil pusing," terang Kepala Biro Humas Kementerian Sosial, Siti Rahma Dewi.\n\n'
            'Rahma mengatakan bahwa laporan itu sudah diterima.')
    assert {s[0] for s in speakers(text)} == {"Siti Rahma Dewi"}


def test_role_only_cue_resolves_to_the_person_introduced_with_that_office():
    text = ('Sekretaris Daerah (Sekda) Sleman Budi Raharjo mengatakan rapat pleno ditunda sampai pekan depan.\n\n'
            '"Lagi ada acara," terang sekda singkat.')
    assert [s[0] for s in speakers(text)] == ["Budi Raharjo", "Budi Raharjo"]


def test_role_only_subject_with_a_shorter_region_name():
    text = ('Kapolda Jawa Tengah Irjen Pol Budi Santoso mengatakan operasi berjalan sesuai rencana.\n\n'
            'Bahkan, Kapolda Jateng sendiri mengaku sangat kecewa dengan anggotanya.')
    assert [s[0] for s in speakers(text)] == ["Budi Santoso", "Budi Santoso"]


@pytest.mark.parametrize("description", ["orang nomor satu Sleman tersebut", "Presiden ke-3 RI itu",
                                         "mantan menteri itu"])
def test_a_description_after_the_cue_is_the_salient_person(description):
    text = ('Bupati Sleman Budi Raharjo meninjau lokasi banjir.\n\n'
            f'"Warga harus waspada," ujar {description}.')
    assert [s[0] for s in speakers(text)] == ["Budi Raharjo"]


def test_a_description_as_subject_is_the_salient_person():
    text = ('"Kami siap," kata Ketua Umum Partai Hijau Rina Wulandari.\n\n'
            'Putri sulung mendiang pendiri partai itu menekankan, partainya tidak akan mundur.')
    assert [s[0] for s in speakers(text)] == ["Rina Wulandari", "Rina Wulandari"]


def test_pronoun_points_to_the_narration_subject_not_the_last_name():
    text = ('"Anggaran sudah siap," kata Eva Lestari.\n\n'
            'Sementara, Budi Santoso dari Partai Hijau berbeda pendapat dengan Eva. '
            'Ia mengatakan bahwa anggaran itu belum dibahas sama sekali.')
    assert [s[0] for s in speakers(text)] == ["Eva Lestari", "Budi Santoso"]


def test_a_name_after_bersama_is_not_the_antecedent():
    text = ('Bupati terpilih Sleman, Budi Raharjo hingga kini mengaku belum memesan baju pelantikan '
            'bersama wakilnya, Joko Susilo.\n\n"Kami tunggu jadwal dulu," ujar dia.')
    assert [s[0] for s in speakers(text)] == ["Budi Raharjo", "Budi Raharjo"]


def test_role_modifier_stays_with_the_office():
    p = parse("Bupati terpilih Sleman")
    assert p.kind == "role" and p.role.startswith("Bupati terpilih")


def test_headline_words_are_not_a_speaker():
    text = ("Anggota Dewan Protes Pengamanan Berlebihan\n\n"
            "Menurut dia, akses masuk ruangan harus dibuka seluas-luasnya.")
    assert [s[0] for s in speakers(text)] == [None]


def test_uncued_quotation_with_no_previous_speaker_goes_to_the_person_in_the_narration():
    text = ("Tekanan itu membuat pelatih Kim Sung-ho tidak bisa tidur.\n\n"
            '"Ekspektasinya sangat tinggi dan saya sedikit takut."')
    assert [s[0] for s in speakers(text)] == ["Kim Sung-ho"]


def test_office_after_a_lowercase_word_opens_the_subject():
    text = "Tiba giliran jubir Fraksi Hijau Nurdin, tanpa basa-basi menyatakan dukungan penuh pada hak angket."
    assert speakers(text) == [("Nurdin", "jubir", "Fraksi Hijau")]


@pytest.mark.parametrize("opening", ["Lanjut kata dia,", "Karenanya katanya,", "Dijelaskannya,"])
def test_cue_opening_an_indirect_sentence(opening):
    text = ('"Kami siap," kata Bupati Sleman Budi Raharjo.\n\n'
            f"{opening} semua posko pengungsian sudah dibuka sejak pagi.")
    out = find_statements(text, [])
    assert [s.text for s in out][1] == "semua posko pengungsian sudah dibuka sejak pagi"
    assert out[1].speaker.name == "Budi Raharjo"


def test_quantifier_before_a_person_noun_opens_the_subject():
    text = "Salah seorang warga Kelurahan Baru, Rahmawati mengaku, keluarganya sudah seminggu mengungsi."
    assert [s[0] for s in speakers(text)] == ["Rahmawati"]


@pytest.mark.parametrize("verb", ["mengumumkan", "memproyeksikan", "bilang", "sebut"])
def test_more_reporting_verbs(verb):
    text = f"Badan Pusat Data (BPD) {verb}, harga beras naik dua persen bulan ini."
    assert [s.text for s in find_statements(text, [])] == ["harga beras naik dua persen bulan ini"]


def test_organisation_name_with_a_slash():
    text = "PT Semen Nusantara/Semenku (Persero) meyakini target laba tahun ini akan tercapai."
    assert [s[0] for s in speakers(text)] == ["PT Semen Nusantara/Semenku (Persero)"]


def test_one_letter_title_glued_to_the_name():
    assert [t.text for t in tokenize("Wakil Bupati H.Hairan SH")] == ["Wakil", "Bupati", "H.", "Hairan", "SH"]


def test_inserted_cue_without_its_closing_comma_keeps_the_whole_sentence():
    text = "NU dan Muhammadiyah, lanjut Haedar juga ingin ikut membangun negara ini bersama."
    out = find_statements(text, [])
    assert [s.text for s in out] == ["NU dan Muhammadiyah, lanjut Haedar juga ingin ikut membangun negara ini bersama"]


def test_clause_before_its_speaker_and_reporting_verb():
    text = "Pasukan yang ditarik sudah kembali ke pangkalan mereka, Kementerian Pertahanan Rusia mengatakan pada Selasa."
    out = find_statements(text, [])
    assert [(s.text, s.speaker.name) for s in out] == [
        ("Pasukan yang ditarik sudah kembali ke pangkalan mereka", "Kementerian Pertahanan Rusia")]


def test_said_it_at_an_event_is_not_a_statement():
    text = ('"Kami optimistis," kata Direktur Utama Semenku Andi Saputra.\n\n'
            "Dia mengatakan itu dalam acara syukuran di Gresik, Kamis.")
    assert [s.text for s in find_statements(text, [])] == ["Kami optimistis,"]


def test_headline_is_never_a_statement():
    assert find_statements("Menteri Berharap Wilayah Itu Akan Stabil Segera\n\nWarga mengungsi.", []) == []


def test_name_line_under_a_quotation_signs_it():
    text = ('Pasangan itu menang di semifinal.\n\n"Kami terus berusaha dan berkomunikasi sepanjang laga."\n\n'
            "— RINA KARTIKA —\n")
    assert [s[0] for s in speakers(text)] == ["RINA KARTIKA"]


def test_domain_words_inside_a_name_are_not_an_office():
    p = parse("Agung Ilmu Santoso")
    assert (p.kind, p.name, p.affiliation) == ("name", "Agung Ilmu Santoso", None)


def test_participial_reporting_verb_takes_the_sentence_subject():
    text = ("Presiden Budi Santoso meresmikan empat wilayah baru pekan lalu, menyatakan bahwa "
            "penduduknya akan sejahtera selamanya.")
    assert [s[0] for s in speakers(text)] == ["Budi Santoso"]


def test_a_comma_adverbial_clause_ends_the_reported_clause():
    text = "Budi Santoso mengatakan bahwa situasi di wilayah itu akan stabil, setelah pasukan mundur dari sana."
    assert [s.text for s in find_statements(text, [])] == ["situasi di wilayah itu akan stabil"]


def test_hal_tersebut_with_content_is_a_statement():
    text = "KPU Jabar menilai hal tersebut merupakan kesalahan teknis administrasi."
    assert [s.text for s in find_statements(text, [])] == ["hal tersebut merupakan kesalahan teknis administrasi"]


def test_person_introduced_with_an_office_mid_sentence_is_the_next_speaker():
    text = ('"Kami setuju," kata jubir Fraksi Hijau Nurdin.\n\n'
            "Agak menurun nada bicara jubir Fraksi Biru Faisal kendati sepakat dengan hak angket.\n\n"
            '"Kami memberi bunga saja," ucapnya santai.')
    assert [s[0] for s in speakers(text)] == ["Nurdin", "Faisal"]


def test_selaku_apposition_keeps_the_first_name_as_speaker():
    text = "Firman Wijaya selaku kuasa hukum terdakwa kasus korupsi, Setya Budi mengaku kliennya terkejut dengan tuntutan itu."
    assert [s[0] for s in speakers(text)] == ["Firman Wijaya"]


def test_lowercase_office_before_a_body_after_a_cue():
    text = "Guterres memuji upaya Mesir untuk memulihkan ketenangan, kata kantor Sekjen."
    assert [s[0] for s in speakers(text)] == ["kantor Sekjen"]


def test_headline_with_lowercase_function_words_gives_no_names():
    text = ("Ancaman Terberat yang Diterima Budi Saat Bertugas di KPK\n\n"
            '"Tetapi saya kira bukan begitu caranya," katanya.')
    assert [s[0] for s in speakers(text)] == [None]


def test_office_from_a_body_before_an_appositive_name():
    text = ("JAKARTA - Anggota Komisi II DPR RI dari Partai Hijau, Rina Kartika, memprotes pembatasan itu. "
            "Menurut dia, ruang sidang harus dibuka untuk umum.")
    assert speakers(text)[-1] == ("Rina Kartika", "Anggota Komisi II DPR RI", "Partai Hijau")


def test_appositive_name_followed_by_an_adverb():
    text = "Bupati terpilih Sleman, Budi Raharjo hingga kini mengaku belum memesan baju pelantikan."
    assert speakers(text) == [("Budi Raharjo", "Bupati terpilih", "Pemkab Sleman")]


def test_a_date_after_the_office_is_not_an_affiliation():
    text = '"Tuntutan sudah kami bacakan," kata Ali Rahman, Ketua Tim JPU saat membacakan tuntutan pada Kamis (20/4).'
    assert speakers(text) == [("Ali Rahman", "Ketua Tim", "JPU")]


def test_a_rank_after_an_office_is_not_the_role():
    text = '"Patroli terus berjalan," kata Kapolres Sleman, AKBP Bayu Wicaksono.'
    assert speakers(text) == [("Bayu Wicaksono", "Kapolres", "Polres Sleman")]


def test_no_token_crosses_a_dateline():
    from kutip.core.attribute.engine import find_statements as fs
    text = "MOSKOW, KABAR.COM-Presiden Rusia, Vladimir Putin, mengatakan bahwa situasi akan segera stabil."
    out = fs(text, [(0, 18)])
    assert [(s.speaker.name, s.speaker.role, s.speaker.affiliation) for s in out] == [("Vladimir Putin", "Presiden", "Rusia")]


def test_nickname_marker_makes_an_alias_of_the_salient_person():
    text = ("Wali Kota Sleman Raharjo Budiman angkat bicara soal kejadian itu.\n\n"
            '"Kami akan mengusut tuntas," kata Danu sapaannya.')
    assert speakers(text) == [("Raharjo Budiman", "Wali Kota", "Pemkot Sleman")]


def test_nickname_of_an_office():
    text = ('Menteri Agama Yusuf Hakim meninjau asrama haji.\n\n'
            '"Pelayanan tahun ini lebih baik," kata Gus Yus, panggilan Menteri Agama.')
    assert [s[0] for s in speakers(text)] == ["Yusuf Hakim"]


def test_role_only_mention_gives_its_office_to_the_salient_person():
    text = ('"Kami membantu mahasiswa," tegas Prof. Karta Wijaya di depan mahasiswa.\n\n'
            "Rektor menegaskan bahwa penurunan uang kuliah tidak bisa massal.")
    assert speakers(text) == [("Karta Wijaya", "Rektor", None), ("Karta Wijaya", "Rektor", None)]


def test_description_with_an_office_gives_it_to_the_person():
    text = ("Tekanan itu membuat Kim Sung-ho tidak bisa tidur.\n\n"
            '"Kami datang untuk menang," kata pelatih asal Korea Selatan tersebut.')
    assert speakers(text) == [("Kim Sung-ho", "pelatih", None)]


def test_an_office_given_later_fills_earlier_statements():
    text = ('Tekanan itu membuat Kim Sung-ho tidak bisa tidur.\n\n'
            '"Ekspektasinya sangat tinggi dan saya sedikit takut."\n\n'
            "Pelatih asal Korea Selatan tersebut meminta para suporter tetap tenang.")
    assert speakers(text) == [("Kim Sung-ho", "Pelatih", None)]


def test_office_dari_body_then_name():
    text = "Wakil Ketua Komisi III dari Fraksi Partai Hijau Adi Kurnia mengatakan rapat dilanjutkan pekan depan."
    assert speakers(text) == [("Adi Kurnia", "Wakil Ketua Komisi III", "Fraksi Partai Hijau")]


def test_multi_word_office_is_not_part_of_the_name():
    p = parse("Chief Executive Officer Pasarku Henri Wijaya")
    assert p.role == "Chief Executive Officer" and p.name.endswith("Henri Wijaya")


def test_abbreviated_title_inside_an_appositive():
    text = ("Makassar — Rektor Universitas Negeri Pelita (UNP), Prof. Karta Wijaya, menegaskan komitmennya "
            "untuk membantu mahasiswa yang kesulitan biaya.")
    assert speakers(text) == [("Karta Wijaya", "Rektor", "Universitas Negeri Pelita (UNP)")]


def test_coordinated_reporting_verbs_give_two_statements_of_one_speaker():
    text = ("Presiden Budi Santoso mengatakan pada Selasa, negaranya tidak menginginkan perang, "
            'tetapi menggambarkan situasi di perbatasan sebagai "genting".')
    out = find_statements(text, [])
    assert [(s.kind, s.text, s.speaker.name) for s in out] == [
        ("indirect", "negaranya tidak menginginkan perang", "Budi Santoso"),
        ("mixed", 'situasi di perbatasan sebagai "genting"', "Budi Santoso")]
