"""Helpers of the fault tests: articles, the real `kutip` CLI, store dumps, a private PostgreSQL server."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

import newsgen

N_ARTICLES = 40


def kutip_cmd() -> list[str]:
    exe = shutil.which("kutip", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "kutip"]


def write_articles(root: Path, n: int = N_ARTICLES, first: int = 0) -> Path:
    """``n`` distinct articles from the grammar, a few paragraphs each, as root/aNN.txt."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(first, first + n):
        body = "\n\n".join(newsgen.render(1000 * i + k) for k in range(3))
        (root / f"a{i:02d}.txt").write_text(f"{body}\n\nArtikel nomor {i} dari uji keandalan.\n", encoding="utf-8")
    return root


def env() -> dict:
    e = dict(os.environ)
    e.pop("KUTIP_DB", None)
    e["COLUMNS"] = "200"
    return e


def run_kutip(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*kutip_cmd(), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env())


def start_kutip(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([*kutip_cmd(), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env(), start_new_session=True)


def kill9(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and any worker it started
    except ProcessLookupError:
        pass
    proc.communicate(timeout=60)


_VOLATILE = {"id", "article_id", "speaker_id", "cluster_id", "created_at", "updated_at", "ingested_at"}


def _strip(x):
    if isinstance(x, dict):
        return {k: _strip(v) for k, v in x.items() if k not in _VOLATILE}
    if isinstance(x, list):
        return [_strip(v) for v in x]
    return x


def dump(db: str, cwd: Path) -> dict:
    """What the store holds, through `kutip export`: articles (contract JSON) and statement rows, ids dropped."""
    out = {}
    for kind, extra in (("articles", ["--articles"]), ("statements", [])):
        r = run_kutip("export", "--db", db, *extra, cwd=cwd, timeout=120)
        assert r.returncode == 0, f"kutip export failed: {r.stderr[-2000:]}"
        rows = [_strip(json.loads(line)) for line in r.stdout.splitlines() if line.strip()]
        key = (lambda a: (a.get("source") or "", a.get("text", ""))) if kind == "articles" else \
            (lambda s: json.dumps(s, sort_keys=True, ensure_ascii=False))
        out[kind] = sorted(rows, key=key)
    return out


# fields the store derives from the whole collection (speaker linking) rather than from one article
LINKED = ("speaker_canonical",)


def assert_same_store(got: dict, want: dict, *, ignore: tuple[str, ...] = ()) -> None:
    sources = [a.get("source") for a in got["articles"]]
    assert len(sources) == len(set(sources)), f"an article is stored twice: {sorted(sources)}"
    assert len(got["articles"]) == len(want["articles"]), (len(got["articles"]), len(want["articles"]))
    for a, b in zip(got["articles"], want["articles"]):
        assert a == b, f"article {a.get('source')} differs from the uninterrupted run"
    assert len(got["statements"]) == len(want["statements"]), "statement rows lost or duplicated"
    if ignore:  # rows are sorted by their whole JSON: sort again without the ignored fields
        key = lambda s: json.dumps({k: v for k, v in s.items() if k not in ignore}, sort_keys=True, ensure_ascii=False)
        got = dict(got, statements=sorted(got["statements"], key=key))
        want = dict(want, statements=sorted(want["statements"], key=key))
    for a, b in zip(got["statements"], want["statements"]):
        diff = {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k) and k not in ignore}
        assert not diff, f"a statement differs from the uninterrupted run: {diff} in {a.get('text', '')[:80]!r}"


def no_traceback(r) -> None:
    err = r.stderr if isinstance(r.stderr, str) else ""
    assert "Traceback" not in err, f"a traceback instead of a message:\n{err[-3000:]}"


def wait_until(pred: Callable[[], bool], proc: subprocess.Popen, timeout: float = 120, every: float = 0.05) -> bool:
    """Poll ``pred`` until true (True) or ``proc`` ended / time ran out (False)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if pred():
                return True
        except Exception:
            pass  # the database may be mid-creation
        if proc.poll() is not None:
            return False
        time.sleep(every)
    return False


def sqlite_count(path: Path, table: str = "article") -> int:
    import sqlite3

    if not path.exists():
        return 0
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def sqlite_integrity(path: Path) -> str:
    import sqlite3

    con = sqlite3.connect(str(path), timeout=10)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def pg_count(url: str, table: str = "article") -> int:
    import psycopg

    with psycopg.connect(_libpq(url), connect_timeout=2) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(url), autocommit=True, connect_timeout=5) as c:
        c.execute(sql)


class PrivatePostgres:
    """A PostgreSQL server of our own (initdb in a temp dir, run as user postgres when we are root),
    so a test can restart or crash it without touching anybody else's server."""

    def __init__(self) -> None:
        self.bin = self._bindir()
        self.tmp = Path(tempfile.mkdtemp(prefix="kutip-rel-pg-"))
        self.data = self.tmp / "data"
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if not runuser:
                raise RuntimeError("running as root and no runuser to start PostgreSQL as user postgres")
            import pwd

            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root and there is no 'postgres' user to run PostgreSQL") from None
            self.prefix = [runuser, "-u", "postgres", "--"]
            shutil.chown(self.tmp, user="postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", timeout=120)
        self.start()

    @staticmethod
    def _bindir() -> str:
        found = shutil.which("pg_ctl")
        if found:
            return str(Path(found).parent)
        base = Path("/usr/lib/postgresql")
        for d in sorted(base.iterdir(), reverse=True) if base.is_dir() else []:
            if (d / "bin" / "pg_ctl").exists():
                return str(d / "bin")
        raise RuntimeError("no pg_ctl/initdb found")

    def _run(self, tool: str, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
        r = subprocess.run([*self.prefix, f"{self.bin}/{tool}", *args], capture_output=True, text=True,
                           timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)} failed: {r.stderr[-500:]}")
        return r

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l", str(self.tmp / "log"), "-o",
                  f"-p {self.port} -k {self.tmp} -c listen_addresses=127.0.0.1", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-m", mode, "stop")

    def url(self, db: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{db}"

    def create_db(self, name: str) -> str:
        pg_admin(self.url(), f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        try:
            self.stop("immediate")
        except Exception:
            pass
        shutil.rmtree(self.tmp, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shared_postgres_db(name: str) -> Optional[str]:
    """A fresh database on the local server at 127.0.0.1:5432 (None when there is none)."""
    admin = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    try:
        pg_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg_admin(admin, f'CREATE DATABASE "{name}"')
    except Exception:
        return None
    return admin.rsplit("/", 1)[0] + "/" + name


def drop_shared_postgres_db(name: str) -> None:
    try:
        pg_admin("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception:
        pass
