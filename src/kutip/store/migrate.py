"""Database URLs, engines and schema upgrades (Alembic ``upgrade head`` on open).

SQLAlchemy and Alembic are imported inside the functions that use them: the URL and the head
revision (:func:`resolve_url`, :func:`head_revision`) serve `kutip search`'s read path
(:mod:`kutip.store.query`), which opens a SQLite store at head without either."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from kutip.core.errors import KutipError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

DEFAULT_URL = "sqlite:///kutip.db"
MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK = 7_240_731_115  # advisory lock id: one migrator at a time


def resolve_url(url: Optional[str] = None) -> str:
    """``url`` or $KUTIP_DB or ``sqlite:///kutip.db``; a bare path means a SQLite file;
    ``postgresql://`` uses the installed psycopg 3 driver."""
    url = url or os.environ.get("KUTIP_DB") or DEFAULT_URL
    url = url.strip()
    if "://" not in url:
        url = "sqlite:///" + url
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, *, write: bool = False) -> Engine:
    """An engine; for SQLite, ``write=True`` makes every transaction ``BEGIN IMMEDIATE`` (it takes
    the write lock up front, so concurrent writers queue on busy_timeout instead of failing when
    a read turns into a write), while reads use plain deferred transactions."""
    from sqlalchemy import create_engine, event

    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _rec):  # pragma: no cover - trivial
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (atomic transactions)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
                # two processes opening a new file at once: switching to WAL needs the file to
                # itself for a moment; wait for the other instead of failing "database is locked"
                _retry_locked(lambda: cur.execute("PRAGMA journal_mode=WAL"))
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA cache_size=-65536")   # 64 MiB of pages: a big store's index pages stay hot
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover - trivial
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def _retry_locked(fn, seconds: float = 30.0):
    """Run ``fn``; while SQLite says the database is locked or busy, wait and try again."""
    import sqlite3
    import time

    deadline = time.monotonic() + seconds
    delay = 0.01
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            msg = str(exc).lower()
            if ("locked" not in msg and "busy" not in msg) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def _alembic_config(connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", connection.engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration, read from the revision files themselves: opening a store that is
    up to date never imports Alembic (read-only commands start faster). The test suite checks
    it against Alembic's own ``ScriptDirectory.get_current_head()``."""
    revs: dict[str, Optional[str]] = {}
    for path in (Path(MIGRATIONS) / "versions").glob("*.py"):
        src = path.read_text(encoding="utf-8")
        rev = re.search(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", src, re.M)
        down = re.search(r"^down_revision\s*(?::[^=]*)?=\s*(?:['\"]([^'\"]+)['\"]|None)", src, re.M)
        if rev:
            revs[rev.group(1)] = down.group(1) if down else None
    heads = set(revs) - {d for d in revs.values() if d}
    if len(heads) != 1:
        raise KutipError(f"the migrations in {MIGRATIONS} have {len(heads)} heads; expected one")
    return heads.pop()


def alembic_head_revision() -> str:
    """Alembic's view of the newest migration (tests compare it with :func:`head_revision`)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def current_revision(engine: Engine) -> Optional[str]:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def run(engine: Engine, action: str = "upgrade", revision: str = "head") -> None:
    """Alembic ``upgrade``/``downgrade`` to ``revision`` in one transaction.

    On SQLite, foreign keys are switched off meanwhile: Alembic's batch mode rebuilds a table
    (copy, drop, rename), and with them on, dropping the old table would cascade-delete the
    rows that refer to it."""
    from alembic import command
    from sqlalchemy import text

    fn = {"upgrade": command.upgrade, "downgrade": command.downgrade}[action]
    with engine.connect() as conn:
        raw = None
        if engine.dialect.name == "sqlite":
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
                fn(_alembic_config(conn), revision)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, write_engine: Optional[Engine] = None) -> None:
    """Create or upgrade the schema to the newest Alembic revision. On SQLite the upgrade runs
    through ``write_engine`` (BEGIN IMMEDIATE): a second process opening the same new file waits
    for the first one's migration, then finds the schema at head (Alembic reads the version
    inside the locked transaction) instead of failing with "database is locked"."""
    try:
        if current_revision(engine) == head_revision():
            return
        run(write_engine or engine, "upgrade", "head")
    except KutipError:
        raise
    except Exception as exc:  # connection refused, permission denied, ...
        raise KutipError(f"cannot open the database {engine.url.render_as_string(hide_password=True)}: "
                         f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r}. "
                         "Check --db / $KUTIP_DB (e.g. sqlite:///kutip.db or postgresql://user@host/db).") from exc
