"""Cross-validation by dateline document and final training, as jobs that can run in parallel.

Each fold (train on the other folds, tag and score this one) and the final model are
independent jobs; with ``jobs > 1`` they run in worker processes, because CRFsuite
trains on one core. Progress from every job reaches one callback.
"""
from __future__ import annotations

import json
import tempfile
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Callable, Optional

from kutip.tagger.corpus import Article, fold_of, join_undated
from kutip.tagger.crf import META_FILE, CrfModel, train_crf
from kutip.tagger.evaluate import PRF, Report, evaluate_labels

Progress = Callable[[str, str, int, int], None]   # (job, stage, done, total)


@dataclass
class FoldResult:
    fold: int
    test_documents: int
    test_tokens: int
    report: Report


@dataclass
class TrainingResult:
    folds: list[FoldResult] = field(default_factory=list)
    pooled: Optional[Report] = None
    meta: Optional[dict] = None


def _run_fold(k: int, cv: int, arts: list[Article], params: dict, progress) -> FoldResult:
    train = [a for a in arts if fold_of(a, cv) != k]
    # tagged as `kutip tag` meets them: undated articles inside the dateline document
    test = join_undated([a for a in arts if fold_of(a, cv) == k])
    name = f"fold {k + 1}/{cv}"
    with tempfile.TemporaryDirectory() as tmp:
        train_crf(train, Path(tmp), params=params, progress=lambda s, i, n: progress(name, s, i, n))
        model = CrfModel(Path(tmp))
        gold: list[str] = []
        pred: list[str] = []
        for i, a in enumerate(test):
            gold += [l for s in a.sentences for l in s.labels]
            pred += [l for s in model.tag_sentences([s.tokens for s in a.sentences]) for l in s]
            progress(name, "tag", i + 1, len(test))
    return FoldResult(k, len(test), len(gold), evaluate_labels(gold, pred))


def _run_final(arts: list[Article], out: Path, params: dict, extra: dict, progress) -> dict:
    from kutip.tagger.tokenizer import freeze

    meta = train_crf(arts, out, params=params, meta_extra=extra,
                     progress=lambda s, i, n: progress("final model", s, i, n))
    # spaCy's tokenizer frozen beside the model: tagging raw text then needs no spaCy
    freeze(out)
    return meta


class _QueueProgress:
    """Picklable progress callback for worker processes: puts events on a queue."""

    def __init__(self, queue):
        self.queue = queue

    def __call__(self, job, stage, i, n):
        self.queue.put((job, stage, i, n))


def train_and_validate(arts: list[Article], *, cv: int = 0, out: Optional[Path] = None,
                       params: Optional[dict] = None, extra: Optional[dict] = None, jobs: int = 1,
                       progress: Optional[Progress] = None) -> TrainingResult:
    """Run ``cv`` folds (0: none) and, when ``out`` is given, train the final model there.

    The final model's ``meta.json`` gets the pooled cross-validation scores under ``cv``.
    """
    params = dict(params or {})
    extra = dict(extra or {})
    report = progress or (lambda *a: None)
    tasks: list[tuple[Callable, tuple]] = [(_run_fold, (k, cv, arts, params)) for k in range(cv)]
    if out is not None:
        tasks.append((_run_final, (arts, Path(out), params, extra)))
    results = []
    if jobs <= 1 or len(tasks) <= 1:
        results = [fn(*args, report) for fn, args in tasks]
    else:
        import multiprocessing

        with multiprocessing.Manager() as manager:
            queue = manager.Queue()
            cb = _QueueProgress(queue)
            with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
                futures = [pool.submit(fn, *args, cb) for fn, args in tasks]
                pending = set(futures)
                while pending:
                    _, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                    _drain(queue, report)
                _drain(queue, report)
                results = [f.result() for f in futures]
    res = TrainingResult()
    for r in results:
        if isinstance(r, FoldResult):
            res.folds.append(r)
            if res.pooled is None:
                res.pooled = Report({}, PRF())
            res.pooled.merge(r.report)
        else:
            res.meta = r
    if res.meta is not None and res.pooled is not None and out is not None:
        res.meta["cv"] = {"folds": cv, "micro_f1": res.pooled.micro.f1, "macro_f1": res.pooled.macro_f1,
                          "per_label_f1": {k: v.f1 for k, v in res.pooled.per_label.items()},
                          "per_fold_micro_f1": [f.report.micro.f1 for f in res.folds]}
        (Path(out) / META_FILE).write_text(json.dumps(res.meta, indent=1, ensure_ascii=False), encoding="utf-8")
    return res


def _drain(queue, report) -> None:
    while True:
        try:
            report(*queue.get_nowait())
        except Empty:
            return
