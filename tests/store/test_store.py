"""The Store on a real SQLite file and a real PostgreSQL database: round trips,
idempotency, atomicity, hostile text, search, filters, pagination, listings."""
from __future__ import annotations


import pytest
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError

from kutip.core.errors import KutipError, KutipInputError
from kutip.core.model import ExtractedArticle
from kutip.store import Store, iso_date
from kutip.store.migrate import head_revision, current_revision, resolve_url
from kutip.store.testing import build_article

NATO = "Pakta Pertahanan Atlantik Utara (NATO)"


def _stolt(text, **kw):
    d = {"text": text, "name": "Jens Stoltenberg", "role": "Sekretaris Jenderal", "affiliation": NATO}
    d.update(kw)
    return d


def test_roundtrip_article_contract(store_kb):
    art = build_article([_stolt("Kita harus berunding dengan Rusia demi perdamaian di Eropa", date="2023-01-18",
                                location="Davos, Swiss", event="Forum Ekonomi Dunia (WEF)"),
                         {"text": "senjata adalah jalan menuju perundingan", "kind": "indirect", "name": None,
                          "mention": "ia"}],
                        lead="London (ANTARA) - Pembukaan.", title="Judul", outlet="ANTARA", published="2023-01-19")
    aid, status = store_kb.add_article(art, url="https://contoh.id/a/1")
    assert status == "created"
    got = store_kb.article(aid)
    want = art.to_dict()
    assert got["text"] == want["text"]
    assert got["url"] == "https://contoh.id/a/1" and got["outlet"] == "ANTARA" and got["published"] == "2023-01-19"
    assert got["metadata"]["title"] == "Judul"
    assert len(got["statements"]) == 2
    for g, w in zip(got["statements"], want["statements"]):
        for k in ("kind", "text", "start", "end", "cue", "speaker", "date", "location", "event", "confidence"):
            assert g[k] == w[k], k
        assert got["text"][g["start"]:g["end"]] == g["text"]
        assert isinstance(g["id"], int)
    assert got["statements"][0]["speaker_id"] is not None
    assert got["statements"][1]["speaker_id"] is None          # "ia" with no name: no speaker record
    # contract dict rebuilds into the model
    rebuilt = ExtractedArticle.from_dict({k: got[k] for k in ("source", "text", "metadata")} | {
        "statements": [{k: s[k] for k in ("kind", "text", "start", "end", "cue", "speaker", "date", "location",
                                           "event", "confidence")} for s in got["statements"]]})
    assert rebuilt.statements[0].speaker.name == "Jens Stoltenberg"
    assert store_kb.stats() == {"articles": 1, "statements": 2, "speakers": 1, "clusters": 0, "outlets": 1}
    assert store_kb.article(aid + 1000) is None


def test_statement_date_falls_back_to_published(store_kb):
    art = build_article([_stolt("Pernyataan pertama tentang perang di Ukraina dan Rusia", date="2023-01-18"),
                         _stolt("Pernyataan kedua tanpa tanggal tentang bantuan militer", date="--10-26")])
    store_kb.add_article(art, published="2023-01-20")
    rows = {r["text"][:10]: r for r in store_kb.search(limit=10)["items"]}
    assert rows["Pernyataan"]["date_value"] in ("2023-01-18", "2023-01-20")
    vals = sorted(r["date_value"] for r in store_kb.search(limit=10)["items"])
    assert vals == ["2023-01-18", "2023-01-20"]        # "--10-26" has no year: the article's date stands in
    raw = [r["date"]["value"] for r in store_kb.search(limit=10)["items"]]
    assert "--10-26" in raw                            # ...but the statement keeps its own value


