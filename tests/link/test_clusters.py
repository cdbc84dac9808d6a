"""Quote clusters: the same quotation lightly edited across outlets becomes one
cluster (MinHash + LSH bands stored in the database), on SQLite and PostgreSQL."""
from __future__ import annotations

import subprocess
import sys

from kutip.link.clusters import band_keys, jaccard, shingles
from kutip.store import Store
from kutip.store.testing import build_article

Q = ("Jika kita ingin merundingkan solusi damai atas perang yang terjadi di Ukraina, kita perlu memberikan "
     "dukungan militer kepada Ukraina. Itulah satu-satunya cara")
Q_EDITED = ("Jika kita ingin merundingkan solusi damai atas perang yang terjadi di Ukraina, maka kita perlu "
            "memberikan dukungan militer pada Ukraina. Itulah satu-satunya cara")
Q_AGENCY = "\"" + Q.upper() + ",\""          # an agency re-run: case and punctuation differ
OTHER = "Harga beras di pasar tradisional naik dua kali lipat sejak awal bulan ini karena kemarau panjang"


def _art(text, outlet, published, name="Jens Stoltenberg"):
    return build_article([{"text": text, "name": name, "affiliation": "NATO"},
                          {"text": OTHER + " " + outlet, "name": "Siti Aminah", "affiliation": "Bulog"}],
                         outlet=outlet, published=published)


def test_light_edits_are_similar_enough():
    assert jaccard(shingles(Q), shingles(Q_EDITED)) >= 0.6
    assert jaccard(shingles(Q), shingles(OTHER)) < 0.1
    assert shingles("Itulah satu-satunya cara") == set()        # too short to cluster


def test_band_keys_are_stable_across_processes():
    code = ("from kutip.link.clusters import band_keys, shingles; "
            f"print(band_keys(shingles({Q!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == str(band_keys(shingles(Q)))


def test_same_quote_across_outlets_forms_one_cluster(link_kb):
    a1, _ = link_kb.add_article(_art(Q, "ANTARA", "2023-01-18"), url="u:antara")
    a2, _ = link_kb.add_article(_art(Q_EDITED, "Kompas", "2023-01-19"), url="u:kompas")
    a3, _ = link_kb.add_article(_art(Q_AGENCY, "Republika", "2023-01-20", name="Stoltenberg"), url="u:rep")
    arts = [link_kb.article(a) for a in (a1, a2, a3)]
    cids = {a["statements"][0]["cluster_id"] for a in arts}
    assert len(cids) == 1 and None not in cids
    cid = cids.pop()
    c = link_kb.cluster(cid)
    assert c["outlets"] == ["ANTARA", "Kompas", "Republika"]
    assert [m["date"] for m in c["members"]] == ["2023-01-18", "2023-01-19", "2023-01-20"]
    assert c["first_date"] == "2023-01-18" and c["last_date"] == "2023-01-20"
    assert {m["article_id"] for m in c["members"]} == {a1, a2, a3}
    assert all(m["speaker_name"] == "Jens Stoltenberg" for m in c["members"])
    assert c["text"] == Q
    # the unrelated statements (different outlets appended) do not share it
    assert all(a["statements"][1]["cluster_id"] != cid for a in arts)
    assert link_kb.stats()["clusters"] == 2        # the Bulog statement is near-identical too (3 outlets)
    assert link_kb.search("merundingkan")["items"][0]["cluster_id"] == cid
    assert link_kb.clusters()["items"][0]["size"] == 3
    assert link_kb.cluster(999999) is None


def test_clusters_persist_across_sessions(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    st = Store(db)
    st.add_article(_art(Q, "ANTARA", "2023-01-18"), url="u:1")
    st.close()
    st = Store(db)                                  # a new process would see the same band table
    st.add_article(_art(Q_EDITED, "Kompas", "2023-01-19"), url="u:2")
    got = [st.article(i)["statements"][0]["cluster_id"] for i in (1, 2)]
    assert got[0] is not None and got[0] == got[1]
    st.close()


def test_reingest_dissolves_a_cluster_that_falls_apart(link_kb):
    link_kb.add_article(_art(Q, "ANTARA", "2023-01-18"), url="u:1")
    link_kb.add_article(_art(Q_EDITED, "Kompas", "2023-01-19"), url="u:2")
    assert link_kb.stats()["clusters"] == 2
    changed = build_article([{"text": "Sama sekali berbeda: kami akan membangun jembatan baru di kota ini",
                              "name": "Jens Stoltenberg"}], outlet="Kompas")
    link_kb.add_article(changed, url="u:2")
    assert link_kb.stats()["clusters"] == 0
    assert link_kb.article(1)["statements"][0]["cluster_id"] is None


def test_statements_of_one_article_do_not_cluster_with_each_other(link_kb):
    art = build_article([{"text": Q, "name": "Jens Stoltenberg"}, {"text": Q_EDITED, "name": "Jens Stoltenberg"}])
    link_kb.add_article(art, url="u:1")
    assert link_kb.stats()["clusters"] == 0


def test_a_bridge_statement_unions_two_clusters(link_kb):
    base = ("pemerintah akan menurunkan harga bahan bakar minyak mulai bulan depan untuk membantu rakyat kecil "
            "yang terdampak kenaikan harga pangan di seluruh daerah")
    w = base.split()
    left = [" ".join(w[:16] + ["agar", "tenang"]), " ".join(w[:16] + ["agar", "damai"])]      # same start
    right = [" ".join(["nanti", "pasti"] + w[6:]), " ".join(["besok", "pasti"] + w[6:])]      # same end
    assert jaccard(shingles(left[0]), shingles(right[0])) < 0.6
    assert min(jaccard(shingles(x), shingles(base)) for x in left + right) >= 0.6
    for i, t in enumerate(left + right):
        link_kb.add_article(build_article([{"text": t, "name": "Budi Santoso"}], outlet=f"O{i}"), url=f"u:{i}")
    assert link_kb.stats()["clusters"] == 2
    link_kb.add_article(build_article([{"text": base, "name": "Budi Santoso"}], outlet="O4"), url="u:4")
    cids = {link_kb.article(i)["statements"][0]["cluster_id"] for i in range(1, 6)}
    assert len(cids) == 1 and None not in cids
    assert link_kb.stats()["clusters"] == 1
    assert sorted(link_kb.cluster(cids.pop())["outlets"]) == ["O0", "O1", "O2", "O3", "O4"]


def test_an_agency_story_rerun_by_many_outlets_is_one_cluster(link_kb):
    outlets = [f"Media {i}" for i in range(12)]
    for i, o in enumerate(outlets):
        text = Q if i % 2 else Q_EDITED
        link_kb.add_article(build_article([{"text": text, "name": "Jens Stoltenberg", "affiliation": "NATO"}], outlet=o,
                                          published=f"2023-01-{10 + i:02d}"), url=f"u:{i}")
    assert link_kb.stats()["clusters"] == 1
    c = link_kb.cluster(link_kb.clusters()["items"][0]["id"])
    assert sorted(c["outlets"]) == sorted(outlets) and len(c["members"]) == 12
    assert c["first_date"] == "2023-01-10" and c["last_date"] == "2023-01-21"
