"""`kutip extract`: articles in (files, directories, '-'), statements out (json, jsonl, table)."""
from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kutip.core.errors import KutipError, KutipInputError


_CONTROL = {c: 0x2400 + c for c in range(32) if c not in (9, 10)} | {127: 0x2421}


def _inert(value: str) -> Text:
    """Untrusted article text for the terminal: control characters (ANSI escapes, bells)
    shown as visible symbols, never interpreted; Text is never read as Rich markup."""
    return Text(value.translate(_CONTROL))


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def _table(console: Console, art) -> None:
    meta = art.metadata
    title = " · ".join(x for x in (art.source, meta.outlet, meta.published or (str(meta.year) if meta.year else None)) if x)
    t = Table(title=_inert(title) if title else None, show_lines=True, expand=True)
    for col, kw in (("speaker", {"ratio": 2}), ("role", {"ratio": 2}), ("kind", {"no_wrap": True}),
                    ("statement", {"ratio": 6}), ("date", {"no_wrap": True})):
        t.add_column(col, **kw)
    for s in art.statements:
        sp = s.speaker
        role = ", ".join(x for x in ((sp.role, sp.affiliation) if sp else ()) if x)
        # markup=False keeps untrusted article text from being read as Rich markup
        t.add_row(*(_inert(v) for v in (
            (sp.name if sp and sp.name else "?"), role, s.kind, s.text, s.date.value if s.date and s.date.value else "")))
    if not art.statements:
        console.print(_inert(f"{art.source or 'input'}: no statements found"), style="dim")
    else:
        console.print(t)


def extract_command(
    paths: List[str] = typer.Argument(..., help="Article files (text or HTML), directories, or '-' for standard input."),
    format: Format = typer.Option(Format.json, "--format", "-f", help="json (the contract), jsonl (one article a line) or table."),
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) to resolve dates like 'Rabu (18/1)'."),
    output: Optional[Path] = typer.Option(None, "--out", "-o", help="Write to this file instead of standard output."),
    model: Optional[bool] = typer.Option(None, "--model/--no-model",
                                         help="Refine speakers with the PFSA-ID tagger (default: on when shipped; "
                                              "$KUTIP_MODEL=off turns it off). --no-model is the fast rule path."),
    model_path: Optional[Path] = typer.Option(None, help="A tagger model directory made by `kutip train`."),
) -> None:
    """Extract who said what from Indonesian news articles."""
    from kutip.sources.files import iter_documents
    from kutip.config import extract_options
    from kutip.api import extract

    docs = list(iter_documents(paths))
    many = len(docs) > 1
    if format is Format.json and many:
        raise KutipError(f"{len(docs)} articles given: use --format jsonl (one JSON object a line) or table")
    # --out is written to a hidden temporary file beside it and renamed when complete: a full disk
    # or an error leaves no partial file
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp") if output else None
    try:
        out = tmp.open("w", encoding="utf-8") if tmp else sys.stdout
    except OSError as exc:
        raise KutipError(f"--out {output}: cannot write there ({exc.strerror}); choose another path") from None
    console = Console(file=out, soft_wrap=False, highlight=False,
                      width=None if (out is sys.stdout and sys.stdout.isatty()) else 160)
    err = Console(stderr=True, highlight=False, soft_wrap=True)  # a message is never cut inside a path
    failed = 0
    complete = False
    progress = None
    if many and err.is_terminal:
        from kutip.progress import make_progress
        progress = make_progress("extracting", "articles", console=err)
        progress.start()
        task = progress.add_task("extract", total=len(docs))
    try:
        for doc in docs:
            try:
                if isinstance(doc, KutipInputError):
                    raise doc
                art = extract(doc.content, published=published, source=doc.source, html=doc.is_html or None,
                              **extract_options(model, model_path))
            except KutipError as exc:
                if not many:
                    raise
                failed += 1
                err.print(f"kutip: skipped: {exc}", markup=False)
                continue
            finally:
                if progress is not None:
                    progress.advance(task)
            if format is Format.table:
                _table(console, art)
            elif format is Format.jsonl:
                out.write(json.dumps(art.to_dict(), ensure_ascii=False) + "\n")
            else:
                out.write(art.to_json(indent=1) + "\n")
        out.flush()
        complete = True
    except OSError as exc:
        if tmp is None:
            raise
        raise KutipError(f"--out {output}: writing failed ({exc.strerror}); nothing was written there. "
                         "Free some space or choose another path") from None
    finally:
        if progress is not None:
            progress.stop()
        if tmp is not None:
            _finish(out, tmp, output, complete)
    if failed:
        err.print(f"kutip: {failed} of {len(docs)} inputs could not be read (see messages above)", markup=False)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)


def _finish(out, tmp: Path, output: Path, complete: bool) -> None:
    """Close the temporary file and put it in place when ``complete``, else remove it."""
    failed = not complete
    try:
        out.close()
        if not failed:
            os.replace(tmp, output)
    except OSError as exc:
        failed = True
        tmp.unlink(missing_ok=True)
        raise KutipError(f"--out {output}: writing failed ({exc.strerror}); nothing was written there. "
                         "Free some space or choose another path") from None
    finally:
        if failed:
            tmp.unlink(missing_ok=True)
