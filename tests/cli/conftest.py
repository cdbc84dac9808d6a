import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("KUTIP_SHARED", ROOT.parent / "shared"))


def _kutip_cmd():
    exe = shutil.which("kutip", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "kutip"]


@pytest.fixture
def kutip_cli():
    """Run the real `kutip` command; returns CompletedProcess (text)."""
    def run(*args, input=None, timeout=120):
        return subprocess.run([*_kutip_cmd(), *map(str, args)], input=input, capture_output=True,
                              timeout=timeout, cwd=ROOT, text=isinstance(input, str) or input is None)
    return run


@pytest.fixture
def seeds_dir():
    d = SHARED / "seeds"
    if not (d / "gold").is_dir():
        pytest.skip(f"seed articles not found at {d} (set KUTIP_SHARED to the shared/ folder)")
    return d
