"""Near-identical statements across articles: MinHash signatures over word shingles,
cut into LSH bands whose hashes are stored in the database (table ``lsh_band``),
so candidates are found by band-hash look-up, never by comparing all pairs.
Candidates are then confirmed with the exact Jaccard similarity of the shingles.
"""
from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from functools import lru_cache

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 60
BANDS = 20
ROWS = 3           # BANDS * ROWS == NUM_PERM; LSH threshold ~ (1/20)^(1/3) = 0.37: high recall at 0.6
THRESHOLD = 0.6    # exact Jaccard of shingles required to join a cluster
MIN_WORDS = 5      # shorter statements are too generic to cluster
SHINGLE = 2        # word bigrams: one edited word changes only two shingles
SEED = 7
SCHEME = "affine32"  # datasketch >= 2; fixed so stored band hashes stay comparable

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def norm_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _WORD.findall(text)


def shingles(text: str) -> set[str]:
    w = norm_words(text)
    if len(w) < MIN_WORDS:
        return set()
    return {" ".join(w[i:i + SHINGLE]) for i in range(len(w) - SHINGLE + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@lru_cache(maxsize=1)
def _minhash():
    """datasketch's MinHash, imported on first use: read-only commands never pay for it (it pulls
    in scipy)."""
    from datasketch import MinHash  # noqa: PLC0415

    return MinHash


@lru_cache(maxsize=1)
def _template():
    return _minhash()(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


def signature(sh: set[str]) -> "np.ndarray":
    m = _minhash()(num_perm=NUM_PERM, seed=SEED, permutations=_template().permutations, scheme=SCHEME)
    m.update_batch([s.encode("utf-8") for s in sh])
    return m.hashvalues


def band_keys(sh: set[str]) -> list[int]:
    """Signed 64-bit band hashes of a shingle set (empty for texts too short to cluster)."""
    if not sh:
        return []
    hv = signature(sh)
    keys = []
    for b in range(BANDS):
        chunk = hv[b * ROWS:(b + 1) * ROWS].astype("<u8").tobytes()
        d = hashlib.blake2b(bytes([b]) + chunk, digest_size=8).digest()
        keys.append(struct.unpack("<q", d)[0])
    return keys