def test_idempotent_by_url_and_by_content(store_kb):
    art = build_article([_stolt("Kita harus berunding dengan Rusia demi perdamaian di Eropa")], outlet="ANTARA")
    a1, s1 = store_kb.add_article(art, url="https://x.id/1")
    a2, s2 = store_kb.add_article(art, url="https://x.id/1")
    assert (s1, s2) == ("created", "unchanged") and a1 == a2
    # same normalised content (whitespace, case and quote style differ), no URL: the same article
    variant = build_article([_stolt("Kita harus berunding dengan Rusia demi perdamaian di Eropa")], outlet="ANTARA")
    variant.text = variant.text.replace("\u201c", '"').replace("\u201d", '"').replace(" kata", "  KATA")
    variant.statements = []
    a3, s3 = store_kb.add_article(variant)
    assert a3 == a1 and s3 == "updated"
    assert store_kb.stats()["articles"] == 1
    # the same text from another outlet is another publication (agency re-run): stored apart
    a4, s4 = store_kb.add_article(art, url="https://y.id/9", outlet="Kompas")
    assert s4 == "created" and a4 != a1
    assert store_kb.stats()["articles"] == 2


def test_reingest_replaces_statements(store_kb):
    v1 = build_article([_stolt("Kalimat lama tentang perundingan damai yang panjang sekali"),
                        _stolt("Kalimat kedua yang juga akan hilang dari basis data")], outlet="ANTARA")
    aid, _ = store_kb.add_article(v1, url="https://x.id/r")
    assert store_kb.search("lama")["total"] == 1
    v2 = build_article([_stolt("Kalimat baru hasil ekstraktor yang lebih baik tentang senjata")], outlet="ANTARA")
    aid2, status = store_kb.add_article(v2, url="https://x.id/r")
    assert (aid2, status) == (aid, "updated")
    assert store_kb.search("lama")["total"] == 0
    assert store_kb.search("senjata")["total"] == 1
    assert store_kb.stats()["statements"] == 1
    assert len(store_kb.article(aid)["statements"]) == 1
    assert store_kb.add_article(v2, url="https://x.id/r")[1] == "unchanged"


def test_reingest_drops_orphan_speakers(store_kb):
    v1 = build_article([{"text": "Kami akan menaikkan harga beras tahun depan di pasar", "name": "Siti Aminah",
                         "affiliation": "Bulog"}])
    aid, _ = store_kb.add_article(v1, url="https://x.id/o")
    assert store_kb.speakers()["total"] == 1
    v2 = build_article([{"text": "Harga beras akan tetap stabil menurut perhitungan kami", "name": "Ahmad Yani",
                         "affiliation": "Kementerian Pertanian"}])
    store_kb.add_article(v2, url="https://x.id/o")
    names = [s["name"] for s in store_kb.speakers()["items"]]
    assert names == ["Ahmad Yani"]


HOSTILE = [
    "<script>alert('x')</script> \"kutip\" 'tunggal' “lengkung”",
    "Robert'); DROP TABLE statement; -- % _ \\ ' \" ;",
    "kontrol: \x00 nul \x07 bel \x1b[31m merah \x1b[0m \x08 \x7f \x9b \u202e kanan-ke-kiri \ue000 privat \r\n baris",
    "=HYPERLINK(\"http://jahat\") +1 -2 @SUM(A1)",
]


def test_hostile_text_stored_intact(store_kb):
    items = [{"text": f"Pernyataan berbahaya nomor {i}: {h}", "name": f"Budi {h[:12]}", "affiliation": h, "role": h,
              "location": h, "event": h} for i, h in enumerate(HOSTILE)]
    art = build_article(items, lead="Judul " + HOSTILE[2], title=HOSTILE[0], outlet=HOSTILE[1], tail=HOSTILE[2])
    url = "https://x.id/<script>?q=' OR 1=1 --&x=\x1b"
    aid, status = store_kb.add_article(art, url=url)
    assert status == "created"
    got = store_kb.article(aid)
    assert got["text"] == art.text
    assert got["url"] == url and got["outlet"] == HOSTILE[1]
    assert got["metadata"]["title"] == HOSTILE[0]
    for g, w in zip(got["statements"], art.statements):
        assert g["text"] == w.text
        assert g["speaker"]["affiliation"] == w.speaker.affiliation
        assert g["speaker"]["name"] == w.speaker.name
        assert g["location"] == w.location and g["event"] == w.event
    # the tables are all still there and searchable
    res = store_kb.search("berbahaya", limit=10)
    assert res["total"] == len(HOSTILE)
    assert sorted(r["text"] for r in res["items"]) == sorted(i["text"] for i in items)
    assert store_kb.search("DROP TABLE")["total"] == 1
    # LIKE metacharacters in filters are literal
    assert store_kb.search(speaker="%")["total"] == 0
    assert store_kb.search(affiliation="% _")["total"] == 1
    assert store_kb.search(outlet=HOSTILE[1])["total"] == len(HOSTILE)
    spk = store_kb.speakers(limit=10)["items"]
    assert {s["name"] for s in spk} == {i["name"] for i in items}
    assert store_kb.add_article(art, url=url)[1] == "unchanged"


