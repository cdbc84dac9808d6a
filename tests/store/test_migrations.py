"""Alembic migrations on real databases: a store created at the first revision with data in it
upgrades to head on open (backfilling the search weights, statement outlets and speaker
affiliations), and the downgrade path works."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from kutip.store import Store
from kutip.store.migrate import current_revision, head_revision, make_engine, resolve_url, run
from kutip.store.testing import PostgresUnavailable, build_article, postgres_server, throwaway_database


def _downgrade(url: str, rev: str) -> None:
    eng = make_engine(resolve_url(url))
    run(eng, "downgrade", rev)
    eng.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_fresh_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mig.db'}"
        return
    try:
        url, drop = throwaway_database(postgres_server(), "kutip_test_mig")
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield url
    drop()


def test_upgrade_from_first_revision_backfills(store_fresh_url):
    # a database made by the first release, with its rows written as that release wrote them
    st = Store(store_fresh_url)
    st.add_article(build_article([{"text": "Kita siap berunding dengan Rusia bila perang berhenti", "name": "Jens Stoltenberg",
                                   "affiliation": "NATO\x00x"},
                                  {"text": "Harga beras naik karena kemarau yang sangat panjang", "name": "Siti Aminah",
                                   "affiliation": "Bulog"}], outlet="ANTARA", published="2023-01-18"), url="u:1")
    st.close()
    _downgrade(store_fresh_url, "0001_initial")
    eng = make_engine(resolve_url(store_fresh_url))
    assert current_revision(eng) == "0001_initial"
    eng.dispose()
    # opening upgrades to head and fills the new columns/table from the old rows
    st = Store(store_fresh_url)
    assert current_revision(st.engine) == head_revision() != "0001_initial"
    with st.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM posting WHERE w <= 0")).scalar() == 0
        assert c.execute(text("SELECT count(*) FROM statement WHERE outlet_id IS NULL")).scalar() == 0
        assert c.execute(text("SELECT count(*) FROM speaker_affiliation")).scalar() == 2
    r = st.search("perundingan", outlet="ANTARA", affiliation="nato")
    assert r["total"] == 1 and r["items"][0]["speaker"]["affiliation"] == "NATO\x00x" and r["items"][0]["score"] > 0
    assert st.search(affiliation="bulog")["total"] == 1
    # and new writes go on normally
    st.add_article(build_article([{"text": "Perundingan damai harus dimulai tahun ini juga", "name": "Jens Stoltenberg",
                                   "affiliation": "NATO\x00x"}], outlet="Kompas"), url="u:2")
    assert st.search("runding")["total"] == 2 and st.speakers()["total"] == 2
    st.close()


def test_downgrade_to_base_and_up_again(store_fresh_url):
    Store(store_fresh_url).close()
    _downgrade(store_fresh_url, "base")
    eng = make_engine(resolve_url(store_fresh_url))
    with eng.connect() as c:
        assert c.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 0
    eng.dispose()
    st = Store(store_fresh_url)
    assert st.stats()["articles"] == 0 and current_revision(st.engine) == head_revision()
    st.close()


def test_head_revision_read_from_the_files_matches_alembic():
    from kutip.store.migrate import alembic_head_revision, head_revision
    assert head_revision() == alembic_head_revision()


def test_upgrade_to_0004_fills_the_kept_counts(store_fresh_url):
    st = Store(store_fresh_url)
    for i, (outlet, q) in enumerate([("ANTARA", "Kita siap berunding dengan Rusia bila perang berhenti besok pagi"),
                                     ("Kompas", "Kita siap berunding dengan Rusia bila perang berhenti besok siang")]):
        st.add_article(build_article([{"text": q, "name": "Jens Stoltenberg", "role": "Sekjen", "affiliation": "NATO",
                                       "date": f"2023-01-1{i}"},
                                      {"text": "Harga beras naik karena kemarau yang sangat panjang", "name": "Siti Aminah"}],
                                     outlet=outlet), url=f"u:{i}")
    st.close()
    _downgrade(store_fresh_url, "0003_newest_first_index")
    st = Store(store_fresh_url)
    assert current_revision(st.engine) == head_revision()
    with st.engine.connect() as c:
        assert dict(c.execute(text("SELECT name, statement_count FROM speaker")).all()) == {
            "Jens Stoltenberg": 2, "Siti Aminah": 2}
        assert c.execute(text("SELECT size FROM quote_cluster")).scalars().all() == [2, 2]
        assert c.execute(text("SELECT statements FROM corpus_stat")).scalar() == 4
        assert dict(c.execute(text("SELECT term, df FROM term_stat")).all()) == dict(
            c.execute(text("SELECT term, count(*) FROM posting GROUP BY term")).all())
        assert c.execute(text("SELECT sum(n) FROM speaker_facet")).scalar() == 4
    sp = st.speakers()["items"][0]
    assert sp["statement_count"] == 2 and sp["first_date"] == "2023-01-10"
    assert st.search("berunding")["total"] == 2
    st.close()
