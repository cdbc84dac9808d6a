"""Fixtures of the store tests: a real SQLite file and a real PostgreSQL database.

PostgreSQL: $KUTIP_TEST_PG, else the server at 127.0.0.1:5432, else one started
with initdb in a temp dir (kutip.store.testing); a throwaway database per test
session, dropped afterwards. When no server can be had, the postgres variants
are skipped with the reason.
"""
from __future__ import annotations

import pytest

from kutip.store import Store
from kutip.store.testing import PostgresUnavailable, postgres_server, throwaway_database, truncate_all


@pytest.fixture(scope="session")
def store_pg_url():
    try:
        admin = postgres_server()
        url, drop = throwaway_database(admin, "kutip_test_store")
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield url
    drop()


@pytest.fixture(scope="session")
def store_pg_shared(store_pg_url):
    st = Store(store_pg_url)
    yield st
    st.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_kb(request, tmp_path):
    """An empty Store on a real SQLite file or a real PostgreSQL database."""
    if request.param == "sqlite":
        st = Store(f"sqlite:///{tmp_path / 'kb.db'}")
        yield st
        st.close()
    else:
        st = request.getfixturevalue("store_pg_shared")
        truncate_all(st)
        yield st
        truncate_all(st)


@pytest.fixture
def store_sqlite(tmp_path):
    st = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    yield st
    st.close()
