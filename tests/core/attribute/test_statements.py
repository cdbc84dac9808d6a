"""Statement rules and attribution, one behaviour per test, on sentences written for the tests."""
import pytest

from kutip.core.attribute.engine import find_statements


def run(text, **kw):
    return find_statements(text, [], **kw)


def one(text, **kw):
    out = run(text, **kw)
    assert len(out) == 1, [(s.kind, s.text) for s in out]
    return out[0]


def name(s):
    return s.speaker.name if s.speaker else None


INTRO = "Gubernur Jawa Tengah Ahmad Lutfi meninjau lokasi banjir di Semarang.\n\n"


# -- direct quotations and cues on either side ---------------------------------
@pytest.mark.parametrize("cue", ["kata", "ujar", "ucap", "tutur", "jelas", "tegas", "ungkap", "imbuh",
                                 "tambah", "lanjut", "sambung", "pungkas", "terang", "papar", "sebut", "singkat"])
def test_cue_after_quote(cue):
    s = one(INTRO + f'"Kami akan membangun tanggul baru tahun ini," {cue} Lutfi.')
    assert (s.kind, s.text, s.cue.text, name(s)) == (
        "direct", "Kami akan membangun tanggul baru tahun ini,", cue, "Ahmad Lutfi")
    assert s.speaker.role == "Gubernur" and s.speaker.affiliation == "Pemprov Jawa Tengah"


@pytest.mark.parametrize("cue", ["ujarnya", "katanya", "pungkasnya", "jelasnya"])
def test_nya_cue_points_to_previous_speaker(cue):
    text = INTRO + f'"Warga harus mengungsi malam ini juga," {cue}.'
    s = one(text)
    assert name(s) == "Ahmad Lutfi"
    assert s.speaker.mention == "nya" and text[s.speaker.mention_start:s.speaker.mention_end] == "nya"


@pytest.mark.parametrize("pron", ["dia", "ia", "beliau"])
def test_pronoun_after_cue(pron):
    s = one(INTRO + f'"Bantuan sudah dikirim ke semua posko," kata {pron}.')
    assert name(s) == "Ahmad Lutfi" and s.speaker.mention == pron


def test_cue_before_quote_with_reporting_verb():
    s = one('Kepala Dinas Kesehatan DKI Jakarta Budi Santoso mengatakan, "Stok vaksin cukup untuk sebulan."')
    assert (s.kind, s.text, s.cue.text, name(s)) == ("direct", "Stok vaksin cukup untuk sebulan.", "mengatakan", "Budi Santoso")


def test_colon_before_quote():
    s = one('Ketua KPU Rina Wati: "Semua logistik pemilu sudah tiba di daerah."')
    assert name(s) == "Rina Wati" and s.kind == "direct"


def test_quote_split_by_inserted_cue_is_two_statements():
    out = run(INTRO + '"Tanggul itu jebol," kata dia, "dan kami sedang memperbaikinya sekarang."')
    assert [s.text for s in out] == ["Tanggul itu jebol,", "dan kami sedang memperbaikinya sekarang."]
    assert all(name(s) == "Ahmad Lutfi" for s in out)


def test_demikian_cue():
    s = one(INTRO + '"Kami tidak akan berhenti sebelum semua warga aman," demikian Lutfi.')
    assert name(s) == "Ahmad Lutfi"


def test_multi_paragraph_quote_is_one_statement():
    text = INTRO + '"Kami akan bekerja siang dan malam.\n\n"Semua warga akan kembali ke rumah pekan depan," kata Lutfi.'
    s = one(text)
    assert s.text.startswith("Kami akan bekerja") and s.text.endswith("pekan depan,")


def test_unbalanced_quote_does_not_swallow_article():
    text = INTRO + '"Kami siap membantu, kata Lutfi.\n\nPemerintah pusat mengirim 20 truk logistik ke lokasi banjir.'
    for s in run(text):
        assert "truk" not in s.text


def test_cited_source_is_not_the_speaker():
    s = one(INTRO + '"Air mulai surut," ujar Lutfi, seperti dikutip dari Antara.')
    assert name(s) == "Ahmad Lutfi"


def test_organisation_speaker():
    s = one('"Serangan itu tidak dapat dibenarkan," ujar Kremlin dalam sebuah pernyataan.')
    assert name(s) == "Kremlin" and s.speaker.type == "organization"


