"""Statement rules: where a statement is, its kind, its cue and its speaker mention.

Each rule reads one sentence unit (quotations never split a unit) and returns
candidates; the first rule that fires on a stretch of text wins:

1. quotation + cue   "…," kata X.  /  X mengatakan, "…"  /  kata dia, "…"  /  X: "…"
2. inserted cue      Kemenangan Rusia, kata dia, akan …
3. tail cue          Perang … berakhir, kata Stoltenberg.
4. menurut           Menurut X, …  /  …, menurut X.
5. reporting verb    X (juga) mengatakan (bahwa) …  /  X tak menampik bahwa …
6. bare quotation    a whole-sentence quotation with no cue continues the last speaker.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from kutip.extract.phrases import Phrase, match_at, parse_phrase, phrase_backward, phrase_forward
from kutip.extract.quotes import MARKS, Quote
from kutip.extract.text import Sentence, Tok
from kutip.lexicons import lowered

OBJECT_PREPS = frozenset({"kepada", "pada", "ke", "terhadap", "di", "dalam"})
COMPLEMENTISERS = frozenset({"bahwa", "jika", "kalau", "apabila"})
TRAILING = " \t\r\n.,;:–—-"


@dataclass
class Candidate:
    kind: str
    start: int
    end: int
    cue: Optional[tuple[int, int]]
    phrase: Optional[Phrase]
    rule: str
    context: tuple[int, int]          # where to look for date, place and event


@lru_cache(maxsize=None)
def _cue_words() -> frozenset[str]:
    return lowered("speech_cues")


def cue_at(tok: Tok) -> Optional[str]:
    """'base' for a speech cue (or a passive one: "ditambahkan Tony"), 'nya' for its -nya form
    ("ujarnya"), else None."""
    low = tok.low
    if low in _cue_words() or low in lowered("passive_cues"):
        return "base"
    if low.endswith("nya") and low[:-3] in _cue_words():
        return "nya"
    return None


def verb_at(toks: list[Tok], i: int) -> int:
    """Length of a reporting verb at ``i`` (with a preceding negation: "tak menampik"), else 0."""
    if toks[i].low in lowered("reporting_verbs"):
        return 1
    if toks[i].low in lowered("negations") and i + 1 < len(toks) and toks[i + 1].low in lowered("reporting_verbs"):
        return 2
    return 0


def clitic_phrase(tok: Tok) -> Phrase:
    return Phrase(tok.end - 3, tok.end, tok.text[-3:], "clitic")


STOPPERS = frozenset({"di", "dalam", "pada", "saat", "ketika", "kepada", "seperti", "usai", "seusai",
                      "melalui", "lewat", "sambil", "seraya", "sembari", "menjawab", "kemarin"})
ROLE_SPLIT = frozenset({"dari", "di", "pada"})
APPOSITIVE_MAX = 14


def role_chunk(text: str, toks: list[Tok]) -> Optional[Phrase]:
    """A role description between commas: "Kepala BPBD Kota Semarang",
    "pengamat pertanian dari Universitas Merdeka", "kuasa hukum terdakwa"."""
    if not toks or len(toks) > APPOSITIVE_MAX:
        return None
    if phrase_forward(toks, 0) == len(toks):
        p = parse_phrase(text, toks)
        if p is not None and p.kind in ("role", "org"):
            return p
    head = match_at("roles", toks, 0) or (1 if toks[0].low in lowered("person_nouns") else 0)
    if not head or any(verb_at(toks, k) or cue_at(toks[k]) for k in range(len(toks))):
        return None
    cut = next((k for k in range(head, len(toks)) if toks[k].low in ROLE_SPLIT
                and k + 1 < len(toks) and toks[k + 1].text[0].isupper()), None)
    role_toks = toks[:cut] if cut is not None else toks
    aff = text[toks[cut + 1].start:toks[-1].end] if cut is not None else None
    return Phrase(toks[0].start, toks[-1].end, text[toks[0].start:toks[-1].end], "role",
                  role=text[role_toks[0].start:role_toks[-1].end], affiliation=aff)


def _chunk_end(toks: list[Tok], i: int) -> int:
    """Index of the comma or full stop that ends the comma-delimited chunk starting at ``i``."""
    k = i
    while k < len(toks) and toks[k].text not in ",.;:" and toks[k].text not in MARKS and k - i <= APPOSITIVE_MAX:
        k += 1
    return k


def speaker_after(text: str, toks: list[Tok], i: int) -> tuple[Optional[Phrase], int]:
    """The speaker phrase that starts at ``toks[i]`` (after a cue), with appositives."""
    if i >= len(toks):
        return None, i
    if toks[i].low in lowered("pronouns"):
        return parse_phrase(text, toks[i:i + 1]), i + 1
    j = phrase_forward(toks, i)
    if j == i:
        # "kata pengamat pertanian dari Universitas Merdeka, Bambang Sutrisno"
        k = _chunk_end(toks, i)
        p = role_chunk(text, toks[i:k]) if k < len(toks) and toks[k].text == "," else None
        if p is None:
            return None, i
        j = k
    else:
        p = parse_phrase(text, toks[i:j])
        if p is None:
            return None, i
    # appositive: "kata Budi, Kepala Dinas X," / "kata Kepala Dinas X, Budi Santoso"
    if j + 1 < len(toks) and toks[j].text == ",":
        k = _chunk_end(toks, j + 1)
        if k > j + 1 and (k == len(toks) or toks[k].text in ",.;"):
            chunk = toks[j + 1:k]
            if len(chunk) > 3 and chunk[-1].text == ")" and chunk[-3].text == "(" and chunk[-2].text.isdigit():
                chunk = chunk[:-3]          # an age: "Siti (45)"
            if p.kind == "name":
                q = role_chunk(text, chunk)
                if q is None and p.role and phrase_forward(chunk, 0) == len(chunk):
                    q = parse_phrase(text, chunk)      # "Kapten Timnas, Asnawi Mangkualam"
            else:
                q = parse_phrase(text, chunk) if phrase_forward(chunk, 0) == len(chunk) else None
            merged = merge_appositive(p, q, text)
            if merged is not None:
                return merged, k
        else:
            k = phrase_forward(toks, j + 1)
            if k > j + 1 and (k == len(toks) or toks[k].low in STOPPERS):
                merged = merge_appositive(p, parse_phrase(text, toks[j + 1:k]), text)
                if merged is not None and merged.kind == "name" and p.kind != "name":
                    return merged, k
    return p, j


def merge_appositive(a: Optional[Phrase], b: Optional[Phrase], text: str) -> Optional[Phrase]:
    """Join "name, role" or "role, name" into one phrase; None when they do not fit."""
    if a is None or b is None:
        return None
    if a.kind == "name" and b.kind in ("role", "org") and not a.role:
        role, aff = (b.role, b.affiliation) if b.kind == "role" else (None, b.name)
        return Phrase(a.start, a.end, a.text, "name", a.name, role, aff, a.aliases)
    if a.kind == "name" and a.role and b.kind == "name" and not b.role:
        # "Kapten Timnas, Asnawi Mangkualam": what looked like a name was the affiliation
        return Phrase(b.start, b.end, b.text, "name", b.name, a.role, a.affiliation or a.name, b.aliases)
    if a.kind in ("role", "org") and b.kind == "name":
        role, aff = (a.role, a.affiliation) if a.kind == "role" else (None, a.name)
        return Phrase(b.start, b.end, b.text, "name", b.name, b.role or role, b.affiliation or aff, b.aliases)
    return None


def _boundary(toks: list[Tok], s: int) -> bool:
    return s == 0 or toks[s - 1].text in ",;:(-–—" or toks[s - 1].low in lowered("connectives")


def _chunk_start(toks: list[Tok], j: int) -> int:
    """Start of the comma-delimited chunk ending before ``toks[j]``, after leading connectives."""
    k = j
    while k > 0 and toks[k - 1].text not in ",.;:-–—" and toks[k - 1].text not in MARKS and j - k <= APPOSITIVE_MAX:
        k -= 1
    while k < j and toks[k].low in lowered("connectives") and toks[k].low not in lowered("pronouns"):
        k += 1
    return k


def subject_before(text: str, toks: list[Tok], v: int) -> Optional[Phrase]:
    """The speaker phrase that ends right before the verb at ``toks[v]``."""
    j = v
    while j > 0 and toks[j - 1].low in lowered("subject_adverbs"):
        j -= 1
    if j == 0:
        return None
    if toks[j - 1].low in lowered("pronouns"):
        s = j - 1
        return parse_phrase(text, toks[s:j]) if _boundary(toks, s) else None
    if toks[j - 1].text == ",":
        # "Sri Lestari, Kepala BPBD, menyebut" / "Kepala BPBD, Sri Lestari, menyebut"
        b = _chunk_start(toks, j - 1)
        if b == 0 or toks[b - 1].text != "," or b >= j - 1:
            return None
        a = _chunk_start(toks, b - 1)
        if a >= b - 1 or not _boundary(toks, a):
            return None
        first, second = toks[a:b - 1], toks[b:j - 1]
        p1 = parse_phrase(text, first) if phrase_forward(first, 0) == len(first) else None
        p2 = parse_phrase(text, second) if phrase_forward(second, 0) == len(second) else None
        if p1 is not None and p1.kind == "name":
            return merge_appositive(p1, role_chunk(text, second), text)
        if p2 is not None and p2.kind == "name":
            return merge_appositive(role_chunk(text, first), p2, text)
        return None
    s = phrase_backward(toks, j)
    if s == j:
        # "Kementerian X dalam keterangan tertulisnya menyatakan": skip one adverbial phrase
        for k in range(j - 1, max(0, j - 8), -1):
            if toks[k].text in ",.;:" or verb_at(toks, k):
                break
            if toks[k].low in STOPPERS and k > 0:
                s2 = phrase_backward(toks, k)
                if s2 < k and _boundary(toks, s2):
                    p = parse_phrase(text, toks[s2:k])
                    if p is not None and p.kind in ("name", "org", "nominal"):
                        return p
                break
        return None
    if not _boundary(toks, s):
        return None
    p = parse_phrase(text, toks[s:j])
    if p is None:
        return None
    if s > 1 and toks[s - 1].text == ",":
        # "Sekretaris Jenderal NATO, Jens Stoltenberg meyakini"
        r = _chunk_start(toks, s - 1)
        if r < s - 1 and _boundary(toks, r):
            merged = merge_appositive(role_chunk(text, toks[r:s - 1]), p, text)
            if merged is not None:
                return merged
    return p


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    while start < end and text[start] in " \t\r\n,:":
        start += 1
    return start, end


def _words(toks: list[Tok], start: int, end: int) -> int:
    return sum(1 for t in toks if start <= t.start and t.end <= end and t.is_word)


class SentenceRules:
    """Applies the rules to one sentence unit."""

    def __init__(self, text: str, sent: Sentence, toks: list[Tok], quotes: list[Quote]):
        self.text = text
        self.sent = sent
        self.all_toks = toks
        self.quotes = quotes
        # tokens outside quotations: verbs and cues inside a quotation are the speaker's words
        self.toks = [t for t in toks if not any(q.start <= t.start < q.end for q in quotes)]

    # 1 -------------------------------------------------------------------
    def quoted(self, q: Quote, prev: Optional[Candidate]) -> Optional[Candidate]:
        text, sent = self.text, self.sent
        after = [t for t in self.toks if t.start >= q.close]
        i = 0
        if after and after[0].text == ",":
            i = 1
        # "…," kata X / "…," ujarnya / "…" demikian X
        if i < len(after):
            form = cue_at(after[i])
            if form:
                cue_end = i + 1
                if after[i].low == "demikian" and cue_end < len(after) and (cue_at(after[cue_end]) or
                                                                           after[cue_end].low in lowered("passive_cues")):
                    cue_end += 1
                if form == "nya":
                    phrase, k = clitic_phrase(after[i]), cue_end
                else:
                    phrase, k = speaker_after(text, after, cue_end)
                if phrase is not None and (form == "nya" or phrase.kind != "role" or phrase.role):
                    ctx_start = after[k - 1].end if k > 0 else q.close
                    return Candidate("direct", q.start, q.end, (after[i].start, after[cue_end - 1].end),
                                     phrase, "quote+cue", (ctx_start, sent.end))
        # X mengatakan, "…" / kata dia, "…" / X: "…"
        before = [t for t in self.toks if t.end <= q.open and t.start >= sent.start]
        b = list(before)
        colon = False
        while b and b[-1].text in ",:":
            colon = colon or b[-1].text == ":"
            b.pop()
        if b and b[-1].low in COMPLEMENTISERS:
            b.pop()
        if not b:
            return None
        # runs to the end of the sentence? otherwise it is part of a reported clause (rule 5)
        tail = text[q.close:sent.end].strip(TRAILING + "".join(MARKS))
        # kata dia, "…"
        for c in range(len(b) - 1, -1, -1):
            form = cue_at(b[c])
            if form:
                phrase, k = (clitic_phrase(b[c]), c + 1) if form == "nya" else speaker_after(text, b, c + 1)
                if phrase is not None and k == len(b) and (c == 0 or b[c - 1].text in ",;" or prev is not None):
                    return Candidate("direct", q.start, q.end, (b[c].start, b[c].end), phrase, "cue+quote",
                                     (sent.start, b[c].start))
                break
        if tail:
            return None
        n = len(b)
        for width in (2, 1):
            v = n - width
            if v >= 0 and verb_at(b, v) == width:
                phrase = subject_before(text, b, v)
                if phrase is not None and not (phrase.kind == "pronoun" and phrase.text.casefold() == "mereka"):
                    return Candidate("direct", q.start, q.end, (b[v].start, b[-1].end), phrase, "verb+quote",
                                     (sent.start, b[v].start))
        if colon:
            s = phrase_backward(b, n)
            if s < n and (s == 0 or b[s - 1].text in ",;"):
                phrase = parse_phrase(text, b[s:n])
                if phrase is not None and phrase.kind != "nominal":
                    return Candidate("direct", q.start, q.end, None, phrase, "colon+quote", (sent.start, b[s].start))
        return None

    def bare_quote(self, q: Quote) -> Optional[Candidate]:
        """6: a quotation that is a whole sentence on its own."""
        head = self.text[self.sent.start:q.open].strip()
        tail = self.text[q.close:self.sent.end].strip(TRAILING + "".join(MARKS))
        if head or tail or _words(self.all_toks, q.start, q.end) < 4:
            return None
        return Candidate("direct", q.start, q.end, None, None, "bare-quote", (q.close, q.close))

    # 2, 3 --------------------------------------------------------------
    def cue_clause(self) -> Optional[Candidate]:
        toks, text, sent = self.toks, self.text, self.sent
        for c in range(1, len(toks) - 1):
            if toks[c - 1].text != "," or toks[c].start < sent.start:
                continue
            comma = toks[c - 1].start
            if comma > 0 and text[comma - 1] in MARKS:
                continue
            form = cue_at(toks[c])
            if form is None and toks[c].low != "menurut":
                continue
            if form == "nya" or (toks[c].low.startswith("menurut") and toks[c].low.endswith("nya")):
                phrase, k = clitic_phrase(toks[c]), c + 1
            else:
                phrase, k = speaker_after(text, toks, c + 1)
            if phrase is None or phrase.kind == "role" and not phrase.role:
                continue
            head_words = _words(toks, sent.start, comma)
            rest = toks[k:]
            if rest and rest[0].text == "," and _words(rest, rest[0].end, sent.end) >= 2 and head_words >= 1 \
                    and not rest[1].low in ("dalam", "di", "pada", "saat", "ketika", "usai", "seusai", "seperti"):
                s, e = _trim(text, sent.start, sent.end)
                kind = "mixed" if self._has_quote(s, e) else "indirect"
                return Candidate(kind, s, e, (toks[c].start, toks[c].end), phrase, "inserted-cue",
                                 (toks[k - 1].end, toks[k - 1].end))
            if head_words >= 3 and not self._starts_with_quote_only(sent.start, comma):
                s, e = _trim(text, sent.start, comma)
                kind = "mixed" if self._has_quote(s, e) else "indirect"
                return Candidate(kind, s, e, (toks[c].start, toks[c].end), phrase, "tail-cue",
                                 (toks[k - 1].end, sent.end))
        return None

    def _has_quote(self, s: int, e: int) -> bool:
        return any(s <= q.open and q.close <= e + 1 for q in self.quotes)

    def _starts_with_quote_only(self, s: int, e: int) -> bool:
        return any(abs(q.open - s) <= 1 and q.close >= e - 1 for q in self.quotes)

    # 4 -----------------------------------------------------------------
    def menurut(self) -> Optional[Candidate]:
        toks, text, sent = self.toks, self.text, self.sent
        for i, t in enumerate(toks[:6]):
            if not (t.low in ("menurut", "menurutnya") or (t.low in ("kata", "katanya") and i == 0)):
                continue
            if any(x.is_word and x.low not in lowered("connectives") for x in toks[:i]):
                return None
            if t.low.endswith("nya"):
                phrase, k = clitic_phrase(t), i + 1
            else:
                phrase, k = speaker_after(text, toks, i + 1)
            if phrase is None or k >= len(toks) or toks[k].text != ",":
                return None
            s, e = _trim(text, toks[k].end, sent.end)
            if _words(toks, s, e) < 3:
                return None
            kind = "mixed" if self._has_quote(s, e) else "indirect"
            return Candidate(kind, s, e, (t.start, t.end), phrase, "menurut", (toks[k].end, toks[k].end))
        return None

    def passive_attribution(self) -> Optional[Phrase]:
        """"Hal itu disampaikan Kepala BPS Budi di Jakarta." names the speaker of what came before."""
        toks = self.toks
        for i, t in enumerate(toks[:5]):
            if t.low in lowered("passive_cues"):
                head = [x.low for x in toks[:i]]
                if not head or head[0] not in ("hal", "demikian", "pernyataan", "penjelasan", "keterangan"):
                    return None
                j = i + 1
                if j < len(toks) and toks[j].low == "oleh":
                    j += 1
                phrase, _ = speaker_after(self.text, toks, j)
                return phrase if phrase is not None and phrase.kind in ("name", "org", "role") else None
        return None

    def announcer(self) -> Optional[Phrase]:
        """"Budi menjelaskan:" at a sentence end introduces the quotation that follows."""
        toks = self.toks
        if len(toks) < 3 or toks[-1].text != ":":
            return None
        for width in (1, 2):
            v = len(toks) - 1 - width
            if v > 0 and verb_at(toks, v) == width:
                return subject_before(self.text, toks, v)
        return None

    # 5 -----------------------------------------------------------------
    def reporting_verb(self) -> Optional[Candidate]:
        toks, text, sent = self.toks, self.text, self.sent
        for v in range(1, len(toks)):
            width = verb_at(toks, v)
            if not width:
                continue
            phrase = subject_before(text, toks, v)
            if phrase is None or (phrase.kind == "pronoun" and phrase.text.casefold() == "mereka"):
                continue
            j = v + width
            if j < len(toks) and toks[j].low in OBJECT_PREPS:
                for k in range(j + 1, min(j + 10, len(toks))):
                    if toks[k].low in COMPLEMENTISERS or toks[k].text in ",:":
                        j = k
                        break
            while j < len(toks) and (toks[j].text in ",:" or toks[j].low in COMPLEMENTISERS):
                j += 1
            if j >= len(toks):
                continue
            start = toks[j].start
            # a quotation that opens the clause starts it
            for q in self.quotes:
                if q.open < start <= q.start + 1 and q.open >= toks[j - 1].end:
                    start = q.open
            end = sent.end
            for t in toks[j:]:
                if t.low in lowered("clause_stoppers"):
                    end = t.start
                    break
            s, e = _trim(text, start, end)
            if _words(self.all_toks, s, e) < 3:
                continue
            ctx = (sent.start, toks[v].start)
            only = [q for q in self.quotes if s <= q.open and q.close <= e + 1]
            if len(only) == 1 and only[0].open == s and text[only[0].close:e].strip(TRAILING) == "":
                q = only[0]
                return Candidate("direct", q.start, q.end, (toks[v].start, toks[v + width - 1].end), phrase,
                                 "verb+quote", ctx)
            kind = "mixed" if only or self._has_quote(s, e) else "indirect"
            return Candidate(kind, s, e, (toks[v].start, toks[v + width - 1].end), phrase, "reporting-verb", ctx)
        return None
