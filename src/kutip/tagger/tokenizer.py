"""spaCy's blank Indonesian tokenizer and sentencizer, in pure Python, from frozen data.

``spacy.blank("id")`` costs seconds per process (the import, then ~16K tokenizer
special cases compiled into a phrase matcher), more than tagging an article. This
module runs the same algorithm (spaCy 3.x ``tokenizer.pyx`` and
``pipeline/sentencizer.pyx``) over data frozen once from spaCy into
``tokenizer.json`` beside the model (``freeze``, called by ``kutip train`` and by
``scripts/freeze_tokenizer.py``), so tagging needs no spaCy at run time.

The tokenizer, as in spaCy:

1. Split the text into runs of whitespace and non-whitespace (``str.isspace``); one
   ``' '`` after a word is the word's trailing space, any other whitespace is a token
   of its own (a whitespace run at the very start keeps its first space).
2. Each run ("chunk"): a special case gives its tokens. Otherwise prefixes and
   suffixes are cut off in turn until none is left, the remainder matches
   ``token_match`` or is a special case, or the remainder minus a prefix (suffix)
   is a special case. The core left is a special case, a ``token_match`` or
   ``url_match`` match (one token), or is split at the ``infix`` matches (an infix
   at position 0 is not split off).
3. Special cases that span affixes or spaces (``Dr. rer. nat.``, ``:)``) are found
   afterwards by a phrase matcher over the token texts, the patterns being the
   keys' own tokenisation without special cases; the longest non-overlapping
   matches whose text is a special case's key are re-tokenised as that key.

The sentencizer: a sentence starts at the first token and at every token that is
neither punctuation nor a sentence-final mark, after one that is a sentence-final
mark (``punct_chars``). ``sentences`` adds what ``Tagger.tokenize`` adds: whitespace
tokens dropped, and a line break also ends a sentence.
"""
from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

__all__ = ["TOKENIZER_FILE", "FrozenTokenizer", "load_tokenizer", "freeze", "frozen_data"]

TOKENIZER_FILE = "tokenizer.json"
FORMAT = 1
_CACHE_MAX = 200_000  # memoised chunks (spaCy caches 10K); beyond that, chunks are recomputed
_RUN = re.compile(r"\s+|\S+")  # \s is str.isspace for str patterns


def _re_key() -> str:
    """What compiled ``re`` code is valid for: this interpreter and its regex engine."""
    import _sre

    v = sys.version_info
    return f"{sys.implementation.name}-{v.major}.{v.minor}.{v.micro}-{_sre.MAGIC}-{_sre.CODESIZE}"


def _compile(pattern: str, frozen: Optional[dict]) -> re.Pattern:
    """``re.compile(pattern)``, skipping the parse and compile steps (~40 ms for spaCy's
    affix patterns, whose character classes span most of Unicode) when ``frozen`` holds
    the code this interpreter's ``re`` compiled the pattern to (``_compiled_code``)."""
    if frozen is not None and frozen.get("crc32") == zlib.crc32(pattern.encode("utf-8")):
        try:
            import _sre

            return _sre.compile(pattern, frozen["flags"], frozen["code"], frozen["groups"],
                                frozen["groupindex"], tuple(frozen["indexgroup"]))
        except Exception:  # noqa: BLE001 - any doubt: compile from the pattern
            pass
    return re.compile(pattern)


def _compiled_code(patterns: dict[str, str]) -> Optional[dict]:
    """The arguments ``re.compile`` passes to ``_sre.compile`` for each pattern (CPython's
    ``re._compiler.compile``), keyed by ``_re_key``; None where that is not available."""
    if sys.implementation.name != "cpython":
        return None
    try:
        from re import _compiler, _parser
    except ImportError:
        return None
    out: dict = {"key": _re_key()}
    for name, pattern in patterns.items():
        p = _parser.parse(pattern, 0)
        code = _compiler._code(p, 0)
        groupindex = dict(p.state.groupdict)
        indexgroup = [None] * p.state.groups
        for k, i in groupindex.items():
            indexgroup[i] = k
        entry = {"crc32": zlib.crc32(pattern.encode("utf-8")), "flags": p.state.flags, "code": list(code),
                 "groups": p.state.groups - 1, "groupindex": groupindex, "indexgroup": indexgroup}
        reference = re.compile(pattern)
        check = _compile(pattern, entry)
        if check != reference:  # Pattern equality compares flags and compiled code
            return None
        out[name] = entry
    return out


