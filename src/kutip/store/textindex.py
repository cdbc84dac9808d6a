"""Indonesian-aware search terms: tokenise, drop function words, stem with Sastrawi.

The same function turns statements into index terms and queries into search
terms, so "berunding", "perundingan" and "merundingkan" all become "runding".
Sastrawi is slow per call, so stems are memoised per word.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
MAX_TERM = 64
# A query uses at most this many distinct terms (the first ones, in query order): each term is one
# more self-join of the postings, and SQLite refuses more than 64 tables in a join (PostgreSQL
# plans 65 joins in seconds). Further words are ignored, so a longer query matches more, not less.
MAX_QUERY_TERMS = 32

# Very frequent function words: not indexed, ignored in queries.
STOPWORDS = frozenset("""
yang dan di ke dari ini itu dengan untuk pada dalam adalah akan tidak juga atau oleh karena
sebagai bahwa para kepada telah sudah saat bisa ada agar serta jika maka pun lah kah tersebut
the of a an to in is
""".split())

_stemmer = None
_lock = threading.Lock()


def _get_stemmer():
    global _stemmer
    if _stemmer is None:
        with _lock:
            if _stemmer is None:
                from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                _stemmer = StemmerFactory().create_stemmer()
    return _stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem of one lower-case word (memoised)."""
    if len(word) <= 3 or any(ch.isdigit() for ch in word):
        return word
    out = _get_stemmer().stem(word)
    return out or word


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return text


def words(text: str) -> list[str]:
    return _WORD.findall(_fold(text or ""))


def terms(text: str) -> list[str]:
    """The index terms of a text, in order (stopwords removed, stemmed)."""
    out = []
    for w in words(text):
        if w in STOPWORDS:
            continue
        t = stem(w)
        if t and t not in STOPWORDS:
            out.append(t[:MAX_TERM])
    return out


def term_counts(text: str) -> tuple[Counter, int]:
    """(term -> frequency, document length in terms)."""
    ts = terms(text)
    return Counter(ts), len(ts)


def query_terms(q: str, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """Distinct search terms of a query, in order: the first ``limit`` of them (MAX_QUERY_TERMS)."""
    seen: dict[str, None] = {}
    for t in terms(q):
        seen.setdefault(t, None)
        if len(seen) >= limit:
            break
    return list(seen)
