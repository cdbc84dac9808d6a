"""Freeze spaCy's blank Indonesian tokenizer + sentencizer into a model folder.

    .venv/bin/python scripts/freeze_tokenizer.py [MODEL_DIR ...]

Writes MODEL_DIR/tokenizer.json (default: the shipped model, src/kutip/models/pfsa-id):
the prefix, suffix, infix and URL patterns (with CPython's compiled code for them),
the special-case table, the phrase-matcher patterns and the sentencizer's marks, read
from the installed spaCy. ``Tagger.tokenize`` then runs ``kutip.tagger.tokenizer``
over it instead of importing spaCy. ``kutip train`` writes the file itself; run this
for a model trained before, or after upgrading spaCy or Python (the compiled code is
only used by the exact interpreter that wrote it; others compile the patterns).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kutip.tagger.tokenizer import freeze  # noqa: E402


def main(argv: list[str]) -> None:
    dirs = [Path(a) for a in argv] or [ROOT / "src" / "kutip" / "models" / "pfsa-id"]
    for d in dirs:
        if not (d / "meta.json").exists():
            sys.exit(f"{d}: not a kutip model folder (no meta.json)")
        print(freeze(d))


if __name__ == "__main__":
    main(sys.argv[1:])
