"""`kutip search`'s read path (kutip.store.query): a SQLite store at the head revision opens
read-only through sqlite3, without SQLAlchemy or Alembic; anything else is left to Store(db).
The search itself is the one Store.search runs (test_store.py checks both give the same)."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kutip.cli import app
from kutip.store import Store, record
from kutip.store.migrate import alembic_head_revision, current_revision, head_revision, make_engine, resolve_url, run
from kutip.store.query import _STORE_KEYS, ReadOnlyStore, open_read_only, sqlite_path
from kutip.store.testing import build_article


def _filled(url: str) -> None:
    st = Store(url)
    st.add_article(build_article([{"text": "Kita siap berunding dengan Rusia bila perang berhenti", "name": "Jens Stoltenberg",
                                   "affiliation": "NATO"}], outlet="ANTARA", published="2023-01-18"), url="u:1")
    st.close()


def test_store_keys_are_the_records_row_fields():
    assert [k for k, _src in _STORE_KEYS] == ["id", "article_id", "speaker_id", "cluster_id", "outlet", "article_title",
                                              "article_url", "date_value", "speaker_canonical"]
    assert {k for k, _src in _STORE_KEYS} == {f.row for f in record.FIELDS if f.row}


def test_head_revision_is_known_without_alembic_or_sqlalchemy():
    """The head the read path compares with is read from the migration files, and is Alembic's."""
    code = ("import sys; from kutip.store.query import open_read_only; from kutip.store.migrate import head_revision\n"
            "print(head_revision()); print([m for m in ('sqlalchemy', 'alembic') if m in sys.modules])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:2] == [alembic_head_revision(), "[]"]
    assert head_revision() == alembic_head_revision()


def test_sqlite_path():
    assert sqlite_path("sqlite:///kb.db") == "kb.db"
    assert sqlite_path("sqlite:////tmp/kb.db") == "/tmp/kb.db"
    assert sqlite_path("sqlite+pysqlite:///kb.db") == "kb.db"
    for url in ("sqlite://", "sqlite:///", "sqlite:///:memory:", "sqlite:///kb.db?mode=ro", "sqlite:///a%20b.db",
                "postgresql+psycopg://u@h/db"):
        assert sqlite_path(url) is None, url


def test_read_path_opens_only_a_store_at_head(tmp_path, monkeypatch):
    missing = tmp_path / "missing.db"
    assert open_read_only(f"sqlite:///{missing}") is None and not missing.exists()    # never created here
    assert open_read_only("postgresql://nobody@127.0.0.1:1/x") is None
    (tmp_path / "text.db").write_text("not a database")
    assert open_read_only(str(tmp_path / "text.db")) is None
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    assert open_read_only(str(tmp_path / "other.db")) is None
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    _filled(url)
    monkeypatch.setenv("KUTIP_DB", url)
    with open_read_only() as ro:                                # $KUTIP_DB as Store() reads it
        assert isinstance(ro, ReadOnlyStore)
        assert ro.search("perundingan")["total"] == 1
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            ro.conn.execute("DELETE FROM statement")
        assert ro.search("perundingan", outlet="antara", affiliation="nato")["total"] == 1


def test_an_older_schema_is_upgraded_by_kutip_search(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _filled(url)
    eng = make_engine(resolve_url(url))
    run(eng, "downgrade", "0003_newest_first_index")
    eng.dispose()
    assert open_read_only(url) is None
    res = CliRunner().invoke(app, ["search", "berunding", "--db", url, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert '"total": 1' in res.stdout
    eng = make_engine(resolve_url(url))
    assert current_revision(eng) == head_revision()
    eng.dispose()
    ro = open_read_only(url)
    assert ro is not None and ro.search("berunding")["total"] == 1
    ro.close()


def test_kutip_search_on_a_missing_file_creates_the_store_as_before(tmp_path):
    path = tmp_path / "new.db"
    res = CliRunner().invoke(app, ["search", "apa", "--db", f"sqlite:///{path}", "--format", "json"])
    assert res.exit_code == 0 and '"total": 0' in res.stdout
    assert path.exists()
    ro = open_read_only(str(path))
    assert ro is not None
    ro.close()
