"""`kutip batch`: plan the shards, run those not yet written (in this process, on local worker
processes, or on a Dask cluster), then assemble ``rejects.jsonl`` and, with ``--db``, load the
knowledge base shard by shard in plan order.

Resuming is reading markers: a shard whose marker exists is done, and inside a shard a part whose
marker exists is done; nothing else is trusted, so a job killed anywhere (the driver, a worker,
between a Parquet file and its marker) redoes only the unfinished parts and ends with the files
an uninterrupted run writes.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from kutip.batch.output import Output
from kutip.batch.plan import Shard, fingerprint, plan
from kutip.batch.shard import iso_day, run_shard, shard_marker
from kutip.core.errors import KutipError, KutipInputError

MANIFEST = "_kutip/job.json"
# local workers: no statistical profiler sampling their stacks 100 times a second, and memory and
# system monitors once a second instead of 10 and 2 times (for `dask worker`, the same as
# DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False etc., see README)
WORKER_CONFIG = {"distributed.worker.profile.enabled": False,
                 "distributed.worker.memory.monitor-interval": "1s",
                 "distributed.admin.system-monitor.interval": "1s"}
VERSION = 1


@dataclass
class JobOptions:
    inputs: list
    out: Optional[str] = None
    db: Optional[str] = None
    model: bool = True
    model_path: Optional[str] = None
    published: Optional[str] = None
    workers: int = 1
    scheduler: Optional[str] = None
    part_size: int = 1000
    split_bytes: int = 8 << 20
    timeout: float = 20.0
    extra: dict = field(default_factory=dict)


@dataclass
class JobResult:
    out: str
    shards: int = 0
    resumed: int = 0
    articles: int = 0
    statements: int = 0
    rejects: int = 0
    records: int = 0
    seconds: float = 0.0
    cpu_s: float = 0.0                              # CPU seconds inside the shards run now (all workers)
    thread_cpu_s: float = 0.0                       # the same, of the shards' own threads only
    stored: dict = field(default_factory=dict)
    workers: dict = field(default_factory=dict)     # per worker: peak memory, CPU seconds (for benchmarks)


def _validate(o: JobOptions) -> None:
    from kutip.sources.files import max_bytes_from_env

    max_bytes_from_env()                       # a bad KUTIP_MAX_BYTES is said here, not by every worker
    if not o.out and not o.db:
        raise KutipInputError("say where to write: --out DIR (Parquet) or --db URL (the knowledge base)")
    if o.published is not None and (iso_day(o.published) != o.published.strip() or not _real_date(o.published)):
        raise KutipInputError(f"--published {o.published!r} is not a date; give it as YYYY-MM-DD")
    if o.model_path:
        if not (Path(o.model_path) / "meta.json").is_file():
            raise KutipInputError(f"--model-path {o.model_path}: not a kutip tagger model (no meta.json); "
                                  "train one with `kutip train`, or leave --model-path out for the shipped model")
    if o.scheduler is not None and not str(o.scheduler).startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise KutipInputError(f"--scheduler {o.scheduler!r}: give the scheduler's address, e.g. tcp://HOST:8786")
    if o.scheduler and o.db and not o.out:
        raise KutipInputError("with --scheduler, --db also needs --out DIR on a path every worker can write "
                              "(a shared mount or s3://…): the workers write their parts there")


def _real_date(s: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(s.strip())
        return True
    except ValueError:
        return False


def _manifest(o: JobOptions, fp: str, n: int) -> dict:
    return {"version": VERSION, "plan": fp, "shards": n, "model": bool(o.model or o.model_path),
            "model_path": str(Path(o.model_path).absolute()) if o.model_path else None,
            "published": o.published, "part_size": o.part_size, "split_bytes": o.split_bytes}


_OPTION_NAMES = {"model": "--model/--no-model", "model_path": "--model-path", "published": "--published",
                 "part_size": "--part-size", "split_bytes": "--split-mb", "version": "the kutip batch format"}


def _check_manifest(out: Output, want: dict, shown_out: str) -> None:
    have = out.read_json(MANIFEST)
    if have is None:
        out.write_json(MANIFEST, want)
        return
    if have == want:
        return
    diff = [k for k in sorted(set(have) | set(want)) if have.get(k) != want.get(k)]
    if "plan" in diff or "shards" in diff:
        what = "other inputs (or inputs whose files changed since)"
    else:
        what = "other options: " + ", ".join(
            f"{_OPTION_NAMES.get(k, k)} was {have.get(k)!r}, now {want.get(k)!r}" for k in diff)
    raise KutipInputError(f"--out {shown_out} holds a batch run with {what}. To resume it, rerun the first "
                          f"command unchanged; to start another job, give a new --out (or remove {shown_out}).")


def _default_state_dir(o: JobOptions, fp: str) -> str:
    h = hashlib.sha1(json.dumps([o.db, fp, o.model, o.model_path, o.published]).encode()).hexdigest()[:12]
    return str(Path(".kutip-batch") / h)


def run_job(o: JobOptions, progress=None, log: Callable[[str], None] = lambda s: None) -> JobResult:
    """Run (or resume) a batch job. ``progress(done_records, total_estimate, res)`` is called as it goes."""
    t0 = time.perf_counter()
    _validate(o)
    shards = plan(o.inputs, part_size=o.part_size, split_bytes=o.split_bytes)
    fp = fingerprint(shards)
    out_url = o.out or _default_state_dir(o, fp)
    shown = o.out or out_url
    try:
        out = Output(out_url)
        if out.local and os.path.exists(out.root) and not os.path.isdir(out.root):
            raise KutipInputError(f"--out {shown} is a file; give a directory (it is created when missing)")
        out.makedirs()
        _check_manifest(out, _manifest(o, fp, len(shards)), shown)
    except OSError as exc:
        raise KutipError(f"--out {shown}: cannot write there ({exc.strerror or exc})") from None
    opts = {"model": bool(o.model or o.model_path),
            "model_path": str(Path(o.model_path).absolute()) if o.model_path else None, "published": o.published,
            "part_size": o.part_size, "timeout": o.timeout}
    res = JobResult(out=shown, shards=len(shards))

    # what is already done
    per_byte = [0, 0]           # records, bytes of finished non-file shards: the bar's estimate
    pending: list[Shard] = []
    done_ids: set[str] = set()
    for s in shards:
        m = out.read_json(shard_marker(s.id))
        if m is None:
            pending.append(s)
            continue
        done_ids.add(s.id)
        _count(res, m)
        if s.kind != "files" and s.size:
            per_byte[0] += m["records"]
            per_byte[1] += s.size
    res.resumed = len(done_ids)

    known = sum(len(s.paths) for s in shards if s.kind == "files")
    unknown = sum(s.size for s in shards if s.kind != "files")

    def total_estimate() -> Optional[int]:
        """Files are counted; JSONL, WARC and feeds are estimated from their bytes (O(1) a call)."""
        if not unknown:
            return known
        if not per_byte[1]:
            return None
        return known + int(unknown * per_byte[0] / per_byte[1])

    def shard_done(s: Shard, m: dict) -> None:
        if s.kind != "files" and s.size:
            per_byte[0] += m["records"]
            per_byte[1] += s.size
        if progress:
            progress(res, total_estimate())

    if progress:
        progress(res, total_estimate())

    loader = _Loader(o.db, out, shards) if o.db else None
    if loader:
        loader.advance(done_ids)

    try:
        if pending and (o.scheduler or o.workers > 1):
            _run_dask(o, pending, opts, out_url, res, shard_done, done_ids, loader)
        else:
            for s in pending:
                def on_part(m, s=s):
                    res.articles += m["articles"]
                    res.statements += m["statements"]
                    res.rejects += len(m["rejects"])
                    res.records += m["articles"] + len(m["rejects"])
                    if progress:
                        progress(res, total_estimate())
                brief = run_shard(s, opts, out_url, on_part=on_part)
                res.cpu_s += brief["cpu_s"]
                res.thread_cpu_s += brief["thread_cpu_s"]
                done_ids.add(s.id)
                shard_done(s, brief)
                if loader:
                    loader.advance(done_ids)
        _write_rejects(out, shards)
        out.remove_temporaries()
    except OSError as exc:
        raise KutipError(f"--out {shown}: cannot write there ({exc.strerror or exc}); fix it and rerun the same "
                         "command: finished shards are kept") from None
    finally:
        if loader:
            res.stored = loader.close()
    res.seconds = time.perf_counter() - t0
    return res


def _count(res: JobResult, m: dict) -> None:
    res.articles += m["articles"]
    res.statements += m["statements"]
    res.rejects += m["rejects"] if isinstance(m["rejects"], int) else len(m["rejects"])
    res.records += m["records"]


def _run_dask(o: JobOptions, pending: list[Shard], opts: dict, out_url: str, res: JobResult,
              shard_done, done_ids: set, loader) -> None:
    import logging

    from distributed import Client, LocalCluster, as_completed
    from distributed.client import FutureCancelledError

    cluster = None
    try:
        if o.scheduler:
            try:
                client = Client(o.scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise KutipError(f"--scheduler {o.scheduler}: cannot connect ({exc}); start one with "
                                 "`dask scheduler` and its workers with `dask worker tcp://HOST:8786`") from None
        else:
            import dask

            import warnings

            with dask.config.set(WORKER_CONFIG), warnings.catch_warnings():
                warnings.simplefilter("ignore")          # e.g. "Port 8787 is already in use"
                cluster = LocalCluster(n_workers=o.workers, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=logging.ERROR)
            client = Client(cluster)
    except KutipError:
        raise
    except Exception as exc:
        raise KutipError(f"cannot start {o.workers} Dask worker processes (--workers {o.workers}): {exc}") from None
    by_key: dict[str, Shard] = {}
    try:
        nthreads = max(1, sum(client.nthreads().values()))
        window = max(2 * nthreads, 4)
        queue = list(pending)
        queue.reverse()

        def submit():
            s = queue.pop()
            f = client.submit(run_shard, s, opts, out_url, key=f"kutip-shard-{s.id}", pure=False)
            by_key[f.key] = s
            return f

        ac = as_completed([submit() for _ in range(min(window, len(queue)))])
        for fut in ac:
            s = by_key.pop(fut.key)
            try:
                brief = fut.result()
            except (KutipError, OSError):
                raise
            except FutureCancelledError:
                raise KutipError("the Dask cluster cancelled the job; rerun the same command to resume") from None
            except Exception as exc:
                name = type(exc).__name__
                if name == "KilledWorker":
                    raise KutipError(f"the workers running shard {s.describe()} died again and again "
                                     f"({exc}); rerun the same command to resume (finished shards are kept), and "
                                     "check the workers' memory") from None
                hint = " (install kutip, the same version, on every worker)" if name == "ModuleNotFoundError" else ""
                raise KutipError(f"shard {s.describe()} failed on a worker: {name}: {exc}{hint}; rerun the same "
                                 "command to resume") from None
            fut.release()
            _count(res, brief)
            res.cpu_s += brief["cpu_s"]
            res.thread_cpu_s += brief["thread_cpu_s"]
            done_ids.add(s.id)
            shard_done(s, brief)
            if loader:
                loader.advance(done_ids)
            if queue:
                ac.add(submit())
        res.workers = _worker_stats(client)
    finally:
        try:
            client.close()
        finally:
            if cluster is not None:
                cluster.close()


def _rusage() -> dict:
    import resource

    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_rss_mb": ru.ru_maxrss / 1024, "cpu_s": ru.ru_utime + ru.ru_stime}


def _worker_stats(client) -> dict:
    try:
        return client.run(_rusage)
    except Exception:
        return {}


def _write_rejects(out: Output, shards: list[Shard]) -> None:
    """rejects.jsonl from the shard markers, in plan order: the same file however the job ran."""
    with out.open_write("rejects.jsonl") as fh:        # streamed: memory for one shard's rejects at a time
        for s in shards:
            m = out.read_json(shard_marker(s.id))
            for r in m["rejects"]:
                fh.write((json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))


ANALYZE_AFTER = 1000   # articles stored by one run, past which the store's statistics are refreshed


class _Loader:
    """--db: each finished shard's articles go into the Store, in plan order (so article ids are those
    of an uninterrupted run), one transaction per shard; a marker per shard and database says it is in.
    A crash between the commit and the marker reloads the shard: the Store finds every article
    unchanged, so nothing is stored twice."""

    def __init__(self, db: str, out: Output, shards: list[Shard]):
        from kutip.store import Store

        self.store = Store(db)
        self.out = out
        self.shards = shards
        self.next = 0
        self.tag = hashlib.sha1(self.store.url.encode()).hexdigest()[:12]
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
        self.stored_now = 0          # articles this run wrote (not those of a run before it)

    def _marker(self, sid: str) -> str:
        return f"_kutip/stored/{self.tag}/{sid}.json"

    def advance(self, done_ids: set) -> None:
        while self.next < len(self.shards) and self.shards[self.next].id in done_ids:
            s = self.shards[self.next]
            m = self.out.read_json(self._marker(s.id))
            if m is None:
                m = self._load(s)
                self.out.write_json(self._marker(s.id), m)
                self.stored_now += m.get("created", 0) + m.get("updated", 0)
            for k in self.counts:
                self.counts[k] += m.get(k, 0)
            self.next += 1

    def _load(self, s: Shard) -> dict:
        import pyarrow.parquet as pq

        from kutip.core.model import ExtractedArticle

        marker = self.out.read_json(shard_marker(s.id))
        items = []
        for rel in marker["files"]:
            if not rel.startswith("articles/"):
                continue
            path = self.out.path(rel)
            with (open(path, "rb") if self.out.local else self.out.fs.open(path, "rb")) as fh:
                rows = pq.read_table(fh).to_pylist()
            for r in rows:
                d = json.loads(r["contract"])
                d["text"] = r["text"]
                items.append((r["source"] or "", r["offset"] if r["offset"] is not None else -1, r["id"],
                              (ExtractedArticle.from_dict(d), {"url": r["url"], "outlet": r["outlet"],
                                                               "published": r["published"]})))
        items.sort(key=lambda t: t[:3])                  # record order, whatever the months
        counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
        for _, status in self.store.bulk_add([t[3] for t in items]):
            counts[status if status in counts else "failed"] += 1
        return counts

    def close(self) -> dict:
        # a bulk load leaves the query planner's statistics stale and, on PostgreSQL, no page
        # marked all-visible (no search can read the posting index alone): refresh them once,
        # at the end of a big load (Store.analyze: ANALYZE, VACUUM (ANALYZE) on PostgreSQL)
        try:
            if self.stored_now >= ANALYZE_AFTER:
                self.store.analyze()
        finally:
            self.store.close()
        return dict(self.counts)