def _is_punct(text: str) -> bool:
    """spaCy's ``Lexeme.is_punct``: every character in a Unicode P* category."""
    for ch in text:
        if not unicodedata.category(ch).startswith("P"):
            return False
    return True


class FrozenTokenizer:
    """A tokenizer + sentencizer equal to spaCy's, built from ``frozen_data()``."""

    def __init__(self, data: dict):
        if data.get("format") != FORMAT:
            raise ValueError(f"tokenizer data format {data.get('format')!r}, expected {FORMAT}")

        compiled_code = data.get("re_compiled") or {}
        if compiled_code.get("key") != _re_key():
            compiled_code = {}

        def compiled(key: str, method: str):
            pattern = data.get(key)
            if pattern is None:
                return None
            return getattr(_compile(pattern, compiled_code.get(key)), method)

        self._prefix_search = compiled("prefix", "search")
        self._suffix_search = compiled("suffix", "search")
        self._infix_finditer = compiled("infix", "finditer")
        self._token_match = compiled("token_match", "match")
        self._url_match = compiled("url_match", "match")
        specials: dict[str, tuple[str, ...]] = {k: (k,) for k in data["specials_single"]}
        specials.update((k, tuple(v)) for k, v in data["specials"].items())
        self._specials = specials
        # spaCy's chunk cache, holding what its construction left there (``frozen_data``)
        self._cache: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in data.get("stale_cache", {}).items()}
        # phrase-matcher patterns by their first token text (lists of token texts)
        self._patterns: dict[str, list[list[str]]] = data["matcher"]
        self._punct_chars = frozenset(data["punct_chars"])
        self.meta = {k: data.get(k) for k in ("spacy", "lang")}

    # -- the tokenizer --------------------------------------------------------------
    def _chunk(self, chunk: str) -> tuple[str, ...]:
        """Token texts of one whitespace-delimited chunk (spaCy's ``_tokenize``)."""
        got = self._specials.get(chunk)
        if got is not None:
            return got
        got = self._cache.get(chunk)
        if got is not None:
            return got
        got = self._split(chunk)
        if len(self._cache) < _CACHE_MAX:
            self._cache[chunk] = got
        return got

    def _split(self, string: str) -> tuple[str, ...]:
        specials = self._specials
        token_match = self._token_match
        prefix_search = self._prefix_search
        suffix_search = self._suffix_search
        prefixes: list[str] = []
        suffixes: list[str] = []
        last_size = 0
        # _split_affixes
        while string and len(string) != last_size:
            if token_match is not None and token_match(string):
                break
            if string in specials:
                break
            last_size = len(string)
            pre_len = 0
            if prefix_search is not None:
                m = prefix_search(string)
                if m is not None:
                    pre_len = m.end() - m.start()
            if pre_len:
                prefix = string[:pre_len]
                minus_pre = string[pre_len:]
                if minus_pre and minus_pre in specials:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = 0
            if suffix_search is not None:
                m = suffix_search(string[pre_len:])
                if m is not None:
                    suf_len = m.end() - m.start()
            if suf_len:
                suffix = string[-suf_len:]
                minus_suf = string[:-suf_len]
                if minus_suf and minus_suf in specials:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and (pre_len + suf_len) <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        # _attach_tokens
        out = prefixes
        if string:
            got = specials.get(string)
            if got is None:
                got = self._cache.get(string)
            if got is not None:
                out.extend(got)
            elif ((token_match is not None and token_match(string))
                  or (self._url_match is not None and self._url_match(string))):
                out.append(string)
            else:
                matches = list(self._infix_finditer(string)) if self._infix_finditer is not None else []
                if not matches:
                    out.append(string)
                else:
                    start = 0
                    for m in matches:
                        a, b = m.start(), m.end()
                        if a == 0:  # spaCy: infix_start == start_before_infixes (0)
                            continue
                        if a != start:
                            out.append(string[start:a])
                        if a != b:
                            out.append(string[a:b])
                        start = b
                    if string[start:]:
                        out.append(string[start:])
        out.extend(reversed(suffixes))
        return tuple(out)

    def tokens(self, text: str) -> list[tuple[str, int]]:
        """All tokens (whitespace tokens included) as (text, character offset), as
        ``[(t.text, t.idx) for t in nlp.tokenizer(text)]``."""
        orths: list[str] = []
        idxs: list[int] = []
        for m in _RUN.finditer(text):
            a = m.start()
            chunk = m.group()
            if a and chunk[0] == " " and not text[a - 1].isspace():
                # the single space after a word is its trailing whitespace, not a token
                chunk = chunk[1:]
                a += 1
                if not chunk:
                    continue
            for t in self._chunk(chunk):
                orths.append(t)
                idxs.append(a)
                a += len(t)
        if self._patterns and orths:
            orths, idxs = self._special_spans(text, orths, idxs)
        return list(zip(orths, idxs))

    def _special_spans(self, text: str, orths: list[str], idxs: list[int]) -> tuple[list[str], list[int]]:
        """spaCy's ``_apply_special_cases``: phrase-matcher matches over the token texts."""
        patterns = self._patterns
        n = len(orths)
        matches: list[tuple[int, int]] = []
        for i, orth in enumerate(orths):
            cands = patterns.get(orth)
            if cands is None:
                continue
            for p in cands:  # every pattern found at i, as spaCy's trie walk finds them
                j = i + len(p)
                if j <= n and orths[i:j] == p:
                    matches.append((i, j))
        if not matches:
            return orths, idxs
        # longest first, then leftmost; a match is kept unless its first or last token
        # lies in a match seen before (kept or not)
        matches.sort(key=lambda s: (s[0] - s[1], s[0]))
        seen: set[int] = set()
        kept = []
        for a, b in matches:
            if a not in seen and (b - 1) not in seen:
                kept.append((a, b))
            seen.update(range(a, b))
        kept.sort()
        out_o: list[str] = []
        out_i: list[int] = []
        k = 0
        for a, b in kept:
            if a < k:  # cannot happen (spaCy indexes spans by start); be safe
                continue
            out_o.extend(orths[k:a])
            out_i.extend(idxs[k:a])
            start = idxs[a]
            span_text = text[start:idxs[b - 1] + len(orths[b - 1])]
            rule = self._specials.get(span_text)
            if rule is None:
                out_o.extend(orths[a:b])
                out_i.extend(idxs[a:b])
            else:
                for t in rule:
                    out_o.append(t)
                    out_i.append(start)
                    start += len(t)
            k = b
        out_o.extend(orths[k:])
        out_i.extend(idxs[k:])
        return out_o, out_i

    # -- the sentencizer -----------------------------------------------------------
    def sent_starts(self, toks: list[tuple[str, int]]) -> list[bool]:
        """spaCy's ``Sentencizer.predict`` for one doc."""
        punct_chars = self._punct_chars
        starts = [False] * len(toks)
        if toks:
            starts[0] = True
            seen_period = False
            for i, (t, _) in enumerate(toks):
                in_punct_chars = t in punct_chars
                if seen_period and not in_punct_chars and not _is_punct(t):
                    starts[i] = True
                    seen_period = False
                elif in_punct_chars:
                    seen_period = True
        return starts

    def sentences(self, text: str) -> list[list[tuple[str, int]]]:
        """Sentences of (token, char offset) as ``Tagger.tokenize`` gives them: spaCy's
        sentences, whitespace tokens dropped, every line break also ending a sentence."""
        toks = self.tokens(text)
        starts = self.sent_starts(toks)
        out: list[list[tuple[str, int]]] = []
        cur: list[tuple[str, int]] = []
        prev_end = 0
        for (t, idx), start in zip(toks, starts):
            if start and cur:
                out.append(cur)
                cur = []
            if t.isspace():
                continue
            if cur and "\n" in text[prev_end:idx]:
                out.append(cur)
                cur = []
            cur.append((t, idx))
            prev_end = idx + len(t)
        if cur:
            out.append(cur)
        return out


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> FrozenTokenizer:
    return FrozenTokenizer(json.loads(Path(path).read_text(encoding="utf-8")))