def test_failure_mid_article_leaves_nothing(store_kb):
    good = build_article([_stolt("Kita harus berunding dengan Rusia demi perdamaian di Eropa")], outlet="ANTARA")
    store_kb.add_article(good, url="https://x.id/ok")
    before = store_kb.stats()
    bad = build_article([{"text": "Pernyataan pertama yang sah dari seorang menteri baru", "name": "Rina Wati",
                          "affiliation": "Kementerian Sosial"},
                         {"text": "Pernyataan kedua yang sah dan cukup panjang juga", "name": "Dedi Mulyadi"},
                         {"text": "Pernyataan ketiga yang rusak", "name": "Eko Prasetyo"}], outlet="Tempo")
    bad.statements[2].kind = "bogus"    # the database rejects it (CHECK constraint) after the rest was written
    with pytest.raises(IntegrityError):
        store_kb.add_article(bad, url="https://x.id/bad")
    assert store_kb.stats() == before
    assert store_kb.search("sah")["total"] == 0
    assert [s["name"] for s in store_kb.speakers()["items"]] == ["Jens Stoltenberg"]
    # a failed update keeps the previous version whole
    broken = build_article([_stolt("Versi baru yang seharusnya mengganti versi lama"),
                            _stolt("Versi rusak")], outlet="ANTARA")
    broken.statements[1].kind = "bogus"
    with pytest.raises(IntegrityError):
        store_kb.add_article(broken, url="https://x.id/ok")
    assert store_kb.search("berunding")["total"] == 1
    assert store_kb.search("versi")["total"] == 0
    assert store_kb.stats() == before


@pytest.fixture
def store_corpus(store_kb):
    arts = [
        (build_article([_stolt("Kita siap berunding dengan Rusia bila perang berhenti", date="2023-01-18"),
                        {"text": "pemerintah akan merundingkan harga gas dengan mitra", "kind": "indirect",
                         "name": "Budi Santoso", "role": "Menteri", "affiliation": "Kementerian Energi"}],
                       outlet="ANTARA", published="2023-01-18"), "https://a.id/1"),
        (build_article([{"text": "Perundingan perdamaian harus dimulai tahun ini juga", "name": "Budi Santoso",
                         "role": "Menteri", "affiliation": "Kementerian Energi", "date": "2023-02-10"},
                        {"text": "Harga beras naik karena musim kering panjang", "name": "Siti Aminah",
                         "affiliation": "Bulog", "kind": "mixed"}],
                       outlet="Kompas", published="2023-02-10"), "https://b.id/2"),
        (build_article([_stolt("Bantuan militer untuk Ukraina harus terus mengalir", date="2022-10-27"),
                        _stolt("Perang nuklir tidak dapat dimenangkan oleh siapa pun")],
                       outlet="Tempo", published="2022-10-27"), "https://c.id/3"),
    ]
    for a, u in arts:
        store_kb.add_article(a, url=u)
    return store_kb


