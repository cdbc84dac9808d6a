"""One person, one record: the same name with compatible roles in different articles, and one
organisation written two ways, on a real SQLite file and a real PostgreSQL database. The
Kapolri articles go through the real extractor (rules only), as `kutip ingest` stores them."""
from __future__ import annotations

import kutip
from kutip.link.names import affiliations_compatible, merge_affiliations, office_forms, offices_match
from kutip.link.speakers import Profile, group_speakers, link
from kutip.store.testing import build_article

NATO = "Pakta Pertahanan Atlantik Utara (NATO)"

KAPOLRI = [
    ("ANTARA", "Jakarta (ANTARA) - Kapolri Jenderal Polisi Listyo Sigit Prabowo mengatakan polisi akan menindak tegas "
               "para pelaku penipuan daring.\n\n\"Kami tidak akan memberi ruang bagi pelaku,\" kata Listyo di Mabes "
               "Polri, Senin."),
    ("Kompas", "Jakarta (Kompas) - \"Pengamanan mudik tahun ini melibatkan seratus ribu personel,\" ujar Kapolri "
               "Listyo Sigit Prabowo kepada wartawan di Jakarta, Selasa."),
    ("Tempo", "Jakarta (Tempo) - Kepala Kepolisian Negara Republik Indonesia (Kapolri) Jenderal Listyo Sigit Prabowo "
              "menyatakan seluruh jajaran siap mengamankan pemilu.\n\n\"Netralitas Polri harga mati,\" kata Sigit."),
    ("Detik", "Jakarta (Detik) - Kapolri Listyo Sigit menegaskan tidak ada anggota yang kebal hukum. \"Siapa pun yang "
              "melanggar akan kami proses,\" kata Kapolri."),
]


def test_the_kapolri_written_four_ways_is_one_speaker(link_kb):
    n = 0
    for i, (outlet, text) in enumerate(KAPOLRI):
        art = kutip.extract(text, use_model=False, published=f"2023-04-{10 + i}")
        assert art.statements and all(s.speaker for s in art.statements), text
        n += len(art.statements)
        link_kb.add_article(art, url=f"https://contoh.id/kapolri/{i}", outlet=outlet)
    sp = link_kb.speakers()["items"]
    assert len(sp) == 1, [(s["name"], s["affiliations"]) for s in sp]
    assert sp[0]["name"] == "Listyo Sigit Prabowo" and sp[0]["statement_count"] == n
    assert {"Listyo Sigit Prabowo", "Listyo Sigit"} <= set(sp[0]["name_forms"])


def test_same_full_name_and_office_joins_one_record_even_when_split_before(link_kb):
    # two records of one name made apart (conflicting organisations, no office in common) ...
    link_kb.add_article(build_article([{"text": "Harga cabai naik tajam di pasar induk kota ini", "name": "Ahmad Yani",
                                        "affiliation": "Pasar Induk Kramat Jati"}]), url="u:1")
    link_kb.add_article(build_article([{"text": "Gol itu lahir dari kerja sama seluruh tim kami", "name": "Ahmad Yani",
                                        "affiliation": "Persija Jakarta"}]), url="u:2")
    assert link_kb.speakers()["total"] == 2
    # ... a later article with the bare full name and no organisation joins one of them, not a third
    link_kb.add_article(build_article([{"text": "Kami akan terus bekerja keras untuk semua orang", "name": "Ahmad Yani"}]),
                        url="u:3")
    assert link_kb.speakers()["total"] == 2
    assert sorted(s["statement_count"] for s in link_kb.speakers()["items"]) == [1, 2]


