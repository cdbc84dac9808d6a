"""The PostgreSQL test set-up itself: clear reasons when no server can be had, and the
fallback that starts a private server with initdb/pg_ctl."""
from __future__ import annotations

import shutil

import pytest

from kutip.store import Store
from kutip.store.testing import PostgresUnavailable, postgres_server, start_private_server, throwaway_database


def test_unreachable_configured_server_is_reported(monkeypatch):
    monkeypatch.setenv("KUTIP_TEST_PG", "postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(PostgresUnavailable) as ei:
        postgres_server()
    assert "KUTIP_TEST_PG=postgresql://nobody@127.0.0.1:1/none is not reachable" in str(ei.value)


@pytest.mark.slow
def test_private_server_fallback():
    if not (shutil.which("initdb") or shutil.os.path.isdir("/usr/lib/postgresql")):
        pytest.skip("no initdb on this machine: the fallback cannot be exercised here")
    try:
        admin, stop = start_private_server()
    except PostgresUnavailable as exc:
        pytest.skip(f"cannot start a private PostgreSQL here: {exc}")
    try:
        url, drop = throwaway_database(admin, "kutip_test_private")
        st = Store(url)
        assert st.dialect == "postgresql" and st.stats()["articles"] == 0
        st.close()
        drop()
    finally:
        stop()