@pytest.mark.parametrize("word", ["berunding", "perundingan", "merundingkan", "dirundingkan", "RUNDING"])
def test_stemmed_search_finds_every_form(store_corpus, word):
    res = store_corpus.search(word)
    assert res["total"] == 3
    texts = " ".join(r["text"] for r in res["items"])
    assert "berunding" in texts and "merundingkan" in texts and "Perundingan" in texts
    assert all(r["score"] > 0 for r in res["items"])


def test_search_all_terms_must_match_and_rank(store_corpus):
    res = store_corpus.search("perundingan perdamaian")
    assert res["total"] == 1 and res["items"][0]["text"].startswith("Perundingan perdamaian")
    assert store_corpus.search("perundingan zebra")["total"] == 0
    assert store_corpus.search("yang dan")["total"] == 0            # only function words
    res = store_corpus.search("perang")
    assert res["total"] == 2
    scores = [r["score"] for r in res["items"]]
    assert scores == sorted(scores, reverse=True)


def test_search_rows_carry_context(store_corpus):
    r = store_corpus.search("beras")["items"][0]
    assert r["outlet"] == "Kompas" and r["article_url"] == "https://b.id/2" and r["kind"] == "mixed"
    assert r["date_value"] == "2023-02-10" and r["speaker"]["name"] == "Siti Aminah"
    for k in ("id", "article_id", "speaker_id", "cluster_id", "article_title", "score", "start", "end", "cue",
              "date", "location", "event", "confidence"):
        assert k in r


def test_search_filters(store_corpus):
    s = store_corpus
    assert s.search(speaker="Stoltenberg")["total"] == 3
    assert s.search(speaker="jens stoltenberg", q="perang")["total"] == 2
    sid = s.search(speaker="Budi")["items"][0]["speaker_id"]
    assert s.search(speaker_id=sid)["total"] == 2
    assert s.search(affiliation="nato")["total"] == 3
    assert s.search(affiliation="Kementerian Energi", q="runding")["total"] == 2
    assert s.search(outlet="kompas")["total"] == 2
    assert s.search(outlet="ANTARA", q="runding")["total"] == 2
    assert s.search(outlet="Republika")["total"] == 0
    assert s.search(kind="indirect")["total"] == 1
    assert s.search(kind="direct,mixed")["total"] == 5
    assert s.search(date_from="2023-01-01")["total"] == 4
    assert s.search(date_to="2022-12-31")["total"] == 2
    assert s.search(date_from="2023-01-18", date_to="2023-01-18")["total"] == 2
    assert s.search("runding", date_from="2023-02-01")["total"] == 1
    with pytest.raises(KutipInputError):
        s.search(date_from="kemarin")


def test_pagination(store_corpus):
    full = store_corpus.search(limit=100)
    assert full["total"] == 6 and len(full["items"]) == 6
    dates = [r["date_value"] for r in full["items"]]
    assert dates == sorted(dates, reverse=True)
    pages = [store_corpus.search(limit=4, offset=o) for o in (0, 4, 8)]
    assert [p["total"] for p in pages] == [6, 6, 6]
    assert [len(p["items"]) for p in pages] == [4, 2, 0]
    ids = [r["id"] for p in pages for r in p["items"]]
    assert ids == [r["id"] for r in full["items"]]
    ranked = [store_corpus.search("runding", limit=1, offset=o) for o in range(4)]
    assert [p["total"] for p in ranked] == [3, 3, 3, 3]
    assert len({p["items"][0]["id"] for p in ranked[:3]}) == 3 and ranked[3]["items"] == []


