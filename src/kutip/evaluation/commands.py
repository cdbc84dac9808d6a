"""`kutip evaluate --statements GOLD_DIR (--pred PRED_DIR | --articles ARTICLES_DIR)`.

The `evaluate` command itself lives with the tagger's CoNLL evaluation
(kutip.tagger.commands); when it is given --statements it hands over to
:func:`evaluate_statements` here.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from kutip.core.errors import KutipError


def _extractor(use_model: Optional[bool], model_path: Optional[Path]):
    """Extract a Document in-process exactly as `kutip extract FILE` does; returns the contract dict."""
    import kutip
    from kutip.config import extract_options

    options = extract_options(use_model, str(model_path) if model_path else None)

    def run(doc) -> dict:
        art = kutip.extract(doc.content, source=doc.source, html=doc.is_html or None, **options)
        return art.to_dict()

    return run


def evaluate_statements(gold_dir: Path, *, pred_dir: Optional[Path] = None, articles_dir: Optional[Path] = None,
                        no_model: bool = False, model_path: Optional[Path] = None,
                        show_errors: bool = False, as_json: bool = False) -> None:
    """Score predictions (PRED_DIR/NAME.json), or Kutip's own extraction of the articles, against gold."""
    from rich.console import Console

    from kutip.evaluation.goldfiles import load_cases
    from kutip.evaluation.statements import format_errors, format_report, score_corpus

    if no_model and model_path is not None:
        raise KutipError("--no-model and --model-path contradict each other; give one")
    if pred_dir is None and articles_dir is None:
        raise KutipError("--statements needs --pred PRED_DIR (outputs of `kutip extract --format json`) "
                         "or --articles ARTICLES_DIR (Kutip extracts the articles itself)")
    if pred_dir is not None and (no_model or model_path is not None):
        raise KutipError("--no-model/--model-path choose how articles are extracted; with --pred nothing is "
                         "extracted (leave out --pred to extract the --articles folder)")

    extract = None
    progress = task = None
    if pred_dir is None:
        extract = _extractor(False if no_model else None, model_path)
        err = Console(stderr=True, highlight=False, soft_wrap=True)  # a message is never cut inside a path
        if err.is_terminal:
            from kutip.progress import make_progress
            progress = make_progress("extracting", "articles", console=err)
    try:
        if progress is not None:
            progress.start()
            task = progress.add_task("extract", total=None)
        cases = load_cases(gold_dir, pred_dir=pred_dir, articles_dir=articles_dir, extract=extract,
                           on_article=((lambda _name, k, n: progress.update(task, completed=k, total=n))
                                       if progress is not None else None))
    finally:
        if progress is not None:
            progress.stop()
    if pred_dir is not None and all(c.pred is None for c in cases):
        typer.echo(f"kutip: warning: no prediction in {pred_dir} for any of the {len(cases)} gold files "
                   "(expected PRED_DIR/NAME.json for each GOLD_DIR/NAME.json); every statement counts as missed",
                   err=True)
    report = score_corpus(c.as_tuple() for c in cases)
    if as_json:
        typer.echo(json.dumps(report.as_dict(errors=show_errors), ensure_ascii=False, indent=1))
        return
    if show_errors:
        typer.echo(format_errors(report))
        typer.echo("")
    typer.echo(format_report(report))
