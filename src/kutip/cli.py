"""The `kutip` command line. Each stage's package contributes its own commands.

`kutip extract` lives here; other packages expose ``register(app)`` in a
``commands`` module (tagger: train/tag/evaluate; store: ingest/search/speakers/
export; web: serve), so this file never grows with their options.
"""
from __future__ import annotations

import importlib
import sys

import typer

app = typer.Typer(
    name="kutip",
    help="Who said what, when, and who reported it: statements from Indonesian news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

COMMAND_MODULES = ("kutip.extract_cli", "kutip.tagger.commands", "kutip.store.commands", "kutip.batch.commands",
                   "kutip.web.commands")

for _name in COMMAND_MODULES:
    try:
        _mod = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # a stage not yet built in this checkout
        if exc.name != _name:
            raise
        continue
    _mod.register(app)


def main() -> None:
    """Entry point: user errors become one clear line on stderr and a non-zero exit."""
    from kutip.core.errors import KutipError

    try:
        app()
    except KutipError as exc:
        typer.echo(f"kutip: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("kutip: interrupted", err=True)
        sys.exit(130)
