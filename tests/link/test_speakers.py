"""Speaker linking across articles with hand-built articles (exact statements),
on a real SQLite file and a real PostgreSQL database."""
from __future__ import annotations

from kutip.store.testing import build_article

NATO = "Pakta Pertahanan Atlantik Utara (NATO)"


def _names(kb):
    return sorted(s["name"] for s in kb.speakers(limit=100)["items"])


def test_stoltenberg_from_two_outlets_is_one_speaker(link_kb):
    a = build_article([{"text": "Pengiriman senjata adalah satu-satunya jalan menuju negosiasi", "name": "Jens Stoltenberg",
                        "mention": "Stoltenberg", "role": "Sekretaris Jenderal", "affiliation": NATO, "date": "2023-01-18"}],
                      outlet="ANTARA", published="2023-01-18")
    b = build_article([{"text": "Hampir seluruh perang berakhir di meja negosiasi", "name": "Jens Stoltenberg",
                        "role": "Sekjen", "affiliation": "NATO"},
                       {"text": "Kami harus menguatkan posisi Ukraina di meja negosiasi", "name": "Stoltenberg"}],
                      outlet="Kompas", published="2022-10-27")
    link_kb.add_article(a, url="https://antara.id/1")
    link_kb.add_article(b, url="https://kompas.id/2")
    sp = link_kb.speakers()["items"]
    assert len(sp) == 1
    s = sp[0]
    assert s["name"] == "Jens Stoltenberg" and s["statement_count"] == 3
    assert set(s["name_forms"]) == {"Jens Stoltenberg", "Stoltenberg"}
    assert s["affiliations"] == [NATO]          # one organisation written two ways: one affiliation
    d = link_kb.speaker(s["id"])
    assert [t["date"] for t in d["timeline"]] == ["2022-10-27", "2023-01-18"]
    assert {r["article_id"] for r in d["statements"]} == {1, 2} or len({r["article_id"] for r in d["statements"]}) == 2
    # a later bare surname joins the one full name
    c = build_article([{"text": "Rusia tidak boleh menang dalam perang ini sama sekali", "name": "Stoltenberg"}],
                      outlet="Tempo", published="2023-03-01")
    link_kb.add_article(c, url="https://tempo.id/3")
    assert _names(link_kb) == ["Jens Stoltenberg"]


def test_two_people_called_budi_stay_apart(link_kb):
    a = build_article([{"text": "Anggaran negara tahun depan akan defisit sedikit", "name": "Budi",
                        "affiliation": "Kementerian Keuangan", "role": "Direktur"}], outlet="ANTARA")
    b = build_article([{"text": "Pelaku pencurian sudah kami tangkap tadi malam", "name": "Pak Budi",
                        "affiliation": "Polda Metro Jaya", "role": "Kapolsek"}], outlet="Kompas")
    link_kb.add_article(a, url="u:a")
    link_kb.add_article(b, url="u:b")
    sp = link_kb.speakers()["items"]
    assert len(sp) == 2
    assert sorted(tuple(s["affiliations"]) for s in sp) == [("Kementerian Keuangan",), ("Polda Metro Jaya",)]
    # a third "Budi" of the ministry joins the ministry's Budi
    c = build_article([{"text": "Penerimaan pajak naik sepuluh persen tahun ini", "name": "Budi",
                        "affiliation": "Kementerian Keuangan"}], outlet="Tempo")
    link_kb.add_article(c, url="u:c")
    counts = {s["affiliations"][0]: s["statement_count"] for s in link_kb.speakers()["items"]}
    assert counts == {"Kementerian Keuangan": 2, "Polda Metro Jaya": 1}
    # a "Budi" with no affiliation could be either: not merged into one of them (no guess)
    d = build_article([{"text": "Situasi sudah aman terkendali kata dia kemarin", "name": "Budi"}], outlet="Detik")
    link_kb.add_article(d, url="u:d")
    assert link_kb.speakers()["total"] == 3
    counts = sorted(s["statement_count"] for s in link_kb.speakers()["items"])
    assert counts == [1, 1, 2]


def test_same_full_name_conflicting_affiliations_are_two_speakers(link_kb):
    a = build_article([{"text": "Harga cabai naik tajam di pasar induk kota", "name": "Ahmad Yani",
                        "affiliation": "Pasar Induk Kramat Jati"}])
    b = build_article([{"text": "Gol itu lahir dari kerja sama seluruh tim", "name": "Ahmad Yani",
                        "affiliation": "Persija Jakarta"}])
    link_kb.add_article(a, url="u:1")
    link_kb.add_article(b, url="u:2")
    assert link_kb.speakers()["total"] == 2


