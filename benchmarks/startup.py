"""Start-up cost of the tagger: `kutip extract` with the default model vs `--no-model`.

    nice -n 10 .venv/bin/python benchmarks/startup.py [-n 15] [FILE]

Runs ``kutip extract FILE --format json`` and ``kutip extract --no-model FILE
--format json`` alternately N times each, as a user runs them (fresh processes), and
prints the median wall time of each and their ratio (issue 10's target: <= 1.5).
Alternating keeps a noisy machine's drift out of the ratio. With ``--spacy`` a third
run alternates with them: the model with spaCy's tokenizer (``KUTIP_TOKENIZER=spacy``,
what a model folder without ``tokenizer.json`` gets, and every model before). FILE defaults to the
first seed article of the shared folder, else the repository sample
``samples/01_banjir_semarang.txt``. Also reports whether the model run imported spaCy
(it should not when the model folder ships ``tokenizer.json``).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_32ba9717b40f26bb.txt"
SAMPLE = ROOT / "samples" / "01_banjir_semarang.txt"
_SCRIPT = Path(sys.executable).parent / "kutip"
KUTIP = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-c", "import sys; from kutip.cli import main; sys.exit(main())"]

_PROBE = """
import sys, io, contextlib
from kutip.cli import main
sys.argv = ['kutip', 'extract', sys.argv[1], '--format', 'json']
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
print(sorted(m for m in sys.modules if m == 'spacy' or m.startswith('spacy.') or m.startswith('thinc')))
"""


def run(args: list[str], env: dict | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(KUTIP + args, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", type=Path)
    ap.add_argument("-n", type=int, default=15, help="runs of each (default 15)")
    ap.add_argument("--spacy", action="store_true", help="also time the model with spaCy's tokenizer")
    a = ap.parse_args()
    path = a.file or (SEED if SEED.exists() else SAMPLE)
    model_args = ["extract", str(path), "--format", "json"]
    bare_args = ["extract", "--no-model", str(path), "--format", "json"]
    spacy_env = dict(os.environ, KUTIP_TOKENIZER="spacy")
    run(model_args), run(bare_args)  # warm the OS file cache
    if a.spacy:
        run(model_args, spacy_env)
    with_model, no_model, with_spacy = [], [], []
    for _ in range(a.n):
        with_model.append(run(model_args))
        no_model.append(run(bare_args))
        if a.spacy:
            with_spacy.append(run(model_args, spacy_env))
    m, b = statistics.median(with_model), statistics.median(no_model)
    loaded = subprocess.run([sys.executable, "-c", _PROBE, str(path)], check=True, capture_output=True,
                            text=True).stdout.strip()
    print(f"file: {path}")
    print(f"runs: {a.n} of each, alternating")
    print(f"with model: median {m:.3f} s (min {min(with_model):.3f}, max {max(with_model):.3f})")
    print(f"--no-model: median {b:.3f} s (min {min(no_model):.3f}, max {max(no_model):.3f})")
    print(f"ratio: {m / b:.2f}")
    if with_spacy:
        s = statistics.median(with_spacy)
        print(f"with model, spaCy tokenizer: median {s:.3f} s (min {min(with_spacy):.3f}, "
              f"max {max(with_spacy):.3f}); ratio to --no-model {s / b:.2f}")
    print(f"spaCy modules imported with the model: {loaded}")


if __name__ == "__main__":
    main()
