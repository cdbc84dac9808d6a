"""Accuracy gate: Kutip's own extraction of the seeds and the development set, scored
against their gold, must stay at or above the floors pinned in floors.json.

Articles are extracted in-process with the default (shipped) model, as `kutip evaluate
--statements GOLD --articles DIR` does. The shared folder is ``../shared`` beside the
repository root, or ``$KUTIP_SHARED``; without it the gate is skipped. The development
texts are only read from there, never copied into the project.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kutip.evaluation.goldfiles import load_cases
from kutip.evaluation.statements import format_report, score_corpus

FLOORS = json.loads((Path(__file__).with_name("floors.json")).read_text(encoding="utf-8"))


def _figures(gold_dir: Path, articles_dir: Path, extract):
    cases = load_cases(gold_dir, articles_dir=articles_dir, extract=extract)
    rep = score_corpus(c.as_tuple() for c in cases)
    ctx = {k: (r / n if n else 1.0) for k, (r, n) in rep.context.items()}
    return rep, {"e2e_f1": rep.e2e[2], "attribution_accuracy": rep.attribution, "detection_f1": rep.detection[2],
                 "role_accuracy": ctx["role"], "affiliation_accuracy": ctx["affiliation"]}


def _check(name: str, rep, figures: dict) -> None:
    low = [f"{k} {figures[k]:.4f} < floor {floor}" for k, floor in FLOORS[name].items() if figures[k] < floor]
    assert not low, (f"{name}: below the accuracy floors (tests/evaluation/floors.json): " + "; ".join(low)
                     + "\n" + format_report(rep))


def test_dev_accuracy_gate(shared_dir, extract_default):
    dev = shared_dir / "dev"
    if not (dev / "gold").is_dir():
        pytest.skip("../shared/dev not found: accuracy gate skipped; set KUTIP_SHARED")
    rep, figures = _figures(dev / "gold", dev / "articles", extract_default)
    assert rep.gold > 0 and len(rep.articles) > 0
    _check("dev", rep, figures)


def test_seeds_accuracy_gate(shared_dir, extract_default):
    seeds = shared_dir / "seeds"
    if not (seeds / "gold").is_dir():
        pytest.skip("../shared/seeds not found: accuracy gate skipped; set KUTIP_SHARED")
    rep, figures = _figures(seeds / "gold", seeds, extract_default)
    assert rep.gold > 0
    _check("seeds", rep, figures)
