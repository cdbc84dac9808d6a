"""Crashes for real: `kutip batch` killed with SIGKILL mid-run and started again with the same
command, and a Dask worker killed with SIGKILL while a real `dask scheduler` and two `dask worker`
processes run the job. Both must end with exactly the output of an uninterrupted run."""
from __future__ import annotations

import os
import subprocess

import pytest
from batch_inputs import DASK, KUTIP, free_port, html_records, kill, snapshot, wait_for, write_jsonl, write_warc

ENV = dict(os.environ, KUTIP_MODEL="off", PYTHONUNBUFFERED="1")


def _corpus(d, files=3, per_file=200):
    d.mkdir()
    for k in range(files):
        write_jsonl(d / f"part{k}.jsonl", range(k * per_file, (k + 1) * per_file), extra_lines=[f"{{broken line {k}"])
    write_warc(d / "crawl.warc.gz", html_records(range(5000, 5040)))
    write_jsonl(d / "feed.jsonl.gz", range(6000, 6060), gz=True)
    return d


def _run(args, timeout=240):
    r = subprocess.run([KUTIP, "batch", *map(str, args)], capture_output=True, text=True, env=ENV, timeout=timeout)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return r


def _parts(out):
    d = out / "_kutip" / "parts"
    return len(os.listdir(d)) if d.is_dir() else 0


@pytest.mark.slow
def test_driver_killed_with_sigkill_then_rerun_gives_the_uninterrupted_output(tmp_path):
    inp = _corpus(tmp_path / "in")
    # small splits: the JSONL files in byte ranges, the crawl in gzip-member ranges, the .gz in lanes
    common = [inp, "--workers", "1", "--part-size", "10", "--split-mb", "0.004", "-q"]
    full = tmp_path / "full"
    _run([*common, "--out", full])
    total_parts = _parts(full)
    out = tmp_path / "out"
    proc = subprocess.Popen([KUTIP, "batch", *map(str, common), "--out", str(out)], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        wait_for(lambda: _parts(out) >= 3 or proc.poll() is not None, 120, what="the first parts")
        os.kill(proc.pid, 9)
        proc.wait(timeout=30)
    finally:
        kill(proc)
    assert proc.returncode == -9, "the job finished before it could be killed: make the corpus bigger"
    done_at_kill = _parts(out)
    assert 3 <= done_at_kill < total_parts
    r = _run([*common, "--out", out])
    assert "shards were already done" in r.stdout or _parts(out) == total_parts
    assert snapshot(out) == snapshot(full)
    assert not [p for p in out.rglob(".*.tmp-*")]


@pytest.mark.slow
def test_a_lost_dask_worker_does_not_change_the_output(tmp_path):
    inp = _corpus(tmp_path / "in", files=6, per_file=120)
    full = tmp_path / "full"
    _run([inp, "--workers", "1", "--part-size", "20", "-q", "--out", full])
    port = free_port()
    addr = f"tcp://127.0.0.1:{port}"
    procs = []
    logs = tmp_path / "logs"
    logs.mkdir()

    def start(name, *args):
        fh = open(logs / f"{name}.log", "wb")
        p = subprocess.Popen([DASK, *args], env=ENV, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(p)
        return p

    try:
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")
        workers = [start(f"w{i}", "worker", addr, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                         "--name", f"w{i}", "--host", "127.0.0.1") for i in range(2)]
        from distributed import Client

        wait_for(lambda: b"Scheduler at" in (logs / "scheduler.log").read_bytes(), 60, 0.1, "the scheduler")
        with Client(addr, timeout="30s") as c:
            c.wait_for_workers(2, timeout=60)
        out = tmp_path / "out"
        job = subprocess.Popen([KUTIP, "batch", str(inp), "--scheduler", addr, "--part-size", "20", "-q",
                                "--out", str(out)], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
        procs.append(job)
        shards = out / "_kutip" / "shards"
        wait_for(lambda: (shards.is_dir() and len(os.listdir(shards)) >= 1) or job.poll() is not None, 180,
                 what="the first shard")
        n_done = len(os.listdir(shards)) if shards.is_dir() else 0
        os.kill(workers[0].pid, 9)                       # a worker lost in the middle of the job
        stdout, stderr = job.communicate(timeout=300)
        assert job.returncode == 0, stderr
        assert n_done < 7, "the job finished before a worker could be lost: make the corpus bigger"
        assert workers[0].wait(timeout=10) == -9 and workers[1].poll() is None
        assert "Traceback" not in stderr
        assert snapshot(out) == snapshot(full)
        assert "820 articles" in stdout and "6 rejects" in stdout
        log = (logs / "scheduler.log").read_text(errors="replace")
        assert "Remove worker" in log and "name: w0" in log            # the scheduler saw it go
    finally:
        for p in reversed(procs):
            kill(p)


@pytest.mark.slow
def test_local_worker_processes_killed_with_their_driver_then_rerun(tmp_path):
    """--workers 2 (a LocalCluster of two processes): SIGKILL of the driver mid-run leaves no worker
    behind, and the rerun ends with the output of the one-process run."""
    inp = _corpus(tmp_path / "in", files=4, per_file=100)
    full = tmp_path / "full"
    _run([inp, "--workers", "1", "--part-size", "10", "-q", "--out", full])
    out = tmp_path / "out"
    args = [KUTIP, "batch", str(inp), "--workers", "2", "--part-size", "10", "-q", "--out", str(out)]
    proc = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: _parts(out) >= 2 or proc.poll() is not None, 180, what="the first parts")
        os.kill(proc.pid, 9)
        proc.wait(timeout=30)
    finally:
        kill(proc)
    assert proc.returncode == -9 and _parts(out) < _parts(full)

    def group_alive():
        try:
            os.killpg(proc.pid, 0)
            return True
        except ProcessLookupError:
            return False

    try:
        wait_for(lambda: not group_alive(), 60, 0.2, "the worker processes to exit")
    finally:
        if group_alive():
            os.killpg(proc.pid, 9)
    r = _run([inp, "--workers", "2", "--part-size", "10", "-q", "--out", out])
    assert "shards were already done" in r.stdout or _parts(out) == _parts(full)
    assert snapshot(out) == snapshot(full)