def test_jokowi_joins_joko_widodo_once_an_article_ties_them(link_kb):
    a = build_article([{"text": "Pembangunan jalan tol harus selesai tahun ini juga", "name": "Joko Widodo",
                        "role": "Presiden", "affiliation": "Republik Indonesia"}], outlet="ANTARA")
    link_kb.add_article(a, url="u:1")
    # before any article ties them, "Jokowi" is nobody known
    b = build_article([{"text": "Saya minta semua menteri bekerja lebih keras lagi", "name": "Jokowi"}], outlet="Detik")
    link_kb.add_article(b, url="u:2")
    assert _names(link_kb) == ["Joko Widodo", "Jokowi"]
    # an article says "Joko Widodo (Jokowi)": the two become one (and the earlier Jokowi record is merged)
    c = build_article([{"text": "Ibu kota baru akan dibangun bertahap mulai tahun depan", "name": "Joko Widodo",
                        "role": "Presiden"}], lead="Presiden Joko Widodo (Jokowi) meninjau lokasi.", outlet="Kompas")
    link_kb.add_article(c, url="u:3")
    sp = link_kb.speakers()["items"]
    assert len(sp) == 1
    assert sp[0]["name"] == "Joko Widodo" and sp[0]["statement_count"] == 3
    assert {"Joko Widodo", "Jokowi"} <= set(sp[0]["name_forms"])
    # and later articles calling him Jokowi join him
    d = build_article([{"text": "Bantuan sosial akan dilanjutkan sampai akhir tahun", "name": "Jokowi"}], outlet="Tempo")
    link_kb.add_article(d, url="u:4")
    assert link_kb.speakers()["total"] == 1
    assert link_kb.speakers()["items"][0]["statement_count"] == 4


def test_alias_first_then_full_name(link_kb):
    a = build_article([{"text": "Kita harus menjaga persatuan bangsa ini bersama", "name": "Jokowi"}])
    link_kb.add_article(a, url="u:1")
    b = build_article([{"text": "Program makan siang gratis perlu dikaji dulu", "name": "Joko Widodo",
                        "mention": "Jokowi", "role": "Presiden"}])
    link_kb.add_article(b, url="u:2")
    sp = link_kb.speakers()["items"]
    assert len(sp) == 1 and sp[0]["name"] == "Joko Widodo" and sp[0]["statement_count"] == 2


def test_short_name_with_two_full_candidates_is_not_guessed(link_kb):
    for i, (name, aff) in enumerate([("Budi Santoso", "Kementerian Keuangan"), ("Budi Hartono", "Polda Jawa Barat")]):
        link_kb.add_article(build_article([{"text": f"Pernyataan nomor {i} yang cukup panjang untuk disimpan",
                                            "name": name, "affiliation": aff}]), url=f"u:{i}")
    link_kb.add_article(build_article([{"text": "Pernyataan tanpa kejelasan siapa orangnya", "name": "Budi"}]), url="u:x")
    assert link_kb.speakers()["total"] == 3
    link_kb.add_article(build_article([{"text": "Pernyataan Budi dari kepolisian tentang lalu lintas", "name": "Budi",
                                        "affiliation": "Polda Jawa Barat"}]), url="u:y")
    got = {s["name"]: s["statement_count"] for s in link_kb.speakers()["items"]}
    assert got["Budi Hartono"] == 2 and got["Budi Santoso"] == 1


def test_organisation_and_person_with_one_name_stay_apart(link_kb):
    link_kb.add_article(build_article([{"text": "Latihan nuklir berjalan sesuai rencana kami", "name": "Kremlin",
                                        "type": "organization"}]), url="u:1")
    link_kb.add_article(build_article([{"text": "Saya lahir dan besar di kota kecil ini", "name": "Kremlin",
                                        "type": "person"}]), url="u:2")
    assert sorted(s["type"] for s in link_kb.speakers()["items"]) == ["organization", "person"]


def test_same_article_short_and_full_forms_fold(link_kb):
    art = build_article([{"text": "Pernyataan pertama yang panjang tentang ekonomi", "name": "Sri Mulyani Indrawati",
                          "affiliation": "Kementerian Keuangan"},
                         {"text": "Pernyataan kedua yang panjang tentang pajak", "name": "Ibu Sri Mulyani Indrawati"},
                         {"text": "Pernyataan ketiga yang panjang tentang utang", "name": "Indrawati"}])
    link_kb.add_article(art, url="u:1")
    sp = link_kb.speakers()["items"]
    assert len(sp) == 1 and sp[0]["statement_count"] == 3 and sp[0]["name"] == "Sri Mulyani Indrawati"
