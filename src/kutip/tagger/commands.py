"""CLI: `kutip train`, `kutip tag`, `kutip evaluate`."""
from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from kutip.errors import KutipError, KutipInputError


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
    cv: int = typer.Option(0, "--cv", help="run K-fold cross-validation by article first (0: none)"),
    cv_only: bool = typer.Option(False, "--cv-only", help="only cross-validate; write the report, no final model"),
    report: Optional[Path] = typer.Option(None, "--report", help="write the cross-validation report (JSON) here"),
    max_iterations: int = typer.Option(0, "--max-iterations", help="L-BFGS iterations (0: model default)"),
    c1: Optional[float] = typer.Option(None, "--c1", help="L1 regularisation"),
    c2: Optional[float] = typer.Option(None, "--c2", help="L2 regularisation"),
) -> None:
    """Train the PFSA-ID tagger (a document-level CRF) on CPU; optionally cross-validate by article."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from kutip.tagger.corpus import fold_of, load_corpus
    from kutip.tagger.crf import CrfModel, train_crf
    from kutip.tagger.evaluate import Report, evaluate_labels, format_report

    console = Console(stderr=True)
    arts, stats = load_corpus(data)
    console.print(f"[bold]data[/]: {', '.join(stats['files'])}: {stats['articles_read']} articles read, "
                  f"{stats['articles_dropped_as_copies']} dropped as copies, {stats['sentences_dropped']} "
                  f"duplicate sentences removed -> {stats['articles']} articles, {stats['sentences']} "
                  f"sentences, {stats['tokens']} tokens")
    params: dict = {}
    if max_iterations:
        params["max_iterations"] = max_iterations
    if c1 is not None:
        params["c1"] = c1
    if c2 is not None:
        params["c2"] = c2

    def run_train(train_arts, out_dir, title, extra=None):
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console, transient=False) as prog:
            tf = prog.add_task(f"{title}: features", total=len(train_arts))
            tt = prog.add_task(f"{title}: training", total=params.get("max_iterations") or 150)

            def cb(stage, i, n):
                if stage == "features":
                    prog.update(tf, completed=i, total=n)
                else:
                    prog.update(tt, completed=i, total=n)

            meta = train_crf(train_arts, out_dir, params=params, progress=cb, meta_extra=extra)
            prog.update(tt, completed=prog.tasks[tt].total)
        return meta

    cv_result = None
    if cv:
        if cv < 2:
            raise KutipError("--cv needs at least 2 folds")
        import tempfile

        total: Optional[Report] = None
        folds = []
        for k in range(cv):
            tr = [a for a in arts if fold_of(a, cv) != k]
            te = [a for a in arts if fold_of(a, cv) == k]
            with tempfile.TemporaryDirectory() as tmp:
                run_train(tr, Path(tmp), f"fold {k + 1}/{cv}")
                m = CrfModel(Path(tmp))
                gold, pred = [], []
                for a in te:
                    gold += [l for s in a.sentences for l in s.labels]
                    pred += [l for s in m.tag_sentences([s.tokens for s in a.sentences]) for l in s]
            rep = evaluate_labels(gold, pred)
            console.print(f"fold {k + 1}: {len(te)} test articles, {len(gold)} tokens, micro-F1 {rep.micro.f1:.4f}")
            folds.append({"fold": k, "test_articles": len(te), "test_tokens": len(gold), **rep.as_dict()})
            if total is None:
                total = rep
            else:
                total.merge(rep)
        assert total is not None
        console.print(f"[bold]{cv}-fold cross-validation by article (strict, pooled)[/]")
        typer.echo(format_report(total))
        cv_result = {"folds": cv, "pooled": total.as_dict(), "per_fold": folds, "data": stats,
                     "mean_fold_micro_f1": sum(f["micro"]["f1"] for f in folds) / len(folds)}
        if report:
            report.write_text(json.dumps(cv_result, indent=1), encoding="utf-8")
    if cv_only:
        return
    extra = {"data": stats, "license": "CC BY-NC-SA 4.0 (trained on PFSA-ID; non-commercial, share-alike)"}
    if cv_result:
        extra["cv"] = {"folds": cv, "micro_f1": cv_result["pooled"]["micro"]["f1"],
                       "macro_f1": cv_result["pooled"]["macro_f1"],
                       "per_label_f1": {k: v["f1"] for k, v in cv_result["pooled"]["per_label"].items()}}
    meta = run_train(arts, out, "final model", extra)
    size = sum(p.stat().st_size for p in Path(out).iterdir())
    console.print(f"model written to {out} ({size / 1e6:.1f} MB, {meta['train_seconds']} s)")


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
    gold: Path = typer.Argument(..., help="gold CoNLL file (token<TAB>BILOU-label)"),
    pred: Optional[Path] = typer.Option(None, "--pred", help="predicted CoNLL (same tokens); default: tag GOLD with the model"),
    model: Optional[Path] = typer.Option(None, "--model", help="model folder used when --pred is not given"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
) -> None:
    """Strict entity-level P/R/F1 per label, micro and macro (spans over the whole token stream)."""
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
