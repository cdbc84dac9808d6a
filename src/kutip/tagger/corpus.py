"""Training corpus: article splitting, de-duplication by sentence, folds by dateline document."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from kutip.core.errors import KutipInputError
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
    # the dateline document the article arrives in (its first sentence): an undated
    # article is read inside the one before it, so both share a fold (``fold_of``)
    doc: str = ""

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


def join_undated(arts: list[Article]) -> list[Article]:
    """Join every article that does not open with a dateline to the one before it.

    Unlabelled text can only be cut at datelines (``segment_documents``), so that is
    how ``kutip tag`` meets a stream of articles: an undated article arrives inside
    the previous one. Cross-validation tags these documents, as ``kutip tag`` would.
    """
    out: list[Article] = []
    for a in arts:
        if out and a.sentences and not is_dateline(a.sentences[0].tokens) and a.doc == out[-1].doc:
            out[-1] = Article(out[-1].sentences + a.sentences, out[-1].source, out[-1].doc)
        else:
            out.append(Article(list(a.sentences), a.source, a.doc))
    return out


def _mark_documents(arts: list[Article]) -> None:
    """Give each article the key of the dateline document it arrives in."""
    doc = ""
    for a in arts:
        if not doc or is_dateline(a.sentences[0].tokens):
            doc = " ".join(a.sentences[0].tokens)
        a.doc = doc


def _key(s: Sentence) -> tuple[str, ...]:
    return tuple(s.tokens)


def load_corpus(data: Path, files: Optional[list[str]] = None) -> tuple[list[Article], dict]:
    """Read every ``*.conll`` in ``data`` (or the given files), split into articles, and
    de-duplicate by sentence: an article whose sentences mostly appeared already is
    dropped as a copy; remaining repeated sentences are removed. Each article is
    marked with the dateline document it arrives in (``Article.doc``).
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
        kept: list[Article] = []
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
            if keep:
                kept.append(Article(keep, a.source))
        _mark_documents(kept)
        out.extend(kept)
    stats["articles"] = len(out)
    stats["documents"] = len({a.doc for a in out})
    stats["sentences"] = sum(len(a.sentences) for a in out)
    stats["tokens"] = sum(a.n_tokens for a in out)
    return out, stats


def fold_of(article: Article, k: int) -> int:
    """Deterministic fold by a hash of the first sentence of the article's dateline
    document, so an undated article is never on the other side of the one it follows."""
    key = article.doc or " ".join(article.sentences[0].tokens)
    h = hashlib.sha1(key.encode("utf-8")).digest()
    return int.from_bytes(h[:4], "big") % k