def load_tokenizer(path: Union[str, Path]) -> Optional[FrozenTokenizer]:
    """The frozen tokenizer at ``path`` (a ``tokenizer.json`` or a model folder holding
    one), loaded once per process; None when there is none."""
    p = Path(path)
    if p.is_dir():
        p = p / TOKENIZER_FILE
    try:
        mtime = p.stat().st_mtime_ns
    except OSError:
        return None
    return _load(str(p.resolve()), mtime)


# -- freezing (imports spaCy) ----------------------------------------------------------
def _pattern(fn) -> Optional[str]:
    if fn is None:
        return None
    owner = getattr(fn, "__self__", None)
    if not isinstance(owner, re.Pattern):
        raise TypeError(f"cannot freeze tokenizer callable {fn!r}: not a method of a compiled re pattern")
    if owner.flags & ~re.UNICODE:
        raise TypeError(f"cannot freeze pattern with flags {owner.flags}")
    return owner.pattern


def frozen_data(lang: str = "id") -> dict:
    """Freeze ``spacy.blank(lang)``'s tokenizer and the default sentencizer into plain data."""
    import spacy
    from spacy.pipeline import Sentencizer
    from spacy.symbols import ORTH
    from spacy.tokenizer import Tokenizer

    nlp = spacy.blank(lang)
    tok = nlp.tokenizer
    rules = tok.rules
    # the same tokenizer without special cases: what spaCy tokenises a special case's
    # key with to build its phrase-matcher pattern (``_tokenize_affixes(key, False)``)
    bare = Tokenizer(nlp.vocab, rules={}, prefix_search=tok.prefix_search, suffix_search=tok.suffix_search,
                     infix_finditer=tok.infix_finditer, token_match=tok.token_match, url_match=tok.url_match)

    def bare_tokens(s: str) -> list[str]:
        return [t.text for t in bare(s)]

    def needs_matcher(key: str) -> bool:
        return bool(not tok.faster_heuristics or tok.find_prefix(key) or tok.find_infix(key)
                    or tok.find_suffix(key) or " " in key)

    specials: dict[str, list[str]] = {}
    single: list[str] = []
    patterns: set[tuple[str, ...]] = set()
    for key in sorted(rules):
        orths = [sub[ORTH] if ORTH in sub else sub["ORTH"] for sub in rules[key]]
        if orths == [key]:
            single.append(key)
        else:
            specials[key] = orths
        if needs_matcher(key):
            pattern = tuple(bare_tokens(key))
            if pattern:
                patterns.add(pattern)
    # spaCy flushes its chunk cache before adding each special case, then tokenises the
    # key (without special cases) when it needs a matcher pattern: the chunks of the last
    # key stay in the cache with that tokenisation, consulted after special cases
    stale: dict[str, list[str]] = {}
    last = max(rules) if rules else None
    if last is not None and needs_matcher(last):
        for m in _RUN.finditer(last):
            a = m.start()
            chunk = m.group()
            if a and chunk[0] == " " and not last[a - 1].isspace():
                chunk = chunk[1:]
            if chunk:
                stale[chunk] = bare_tokens(chunk)
    matcher: dict[str, list[list[str]]] = {}
    for p in sorted(patterns):
        matcher.setdefault(p[0], []).append(list(p))
    patterns_re = {"prefix": _pattern(tok.prefix_search), "suffix": _pattern(tok.suffix_search),
                   "infix": _pattern(tok.infix_finditer), "token_match": _pattern(tok.token_match),
                   "url_match": _pattern(tok.url_match)}
    return {
        "format": FORMAT,
        "lang": lang,
        "spacy": spacy.__version__,
        **patterns_re,
        "punct_chars": sorted(Sentencizer.default_punct_chars),
        "specials_single": single,
        "specials": specials,
        "matcher": matcher,
        "re_compiled": _compiled_code({k: v for k, v in patterns_re.items() if v is not None}),
        "stale_cache": stale,
    }


@lru_cache(maxsize=2)
def _frozen_json(lang: str) -> str:
    return json.dumps(frozen_data(lang), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def freeze(out: Union[str, Path], lang: str = "id") -> Path:
    """Write ``tokenizer.json`` (into ``out`` when it is a folder); imports spaCy."""
    p = Path(out)
    if p.is_dir():
        p = p / TOKENIZER_FILE
    tmp = p.with_name(p.name + f".{os.getpid()}.tmp")
    tmp.write_text(_frozen_json(lang) + "\n", encoding="utf-8")
    os.replace(tmp, p)
    return p
