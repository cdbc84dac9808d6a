"""Fixtures of the linking tests: an empty Store on a real SQLite file and on a real
PostgreSQL database (see kutip.store.testing; skipped with the reason when no server)."""
from __future__ import annotations

import pytest

from kutip.store import Store
from kutip.store.testing import PostgresUnavailable, postgres_server, throwaway_database, truncate_all


@pytest.fixture(scope="session")
def link_pg_store():
    try:
        url, drop = throwaway_database(postgres_server(), "kutip_test_link")
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    st = Store(url)
    yield st
    st.close()
    drop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def link_kb(request, tmp_path):
    if request.param == "sqlite":
        st = Store(f"sqlite:///{tmp_path / 'link.db'}")
        yield st
        st.close()
    else:
        st = request.getfixturevalue("link_pg_store")
        truncate_all(st)
        yield st
