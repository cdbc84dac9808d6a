"""Faults during `kutip ingest` / `kutip extract`, with the real CLI, real SQLite files and real PostgreSQL.

- kill -9 mid-ingest (SQLite, PostgreSQL), several times: a re-run gives the same store as one
  uninterrupted run (compared through `kutip export`, ids left out);
- PostgreSQL restarted mid-ingest (a private server of our own): the run reports the failure
  clearly, a re-run loses nothing and stores nothing twice;
- two ingests at once with overlapping inputs: both finish, or one says clearly why; each article once;
- a full disk (an 8 MB tmpfs, filled up): ingest and extract --out fail with a message, no traceback, and the
  store is not corrupted (integrity check, same dump as before, a re-run with room completes).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

import faults
from faults import (N_ARTICLES, assert_same_store, dump, kill9, no_traceback, run_kutip, sqlite_count,
                    sqlite_integrity, start_kutip, wait_until, write_articles)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """The 40 articles and the store an uninterrupted SQLite run makes of them (the reference)."""
    root = tmp_path_factory.mktemp("faults")
    write_articles(root / "arts")
    r = run_kutip("ingest", "arts", "--db", "sqlite:///ref.db", "-q", cwd=root)
    assert r.returncode == 0, r.stderr
    ref = dump("sqlite:///ref.db", root)
    assert len(ref["articles"]) == N_ARTICLES and len(ref["statements"]) > N_ARTICLES
    return root, ref


@pytest.fixture(scope="module")
def pg():
    """A private PostgreSQL server for this module (restarted by one test), or a skip with the reason."""
    try:
        server = faults.PrivatePostgres()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot start a private PostgreSQL server: {exc}")
    yield server
    server.close()


@pytest.fixture(scope="module")
def pg_ref(pg, work):
    """The uninterrupted run on PostgreSQL (its dump is compared with the SQLite one too)."""
    root, ref = work
    url = pg.create_db("ref")
    r = run_kutip("ingest", "arts", "--db", url, "-q", cwd=root)
    assert r.returncode == 0, r.stderr
    got = dump(url, root)
    return got


def _final_run(db: str, root: Path) -> subprocess.CompletedProcess:
    r = run_kutip("ingest", "arts", "--db", db, "-q", cwd=root)
    no_traceback(r)
    assert r.returncode == 0, f"re-run after the fault failed: {r.stdout}\n{r.stderr[-3000:]}"
    return r


# --- kill -9 ---------------------------------------------------------------------------------

KILL_AT = (3, 15, 28)  # kill the ingest once this many articles are stored, then again, then again


def _kill_repeatedly(db: str, root: Path, count) -> list[int]:
    seen = []
    for at in KILL_AT:
        proc = start_kutip("ingest", "arts", "--db", db, "-q", cwd=root)
        reached = wait_until(lambda: count() >= at, proc, timeout=240, every=0.02)
        if not reached:
            out, err = proc.communicate(timeout=60)
            pytest.fail(f"ingest ended before {at} articles were stored (rc {proc.returncode}): {out}{err[-2000:]}")
        kill9(proc)
        seen.append(count())
    return seen


def test_kill9_during_sqlite_ingest_then_rerun_gives_the_same_store(work):
    root, ref = work
    db_file = root / f"kill-{uuid.uuid4().hex[:6]}.db"
    db = f"sqlite:///{db_file.name}"
    seen = _kill_repeatedly(db, root, lambda: sqlite_count(db_file))
    assert seen[-1] < N_ARTICLES, f"the kills came too late to interrupt anything: {seen}"
    assert sqlite_integrity(db_file) == "ok"
    r = _final_run(db, root)
    assert "failed" not in r.stdout.split(";")[0] or " 0 failed" in r.stdout
    assert sqlite_integrity(db_file) == "ok"
    assert_same_store(dump(db, root), ref)


@pytest.mark.postgres
def test_kill9_during_postgres_ingest_then_rerun_gives_the_same_store(work, pg, pg_ref):
    root, _ = work
    url = pg.create_db(f"kill_{uuid.uuid4().hex[:6]}")
    seen = _kill_repeatedly(url, root, lambda: faults.pg_count(url))
    assert seen[-1] < N_ARTICLES, f"the kills came too late to interrupt anything: {seen}"
    _final_run(url, root)
    assert_same_store(dump(url, root), pg_ref)


@pytest.mark.postgres
def test_postgres_and_sqlite_stores_hold_the_same(work, pg_ref):
    _, ref = work
    assert_same_store(pg_ref, ref)


# --- PostgreSQL restarted mid-ingest ---------------------------------------------------------

@pytest.mark.postgres
@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_postgres_restart_mid_ingest_loses_nothing(work, pg, pg_ref, mode):
    """`fast`: a clean shutdown that ends the sessions; `immediate`: a crash (recovery on start)."""
    root, _ = work
    url = pg.create_db(f"restart_{mode}_{uuid.uuid4().hex[:6]}")
    proc = start_kutip("ingest", "arts", "--db", url, "-q", cwd=root)
    try:
        assert wait_until(lambda: faults.pg_count(url) >= 5, proc, timeout=240, every=0.02), \
            "ingest ended before the restart"
        pg.stop(mode)
        pg.start()
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            kill9(proc)
    first = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    no_traceback(first)
    if proc.returncode != 0:
        # the articles in flight failed: the run must say so (and which), not die silently
        assert "failed" in (out + err), (out, err[-2000:])
    _final_run(url, root)
    # the articles that failed in flight were stored by the re-run, after later ones: speaker
    # linking may differ by order (see test_speaker_canonical_names_do_not_depend_on_ingest_order)
    assert_same_store(dump(url, root), pg_ref, ignore=faults.LINKED)


# --- two ingests at once ---------------------------------------------------------------------

def _overlapping(root: Path) -> tuple[list[str], list[str]]:
    files = sorted(p.name for p in (root / "arts").iterdir())
    a = [f"arts/{f}" for f in files[: 3 * len(files) // 4]]
    b = [f"arts/{f}" for f in files[len(files) // 4:]]
    return a, b


def _concurrent(db: str, root: Path, ref: dict) -> None:
    a, b = _overlapping(root)
    p1 = start_kutip("ingest", *a, "--db", db, "-q", cwd=root)
    p2 = start_kutip("ingest", *b, "--db", db, "-q", cwd=root)
    results = []
    for p, inputs in ((p1, a), (p2, b)):
        try:
            out, err = p.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            kill9(p)
            pytest.fail("a concurrent ingest hung (over 300 s)")
        r = subprocess.CompletedProcess(p.args, p.returncode, out, err)
        no_traceback(r)
        if r.returncode != 0:
            # allowed: it failed some articles and said why; they are re-ingested below
            said = (out + err).lower()
            assert "failed" in said or "kutip: error:" in said, f"exit {r.returncode} with no reason: {out}\n{err[-2000:]}"
        results.append((r, inputs))
    for r, inputs in results:
        if r.returncode != 0:
            again = run_kutip("ingest", *inputs, "--db", db, "-q", cwd=root)
            no_traceback(again)
            assert again.returncode == 0, f"re-running the failed half failed: {again.stderr[-2000:]}"
    # the two runs interleave articles in any order; speaker linking depends on the order
    # (test_speaker_canonical_names_do_not_depend_on_ingest_order), the articles must not
    assert_same_store(dump(db, root), ref, ignore=faults.LINKED)


def test_two_concurrent_sqlite_ingests_store_each_article_once(work):
    root, ref = work
    _concurrent(f"sqlite:///conc-{uuid.uuid4().hex[:6]}.db", root, ref)


@pytest.mark.postgres
def test_two_concurrent_postgres_ingests_store_each_article_once(work, pg, pg_ref):
    root, _ = work
    _concurrent(pg.create_db(f"conc_{uuid.uuid4().hex[:6]}"), root, pg_ref)


def test_concurrent_first_ingests_on_a_new_sqlite_file_both_succeed(work):
    """Both runs start on a file that does not exist yet (each creates the schema)."""
    root, ref = work
    a, b = _overlapping(root)
    db = f"sqlite:///new-{uuid.uuid4().hex[:6]}.db"
    p1 = start_kutip("ingest", *a, "--db", db, "-q", cwd=root)
    p2 = start_kutip("ingest", *b, "--db", db, "-q", cwd=root)
    outs = [p.communicate(timeout=300) for p in (p1, p2)]
    for p, (out, err) in zip((p1, p2), outs):
        assert "Traceback" not in err, err[-3000:]
        assert p.returncode == 0, f"a concurrent first ingest failed: {out}\n{err[-1500:]}"
    assert_same_store(dump(db, root), ref, ignore=faults.LINKED)


# regression: speaker_canonical depended on the order articles were ingested ('PBB Prabowo
# Subianto' vs 'Prabowo Subianto', 'Wayan Koster' vs 'I Wayan Koster'): the tagger's name took
# the end of a known body, and a record kept the first name it met instead of the fullest


def test_speaker_canonical_names_do_not_depend_on_ingest_order(work):
    root, ref = work
    files = sorted(f"arts/{p.name}" for p in (root / "arts").iterdir())
    db = f"sqlite:///order-{uuid.uuid4().hex[:6]}.db"
    r = run_kutip("ingest", *reversed(files), "--db", db, "-q", cwd=root)
    assert r.returncode == 0, r.stderr
    got = dump(db, root)
    assert_same_store(got, ref, ignore=faults.LINKED)  # the articles are the same...
    assert_same_store(got, ref)  # ...and so should be the speakers they are linked to


# --- a full disk -----------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """An 8 MB tmpfs (root only; room for the 40 articles and SQLite's WAL once the filler is gone); unmounted afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a size-limited filesystem needs root to mount a tmpfs")
    d = tmp_path / "small"
    d.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(d)], capture_output=True, text=True,
                       timeout=30)
    if r.returncode != 0:
        pytest.skip(f"cannot mount an 8 MB tmpfs: {r.stderr.strip()}")
    yield d
    subprocess.run(["umount", "-l", str(d)], capture_output=True, timeout=30)