def test_nato_written_two_ways_is_one_affiliation_on_the_speaker_page(link_kb):
    for i, aff in enumerate([NATO, "NATO", "Pakta Pertahanan Atlantik Utara"]):
        link_kb.add_article(build_article([{"text": f"Aliansi akan menambah pasukan di wilayah timur tahap {i}",
                                            "name": "Jens Stoltenberg", "role": "Sekretaris Jenderal",
                                            "affiliation": aff, "date": f"2023-01-1{i}"}]), url=f"u:{i}")
    sp = link_kb.speakers()["items"]
    assert len(sp) == 1 and sp[0]["affiliations"] == [NATO]
    page = link_kb.speaker(sp[0]["id"])
    assert page["affiliations"] == [NATO]
    assert page["roles_over_time"] == [{"role": "Sekretaris Jenderal", "affiliation": NATO, "first_date": "2023-01-10",
                                        "last_date": "2023-01-12", "count": 3}]
    # the search filter still finds every spelling
    assert link_kb.search(affiliation="nato")["total"] == 3


def test_two_organisations_stay_two_affiliations(link_kb):
    link_kb.add_article(build_article([{"text": "Kami mendukung penuh rencana perdamaian tersebut", "name": "Retno Marsudi",
                                        "affiliation": "Kementerian Luar Negeri"},
                                       {"text": "Indonesia siap menjadi tuan rumah perundingan", "name": "Retno Marsudi",
                                        "affiliation": "Perserikatan Bangsa-Bangsa (PBB)"}]), url="u:1")
    sp = link_kb.speakers()["items"]
    assert len(sp) == 1
    assert sorted(sp[0]["affiliations"]) == ["Kementerian Luar Negeri", "Perserikatan Bangsa-Bangsa (PBB)"]


# --- the pure rules ---------------------------------------------------------------------

def test_merge_affiliations_keeps_the_fullest_form():
    assert merge_affiliations(["NATO", NATO, "Polri", "Mabes Polri", "Bank Mandiri", "Bank"]) == [
        [NATO, "NATO"], ["Mabes Polri", "Polri"], ["Bank Mandiri"], ["Bank"]]


def test_one_distinctive_word_inside_the_other_is_one_organisation():
    assert affiliations_compatible(["Polri"], ["Mabes Polri"]) is True
    assert affiliations_compatible(["Bank"], ["Bank Mandiri"]) is False
    assert affiliations_compatible(["Kementerian"], ["Kementerian Keuangan"]) is False


def test_offices():
    assert offices_match(office_forms([("Kapolri", "Polri")]),
                         office_forms([("Kepala", "Kepolisian Negara Republik Indonesia (Kapolri)")]))
    # a title any body has is no evidence of one person
    assert not offices_match(office_forms([("Kepala", "Badan Pusat Statistik")]), office_forms([("Kepala", "BMKG")]))


def test_link_on_plain_records_needs_no_database():
    art = build_article([{"text": "Kita harus berunding dengan Rusia demi perdamaian", "name": "Jens Stoltenberg",
                          "affiliation": "NATO"}])
    groups, member_of = group_speakers(art)
    stored = [Profile(7, "Jens Stoltenberg", "person", {NATO}, {"Sekjen"}, {"jens stoltenberg", "stoltenberg"}, 12)]
    plan = link(groups, stored)
    assert plan.assign == [7] and not plan.new and plan.affiliations == [(7, "NATO")]
    plan = link(groups, [])
    assert plan.assign == [-1] and plan.new[-1]["name"] == "Jens Stoltenberg"


def test_a_record_takes_the_fullest_name_an_article_writes_whatever_the_order():
    """"Wayan Koster" written in full as "I Wayan Koster" gives the record the full name; a mention
    with the office around the name ("Kapolres Semarang Agus") is not a name."""
    from kutip.link.speakers import SpeakerGroup, fullest_name

    g = SpeakerGroup(name="Wayan Koster", tokens=["wayan", "koster"])
    g.add_form("Wayan Koster")
    g.add_form("I Wayan Koster", alias=True)
    assert fullest_name(g) == "I Wayan Koster"
    h = SpeakerGroup(name="Agus", tokens=["agus"])
    h.add_form("Agus")
    h.add_form("Kapolres Semarang Agus", alias=True)
    h.roles.add("Kapolres")
    h.affiliations.add("Polres Semarang")
    assert fullest_name(h) == "Agus"
