"""The fuzzer in CI: a short bounded run of fuzz/fuzz_extract.py, and a replay of every crash it ever found.

Long run: .venv/bin/python fuzz/fuzz_extract.py --runs 100000 (see docs/reliability.md).
"""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUZZ = ROOT / "fuzz" / "fuzz_extract.py"
CRASHES = Path(__file__).parent / "fuzz_crashes"
SECONDS = int(os.environ.get("KUTIP_FUZZ_SECONDS", "10"))


def _fuzz(*args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(FUZZ), *args], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, env=dict(os.environ, PYTHONHASHSEED="0"))


def test_atheris_fuzzer_runs_clean_for_a_while(tmp_path):
    if importlib.util.find_spec("atheris") is None:
        pytest.skip("atheris is not installed (pip install atheris); the random-mutator test still runs")
    r = _fuzz("--seconds", str(SECONDS), "--crash-dir", str(tmp_path), timeout=SECONDS + 120)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-4000:]
    done = re.search(r"Done (\d+) runs", out)
    assert done and int(done.group(1)) > 50, out[-2000:]
    assert not list(tmp_path.glob("crash-*")), "the fuzzer found a crash: add it to tests/reliability/fuzz_crashes/"


def test_random_mutator_runs_clean():
    r = _fuzz("--no-atheris", "--runs", "150", timeout=240)
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
    assert "Done 150 runs" in r.stdout


def _load_target():
    spec = importlib.util.spec_from_file_location("fuzz_extract_replay", FUZZ)
    mod = importlib.util.module_from_spec(spec)
    env_atheris = sys.modules.get("atheris")
    sys.modules["atheris"] = None  # replay without instrumentation: the plain target
    try:
        spec.loader.exec_module(mod)
    finally:
        if env_atheris is None:
            sys.modules.pop("atheris", None)
        else:
            sys.modules["atheris"] = env_atheris
    return mod


CRASH_FILES = sorted(p for p in CRASHES.glob("*") if p.name != "README.md") if CRASHES.is_dir() else []


@pytest.mark.parametrize("crash", CRASH_FILES, ids=[p.name for p in CRASH_FILES])
def test_replay_crash(crash):
    _load_target().one_input(crash.read_bytes())


def test_replay_grammar_seeds():
    # the target itself works on the seeds (and so the crash replay above is not vacuous)
    target = _load_target()
    for seed in target._seeds():
        target.one_input(seed)
    assert target.STATS["text"] + target.STATS["grammar"] > 0