# -- indirect and mixed ------------------------------------------------------------
def test_indirect_with_bahwa():
    s = one("Menteri Keuangan Sri Mulyani Indrawati mengatakan bahwa defisit anggaran akan tetap terkendali.")
    assert (s.kind, s.text, s.cue.text, name(s)) == (
        "indirect", "defisit anggaran akan tetap terkendali", "mengatakan", "Sri Mulyani Indrawati")
    assert s.speaker.role == "Menteri Keuangan"


@pytest.mark.parametrize("verb", ["menegaskan", "meyakini", "menilai", "menekankan", "tak menampik"])
def test_indirect_reporting_verbs(verb):
    s = one(INTRO + f"Lutfi {verb} pembangunan tanggul harus selesai sebelum musim hujan.")
    assert s.kind == "indirect" and s.cue.text == verb and name(s) == "Ahmad Lutfi"
    assert s.text == "pembangunan tanggul harus selesai sebelum musim hujan"


def test_menurut():
    s = one(INTRO + "Menurut Lutfi, banjir tahun ini lebih besar dari tahun lalu.")
    assert (s.text, s.cue.text, name(s)) == ("banjir tahun ini lebih besar dari tahun lalu", "Menurut", "Ahmad Lutfi")


def test_tail_cue_without_quotation_marks():
    s = one(INTRO + "Banjir akan surut dalam dua hari ke depan, kata Lutfi.")
    assert (s.kind, s.text, name(s)) == ("indirect", "Banjir akan surut dalam dua hari ke depan", "Ahmad Lutfi")


def test_inserted_cue_keeps_the_whole_sentence():
    text = INTRO + "Kerugian warga, kata dia, mencapai miliaran rupiah."
    s = one(text)
    assert s.text == "Kerugian warga, kata dia, mencapai miliaran rupiah" and s.cue.text == "kata"


def test_mixed_statement_with_quoted_fragment():
    s = one(INTRO + 'Lutfi menyebut banjir itu "bencana terbesar dalam sepuluh tahun" seraya meminta bantuan.')
    assert s.kind == "mixed" and s.text == 'banjir itu "bencana terbesar dalam sepuluh tahun"'


def test_indirect_object_before_bahwa():
    s = one("Menteri Pertanian Andi Amran melaporkan kepada Presiden bahwa panen raya berjalan lancar.")
    assert s.text == "panen raya berjalan lancar" and name(s) == "Andi Amran"


def test_narration_is_not_a_statement():
    assert run("Banjir merendam ratusan rumah di Semarang pada Senin pagi. Warga mengungsi ke masjid.") == []
    assert run("Laporan yang mengatakan bahwa tanggul jebol belum dikonfirmasi.") == []


# -- attribution -------------------------------------------------------------------
def test_nominal_reference_resolves_through_affiliation():
    text = ("Ketua Umum Partai Demokrasi Indonesia Perjuangan (PDIP) Megawati Soekarnoputri hadir.\n\n"
            "Menteri Luar Negeri Retno Marsudi juga hadir.\n\n"
            "Politisi PDIP itu menegaskan partainya siap menghadapi pemilu.")
    s = one(text)
    assert name(s) == "Megawati Soekarnoputri"


def test_short_name_and_alias_resolve_to_full_name():
    text = ("Presiden Joko Widodo (Jokowi) meresmikan jalan tol baru.\n\n"
            '"Jalan ini mempercepat distribusi barang," kata Jokowi.\n\n'
            '"Biaya logistik akan turun," ujar Widodo.')
    out = run(text)
    assert [name(s) for s in out] == ["Joko Widodo", "Joko Widodo"]
    assert out[0].speaker.role == "Presiden"


def test_appositive_role_after_name():
    s = one('"Kasus ini segera kami limpahkan," kata Rudi Hartono, Kepala Kejaksaan Negeri Bandung, di Bandung.')
    assert name(s) == "Rudi Hartono" and s.speaker.role == "Kepala"
    assert s.location == "Bandung"


def test_two_speakers_keep_their_own_statements():
    text = ("Menteri Pertahanan Rusia Sergei Shoigu mengatakan latihan berjalan sesuai rencana.\n\n"
            "Juru bicara Kremlin Dmitry Peskov menyatakan Moskwa tetap terbuka untuk dialog.\n\n"
            '"Kami tidak menutup pintu," ujar Peskov.')
    assert [name(s) for s in run(text)] == ["Sergei Shoigu", "Dmitry Peskov", "Dmitry Peskov"]


