"""Tagger spans (hints) refine names, roles and affiliations; quotations stay the rules' job."""
from kutip.core.attribute.engine import find_statements
from kutip.tagger import TagSpan


def span(text, label, part):
    i = text.index(part)
    return TagSpan(label, i, i + len(part), part)


TEXT = ('Direktur Utama PT Kereta Commuter Indonesia Roni Hartanto mengatakan jumlah penumpang naik dua kali lipat.\n\n'
        '"Kami menambah jadwal perjalanan mulai pekan depan," kata Roni Hartanto.')


def test_without_hints_the_unknown_company_word_sticks_to_the_name():
    out = find_statements(TEXT, [])
    assert out[0].speaker.name == "Indonesia Roni Hartanto" or out[0].speaker.name == "Roni Hartanto"


def test_person_hint_sets_name_boundary_and_affiliation():
    hints = [span(TEXT, "ROLE", "Direktur Utama"), span(TEXT, "AFFILIATION", "PT Kereta Commuter Indonesia"),
             span(TEXT, "PERSON", "Roni Hartanto")]
    out = find_statements(TEXT, [], refinements=hints)
    assert [s.speaker.name for s in out] == ["Roni Hartanto", "Roni Hartanto"]
    assert out[0].speaker.role == "Direktur Utama"
    assert out[0].speaker.affiliation == "PT Kereta Commuter Indonesia"


def test_rank_inside_person_span_is_not_part_of_the_name():
    text = '"Pelaku sudah kami tahan," kata Ajun Komisaris Roland Manurung.'
    out = find_statements(text, [], refinements=[span(text, "PERSON", "Ajun Komisaris Roland Manurung")])
    assert out[0].speaker.name == "Roland Manurung"


def test_hints_never_create_or_remove_statements():
    text = 'Warga berkumpul di balai desa. "Kami siap," kata Budi Santoso.'
    hints = [span(text, "PERSON", "Budi Santoso"), span(text, "STATEMENT", "Warga berkumpul di balai desa.")]
    assert [s.text for s in find_statements(text, [], refinements=hints)] == ["Kami siap,"]


def test_role_and_affiliation_hints_win_over_the_rules_split():
    text = ("Kepala Pusat Penerangan Kementerian Dalam Negeri Benni Irwan mengatakan data sudah dikirim.\n\n"
            '"Semua daerah sudah melapor," kata Benni.')
    rules = find_statements(text, [])[0].speaker
    hints = [span(text, "ROLE", "Kepala Pusat Penerangan"), span(text, "AFFILIATION", "Kementerian Dalam Negeri"),
             span(text, "PERSON", "Benni Irwan")]
    both = find_statements(text, [], refinements=hints)
    assert rules.name == "Benni Irwan"
    assert [s.speaker.role for s in both] == ["Kepala Pusat Penerangan"] * 2
    assert [s.speaker.affiliation for s in both] == ["Kementerian Dalam Negeri"] * 2


def test_role_hint_beside_the_name_after_a_comma():
    text = ("Teguh Nugroho, Kepala Ombudsman RI Perwakilan Jakarta Raya dalam diskusi daring mengatakan "
            "pengawasan harus diperketat.\n\n\"Kami terus memantau,\" kata Teguh.")
    hints = [span(text, "PERSON", "Teguh Nugroho"), span(text, "ROLE", "Kepala"),
             span(text, "AFFILIATION", "Ombudsman RI Perwakilan Jakarta Raya")]
    out = find_statements(text, [], refinements=hints)
    assert out[-1].speaker.name == "Teguh Nugroho"
    assert out[-1].speaker.role == "Kepala"


def test_an_organisation_inside_the_models_role_stays_the_affiliation():
    text = ("Wali Kota Semarang Hendra Wijaya mengatakan tanggul harus selesai.\n\n"
            '"Kami tidak mau warga terus menjadi korban," kata Hendra.')
    hints = [span(text, "ROLE", "Wali Kota Semarang"), span(text, "PERSON", "Hendra Wijaya")]
    rules = {(s.speaker.role, s.speaker.affiliation) for s in find_statements(text, [])}
    both = {(s.speaker.role, s.speaker.affiliation) for s in find_statements(text, [], refinements=hints)}
    assert rules == both == {("Wali Kota", "Pemkot Semarang")}


def test_a_person_span_that_takes_the_end_of_a_known_body_keeps_the_rules_name():
    """The model's PERSON "PBB Prabowo Subianto" holds the organisation the rules read as the body."""
    text = '"Kami mendukung gencatan senjata," kata Sekretaris Jenderal PBB Rudi Hartono di New York.'
    out = find_statements(text, [], refinements=[span(text, "PERSON", "PBB Rudi Hartono")])
    assert out[0].speaker.name == "Rudi Hartono"
    text = '"Stok beras aman," kata Gubernur Jawa Tengah Dewi di Semarang.'
    out = find_statements(text, [], refinements=[span(text, "PERSON", "Tengah Dewi")])
    assert out[0].speaker.name == "Dewi"


def test_a_person_span_without_a_name_prefix_keeps_the_whole_name():
    """A shorter PERSON span that leaves out "I" (a Balinese name's own prefix) does not move it to
    the affiliation."""
    text = '"Pariwisata pulih," lanjut I Made Sutama melalui keterangan tertulis.'
    rules = find_statements(text, [])[0].speaker
    out = find_statements(text, [], refinements=[span(text, "PERSON", "Made Sutama")])[0].speaker
    assert out.name == rules.name == "I Made Sutama"
    assert out.affiliation != "I"
