"""Golden outputs: the statements Kutip extracts from each seed article, pinned.

tests/evaluation/golden/NAME.json holds, for ../shared/seeds/NAME.txt extracted in-process
with the default (shipped) model, every statement's kind, text, start, end, speaker name,
role and affiliation, cue text and date value. Any change in what the extractor gives on
the seeds fails here with a diff, one line per statement, so a change shows what it does.

When the change is intended, regenerate the files and commit them with it:

    KUTIP_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/evaluation -k golden

Only the seeds (the project's own sample articles) have golden files; the development
set's texts must never be copied into the project.
"""
from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from kutip.sources.files import read_document

GOLDEN = Path(__file__).with_name("golden")
UPDATE = os.environ.get("KUTIP_UPDATE_GOLDEN", "").strip() not in ("", "0")
REGENERATE = "KUTIP_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/evaluation -k golden"


def summarise(article: dict, name: str) -> dict:
    """The pinned fields of an extracted article (a statements-json dict)."""
    out = []
    for s in article["statements"]:
        sp = s.get("speaker") or None
        out.append({
            "kind": s["kind"], "start": s["start"], "end": s["end"], "text": s["text"],
            "speaker": {k: sp.get(k) for k in ("name", "role", "affiliation")} if sp else None,
            "cue": (s.get("cue") or {}).get("text"),
            "date": (s.get("date") or {}).get("value"),
        })
    return {"article": name, "statements": out}


def _line(s: dict) -> str:
    sp = s["speaker"] or {}
    return (f"[{s['start']}:{s['end']}] {s['kind']} speaker={sp.get('name')!r} role={sp.get('role')!r} "
            f"affiliation={sp.get('affiliation')!r} cue={s['cue']!r} date={s['date']!r} text={s['text']!r}")


def readable_diff(expected: dict, got: dict, name: str) -> str:
    diff = difflib.unified_diff([_line(s) for s in expected["statements"]], [_line(s) for s in got["statements"]],
                                fromfile=f"golden/{name}.json", tofile="extracted now", lineterm="", n=1)
    return "\n".join(diff)


def _names() -> list[str]:
    names = {p.stem for p in GOLDEN.glob("*.json")}
    seeds = Path(os.environ.get("KUTIP_SHARED") or Path(__file__).resolve().parents[2].parent / "shared") / "seeds"
    names |= {p.stem for p in seeds.glob("*.txt")}
    return sorted(names)


@pytest.mark.parametrize("name", _names())
def test_golden_seed_statements(name, seeds_dir, extract_default):
    article = seeds_dir / f"{name}.txt"
    golden = GOLDEN / f"{name}.json"
    if not article.is_file():
        pytest.fail(f"golden/{name}.json has no seed article {article}; delete it if the seed is gone")
    got = summarise(extract_default(read_document(article)), article.name)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    if not golden.is_file():
        pytest.fail(f"no golden file for seed {article.name}; make it with: {REGENERATE}")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    if got != expected:
        pytest.fail(f"the statements extracted from seed {article.name} changed "
                    f"({len(expected['statements'])} pinned, {len(got['statements'])} now):\n"
                    f"{readable_diff(expected, got, name)}\n"
                    f"If the change is intended, regenerate and commit: {REGENERATE}", pytrace=False)
