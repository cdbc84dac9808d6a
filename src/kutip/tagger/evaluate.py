"""Strict entity-level evaluation: a span counts only with the exact type and token
boundaries, spans decoded over the whole token stream (sentence breaks ignored)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from kutip.tagger.conll import TYPES, spans


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "support": self.support}


@dataclass
class Report:
    per_label: dict[str, PRF]
    micro: PRF

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the labels present in gold or prediction."""
        vals = [p.f1 for p in self.per_label.values() if p.tp + p.fp + p.fn]
        return sum(vals) / len(vals) if vals else 0.0

    def as_dict(self) -> dict:
        return {
            "micro": self.micro.as_dict(),
            "macro_f1": self.macro_f1,
            "per_label": {k: v.as_dict() for k, v in self.per_label.items()},
        }

    def merge(self, other: "Report") -> None:
        for k, v in other.per_label.items():
            self.per_label.setdefault(k, PRF()).add(v)
        self.micro.add(other.micro)


def evaluate_labels(gold: Sequence[str], pred: Sequence[str]) -> Report:
    """Compare two BILOU label streams of the same tokens."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} tokens, prediction {len(pred)}")
    g, p = spans(gold), spans(pred)
    per = {t: PRF() for t in TYPES}
    for s in g & p:
        per.setdefault(s[0], PRF()).tp += 1
    for s in p - g:
        per.setdefault(s[0], PRF()).fp += 1
    for s in g - p:
        per.setdefault(s[0], PRF()).fn += 1
    micro = PRF()
    for v in per.values():
        micro.add(v)
    return Report(per, micro)


def flatten(seqs: Iterable[Sequence[str]]) -> list[str]:
    return [x for s in seqs for x in s]


def format_report(rep: Report) -> str:
    lines = [f"{'label':<12} {'prec':>7} {'rec':>7} {'f1':>7} {'support':>8}"]
    for t, v in rep.per_label.items():
        if v.tp + v.fp + v.fn == 0:
            continue
        lines.append(f"{t:<12} {v.precision:7.4f} {v.recall:7.4f} {v.f1:7.4f} {v.support:8d}")
    m = rep.micro
    lines.append(f"{'micro':<12} {m.precision:7.4f} {m.recall:7.4f} {m.f1:7.4f} {m.support:8d}")
    lines.append(f"{'macro':<12} {'':>7} {'':>7} {rep.macro_f1:7.4f}")
    return "\n".join(lines)