def test_speakers_and_speaker_detail(store_corpus):
    res = store_corpus.speakers()
    assert res["total"] == 3
    top = res["items"][0]
    assert top["name"] == "Jens Stoltenberg" and top["statement_count"] == 3 and top["type"] == "person"
    assert top["roles"] == ["Sekretaris Jenderal"] and top["affiliations"] == [NATO]
    assert top["first_date"] == "2022-10-27" and top["last_date"] == "2023-01-18"
    assert store_corpus.speakers("stolten")["total"] == 1
    assert store_corpus.speakers("pak budi")["items"][0]["name"] == "Budi Santoso"
    assert store_corpus.speakers(limit=1, offset=1)["items"][0]["statement_count"] == 2
    d = store_corpus.speaker(top["id"])
    assert [t["date"] for t in d["timeline"]] == ["2022-10-27", "2023-01-18"]
    assert sum(t["count"] for t in d["timeline"]) == 3
    assert d["roles_over_time"] == [{"role": "Sekretaris Jenderal", "affiliation": NATO, "first_date": "2022-10-27",
                                     "last_date": "2023-01-18", "count": 3}]
    assert len(d["statements"]) == 3 and all(r["speaker_id"] == top["id"] for r in d["statements"])
    assert store_corpus.speaker(99999) is None


def test_articles_listing(store_corpus):
    res = store_corpus.articles()
    assert res["total"] == 3
    assert [a["published"] for a in res["items"]] == ["2023-02-10", "2023-01-18", "2022-10-27"]
    assert [a["statement_count"] for a in res["items"]] == [2, 2, 2]
    assert res["items"][0]["outlet"] == "Kompas" and res["items"][0]["url"] == "https://b.id/2"
    assert store_corpus.articles(limit=1, offset=2)["items"][0]["outlet"] == "Tempo"


def test_schema_is_at_alembic_head_and_reopens(tmp_path, monkeypatch):
    path = tmp_path / "env.db"
    monkeypatch.setenv("KUTIP_DB", f"sqlite:///{path}")
    st = Store()
    assert st.url == f"sqlite:///{path}"
    assert current_revision(st.engine) == head_revision()
    st.add_article(build_article([_stolt("Kalimat yang cukup panjang untuk disimpan di sini")]), url="u:1")
    st.close()
    st2 = Store(str(path))                        # a bare path is a SQLite file
    assert st2.stats()["statements"] == 1
    with st2.engine.connect() as c:
        assert c.execute(sql("SELECT count(*) FROM alembic_version")).scalar() == 1
    st2.close()


def test_resolve_url_and_bad_database():
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("x.db") == "sqlite:///x.db"
    with pytest.raises(KutipError) as ei:
        Store("postgresql://nobody@127.0.0.1:1/none")
    assert "cannot open the database" in str(ei.value)


def test_iso_date():
    assert iso_date("2023-01-18T10:00:00+07:00") == "2023-01-18"
    assert iso_date("--10-26") is None and iso_date("2023-02-30") is None and iso_date(None) is None


def test_postgres_backend_is_really_postgres(store_pg_shared):
    assert store_pg_shared.dialect == "postgresql"
    with store_pg_shared.engine.connect() as c:
        assert "PostgreSQL" in c.execute(sql("SELECT version()")).scalar()


CRASH = r'''
import os, sys
from sqlalchemy import event
from kutip.store import Store
from kutip.store.testing import build_article
st = Store(sys.argv[1])
@event.listens_for(st.write_engine, "after_cursor_execute")
def crash(conn, cursor, statement, params, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO POSTING"):
        os._exit(17)          # the process dies mid-article: no rollback, no commit
art = build_article([{"text": "Pernyataan yang tidak akan pernah tersimpan utuh di basis data", "name": "Rina Wati",
                      "affiliation": "Kementerian Sosial"}], outlet="Tempo")
st.add_article(art, url="https://x.id/crash")
'''


def test_process_killed_mid_article_leaves_nothing(store_kb, tmp_path):
    import subprocess
    import sys

    store_kb.add_article(build_article([_stolt("Kita harus berunding dengan Rusia demi perdamaian di Eropa")],
                                       outlet="ANTARA"), url="https://x.id/ok")
    before = store_kb.stats()
    script = tmp_path / "crash.py"
    script.write_text(CRASH, encoding="utf-8")
    url = store_kb.engine.url.render_as_string(hide_password=False)
    r = subprocess.run([sys.executable, str(script), url], capture_output=True, text=True, timeout=120)
    assert r.returncode == 17, r.stderr
    store_kb._invalidate()
    assert store_kb.stats() == before
    assert store_kb.speakers("Rina")["total"] == 0 and store_kb.search("tersimpan")["total"] == 0
    # the database is healthy: the same article can be stored now
    ok = build_article([{"text": "Pernyataan yang tidak akan pernah tersimpan utuh di basis data", "name": "Rina Wati",
                         "affiliation": "Kementerian Sosial"}], outlet="Tempo")
    assert store_kb.add_article(ok, url="https://x.id/crash")[1] == "created"


