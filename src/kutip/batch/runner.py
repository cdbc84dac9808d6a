"""Extraction of many articles, in this process or in parallel with Dask.

Workers only read/fetch and call :func:`kutip.extract`; every database write
stays with the caller (one transaction per article), so a failing article never
leaves a half-written record and never stops the batch.
"""
from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Optional

from kutip.batch.sources import DEFAULT_TIMEOUT, Job, fetch_text
from kutip.config import extract_options
from kutip.sources.files import read_document


@dataclass
class Outcome:
    job: Job
    article: Optional[object] = None     # kutip.core.model.ExtractedArticle
    error: Optional[str] = None
    seconds: float = 0.0


def process(job: Job, timeout: float = DEFAULT_TIMEOUT) -> Outcome:
    """Read or fetch one job's article and extract its statements (runs in a worker)."""
    import kutip

    t0 = time.perf_counter()
    if job.error:
        return Outcome(job, error=job.error)
    try:
        content = job.content
        url = job.url
        if job.path is not None:
            content = read_document(job.path).content     # the one reader and decoder
        elif job.fetch is not None:
            final, content = fetch_text(job.fetch, timeout)
            url = url or final
        if content is None or not content.strip():
            return Outcome(job, error=f"{job.source}: empty article")
        art = kutip.extract(content, published=job.published, source=job.source, url=url, outlet=job.outlet,
                            **extract_options())
        if job.title and not art.metadata.title:
            art.metadata.title = job.title
        return Outcome(job, article=art, seconds=time.perf_counter() - t0)
    except Exception as exc:  # one bad article must not stop the batch
        msg = str(exc).strip() or type(exc).__name__
        if job.source not in msg:
            msg = f"{job.source}: {msg}"
        return Outcome(job, error=msg, seconds=time.perf_counter() - t0)


def _process_many(jobs: list[Job], timeout: float) -> list[Outcome]:
    return [process(j, timeout) for j in jobs]


def run(jobs: Iterable[Job], *, workers: int = 1, timeout: float = DEFAULT_TIMEOUT,
        chunk: Optional[int] = None) -> Iterator[Outcome]:
    """Outcomes in input order. ``workers > 1`` extracts in parallel with Dask's process
    scheduler over a persistent pool (the workers import kutip once)."""
    if workers <= 1:
        for j in jobs:
            yield process(j, timeout)
        return
    import dask
    from dask import delayed

    chunk = chunk or workers * 4
    batch_size = 2  # jobs per task: fewer round trips, still balanced
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        pending: list[Job] = []

        def flush(items: list[Job]) -> Iterator[Outcome]:
            tasks = [delayed(_process_many)(items[i:i + batch_size], timeout) for i in range(0, len(items), batch_size)]
            for part in dask.compute(*tasks, scheduler="processes", pool=pool):
                yield from part

        for j in jobs:
            if j.error:                      # nothing to extract: report at once, in order
                yield from flush(pending)
                pending = []
                yield Outcome(j, error=j.error)
                continue
            pending.append(j)
            if len(pending) >= chunk:
                yield from flush(pending)
                pending = []
        if pending:
            yield from flush(pending)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def ingest(store, outcomes: Iterable[Outcome], on_result: Optional[Callable[[Outcome, Optional[str]], None]] = None,
           summary: Optional[dict] = None) -> dict:
    """Write outcomes to ``store`` (one transaction per article, with each input's hash when the
    job carries one, so an unchanged input is skipped next time); returns counts and failures,
    added to ``summary`` when given."""
    if summary is None:
        summary = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0, "statements": 0, "failures": []}
    for o in outcomes:
        status = None
        if o.error is None:
            try:
                _, status = store.add_article(o.article, url=o.job.url, outlet=o.job.outlet, published=o.job.published,
                                              input_hash=o.job.extra.get("input_hash"))
                summary["statements"] += len(o.article.statements)
            except Exception as exc:
                o.error = f"{o.job.source}: cannot store: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        if o.error is not None:
            summary["failed"] += 1
            summary["failures"].append(o.error)
        else:
            summary[status] += 1
        if on_result is not None:
            on_result(o, status)
    return summary
