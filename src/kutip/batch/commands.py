"""CLI command of the batch layer: `kutip batch`."""
from __future__ import annotations

import os
from typing import List, Optional

import typer


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def register(app: typer.Typer) -> None:
    @app.command("batch")
    def batch_cmd(
        inputs: List[str] = typer.Argument(..., metavar="INPUT...",
                                           help="Article files, directories, JSONL (.jsonl/.jsonl.gz), WARC "
                                                "(.warc/.warc.gz), RSS/Atom feeds (file or URL), article URLs"),
        out: Optional[str] = typer.Option(None, "--out", "-o", help="Output directory (local, shared, or s3://… "
                                          "through fsspec): Parquet datasets articles/ and statements/, rejects.jsonl"),
        db: Optional[str] = typer.Option(None, "--db", help="Also (or instead) store into this knowledge base "
                                         "(sqlite:///FILE or postgresql://…)"),
        model: Optional[bool] = typer.Option(None, "--model/--no-model",
                                             help="Refine speakers with the PFSA-ID tagger (default on; $KUTIP_MODEL=off)"),
        model_path: Optional[str] = typer.Option(None, "--model-path", help="A tagger model directory made by `kutip train`"),
        published: Optional[str] = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for records that give none"),
        workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, max=512,
                                              help="Local worker processes (default: every core; 1 runs in this process)"),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Run on a Dask cluster: tcp://HOST:8786"),
        part_size: int = typer.Option(1000, "--part-size", min=1, max=1_000_000,
                                      help="Records per Parquet part (the unit a restart redoes)"),
        split_mb: float = typer.Option(8.0, "--split-mb", min=0.001,
                                       help="Files over this many MB split into shards: JSONL and WARC.gz by byte ranges, "
                                            ".jsonl.gz and .warc (unseekable streams) into up to 16 lanes"),
        timeout: float = typer.Option(20.0, "--timeout", help="Seconds per HTTP request (feeds, URLs)"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar"),
    ) -> None:
        """Extract many articles, resumably: rerun the same command after a crash and it finishes the job.

        Writes Parquet (partitioned by month) to --out and/or the knowledge base to --db; bad records go
        to rejects.jsonl with their source, position and reason and never stop the job."""
        from kutip import config
        from kutip.batch.job import JobOptions, run_job
        from kutip.progress import make_progress

        use_model = config.model_wanted(model)
        mpath = config.model_path(model_path)
        o = JobOptions(inputs=list(inputs), out=out, db=db, model=use_model or bool(mpath), model_path=mpath,
                       published=published, workers=workers or (1 if scheduler else _cores()), scheduler=scheduler,
                       part_size=part_size, split_bytes=max(1, int(split_mb * (1 << 20))), timeout=timeout)
        prog = make_progress("{task.description}", "records")
        task = None

        def on_progress(res, total):
            nonlocal task
            desc = f"batch {res.articles:,} articles · {res.statements:,} statements · {res.rejects:,} rejects"
            if task is None:                 # the bar starts with the work (not before a planning error)
                prog.start()
                task = prog.add_task(desc, total=total, completed=res.records)
                return
            old = prog.tasks[task].total
            # a new total resets Rich's rate samples: change it only when the estimate moved by 10 %
            if total is not None and (old is None or abs(total - old) > 0.1 * old or res.records > old):
                prog.update(task, total=max(total, res.records))
            prog.update(task, description=desc, completed=res.records)

        if quiet:
            res = run_job(o)
        else:
            try:
                res = run_job(o, progress=on_progress)
            finally:
                if task is not None:
                    prog.stop()
        rate = res.records / res.seconds if res.seconds else 0.0
        resumed = f" ({res.resumed} of {res.shards} shards were already done)" if res.resumed else ""
        typer.echo(f"batch: {res.articles} articles, {res.statements} statements, {res.rejects} rejects from "
                   f"{res.shards} shard(s) in {res.seconds:.1f} s ({rate:.1f} records/s){resumed}")
        if out or not db:
            typer.echo(f"wrote {res.out}/articles/, {res.out}/statements/ (Parquet, by month) and {res.out}/rejects.jsonl")
        if db:
            s = res.stored
            typer.echo(f"stored in {db}: {s.get('created', 0)} created, {s.get('updated', 0)} updated, "
                       f"{s.get('unchanged', 0)} unchanged, {s.get('failed', 0)} failed"
                       + ("" if out else f" (parts kept in {res.out} for resuming)"))