def test_unknown_speaker_is_null_with_low_confidence():
    s = one('"Harga cabai naik tiga kali lipat," kata dia.')
    assert s.speaker.name is None and s.confidence < 0.5


# -- context -----------------------------------------------------------------------
def test_date_place_event_from_the_cue_side():
    s = one(INTRO + '"Kami butuh bantuan pusat," kata Lutfi dalam Rapat Koordinasi Bencana di Semarang, Jawa Tengah, Rabu (18/1).',
            year=2023)
    assert s.date.value == "2023-01-18" and s.date.text.startswith("Rabu")
    assert s.location == "Semarang, Jawa Tengah"
    assert s.event == "Rapat Koordinasi Bencana"


def test_offsets_index_the_text():
    text = INTRO + '“Kami siap,” kata Lutfi. Lutfi menegaskan semua posko sudah dibuka sejak pagi.'
    for s in run(text):
        assert text[s.start:s.end] == s.text
        assert text[s.cue.start:s.cue.end] == s.cue.text
        assert text[s.speaker.mention_start:s.speaker.mention_end] == s.speaker.mention


def test_passive_attribution_names_the_preceding_quotation():
    text = INTRO + '"Semua pengungsi mendapat makanan tiga kali sehari."\n\nHal itu disampaikan Kepala Dinas Sosial Jawa Tengah Sri Mulyani di Semarang.'
    s = one(text)
    assert name(s) == "Sri Mulyani" and s.kind == "direct"


def test_announcing_colon_introduces_the_next_quotation():
    text = INTRO + 'Menteri Sosial Tri Wahyuni menjelaskan:\n\n"Bantuan tahap kedua dikirim besok pagi ke semua posko."'
    s = one(text)
    assert name(s) == "Tri Wahyuni"


def test_sentence_initial_kata():
    s = one(INTRO + "Kata Lutfi, pemerintah provinsi akan menanggung biaya perbaikan rumah warga.")
    assert name(s) == "Ahmad Lutfi" and s.text == "pemerintah provinsi akan menanggung biaya perbaikan rumah warga"


def test_known_nickname_resolves_without_introduction():
    s = one('"Pembangunan harus merata," kata Jokowi di Istana Bogor.')
    assert name(s) == "Joko Widodo"


def test_lowercase_role_alone_is_not_a_name():
    s = one('"Inflasi akan turun pada kuartal depan," kata pengamat.')
    assert s.speaker.name is None and s.speaker.role == "pengamat"


def test_role_comma_name_appositive_learned_from_narration():
    text = ("Kapten Timnas, Asnawi Mangkualam, juga mengungkapkan rasa syukurnya.\n\n"
            '"Ini untuk semua suporter Indonesia," kata Asnawi.')
    s = one(text)
    assert (name(s), s.speaker.role, s.speaker.affiliation) == ("Asnawi Mangkualam", "Kapten", "Timnas")


def test_nominal_reference_with_origin():
    text = ("Pelatih Timnas Indonesia, Shin Tae-yong, menyebut para pemain tampil disiplin sepanjang laga.\n\n"
            '"Saya bangga dengan pemain," ujar pelatih asal Korea Selatan itu.')
    assert [name(s) for s in run(text)] == ["Shin Tae-yong", "Shin Tae-yong"]


def test_context_never_reads_quoted_words():
    text = '"Kapal terlambat," ucap Maya, "tetapi kapal tambahan berangkat kemarin dari Surabaya."'
    out = run(text, published=__import__("datetime").date(2023, 3, 8))
    assert [s.date for s in out] == [None, None]
    assert [s.location for s in out] == [None, None]


def test_passive_sentence_introduces_the_next_speaker():
    text = INTRO + ("Hal senada disampaikan oleh Ketua DPRD Jawa Tengah Sumanto.\n\n"
                    "Menurutnya, anggaran tanggul harus masuk perubahan APBD tahun ini.")
    s = one(text)
    assert name(s) == "Sumanto" and s.speaker.role == "Ketua"


def test_age_after_an_appositive_name():
    s = one('"Anak saya sudah tiga hari dirawat," kata Warga Cicendo, Siti (45), di rumah sakit.')
    assert name(s) == "Siti" and s.speaker.role == "Warga"
