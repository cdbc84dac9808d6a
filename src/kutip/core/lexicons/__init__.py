"""Word lists and patterns as data: one readable file per lexicon in this folder.

Files are UTF-8, one entry a line; ``#`` starts a comment line. Loaded once and
cached, so a rule can ask for a lexicon on its hot path for free.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def entries(name: str) -> tuple[str, ...]:
    """The entries of lexicon ``name`` (file name without ``.txt``), in file order."""
    text = resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=None)
def lowered(name: str) -> frozenset[str]:
    """Case-folded entries of lexicon ``name``, for membership tests."""
    return frozenset(e.casefold() for e in entries(name))


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The tab-separated rows of ``name.tsv`` (``#`` comment lines and blank lines skipped)."""
    text = resources.files(__package__).joinpath(f"{name}.tsv").read_text(encoding="utf-8")
    return tuple(tuple(c.strip() for c in line.split("\t")) for line in text.splitlines()
                 if line.strip() and not line.startswith("#") and "\t" in line)


@lru_cache(maxsize=None)
def table(name: str) -> dict[str, str]:
    """A two-column ``.tsv`` lexicon as a dict keyed by the case-folded first column."""
    return {r[0].casefold(): "\t".join(r[1:]) for r in rows(name)}


@lru_cache(maxsize=None)
def document(name: str):
    """A structured lexicon, ``name.json`` (patterns and word classes that are more than a list)."""
    import json

    return json.loads(resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def closed_class(name: str) -> frozenset[str]:
    """A closed word class of the grammar (``closed_classes.json``): prepositions, conjunctions,
    adjunct openers, abbreviations; case-folded."""
    words = document("closed_classes").get(name)
    if words is None:
        raise KeyError(f"closed_classes.json has no class {name!r}")
    return frozenset(w.casefold() for w in words)