def _fill(d: Path, leave: int = 0) -> Path:
    """Fill the filesystem of ``d`` up to ``leave`` bytes free."""
    filler = d / "filler"
    free = shutil.disk_usage(d).free - leave
    with open(filler, "wb") as fh:
        try:
            while free > 0:
                n = min(free, 1 << 16)
                fh.write(b"\0" * n)
                free -= n
            fh.flush()
        except OSError:
            pass
    return filler


# regression: `kutip extract --out` onto a full disk ended in a traceback (OSError from out.close());
# it now writes a temporary file beside the output, renames it when complete, and says what failed


def _extract_onto_full_disk(root: Path, small: Path, *args: str, leave: int) -> subprocess.CompletedProcess:
    _fill(small, leave=leave)
    r = run_kutip("extract", *args, "--out", str(small / "out.json"), cwd=root, timeout=300)
    assert r.returncode != 0, "writing onto a full disk cannot succeed"
    return r


@pytest.mark.parametrize("args,leave", [(("arts/a00.txt",), 0), (("arts", "--format", "jsonl"), 20_000)],
                         ids=["one-article", "forty-jsonl"])
def test_extract_out_onto_a_full_disk_fails(work, small_disk, args, leave):
    root, _ = work
    r = _extract_onto_full_disk(root, small_disk, *args, leave=leave)
    assert "No space left on device" in r.stderr, r.stderr[-2000:]


