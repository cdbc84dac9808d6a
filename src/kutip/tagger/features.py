"""Token features over a whole document (not per sentence) for the CRF tagger.

Besides the usual word, shape, affix and window features, each token sees what the
rule engine sees over the whole article: whether it lies inside a quotation (quote
marks paired by parity over the article, since Kompas opens quotes with ” as often
as with “), facts about that quotation (length, sentences crossed, a cue verb just
after it), distances to the nearest quote mark and cue verb, whether a capitalised
word was met earlier in the article, and the sentence's place after the dateline.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

from kutip.tagger.rule_features import token_rule_features

QUOTES = frozenset({'"', "“", "”", "''", "``", "„", "«", "»"})

# Kompas (and so PFSA-ID) writes ” and “; other outlets use ASCII or low quotes: they
# are read as ” so the model sees the marks it was trained on.
_QUOTE_NORM = {'"': "”", "''": "”", "``": "”", "„": "”", "«": "”", "»": "”"}

VOCAB_FILE = "word_classes.json"
# the rule engine's lexicons whose entries the features match (frozen into each model's vocabulary)
LEXICONS = ("roles", "domain_words", "org_heads", "known_organizations", "places", "event_heads",
            "honorifics", "person_nouns")


class Vocab:
    """The word classes and lexicon entries a model's features test membership in. They are frozen
    with the model (``word_classes.json`` in its folder): the features a model sees are the ones it
    was trained on, whatever later edits do to the rule engine's lexicons."""

    def __init__(self, data: dict):
        c = {k: frozenset(v) for k, v in data["classes"].items()}
        self.data = data
        self.cue_bases = c["cue_bases"]          # kata, ujar: "ujarnya" is a cue pointing back to its speaker
        self.cue_verbs = c["cue_verbs"]          # mengatakan, menjelaskan
        self.pronouns = c["pronouns"]
        self.role_words = c["role_words"]
        self.org_words = c["org_words"]
        self.common_people = c["common_people"]  # warga, pedagang: private people, not public figures
        self.days = c["days"]
        self.months = c["months"]
        self.time_words = c["time_words"]
        self.loc_preps = c["location_prepositions"]
        self.event_words = c["event_words"]
        self.chain_links = c["chain_links"]              # dan, bin: words inside a run of capitalised words
        self.quote_introducers = c["quote_introducers"]  # menurut, bahwa: words that lead into a quotation
        self._info: dict[str, tuple] = {}
        index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for name, items in data["lexicons"].items():
            for e in items:
                words = tuple(re.findall(r"\w+(?:[-'’.]\w+)*|[^\w\s]", e.casefold()))
                if words:
                    index.setdefault(words[0], []).append((name, words))
        for v in index.values():
            v.sort(key=lambda x: -len(x[1]))
        self.lexicon_index = index

    @classmethod
    def load(cls, model_dir) -> "Vocab":
        path = Path(model_dir) / VOCAB_FILE
        if not path.exists():
            raise FileNotFoundError(f"{path}: the model's vocabulary is missing; retrain it with `kutip train`")
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def write(self, model_dir) -> None:
        (Path(model_dir) / VOCAB_FILE).write_text(json.dumps(self.data, ensure_ascii=False, indent=0) + "\n",
                                                  encoding="utf-8")

    def is_cuecoref(self, low: str) -> bool:
        return low.endswith("nya") and low[:-3] in self.cue_bases

    def lex_class(self, w: str, low: str) -> str:
        if w in QUOTES:
            return "Q"
        if low in self.cue_bases:
            return "CUE"
        if low in self.cue_verbs:
            return "CUEV"
        if self.is_cuecoref(low):
            return "CUENYA"
        if low in self.pronouns:
            return "PRO"
        if low in self.role_words:
            return "ROLE"
        if low in self.org_words:
            return "ORG"
        if low in self.days:
            return "DAY"
        if low in self.months:
            return "MON"
        if low in self.time_words:
            return "TIME"
        if low in self.event_words:
            return "EVT"
        if low in self.loc_preps:
            return "PREP"
        if w[:1].isupper():
            return "CAP"
        if w[:1].isdigit():
            return "NUM"
        if not w[:1].isalnum():
            return "P"
        return "w"

    def word_info(self, w: str) -> tuple[str, str, str, tuple[str, ...], tuple[tuple[str, ...], ...]]:
        """(lower, shape, class, static features of the token itself, what it shows its
        neighbours), cached."""
        info = self._info.get(w)
        if info is None:
            if len(self._info) > 200_000:
                self._info.clear()
            info = self._info[w] = _word_info(w, self.lex_class)
        return info