WRITER = r'''
import sys
from kutip.store import Store
from kutip.store.testing import build_article
st = Store(sys.argv[1])
who = sys.argv[2]
for i in range(15):
    art = build_article([{"text": f"Pernyataan {who} nomor {i} tentang perundingan yang panjang sekali", "name": "Rina Wati",
                          "affiliation": "Kementerian Sosial"},
                         {"text": f"Tanggapan {who} nomor {i} atas rencana anggaran tahun depan", "name": f"Penulis {who}"}],
                        outlet=who)
    st.add_article(art, url=f"https://{who}.id/{i}")
print("ok")
'''


def test_concurrent_writers(store_kb, tmp_path):
    """Two processes ingesting at once into the same database: both finish, nothing is lost,
    and the shared speaker is one record."""
    import subprocess
    import sys

    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    url = store_kb.engine.url.render_as_string(hide_password=False)
    procs = [subprocess.Popen([sys.executable, str(script), url, w], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for w in ("alpha", "beta")]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    store_kb._invalidate()
    st = store_kb.stats()
    assert st["articles"] == 30 and st["statements"] == 60
    assert store_kb.search("perundingan")["total"] == 30
    assert store_kb.speakers("Rina Wati")["total"] == 1
    assert store_kb.speakers("Rina Wati")["items"][0]["statement_count"] == 30


def test_delete_article(store_kb):
    q = "Kita harus berunding dengan Rusia demi perdamaian abadi di seluruh Eropa"
    a1, _ = store_kb.add_article(build_article([_stolt(q), {"text": "Harga beras naik karena kemarau yang panjang",
                                                            "name": "Siti Aminah", "affiliation": "Bulog"}],
                                               outlet="ANTARA"), url="u:1")
    a2, _ = store_kb.add_article(build_article([_stolt(q)], outlet="Kompas"), url="u:2")
    assert store_kb.stats()["clusters"] == 1
    assert store_kb.delete_article(a1) is True
    assert store_kb.article(a1) is None and store_kb.delete_article(a1) is False
    st = store_kb.stats()
    assert st["articles"] == 1 and st["statements"] == 1 and st["clusters"] == 0 and st["speakers"] == 1
    assert store_kb.search("beras")["total"] == 0 and store_kb.search(affiliation="bulog")["total"] == 0
    assert store_kb.article(a2)["statements"][0]["cluster_id"] is None
    assert store_kb.add_article(build_article([_stolt(q)], outlet="ANTARA"), url="u:1")[1] == "created"


PARITY_QUERIES = [
    {}, {"q": "perundingan"}, {"q": "perundingan perdamaian"}, {"q": "perang", "limit": 1, "offset": 1},
    {"q": "runding", "offset": 9}, {"speaker": "Stoltenberg"}, {"q": "perang", "speaker": "jens stoltenberg"},
    {"affiliation": "nato"}, {"q": "runding", "affiliation": "Kementerian Energi"}, {"outlet": "kompas"},
    {"q": "runding", "outlet": "ANTARA", "kind": "direct,indirect"}, {"kind": "mixed"}, {"kind": ","},
    {"date_from": "2023-01-01", "limit": 2, "offset": 1}, {"q": "runding", "date_from": "2023-02-01", "date_to": "2023-12-31"},
    {"q": "yang dan"}, {"q": "zebra"}, {"speaker": "%"}, {"outlet": "Republika"},
]


def test_read_path_gives_what_store_search_gives(store_corpus):
    """`kutip search`'s read-only sqlite3 path (SQLite) and Store.search: the same rows, scores,
    totals and order; on PostgreSQL `kutip search` opens the Store itself."""
    from kutip.store.query import open_read_only

    ro = open_read_only(store_corpus.url)
    if store_corpus.dialect != "sqlite":
        assert ro is None
        return
    try:
        for kw in PARITY_QUERIES:
            assert ro.search(**kw) == store_corpus.search(**kw), kw
        sid = store_corpus.search(speaker="Budi")["items"][0]["speaker_id"]
        assert ro.search(speaker_id=sid) == store_corpus.search(speaker_id=sid)
        assert ro.search(speaker_id=sid)["total"] == 2
        with pytest.raises(KutipInputError, match="YYYY-MM-DD"):
            ro.search(date_to="kemarin")
    finally:
        ro.close()


def test_read_path_keeps_hostile_text(store_kb):
    from kutip.store.query import SessionReader, open_read_only, search

    items = [{"text": f"Pernyataan berbahaya nomor {i}: {h}", "name": f"Budi {h[:12]}", "affiliation": h,
              "location": h} for i, h in enumerate(HOSTILE)]
    store_kb.add_article(build_article(items, title=HOSTILE[2], outlet=HOSTILE[1]), url="https://x.id/\x00")
    for kw in ({"q": "berbahaya"}, {"affiliation": HOSTILE[2]}, {"affiliation": "kontrol"}, {"outlet": HOSTILE[1]}):
        res = store_kb.search(**kw)
        assert res["total"] >= 1, kw
        with store_kb.session() as s:
            assert search(SessionReader(s), **kw) == res
    res = store_kb.search(affiliation=HOSTILE[2])
    assert res["total"] == 1 and res["items"][0]["speaker"]["affiliation"] == HOSTILE[2]     # NUL and U+E000 intact
    assert res["items"][0]["article_title"] == HOSTILE[2] and res["items"][0]["article_url"] == "https://x.id/\x00"
    ro = open_read_only(store_kb.url)
    if ro is not None:
        try:
            for kw in ({"q": "berbahaya"}, {"affiliation": HOSTILE[2]}, {"outlet": HOSTILE[1]}):
                assert ro.search(**kw) == store_kb.search(**kw), kw
        finally:
            ro.close()


def test_stats_are_kept_a_few_seconds_and_cleared_by_the_stores_own_writes(tmp_path, monkeypatch):
    from kutip.store import pages

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    server, writer = Store(url), Store(url)
    try:
        assert server.stats()["articles"] == 0
        server.add_article(build_article([{"text": "Harga beras akan turun bulan depan di semua pasar", "name": "Budi Santoso"}]))
        assert server.stats()["articles"] == 1                       # its own write shows at once
        writer.add_article(build_article([{"text": "Stok beras cukup sampai akhir tahun ini di gudang", "name": "Sri Lestari"}],
                                         url="https://warta.example/2"))
        assert server.stats()["articles"] == 1                       # another process's: after STATS_TTL
        monkeypatch.setattr(pages, "STATS_TTL", 0.0)
        assert server.stats() == {**server.stats(), "articles": 2}
        assert server.stats()["statements"] == 2 and server.stats()["speakers"] == 2
    finally:
        server.close()
        writer.close()


def test_analyze_after_a_bulk_load_keeps_every_answer(store_kb):
    """``Store.analyze()`` (ANALYZE; on PostgreSQL VACUUM (ANALYZE), outside any transaction)
    runs on a store that holds data and changes no answer."""
    arts = [build_article([{"text": f"Harga beras nomor {i} akan turun bulan depan di pasar", "name": "Budi Santoso"}],
                          url=f"https://warta.example/{i}") for i in range(5)]
    store_kb.bulk_add(arts)
    before = (store_kb.search("beras"), store_kb.speakers())
    store_kb.analyze()
    assert (store_kb.search("beras"), store_kb.speakers()) == before and before[0]["total"] == 5