@pytest.mark.parametrize("args,leave", [(("arts/a00.txt",), 0), (("arts", "--format", "jsonl"), 20_000)],
                         ids=["one-article", "forty-jsonl"])
def test_extract_out_onto_a_full_disk_says_so_without_a_traceback(work, small_disk, args, leave):
    root, _ = work
    r = _extract_onto_full_disk(root, small_disk, *args, leave=leave)
    no_traceback(r)
    assert "kutip: error:" in r.stderr and "space" in " ".join(r.stderr.split()).lower()
    # and no partial file: the output appears whole or not at all
    assert not (small_disk / "out.json").exists()
    assert not [p.name for p in small_disk.iterdir() if p.name.startswith(".out.json")]


@pytest.mark.parametrize("leave", [4096, 150_000], ids=["full-at-open", "full-mid-ingest"])
def test_ingest_onto_a_full_disk_fails_clearly_and_keeps_the_store(work, small_disk, leave):
    root, ref = work
    db_file = small_disk / "kb.db"
    db = f"sqlite:///{db_file}"
    few = [f"arts/a{i:02d}.txt" for i in range(5)]
    r = run_kutip("ingest", *few, "--db", db, "-q", cwd=root)
    assert r.returncode == 0, r.stderr
    before = dump(db, root)
    assert len(before["articles"]) == 5
    filler = _fill(small_disk, leave=leave)
    r = run_kutip("ingest", "arts", "--db", db, "-q", cwd=root)
    no_traceback(r)
    assert r.returncode != 0, f"forty articles cannot fit in {leave:,} bytes"
    msg = " ".join((r.stdout + r.stderr).split()).lower()
    # SQLite says "database or disk is full" mid-write, "disk I/O error" when it cannot even open its WAL files
    assert "full" in msg or "space" in msg or "disk i/o error" in msg, (r.stdout, r.stderr[-2000:])
    filler.unlink()  # SQLite needs room for its -wal/-shm files even to read
    assert sqlite_integrity(db_file) == "ok"
    after = dump(db, root)
    # what was stored is still there, unchanged; anything added is whole articles
    got = {a["source"]: a for a in after["articles"]}
    for a in before["articles"]:
        assert got.get(a["source"]) == a
    ref_by_source = {a["source"]: a for a in ref["articles"]}
    for a in after["articles"]:
        assert a == ref_by_source[a["source"]], f"a half-stored article: {a['source']}"
    assert len(after["statements"]) == sum(len(a["statements"]) for a in after["articles"])
    _final_run(db, root)
    assert sqlite_integrity(db_file) == "ok"
    assert_same_store(dump(db, root), ref)
