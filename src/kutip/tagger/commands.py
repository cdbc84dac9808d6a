"""CLI: `kutip train`, `kutip tag`, `kutip evaluate`."""
from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from kutip.core.errors import KutipError, KutipInputError


class OutFormat(str, Enum):
    conll = "conll"
    json = "json"


class InFormat(str, Enum):
    auto = "auto"
    conll = "conll"
    text = "text"


def _looks_like_conll(text: str) -> bool:
    lines = [l for l in text.splitlines() if l.strip()]
    if not lines:
        return False
    if sum(1 for l in lines if "\t" in l) * 2 >= len(lines):
        return True
    spaced = sum(1 for l in lines if " " in l.split("\t", 1)[0].strip())
    return spaced <= max(1, len(lines) // 100)


def _model(path: Optional[Path]):
    from kutip.tagger import load_default_model, load_model

    if path is not None:
        return load_model(path)
    m = load_default_model()
    if m is None:
        raise KutipError("no tagger model is shipped in this installation; train one with "
                         "`kutip train --data DIR --out MODEL` and pass --model MODEL")
    return m


def _read_source(file: str) -> tuple[str, str]:
    from kutip.tagger.conll import _open_text

    return _open_text(file)


def train_cmd(
    data: Path = typer.Option(..., "--data", help="folder with the PFSA-ID .conll files (all are used)"),
    out: Path = typer.Option(..., "--out", help="folder to write the model into"),
    cv: int = typer.Option(0, "--cv", help="run K-fold cross-validation by dateline document first (0: none)"),
    cv_only: bool = typer.Option(False, "--cv-only", help="only cross-validate; write the report, no final model"),
    report: Optional[Path] = typer.Option(None, "--report", help="write the cross-validation report (JSON) here"),
    max_iterations: int = typer.Option(0, "--max-iterations", help="L-BFGS iterations (0: model default)"),
    c1: Optional[float] = typer.Option(None, "--c1", help="L1 regularisation"),
    c2: Optional[float] = typer.Option(None, "--c2", help="L2 regularisation"),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="processes: folds and the final model train in parallel"),
) -> None:
    """Train the PFSA-ID tagger (a document-level CRF) on CPU; optionally cross-validate by dateline document."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kutip.tagger.corpus import load_corpus
    from kutip.tagger.evaluate import format_report
    from kutip.tagger.training import train_and_validate

    console = Console(stderr=True)
    if cv == 1 or cv < 0:
        raise KutipError("--cv needs at least 2 folds (or 0 for none)")
    if cv_only and not cv:
        raise KutipError("--cv-only needs --cv K")
    arts, stats = load_corpus(data)
    console.print(f"[bold]data[/]: {', '.join(stats['files'])}: {stats['articles_read']} articles read, "
                  f"{stats['articles_dropped_as_copies']} dropped as copies, {stats['sentences_dropped']} "
                  f"duplicate sentences removed -> {stats['articles']} articles in {stats['documents']} "
                  f"dateline documents, {stats['sentences']} sentences, {stats['tokens']} tokens")
    params: dict = {}
    if max_iterations:
        params["max_iterations"] = max_iterations
    if c1 is not None:
        params["c1"] = c1
    if c2 is not None:
        params["c2"] = c2
    extra = {"data": stats, "license": "CC BY-NC-SA 4.0 (trained on PFSA-ID; non-commercial, share-alike)"}

    with Progress(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as prog:
        tasks: dict[str, int] = {}
        logged: dict[str, tuple[str, int]] = {}
        started = time.monotonic()

        def cb(job: str, stage: str, i: int, n: int) -> None:
            if job not in tasks:
                tasks[job] = prog.add_task(job, total=n)
            prog.update(tasks[job], description=f"{job}: {stage}", completed=i, total=n)
            if not console.is_terminal:
                # a log (nohup, CI) sees no live bar: one line per stage and per 10% of it
                step = (10 * i) // max(n, 1)
                if logged.get(job) != (stage, step):
                    logged[job] = (stage, step)
                    prog.console.print(f"{job}: {stage} {i}/{n} ({time.monotonic() - started:.0f} s)")

        res = train_and_validate(arts, cv=cv, out=None if cv_only else out, params=params, extra=extra,
                                 jobs=jobs, progress=cb)
    for f in res.folds:
        console.print(f"fold {f.fold + 1}: {f.test_documents} test documents, {f.test_tokens} tokens, "
                      f"micro-F1 {f.report.micro.f1:.4f}")
    if res.pooled is not None:
        console.print(f"[bold]{cv}-fold cross-validation by dateline document (strict, pooled)[/]")
        typer.echo(format_report(res.pooled))
        if report:
            cv_result = {"folds": cv, "pooled": res.pooled.as_dict(), "data": stats,
                         "per_fold": [{"fold": f.fold, "test_documents": f.test_documents,
                                       "test_tokens": f.test_tokens, **f.report.as_dict()} for f in res.folds],
                         "mean_fold_micro_f1": sum(f.report.micro.f1 for f in res.folds) / len(res.folds)}
            report.write_text(json.dumps(cv_result, indent=1), encoding="utf-8")
    if res.meta is not None:
        size = sum(p.stat().st_size for p in Path(out).iterdir())
        console.print(f"model written to {out} ({size / 1e6:.1f} MB, {res.meta['train_seconds']} s)")


def tag_cmd(
    file: str = typer.Argument(..., help="CoNLL or raw-text file to tag; '-' reads standard input"),
    fmt: OutFormat = typer.Option(OutFormat.conll, "--format", help="output: conll (token<TAB>label) or json spans"),
    input_format: InFormat = typer.Option(InFormat.auto, "--input", help="input kind (auto: CoNLL when every line is one token)"),
    model: Optional[Path] = typer.Option(None, "--model", help="model folder (default: the shipped PFSA-ID model)"),
) -> None:
    """Tag a CoNLL file (a token a line, blank line = sentence break) or raw text."""
    from kutip.tagger.conll import format_conll, parse_conll, spans

    text, name = _read_source(file)
    if not text.strip():
        raise KutipInputError(f"{name}: empty input; give a CoNLL file or some text")
    is_conll = input_format == InFormat.conll or (input_format == InFormat.auto and _looks_like_conll(text))
    m = _model(model)
    if is_conll:
        sents = [s.tokens for s in parse_conll(text, name=name)]
        labels = m.tag_tokens(sents)
        if fmt == OutFormat.conll:
            sys.stdout.write(format_conll(sents, labels))
        else:
            flat = [t for s in sents for t in s]
            out = [{"label": t, "start_token": a, "end_token": b, "text": " ".join(flat[a:b])}
                   for t, a, b in sorted(spans([l for s in labels for l in s]), key=lambda x: (x[1], x[2]))]
            typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        if fmt == OutFormat.conll:
            sents = [[t for t, _ in s] for s in m.tokenize(text)]
            sys.stdout.write(format_conll(sents, m.tag_tokens(sents)))
        else:
            out = [{"label": s.label, "start": s.start, "end": s.end, "text": s.text} for s in m.tag_text(text)]
            typer.echo(json.dumps(out, ensure_ascii=False, indent=1))


def evaluate_cmd(
    gold: Optional[Path] = typer.Argument(None, help="gold CoNLL file (token<TAB>BILOU-label); not with --statements"),
    pred: Optional[Path] = typer.Option(None, "--pred", help="predictions: a CoNLL file (same tokens; default: tag GOLD "
                                        "with the model), or with --statements a folder of `kutip extract "
                                        "--format json` outputs, NAME.json per gold file"),
    model: Optional[Path] = typer.Option(None, "--model", "--model-path",
                                         help="tagger model folder (default: the shipped PFSA-ID model)"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
    statements: Optional[Path] = typer.Option(None, "--statements", metavar="GOLD_DIR",
                                              help="score statements against a folder of NAME.json gold files "
                                                   "(docs/evaluation.md) instead of a CoNLL file"),
    articles: Optional[Path] = typer.Option(None, "--articles", metavar="ARTICLES_DIR",
                                            help="with --statements: the articles' folder (default: GOLD_DIR's "
                                                 "parent); without --pred, Kutip extracts them itself"),
    no_model: bool = typer.Option(False, "--no-model", help="with --statements --articles: extract on the rule "
                                  "path, without the tagger"),
    errors: bool = typer.Option(False, "--errors", help="with --statements: list every miss by class"),
) -> None:
    """Strict entity-level P/R/F1 of the tagger on a CoNLL file (per label, micro and macro), or, with
    --statements GOLD_DIR, statement detection, attribution, end-to-end P/R/F1 and context against gold files."""
    if statements is not None:
        if gold is not None:
            raise KutipError(f"give either a gold CoNLL file ({gold}) or --statements GOLD_DIR, not both")
        from kutip.evaluation.commands import evaluate_statements

        evaluate_statements(statements, pred_dir=pred, articles_dir=articles, no_model=no_model,
                            model_path=model, show_errors=errors, as_json=as_json)
        return
    if gold is None:
        raise KutipError("give a gold CoNLL file to evaluate the tagger, or --statements GOLD_DIR to score statements")
    for flag, given in (("--articles", articles is not None), ("--no-model", no_model), ("--errors", errors)):
        if given:
            raise KutipError(f"{flag} goes with --statements GOLD_DIR")
    from kutip.tagger.conll import read_conll
    from kutip.tagger.evaluate import evaluate_labels, format_report

    g = read_conll(gold, require_labels=True)
    gold_tokens = [s.tokens for s in g]
    if pred is not None:
        p = read_conll(pred, require_labels=True)
        gt = [(t, ln) for s in g for t, ln in zip(s.tokens, s.lines)]
        pt = [(t, ln) for s in p for t, ln in zip(s.tokens, s.lines)]
        for (a, la), (b, lb) in zip(gt, pt):
            if a != b:
                raise KutipInputError(f"{pred}:{lb}: token {b!r} does not match {gold}:{la} token {a!r}; "
                                      "the prediction must have the same tokens as the gold file")
        if len(gt) != len(pt):
            raise KutipInputError(f"{pred}: {len(pt)} tokens but {gold} has {len(gt)}; "
                                  "the prediction must have the same tokens as the gold file")
        pred_labels = [l for s in p for l in s.labels]
    else:
        m = _model(model)
        pred_labels = [l for s in m.tag_tokens(gold_tokens) for l in s]
    rep = evaluate_labels([l for s in g for l in s.labels], pred_labels)
    if as_json:
        typer.echo(json.dumps(rep.as_dict(), indent=1))
    else:
        typer.echo(format_report(rep))


def register(app: typer.Typer) -> None:
    app.command("train")(train_cmd)
    app.command("tag")(tag_cmd)
    app.command("evaluate")(evaluate_cmd)
