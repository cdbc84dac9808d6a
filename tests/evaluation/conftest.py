"""Shared folder lookup and in-process extraction for the evaluation tests.

``../shared`` is found beside the repository root (``repo_root.parent / "shared"``), or where
``KUTIP_SHARED`` points.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _shared_dir() -> Path:
    return Path(os.environ.get("KUTIP_SHARED") or ROOT.parent / "shared")


def _extract_default(doc) -> dict:
    import kutip

    return kutip.extract(doc.content, source=doc.source, html=doc.is_html or None, use_model=True).to_dict()


@pytest.fixture
def shared_dir() -> Path:
    """The shared folder (it may be missing: tests skip with a message)."""
    return _shared_dir()


@pytest.fixture
def extract_default():
    """Extract a Document in-process as `kutip extract FILE` does, with the default (shipped) model;
    returns the contract dict."""
    return _extract_default


@pytest.fixture
def seeds_dir() -> Path:
    d = _shared_dir() / "seeds"
    if not (d / "gold").is_dir():
        pytest.skip(f"../shared/seeds not found at {d}: seed tests skipped; set KUTIP_SHARED")
    return d


def _kutip_cmd() -> list[str]:
    exe = shutil.which("kutip", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "kutip"]


@pytest.fixture
def kutip_run():
    """Run the real `kutip` command (errors go through its main(): one line, no traceback)."""
    def run(*args, timeout=120):
        return subprocess.run([*_kutip_cmd(), *map(str, args)], capture_output=True, text=True,
                              timeout=timeout, cwd=ROOT)
    return run
