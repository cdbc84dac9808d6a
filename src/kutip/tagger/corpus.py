"""Training corpus: article splitting, de-duplication by sentence, folds by article."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from kutip.errors import KutipInputError
from kutip.tagger.conll import Sentence, read_conll

DATELINE_WINDOW = 8


def is_dateline(tokens: list[str]) -> bool:
    """A Kompas dateline opens the sentence: ``JAKARTA , KOMPAS —`` (or ``-``)."""
    head = tokens[:DATELINE_WINDOW]
    if "KOMPAS" not in head:
        return False
    i = head.index("KOMPAS")
    return i == 0 or tokens[i - 1] == ","


def _starts_issue(s: Sentence) -> bool:
    return bool(s.labels) and any(l in ("B-ISSUE", "U-ISSUE") for l in s.labels)


@dataclass
class Article:
    sentences: list[Sentence]
    source: str

    @property
    def n_tokens(self) -> int:
        return sum(len(s.tokens) for s in self.sentences)


def split_articles(sents: list[Sentence], source: str = "") -> list[Article]:
    """Split a labelled sentence stream into articles.

    A new article starts at a dateline sentence, or at a sentence opening an ISSUE
    span when the current article already has its ISSUE (articles without datelines).
    Unlabelled text can only be split at datelines (see ``segment_documents``).
    """
    arts: list[Article] = []
    cur: list[Sentence] = []
    has_issue = False
    has_dateline = False
    for s in sents:
        dl = is_dateline(s.tokens)
        iss = _starts_issue(s)
        if cur and (dl or (iss and has_issue)):
            # a dateline sentence right after an issue-only start that has no dateline yet
            arts.append(Article(cur, source))
            cur, has_issue, has_dateline = [], False, False
        cur.append(s)
        has_issue = has_issue or iss
        has_dateline = has_dateline or dl
    if cur:
        arts.append(Article(cur, source))
    return arts


def segment_documents(sents: list[list[str]]) -> list[tuple[int, int]]:
    """Document boundaries for unlabelled text: [start, end) sentence ranges cut at datelines."""
    out = []
    start = 0
    for i, toks in enumerate(sents):
        if i > start and is_dateline(toks):
            out.append((start, i))
            start = i
    if start < len(sents):
        out.append((start, len(sents)))
    return out


def _key(s: Sentence) -> tuple[str, ...]:
    return tuple(s.tokens)


def load_corpus(data: Path, files: Optional[list[str]] = None) -> tuple[list[Article], dict]:
    """Read every ``*.conll`` in ``data`` (or the given files), split into articles, and
    de-duplicate by sentence: an article whose sentences mostly appeared already is
    dropped as a copy; remaining repeated sentences are removed.
    """
    data = Path(data)
    if data.is_file():
        paths = [data]
    else:
        if not data.is_dir():
            raise KutipInputError(f"{data}: no such directory; give the folder holding the PFSA-ID .conll files")
        paths = sorted(data.glob("*.conll"))
        if files:
            paths = [data / f for f in files]
    if not paths:
        raise KutipInputError(f"{data}: no .conll files found")
    seen: set[tuple[str, ...]] = set()
    out: list[Article] = []
    stats = {"files": [p.name for p in paths], "sentences_read": 0, "articles_read": 0,
             "articles_dropped_as_copies": 0, "sentences_dropped": 0}
    for p in paths:
        sents = read_conll(p, require_labels=True)
        stats["sentences_read"] += len(sents)
        arts = split_articles(sents, p.name)
        stats["articles_read"] += len(arts)
        for a in arts:
            dup = sum(_key(s) in seen for s in a.sentences)
            if dup * 2 >= len(a.sentences):
                stats["articles_dropped_as_copies"] += 1
                stats["sentences_dropped"] += len(a.sentences)
                continue
            keep = []
            for s in a.sentences:
                k = _key(s)
                if k in seen:
                    stats["sentences_dropped"] += 1
                    continue
                seen.add(k)
                keep.append(s)
            out.append(Article(keep, a.source))
    stats["articles"] = len(out)
    stats["sentences"] = sum(len(a.sentences) for a in out)
    stats["tokens"] = sum(a.n_tokens for a in out)
    return out, stats


def fold_of(article: Article, k: int) -> int:
    """Deterministic fold by a hash of the article's first sentence."""
    h = hashlib.sha1(" ".join(article.sentences[0].tokens).encode("utf-8")).digest()
    return int.from_bytes(h[:4], "big") % k
