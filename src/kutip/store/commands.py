"""CLI commands of the knowledge base: ingest, search, speakers, export."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import List, Optional

import typer

from kutip.core.errors import KutipError, KutipInputError

DB_HELP = "Database URL (sqlite:///FILE or postgresql://user@host/db); default $KUTIP_DB, else sqlite:///kutip.db"


def _table_console():
    """Tables on a terminal (or with $COLUMNS set) fit it; piped into a file or a pager they
    keep 160 columns instead of Rich's 80, so names and quotes are not squeezed into slivers."""
    import os

    from rich.console import Console

    fit = sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit()
    return Console(highlight=False, markup=False, width=None if fit else 160)

def _store(db: Optional[str]):
    from kutip.store import Store

    return Store(db)


def _read_store(db: Optional[str]):
    """For commands that only read: a SQLite store at head opens read-only through ``sqlite3``
    (no SQLAlchemy, no Alembic: :func:`kutip.store.query.open_read_only`); anything else is
    ``Store(db)`` (created or upgraded on open, or a clear error)."""
    from kutip.store.query import open_read_only

    return open_read_only(db) or _store(db)


def _format(fmt: str, allowed: tuple[str, ...]) -> str:
    f = (fmt or "").strip().lower()
    if f not in allowed:
        raise KutipInputError(f"unknown --format {fmt!r}: use one of {', '.join(allowed)}")
    return f


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest_cmd(
        inputs: List[str] = typer.Argument(..., help="Text/HTML files, directories, JSONL files, RSS/Atom feeds (file or URL), article URLs"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        workers: int = typer.Option(1, "--workers", "-w", min=1, max=64, help="Extract in parallel with N Dask worker processes"),
        outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet name for inputs that do not say"),
        published: Optional[str] = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for inputs that do not say; resolves dates like 'Rabu (18/1)'"),
        model: Optional[bool] = typer.Option(None, "--model/--no-model",
                                             help="Refine speakers with the PFSA-ID tagger (default on; $KUTIP_MODEL=off "
                                                  "turns it off). --no-model is the fast rule path."),
        force: bool = typer.Option(False, "--force", help="Extract every input again, even one stored unchanged before"),
        timeout: float = typer.Option(20.0, "--timeout", help="Seconds per HTTP request"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar"),
    ) -> None:
        """Extract articles and store their statements (idempotent; re-ingesting replaces statements).

        An input already stored from the same content with the same settings is skipped before
        extraction (counted unchanged). One transaction per article; a failing input is reported
        and skipped. Exit status 1 when any input failed (everything else is stored)."""
        import os

        from rich.console import Console
        from rich.markup import escape
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from kutip.batch import runner, sources
        from kutip.store.export import inert

        pub = None
        if published is not None:
            from kutip.store import iso_date

            pub = iso_date(published)
            if pub is None:
                raise KutipInputError(f"--published {published!r} is not a date: use YYYY-MM-DD")
        store = _store(db)
        err = Console(stderr=True, highlight=False, soft_wrap=True)  # a message is never cut inside a path
        t0 = time.perf_counter()
        jobs = list(sources.expand(inputs, outlet=outlet, timeout=timeout))
        if pub:
            for j in jobs:
                j.published = j.published or pub
        show = not quiet and len(jobs) > 1
        counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
        summary = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0, "statements": 0, "failures": [],
                   "skipped": 0}
        saved_env = os.environ.get("KUTIP_MODEL")
        if model is not None:
            os.environ["KUTIP_MODEL"] = "on" if model else "off"      # read by the workers' extract options
        try:
            with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("{task.fields[counts]}"), TextColumn("{task.fields[rate]}"),
                          TimeElapsedColumn(), console=err, disable=not show, transient=False) as progress:
                task = progress.add_task("ingest", total=len(jobs), counts="", rate="")

                def on_result(o, status):
                    counts[status or "failed"] += 1
                    done = sum(counts.values())
                    el = max(time.perf_counter() - t0, 1e-6)
                    progress.update(task, advance=1, rate=f"{done / el:.1f} art/s",
                                    counts=f"new {counts['created']} upd {counts['updated']} same {counts['unchanged']} fail {counts['failed']}")
                    if o.error and not quiet:
                        progress.console.print(f"[red]failed[/red] {escape(inert(o.error))}", soft_wrap=True)

                todo = []
                for j in jobs:
                    if _unchanged_input(store, j, force):
                        summary["unchanged"] += 1
                        summary["skipped"] += 1
                        on_result(runner.Outcome(j), "unchanged")
                    else:
                        todo.append(j)
                runner.ingest(store, runner.run(todo, workers=workers, timeout=timeout), on_result, summary)
        finally:
            if model is not None:
                if saved_env is None:
                    os.environ.pop("KUTIP_MODEL", None)
                else:
                    os.environ["KUTIP_MODEL"] = saved_env
            store.close()
        el = time.perf_counter() - t0
        skipped = f"; {summary['skipped']} unchanged input(s) skipped before extraction" if summary["skipped"] else ""
        typer.echo(f"ingested {len(jobs)} input article(s) in {el:.1f} s: {summary['created']} created, "
                   f"{summary['updated']} updated, {summary['unchanged']} unchanged, {summary['failed']} failed; "
                   f"{summary['statements']} statements{skipped}")
        if summary["failed"]:
            if quiet:
                for f in summary["failures"][:50]:
                    typer.echo(f"failed: {inert(f)}", err=True)
            raise typer.Exit(1)

    @app.command("search")
    def search_cmd(
        query: Optional[str] = typer.Argument(None, help="Words to find (stemmed: 'perundingan' finds 'berunding')"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        speaker: Optional[str] = typer.Option(None, "--speaker", help="Speaker name (any known form)"),
        speaker_id: Optional[int] = typer.Option(None, "--speaker-id"),
        affiliation: Optional[str] = typer.Option(None, "--affiliation"),
        outlet: Optional[str] = typer.Option(None, "--outlet"),
        kind: Optional[str] = typer.Option(None, "--kind", help="direct, indirect or mixed (comma-separated)"),
        date_from: Optional[str] = typer.Option(None, "--from", help="YYYY-MM-DD"),
        date_to: Optional[str] = typer.Option(None, "--to", help="YYYY-MM-DD"),
        limit: int = typer.Option(20, "--limit", min=0, max=1000),
        offset: int = typer.Option(0, "--offset", min=0),
        fmt: str = typer.Option("table", "--format", help="table or json"),
    ) -> None:
        """Search stored statements (ranked) with filters."""
        fmt = _format(fmt, ("table", "json"))
        if kind:
            bad = [k for k in kind.split(",") if k.strip() and k.strip() not in ("direct", "indirect", "mixed")]
            if bad:
                raise KutipInputError(f"unknown --kind {bad[0]!r}: use direct, indirect or mixed")
        store = _read_store(db)
        try:
            res = store.search(query, speaker_id=speaker_id, speaker=speaker, affiliation=affiliation, outlet=outlet,
                               kind=kind, date_from=date_from, date_to=date_to, limit=limit, offset=offset)
        finally:
            store.close()
        if fmt == "json":
            from kutip.store.export import json_line

            typer.echo(json_line(res, indent=1))
            return
        _print_statements(res)

    @app.command("speakers")
    def speakers_cmd(
        query: Optional[str] = typer.Argument(None, help="Part of a name"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        limit: int = typer.Option(50, "--limit", min=0, max=1000),
        offset: int = typer.Option(0, "--offset", min=0),
        fmt: str = typer.Option("table", "--format", help="table or json"),
    ) -> None:
        """List speakers with their name forms, roles, affiliations and statement counts."""
        fmt = _format(fmt, ("table", "json"))
        store = _store(db)
        try:
            res = store.speakers(query, limit=limit, offset=offset)
        finally:
            store.close()
        if fmt == "json":
            from kutip.store.export import json_line

            typer.echo(json_line(res, indent=1))
            return
        from rich.table import Table
        from rich.text import Text

        from kutip.store.export import inert

        t = Table(title=f"{res['total']} speaker(s)", show_lines=False)
        for c in ("id", "name", "type", "statements", "first", "last", "roles / affiliations", "name forms"):
            t.add_column(c, overflow="fold")
        for sp in res["items"]:
            t.add_row(*[Text(x) for x in (
                str(sp["id"]), inert(sp["name"]), inert(sp["type"] or ""), str(sp["statement_count"]),
                sp["first_date"] or "", sp["last_date"] or "",
                inert("; ".join(sp["roles"] + sp["affiliations"])), inert(", ".join(sp["name_forms"])))])
        _table_console().print(t)

    @app.command("export")
    def export_cmd(
        fmt: str = typer.Option("jsonl", "--format", help="jsonl, csv or parquet"),
        out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output file (stdout for jsonl/csv when omitted)"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        articles: bool = typer.Option(False, "--articles", help="JSONL only: one article (contract JSON) a line instead of one statement a line"),
    ) -> None:
        """Export every stored statement (or article) as JSONL, CSV or Parquet."""
        from kutip.store import export

        fmt = _format(fmt, ("jsonl", "csv", "parquet"))
        if articles and fmt != "jsonl":
            raise KutipInputError("--articles works with --format jsonl only")
        if fmt == "parquet" and out is None:
            raise KutipInputError("--format parquet needs --out FILE.parquet")
        store = _store(db)
        try:
            rows = store.iter_articles() if articles else store.iter_statements()
            if fmt == "parquet":
                n = export.write_parquet(rows, str(out))
            else:
                fh = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
                try:
                    n = export.write_jsonl(rows, fh) if fmt == "jsonl" else export.write_csv(rows, fh)
                finally:
                    if out:
                        fh.close()
        except OSError as exc:
            raise KutipError(f"cannot write {out}: {exc.strerror or exc}") from exc
        finally:
            store.close()
        if out:
            typer.echo(f"wrote {n} {'article' if articles else 'statement'}(s) to {out}", err=True)


def _unchanged_input(store, job, force: bool) -> bool:
    """Hash a job's raw input with its settings (kept in job.extra["input_hash"]); True when an
    article was stored from exactly that before (nothing to extract). A file is read here once
    and handed to the extractor as text."""
    if job.error or job.fetch is not None:
        return False
    content = job.content
    if job.path is not None:
        from kutip.sources.files import read_document

        try:
            content = read_document(job.path).content
        except Exception:          # the extractor's reader reports it, in order
            return False
        job.content, job.path = content, None
    if content is None:
        return False
    import kutip
    from kutip.config import model_path, model_wanted
    from kutip.store import input_hash

    path = model_path()
    h = input_hash(content, source=job.source, url=job.url, outlet=job.outlet, published=job.published,
                   title=job.title, model=bool(path) or model_wanted(), model_path=path,
                   version=getattr(kutip, "__version__", ""))
    job.extra["input_hash"] = h
    return not force and store.find_input(h) is not None


def _print_statements(res: dict) -> None:
    from rich.table import Table
    from rich.text import Text

    from kutip.store.export import inert

    t = Table(title=f"{res['total']} statement(s)", show_lines=True)
    for c in ("id", "date", "outlet", "speaker", "kind", "statement", "score"):
        t.add_column(c, overflow="fold")
    for r in res["items"]:
        sp = r.get("speaker_canonical") or ((r.get("speaker") or {}).get("name")) or ""
        t.add_row(*[Text(x) for x in (
            str(r["id"]), r.get("date_value") or "", inert(r.get("outlet") or ""), inert(sp), r["kind"],
            inert(r["text"]), f"{r['score']:.3f}" if "score" in r else "")])
    _table_console().print(t)