@lru_cache(maxsize=1)
def default_vocab() -> Vocab:
    """The shipped model's vocabulary: what ``kutip train`` trains a new model with."""
    from kutip.tagger import DEFAULT_MODEL_DIR

    return Vocab.load(DEFAULT_MODEL_DIR)


_SHAPE_SUB = (
    (re.compile(r"[A-Z]"), "X"),
    (re.compile(r"[a-z]"), "x"),
    (re.compile(r"[0-9]"), "d"),
)


@lru_cache(maxsize=200_000)
def word_shape(w: str) -> str:
    s = w
    for rx, r in _SHAPE_SUB:
        s = rx.sub(r, s)
    # collapse runs
    out = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)[:6]


def _word_info(w: str, lex_class) -> tuple[str, str, str, tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """(lower, shape, class, static features of the token itself, what it shows its neighbours)."""
    low = w.lower()
    shape = word_shape(w)
    cls = lex_class(w, low)
    feats = [
        "w=" + low,
        "W=" + w,
        "sh=" + shape,
        "c=" + cls,
        "p2=" + low[:2],
        "p3=" + low[:3],
        "s2=" + low[-2:],
        "s3=" + low[-3:],
        "s4=" + low[-4:],
    ]
    if len(w) == 1:
        feats.append("len1")
    if low.endswith("nya") and len(low) > 4:
        feats.append("nya")
        feats.append("stem=" + low[:-3])
    if "-" in w and len(w) > 1:
        feats.append("hyph")
    if w.isupper() and len(w) > 1:
        feats.append("ALLCAP")
    return low, shape, cls, tuple(feats), _window_feats(low, cls, shape)


def lexicon_features(lows: list[str], vocab: Vocab) -> list[tuple[str, ...]]:
    """``lx<lexicon>=<B|I|L|U>`` where a lexicon entry matches, longest match first."""
    index = vocab.lexicon_index
    out: list[list[str]] = [[] for _ in lows]
    n = len(lows)
    for i, w in enumerate(lows):
        seen = set()
        for name, words in index.get(w, ()):
            m = len(words)
            if name in seen or i + m > n or tuple(lows[i:i + m]) != words:
                continue
            seen.add(name)
            for k in range(i, i + m):
                pos = "U" if m == 1 else "B" if k == i else "L" if k == i + m - 1 else "I"
                out[k].append(f"lx{name}={pos}")
    return [tuple(x) for x in out]


def _bucket(d: int) -> str:
    if d < 0:
        return "none"
    if d <= 3:
        return str(d)
    if d <= 6:
        return "4-6"
    if d <= 12:
        return "7-12"
    if d <= 25:
        return "13-25"
    return "26+"


def _len_bucket(n: int) -> str:
    if n <= 2:
        return "1-2"
    if n <= 5:
        return "3-5"
    if n <= 10:
        return "6-10"
    if n <= 20:
        return "11-20"
    if n <= 40:
        return "21-40"
    return "41+"


def _chains(toks, lows, shapes, classes, sent_id, links):
    """Runs of capitalised words (names, roles, organisations) and their context."""
    n = len(toks)
    chains = []
    chain_feats: list[tuple[str, ...]] = [()] * n
    i = 0
    while i < n:
        if shapes[i][:1] != "X" or toks[i] in QUOTES:
            i += 1
            continue
        j = i + 1
        while j < n and sent_id[j] == sent_id[i]:
            if shapes[j][:1] == "X":
                j += 1
            elif lows[j] in links and j + 1 < n \
                    and shapes[j + 1][:1] == "X" and sent_id[j + 1] == sent_id[i]:
                j += 2
            else:
                break
        L = j - i
        prev_c = classes[i - 1] if i > 0 and sent_id[i - 1] == sent_id[i] else "<S>"
        next_c = classes[j] if j < n and sent_id[j] == sent_id[i] else "</S>"
        has_role = any(classes[k] == "ROLE" for k in range(i, j))
        has_org = any(classes[k] == "ORG" for k in range(i, j))
        base = (
            "chL=" + (str(L) if L < 6 else "6+"),
            "chP=" + prev_c,
            "chN=" + next_c,
            "chPN=" + prev_c + "|" + next_c,
            "ch1=" + classes[i],
            "chRO=" + str(has_role) + str(has_org),
        )
        first_org = next((k for k in range(i, j) if classes[k] == "ORG" or (shapes[k] == "X" and len(toks[k]) > 1)), -1)
        first_cap = next((k for k in range(i, j) if classes[k] == "CAP"), -1)
        for k in range(i, j):
            posc = "U" if L == 1 else "B" if k == i else "L" if k == j - 1 else "I"
            ro = "n" if first_org < 0 else "b" if k < first_org else "a" if k == first_org else "A"
            rc = "n" if first_cap < 0 else "b" if k < first_cap else "a" if k == first_cap else "A"
            extra = ("chorg=" + ro, "chcap=" + rc, "chorgcap=" + ro + rc)
            chain_feats[k] = base + extra + ("chpos=" + posc, "chpos|1=" + posc + "|" + classes[i])
        chains.append((i, j, has_role or has_org))
        i = j
    return chains, chain_feats


def doc_features(sents: list[list[str]], *, use_rules: bool = True, use_lexicons: bool = True,
                 rule_feats: Optional[list[tuple[str, ...]]] = None, vocab: Optional[Vocab] = None) -> list[list[str]]:
    """Features for every token of one document (a list of tokenised sentences),
    returned as one flat list aligned with the token stream. ``rule_feats``: the rule features
    per token when the caller has them from the extractor's analysis; else the rules read the
    tokens joined back into text."""
    toks: list[str] = []
    sent_id: list[int] = []
    pos: list[int] = []
    sent_len: list[int] = []
    for si, s in enumerate(sents):
        for i, t in enumerate(s):
            toks.append(_QUOTE_NORM.get(t, t))
            sent_id.append(si)
            pos.append(i)
            sent_len.append(len(s))
    n = len(toks)
    if n == 0:
        return []
    vocab = vocab or default_vocab()
    known, word_info = vocab._info.get, vocab.word_info
    infos = [known(t) or word_info(t) for t in toks]
    lows = [x[0] for x in infos]
    shapes = [x[1] for x in infos]
    classes = [x[2] for x in infos]

    if not use_rules:
        rule_feats = [()] * n
    elif rule_feats is None:
        rule_feats = token_rule_features(toks, [i for i in range(n) if pos[i] == 0])
    lex_feats = lexicon_features(lows, vocab) if use_lexicons else [()] * n
    chains, chain_feats = _chains(toks, lows, shapes, classes, sent_id, vocab.chain_links)
    name_age: set[str] = set()
    name_role: set[str] = set()
    name_com: set[str] = set()
    for (ci, cj, has_ro) in chains:
        words = [lows[k] for k in range(ci, cj) if classes[k] == "CAP"]
        if not words:
            continue
        if cj + 2 < n and toks[cj] == "(" and toks[cj + 1][:1].isdigit() and toks[cj + 2] == ")":
            name_age.update(words)
        if has_ro or (ci > 0 and classes[ci - 1] in ("ROLE", "ORG")):
            name_role.update(words)
        if (cj + 1 < n and toks[cj] == "," and lows[cj + 1] in vocab.common_people) or (ci > 0 and lows[ci - 1] in vocab.common_people):
            name_com.update(words)

    def profile(word: str) -> str:
        return "N" + ("a" if word in name_age else "") + ("r" if word in name_role else "") + ("c" if word in name_com else "")

    # --- quotations by parity over the document ---
    qstate = ["O"] * n
    after_spk = [""] * n
    region_feats: list[tuple[str, ...]] = [()] * n
    marks = [i for i in range(n) if toks[i] in QUOTES]
    j = 0
    while j < len(marks):
        a = marks[j]
        b = marks[j + 1] if j + 1 < len(marks) else None
        if b is None:
            qstate[a] = "QU"  # unmatched
            region_feats[a] = ("rq=unclosed",)
            break
        length = b - a - 1
        crossed = sent_id[b] - sent_id[a]
        after = ""
        for k in range(b + 1, min(n, b + 5)):
            if classes[k] in ("CUE", "CUENYA"):
                after = classes[k]
                break
        before = ""
        for k in range(max(0, a - 8), a):
            if classes[k] in ("CUE", "CUENYA") or lows[k] in vocab.quote_introducers:
                before = "B"
        spk = "none"
        spk_after = False
        for k in range(b + 1, min(n, b + 4)):
            ck = classes[k]
            if ck == "CUENYA":
                spk, spk_after = "NYA", True
                break
            if ck in ("CUE", "CUEV"):
                spk_after = True
                for m in range(k + 1, min(n, k + 4)):
                    if classes[m] == "PRO":
                        spk = "PRO"
                        break
                    if classes[m] == "CAP":
                        spk = profile(lows[m])
                        break
                    if classes[m] in ("ROLE", "ORG"):
                        spk = "R"
                        break
                break
        if spk == "none":
            for k in range(a - 1, max(-1, a - 10), -1):
                if sent_id[k] != sent_id[a] and k != a - 1:
                    break
                if classes[k] == "CAP":
                    spk = "b" + profile(lows[k])
                    break
        comma_end = toks[b - 1] in (",", ".", "?", "!") if length > 0 else False
        starts_sent = pos[a] == 0 or pos[a] == sent_len[a] - 1 or (a + 1 < n and pos[a + 1] == 0)
        rf = (
            "rl=" + _len_bucket(length),
            "rx=" + str(min(crossed, 3)),
            "ra=" + after,
            "rb=" + before,
            "re=" + str(comma_end),
            "rs=" + str(starts_sent),
            "rla=" + _len_bucket(length) + after,
            "rsp=" + spk,
            "rsp|a=" + spk + "|" + after,
        )
        if spk_after:
            k = b + 1
            while k < n and sent_id[k] == sent_id[b]:
                after_spk[k] = "asp=" + spk
                k += 1
        qstate[a] = "QO"
        qstate[b] = "QC"
        region_feats[a] = rf
        region_feats[b] = rf
        for k in range(a + 1, b):
            qstate[k] = "IN"
            region_feats[k] = rf
        j += 2

    # distances to quote marks and cue words over the stream
    INF = 10 ** 9
    dq_left = [INF] * n
    dc_left = [INF] * n
    last_q = -INF
    last_c = -INF
    for i in range(n):
        dq_left[i] = i - last_q
        dc_left[i] = i - last_c
        if toks[i] in QUOTES:
            last_q = i
        if classes[i] in ("CUE", "CUENYA"):
            last_c = i
    dq_right = [INF] * n
    dv_left = [INF] * n
    last_v = -INF
    for i in range(n):
        dv_left[i] = i - last_v
        if classes[i] == "CUEV":
            last_v = i
    dv_right = [INF] * n
    nxt_v = INF
    for i in range(n - 1, -1, -1):
        dv_right[i] = nxt_v - i
        if classes[i] == "CUEV":
            nxt_v = i
    dc_right = [INF] * n
    nxt_q = INF
    nxt_c = INF
    for i in range(n - 1, -1, -1):
        dq_right[i] = nxt_q - i
        dc_right[i] = nxt_c - i
        if toks[i] in QUOTES:
            nxt_q = i
        if classes[i] in ("CUE", "CUENYA"):
            nxt_c = i

    # sentence-level facts
    n_sent = len(sents)
    sent_has_q = [False] * n_sent
    sent_has_cue = [False] * n_sent
    for i in range(n):
        if toks[i] in QUOTES:
            sent_has_q[sent_id[i]] = True
        if classes[i] in ("CUE", "CUENYA"):
            sent_has_cue[sent_id[i]] = True
    # dateline: tokens up to and including the dash after KOMPAS
    dl_end = -1
    if sents and "KOMPAS" in sents[0][:8]:
        k = sents[0].index("KOMPAS")
        dl_end = k + 1 if k + 1 < len(sents[0]) and sents[0][k + 1] in ("—", "-", "–") else k

    # capitalised words that stand right after a cue verb somewhere in the document
    near_cue: set[str] = set()
    for i in range(n):
        if classes[i] in ("CUE", "CUEV"):
            for k in (i + 1, i + 2):
                if k < n and shapes[k][:1] == "X":
                    near_cue.add(lows[k])
    # capitalised words: near a cue, their name profile, met earlier in the document
    cap_feats: list[tuple[str, ...]] = [()] * n
    seen_cap: dict[str, int] = {}
    for i in range(n):
        if shapes[i][:1] != "X":
            continue
        low = lows[i]
        cf = ["nearcue"] if low in near_cue else []
        if classes[i] == "CAP":
            cf.append("nm=" + profile(low))
        c = seen_cap.get(low, 0)
        cf.append("seen=0" if c == 0 else "seen=1" if c == 1 else "seen=2+")
        if pos[i] > 0:
            seen_cap[low] = c + 1
        cap_feats[i] = tuple(cf)

    # the features, template by template over the whole stream (one column each), then joined
    # per token in the order the model was trained with
    static = [x[3] for x in infos]
    qcol = [_q_feats(q, sh, c) for q, sh, c in zip(qstate, shapes, classes)]
    asp = [(x,) if x else () for x in after_spk]
    dist = [[t[d] if d < 27 else t[27] for d in col] for t, col in
            ((_DQL, dq_left), (_DQR, dq_right), (_DCL, dc_left), (_DCR, dc_right), (_DVL, dv_left), (_DVR, dv_right))]
    sent_f = [_SQ[sent_has_q[x], sent_has_cue[x]] for x in sent_id]
    place = [_place_feats(si if si < 4 else 4, p == 0, p == sl - 1, p if p < 4 else 4,
                          0 if dl_end < 0 or si != 0 else 1 if p <= dl_end else 2 if p == dl_end + 1 else 0)
             for si, p, sl in zip(sent_id, pos, sent_len)]
    wins = [x[4] for x in infos]
    wcols = []
    for j, off in enumerate(_OFFSETS):
        none, brk = (_NONE[off],), _BRK[off]
        if off < 0:
            col = [none] * min(-off, n) + [wins[k][j] if sent_id[k] == sent_id[k - off] else wins[k][j] + (brk,)
                                           for k in range(0, n + off)]
        else:
            col = [wins[k][j] if sent_id[k] == sent_id[k - off] else wins[k][j] + (brk,)
                   for k in range(off, n)] + [none] * min(off, n)
        wcols.append(col)
    bigram = _bigrams(lows, classes)
    return [[*st, *q, *rg, *ap, d1, d2, d3, d4, d5, d6, sf, *pl, *ch, *rl, *lx, *cp, *w1, *w2, *w3, *w4, *w5, *w6, *bg]
            for st, q, rg, ap, d1, d2, d3, d4, d5, d6, sf, pl, ch, rl, lx, cp, w1, w2, w3, w4, w5, w6, bg
            in zip(static, qcol, region_feats, asp, *dist, sent_f, place, chain_feats, rule_feats, lex_feats,
                   cap_feats, *wcols, bigram)]


# -- the per-token feature strings that repeat, made once ------------------------------------
_OFFSETS = (-3, -2, -1, 1, 2, 3)
_BRK = {off: str(off) + "brk" for off in _OFFSETS}
_NONE = {off: str(off) + "w=<D>" for off in _OFFSETS}


def _bucket_table(prefix: str) -> tuple[str, ...]:
    """``prefix + _bucket(d)`` for d = 0..26, index 27 standing for every larger distance."""
    return tuple(prefix + _bucket(d) for d in range(27)) + (prefix + _bucket(27),)


_DQL, _DQR, _DCL, _DCR, _DVL, _DVR = (_bucket_table(p) for p in ("dql=", "dqr=", "dcl=", "dcr=", "dvl=", "dvr="))
_SQ = {(a, b): "sq=" + str(a) + str(b) for a in (False, True) for b in (False, True)}


@lru_cache(maxsize=4096)
def _q_feats(qs: str, shape: str, cls: str) -> tuple[str, str, str]:
    return "q=" + qs, "q|sh=" + qs + "|" + shape, "q|c=" + qs + "|" + cls


_CLASS_PAIRS: dict[tuple[str, str], tuple[str, str]] = {}


def _class_pair(a: str, b: str) -> tuple[str, str]:
    """("c12=a|b", "c-21=a|b"): two neighbouring classes, seen from before them and after them."""
    got = _CLASS_PAIRS.get((a, b))
    if got is None:
        got = _CLASS_PAIRS[(a, b)] = ("c12=" + a + "|" + b, "c-21=" + a + "|" + b)
    return got


def _bigrams(lows: list[str], classes: list[str]) -> list[list[str]]:
    """Per token: the word bigrams with its left and right neighbour, the class pairs of the two
    tokens after it and the two before it (where there are such tokens)."""
    n = len(lows)
    left = ["b-=" + a + "|" + b for a, b in zip(lows, lows[1:])]      # token i: left[i - 1]
    right = ["b+=" + a + "|" + b for a, b in zip(lows, lows[1:])]     # token i: right[i]
    pairs = [_class_pair(a, b) for a, b in zip(classes, classes[1:])]  # token i: pairs[i + 1][0], pairs[i - 2][1]
    out = [[left[i - 1], right[i], pairs[i + 1][0], pairs[i - 2][1]] for i in range(2, n - 2)]
    edges = []
    for i in sorted({0, 1, n - 2, n - 1} & set(range(n))):
        g = []
        if i > 0:
            g.append(left[i - 1])
        if i + 1 < n:
            g.append(right[i])
        if i + 2 < n:
            g.append(pairs[i + 1][0])
        if i > 1:
            g.append(pairs[i - 2][1])
        edges.append((i, g))
    return [g for i, g in edges if i < 2] + out + [g for i, g in edges if i >= 2]


@lru_cache(maxsize=200_000)
def _window_feats(low: str, cls: str, shape: str) -> tuple[tuple[str, ...], ...]:
    """What a token shows each neighbour (one tuple per offset in ``_OFFSETS``): its word, class
    and, within two tokens, its shape."""
    out = []
    for off in _OFFSETS:
        o = str(off)
        out.append((o + "w=" + low, o + "c=" + cls, o + "sh=" + shape) if -2 <= off <= 2
                   else (o + "w=" + low, o + "c=" + cls))
    return tuple(out)


@lru_cache(maxsize=1024)
def _place_feats(si: int, first: bool, last: bool, p: int, dateline: int) -> tuple[str, ...]:
    """The token's place: sentence index, sentence start and end, position, dateline (1: in it,
    2: right after it); indices and positions of 4 and more are one value."""
    f = ["si=" + (str(si) if si < 4 else "4+")]
    if first:
        f.append("BOS")
    if last:
        f.append("EOS")
    f.append("pb=" + (str(p) if p < 4 else "4+"))
    if dateline == 1:
        f.append("DL")
    elif dateline == 2:
        f.append("DL+1")
    return tuple(f)
