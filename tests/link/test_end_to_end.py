"""Linking through the real extractor on small sample articles: the nickname, the full name
and two different people called Budi (structure only: the extractor decides the statements)."""
from __future__ import annotations

import kutip

SAMPLES = [
    ("Jakarta (ANTARA) - Presiden Joko Widodo (Jokowi) mengatakan bahwa pembangunan ibu kota baru akan "
     "dilanjutkan tahun depan.\n\n\"Kita tidak akan berhenti membangun,\" kata Jokowi di Istana Merdeka, Senin (6/3).\n",
     "ANTARA", "2023-03-06"),
    ("Jakarta - Jokowi mengatakan bahwa harga beras harus turun sebelum Lebaran tiba.\n", "Detik", "2023-03-20"),
    ("Bandung - Kepala Dinas Pertanian Jawa Barat Budi Santoso mengatakan bahwa panen raya dimulai pekan depan.\n\n"
     "\"Stok beras aman sampai akhir tahun,\" kata Budi.\n", "Pikiran Rakyat", "2023-03-21"),
    ("Jakarta - Kapolsek Menteng Kompol Budi Hartono mengatakan bahwa pelaku pencurian sudah ditangkap.\n\n"
     "\"Kami masih mendalami motifnya,\" kata Budi.\n", "Kompas", "2023-03-22"),
]


def test_samples_through_the_extractor(link_kb):
    for i, (text, outlet, published) in enumerate(SAMPLES):
        art = kutip.extract(text, published=published, outlet=outlet, source=f"sample{i}")
        assert art.statements, f"the extractor found nothing in sample {i}"
        link_kb.add_article(art, url=f"https://contoh.id/{i}", outlet=outlet, published=published)
    jokowi = link_kb.speakers("Jokowi")
    assert jokowi["total"] == 1                         # one record, found by the nickname too
    jw = link_kb.speaker(jokowi["items"][0]["id"])
    assert "Widodo" in jw["name"]
    assert {r["outlet"] for r in jw["statements"]} == {"ANTARA", "Detik"}
    assert [t["date"] for t in jw["timeline"]][:1] == ["2023-03-06"] and "2023-03-20" in [t["date"] for t in jw["timeline"]]
    budis = link_kb.speakers("Budi")["items"]
    assert len(budis) == 2                              # the farming official and the police chief
    assert {tuple(b["affiliations"]) != () for b in budis} == {True}
    assert len({b["affiliations"][0] for b in budis}) == 2
    # the stemmed search reaches across the samples
    assert link_kb.search("pembangunan", speaker_id=jw["id"])["total"] >= 1
