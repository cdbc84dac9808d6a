"""Coverage-guided fuzzing of kutip.extract() on the text path and the HTML path (atheris/libFuzzer).

Every input is checked with the invariants of the property tests (tests/reliability/invariants.py):
no exception but a KutipInputError refusal where refusing is the contract (bytes that are not
text, HTML without article text), offsets slicing to the text, no empty statement, JSON round trip.

    .venv/bin/python fuzz/fuzz_extract.py --runs 100000            # long run, both paths
    .venv/bin/python fuzz/fuzz_extract.py --seconds 600 --path html
    .venv/bin/python fuzz/fuzz_extract.py -- -runs=1000 -max_len=20000 fuzz/corpus   # raw libFuzzer args

The first byte of each input picks the path: raw bytes (decode included), text, HTML (forced),
or the grammar article ``newsgen.render(seed)`` with the rest of the input spliced into it.
A crash is written as crash-<sha1> (libFuzzer) into --crash-dir (default fuzz/crashes/); copy it
to tests/reliability/fuzz_crashes/ and tests/reliability/test_fuzz.py replays it on every run.
Without atheris (it needs clang to build) the same target runs under a seeded random mutator.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

try:
    import atheris
except ImportError:  # pragma: no cover - exercised where atheris does not build
    atheris = None

if atheris is not None:
    with atheris.instrument_imports(include=["kutip"]):
        import kutip
        from kutip.core.errors import KutipInputError
else:
    import kutip
    from kutip.core.errors import KutipInputError

import newsgen  # noqa: E402
from invariants import check_article  # noqa: E402

PATHS = ("bytes", "text", "html", "grammar")
ONLY: tuple[str, ...] = PATHS
STATS = {p: 0 for p in PATHS}
STATS["refused"] = 0
MAX_LEN = 20_000


def one_input(data: bytes) -> None:
    if not data:
        return
    path = ONLY[data[0] % len(ONLY)]
    rest = data[1:MAX_LEN]
    STATS[path] += 1
    given_text = None
    html = None
    if path == "bytes":
        inp: str | bytes = rest
    else:
        s = rest.decode("utf-8", errors="replace")
        if path == "text":
            inp, html, given_text = s, False, s
        elif path == "html":
            inp, html = s, True
        else:  # splice the fuzz text into a grammar article at a place the input chooses
            seed = int.from_bytes(rest[:2] or b"\0", "little")
            art = newsgen.render(seed)
            at = (rest[2] if len(rest) > 2 else 0) * len(art) // 256
            inp = art[:at] + s[3:] + art[at:]
            html, given_text = False, inp
    try:
        result = kutip.extract(inp, html=html, use_model=False)
    except KutipInputError:
        if path in ("text", "grammar"):
            raise  # plain text is never refused
        STATS["refused"] += 1
        return
    check_article(result, given_text=given_text)


def _seeds() -> list[bytes]:
    """A few grammar articles and HTML pages for every path: libFuzzer mutates from these."""
    out = []
    for i in range(12):
        art = newsgen.render(i).encode("utf-8")
        out.append(bytes([i % len(PATHS)]) + art)
        out.append(bytes([2]) + b"<html><body><article>" + b"".join(
            b"<p>" + p.encode() + b"</p>" for p in newsgen.render(i + 100).split("\n\n")) + b"</article></body></html>")
    return out


def _fallback(runs: int, seconds: float, seed: int) -> None:
    """A plain random mutator over the seeds (no coverage guidance), for machines without atheris."""
    import time

    rng = random.Random(seed)
    corpus = _seeds()
    deadline = time.monotonic() + seconds if seconds else None
    n = 0
    while (not runs or n < runs) and (deadline is None or time.monotonic() < deadline):
        data = bytearray(rng.choice(corpus))
        for _ in range(rng.randint(1, 8)):
            op, pos = rng.randint(0, 3), rng.randint(0, len(data))
            if op == 0:
                data[pos:pos] = bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 4)))
            elif op == 1:
                del data[pos:pos + rng.randint(1, 8)]
            elif op == 2:
                data[pos:pos] = rng.choice(["“", "”", "\"", "«", "»", "\u200b", "<b>", "</p>", "\x00"]).encode()
            else:
                other = rng.choice(corpus)
                data[pos:pos] = other[rng.randint(0, len(other)):][:rng.randint(1, 200)]
        one_input(bytes(data))
        n += 1
    print(f"Done {n} runs (random mutator, seed {seed}) {STATS}")


def main(argv: list[str]) -> int:
    global ONLY
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=0, help="stop after this many inputs (0: no limit)")
    ap.add_argument("--seconds", type=float, default=0, help="stop after this many seconds (0: no limit)")
    ap.add_argument("--path", choices=PATHS, action="append", help="fuzz only these paths (repeatable)")
    ap.add_argument("--crash-dir", default=str(ROOT / "fuzz" / "crashes"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-atheris", action="store_true", help="use the random mutator even if atheris is there")
    ap.add_argument("libfuzzer", nargs="*", help="after --: arguments for libFuzzer (-runs=, -max_len=, corpus dirs)")
    args = ap.parse_args(argv)
    if args.path:
        ONLY = tuple(args.path)
    if atheris is None or args.no_atheris:
        _fallback(args.runs, args.seconds, args.seed)
        return 0
    import tempfile

    crash_dir = Path(args.crash_dir)
    crash_dir.mkdir(parents=True, exist_ok=True)
    dirs = [Path(a) for a in args.libfuzzer if not a.startswith("-")]
    corpus = dirs[0] if dirs else Path(tempfile.mkdtemp(prefix="kutip-fuzz-corpus-"))
    corpus.mkdir(parents=True, exist_ok=True)
    if not any(corpus.iterdir()):  # an empty corpus starts from the grammar seeds
        for i, s in enumerate(_seeds()):
            (corpus / f"seed{i:02d}").write_bytes(s)
    lf = [sys.argv[0], f"-artifact_prefix={crash_dir}/", f"-seed={args.seed}", f"-max_len={MAX_LEN}",
          "-print_final_stats=1"]
    if args.runs:
        lf.append(f"-runs={args.runs}")
    if args.seconds:
        lf.append(f"-max_total_time={int(args.seconds)}")
    lf += [a for a in args.libfuzzer if a.startswith("-")] + [str(d) for d in dirs or [corpus]]
    atheris.Setup(lf, one_input)
    atheris.Fuzz()  # libFuzzer prints "Done N runs in S second(s)" and exits
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
