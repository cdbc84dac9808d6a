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

from bisect import bisect_left
from dataclasses import dataclass
from typing import Optional

from kutip.core.attribute.cues import cue_at, verb_at
from kutip.core.attribute.phrases import (Phrase, clitic_phrase, parse_phrase, phrase_backward, sentence_subject,
                                   speaker_after, subject_before)
from kutip.core.segment.quotes import MARKS, Quote
from kutip.core.segment.text import Sentence, Tok, tokenize
from kutip.core.lexicons import closed_class, lowered

OBJECT_PREPS = closed_class("object_prepositions")
# words that open an adjunct of the cue ("kata X di Jakarta", "X mengatakan pada Selasa")
ADJUNCTS = closed_class("cue_adjuncts")
COMPLEMENTISERS = closed_class("complementisers")
COORDINATORS = closed_class("coordinators")
TRAILING = " \t\r\n.,;:–—-"
_NOT_CONTENT = TRAILING + "".join(sorted(MARKS))     # a token made only of these says nothing


@dataclass
class Candidate:
    kind: str
    start: int
    end: int
    cue: Optional[tuple[int, int]]
    phrase: Optional[Phrase]
    rule: str
    context: tuple[int, int]          # where to look for date, place and event


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    while start < end and text[start] in " \t\r\n,:":
        start += 1
    return start, end


# how far a rule looks from a quotation for its cue and speaker: bounded, so a sentence unit
# with thousands of quotations costs linear time
WINDOW = 40


def _prefix_words(toks: list[Tok]) -> list[int]:
    out = [0]
    for t in toks:
        out.append(out[-1] + (1 if t.is_word else 0))
    return out


class SentenceRules:
    """Applies the rules to one sentence unit."""

    def __init__(self, text: str, sent: Sentence, toks: list[Tok], quotes: list[Quote]):
        self.text = text
        self.sent = sent
        self.all_toks = toks
        self.quotes = quotes
        # tokens outside quotations: verbs and cues inside a quotation are the speaker's words
        # (one sweep: tokens and quotations are both in text order)
        self.toks = []
        qi = 0
        for t in toks:
            while qi < len(quotes) and quotes[qi].end <= t.start:
                qi += 1
            if not (qi < len(quotes) and quotes[qi].start <= t.start < quotes[qi].end):
                self.toks.append(t)
        self._starts = [t.start for t in self.toks]
        self._all_starts = [t.start for t in toks]
        self._words_out = _prefix_words(self.toks)
        self._words_all = _prefix_words(toks)
        self._next_content = [len(toks)] * (len(toks) + 1)
        for k in range(len(toks) - 1, -1, -1):
            self._next_content[k] = k if toks[k].text.strip(_NOT_CONTENT) else self._next_content[k + 1]

    def _n(self, start: int, end: int, *, inside: bool = False) -> int:
        """Words between ``start`` and ``end``: outside quotations, or all of them (``inside``)."""
        starts, prefix = (self._all_starts, self._words_all) if inside else (self._starts, self._words_out)
        lo, hi = bisect_left(starts, start), bisect_left(starts, end)
        return prefix[max(lo, hi)] - prefix[lo]

    def _after(self, pos: int, n: int = WINDOW) -> list[Tok]:
        """Up to ``n`` tokens outside quotations from ``pos`` on (a cue and its speaker)."""
        i = bisect_left(self._starts, pos)
        return self.toks[i:i + n]

    def _before(self, pos: int, floor: int) -> tuple[list[Tok], bool]:
        """Tokens outside quotations in [floor, pos), at most WINDOW of them; and whether the
        window was cut short of ``floor``."""
        lo, hi = bisect_left(self._starts, floor), bisect_left(self._starts, pos)
        return self.toks[max(lo, hi - WINDOW):hi], hi - lo > WINDOW

    def _tail(self, pos: int) -> bool:
        """Whether the sentence has words (not only punctuation or marks) after ``pos``."""
        i = bisect_left(self._all_starts, pos)
        return i < len(self._next_content) and self._next_content[i] < len(self.all_toks)

    def _head(self, pos: int) -> bool:
        """Whether anything stands between the sentence start and ``pos``."""
        return bisect_left(self._all_starts, pos) > bisect_left(self._all_starts, self.sent.start)

    # 1 -------------------------------------------------------------------
    def quoted(self, q: Quote, prev: Optional[Candidate]) -> Optional[Candidate]:
        text, sent = self.text, self.sent
        after = self._after(q.close)
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
        before, cut = self._before(q.open, sent.start)
        before = [t for t in before if t.end <= q.open]
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
        tail = self._tail(q.close)
        # kata dia, "…"
        for c in range(len(b) - 1, -1, -1):
            form = cue_at(b[c])
            if form:
                phrase, k = (clitic_phrase(b[c]), c + 1) if form == "nya" else speaker_after(text, b, c + 1)
                if phrase is not None and k == len(b) and (c == 0 and not cut or c > 0 and b[c - 1].text in ",;"
                                                           or prev is not None):
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
        if self._head(q.open) or self._tail(q.close) or self._n(q.start, q.end, inside=True) < 4:
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
            head_words = self._n(sent.start, comma)
            rest = toks[k:]
            glued = bool(rest) and rest[0].is_word and rest[0].text[0].islower() and rest[0].low not in ADJUNCTS \
                and not cue_at(rest[0]) and self._n(rest[0].start, sent.end) >= 3 and head_words >= 1
            if glued or rest and rest[0].text == "," and self._n(rest[0].end, sent.end) >= 2 and head_words >= 1 \
                    and not rest[1].low in ADJUNCTS:
                # "Kemenangan itu, kata dia, akan …" / "NU dan Muhammadiyah, lanjut Haedar juga ingin …"
                s, e = _trim(text, sent.start, sent.end)
                kind = "mixed" if self._has_quote(s, e) else "indirect"
                return Candidate(kind, s, e, (toks[c].start, toks[c].end), phrase, "inserted-cue",
                                 (toks[k - 1].end, toks[k - 1].end))
            if head_words >= 3 and not self._starts_with_quote_only(sent.start, comma):
                s, e = _trim(text, sent.start, comma)
                kind = "mixed" if self._has_quote(s, e) else "indirect"
                return Candidate(kind, s, e, (toks[c].start, toks[c].end), phrase, "tail-cue",
                                 (toks[k - 1].end, sent.end))
        return self.tail_verb()

    def tail_verb(self) -> Optional[Candidate]:
        """"…, Kementerian Pertahanan Rusia mengatakan pada Selasa (15/2).": a clause, then its
        speaker and a reporting verb with nothing after it but an adjunct."""
        toks, text, sent = self.toks, self.text, self.sent
        for c in range(len(toks) - 2, 0, -1):
            if toks[c - 1].text != ",":
                continue
            comma = toks[c - 1].start
            if comma > 0 and text[comma - 1] in MARKS or self._n(sent.start, comma) < 4:
                continue
            phrase, k = speaker_after(text, toks, c)
            if phrase is None or phrase.kind not in ("name", "org", "nominal") or k >= len(toks):
                continue
            width = verb_at(toks, k)
            after = toks[k + width:] if width else None
            if width and (not after or after[0].text in ".;" or after[0].low in ADJUNCTS):
                s, e = _trim(text, sent.start, comma)
                kind = "mixed" if self._has_quote(s, e) else "indirect"
                return Candidate(kind, s, e, (toks[k].start, toks[k + width - 1].end), phrase, "tail-cue",
                                 (toks[k + width - 1].end, sent.end))
            return None
        return None

    def name_line(self) -> Optional[Phrase]:
        """"— APRIYANI RAHAYU —": a line that is only a name between dashes, under a quotation."""
        toks = [t for t in self.all_toks if t.text not in "—–-"]
        if not toks or len(toks) > 6 or self.all_toks[0].text not in "—–-" or any(not t.is_word for t in toks):
            return None
        if all(t.text.isupper() for t in toks):     # written in capitals: read the words as a name
            shown = " ".join(t.text.title() for t in toks)
            p = parse_phrase(shown, tokenize(shown))
            if p is None or p.kind != "name":
                return None
            return Phrase(toks[0].start, toks[-1].end, self.text[toks[0].start:toks[-1].end], "name",
                          " ".join(t.text for t in toks), p.role, p.affiliation)
        p = parse_phrase(self.text, toks)
        return p if p is not None and p.kind == "name" else None

    def _has_quote(self, s: int, e: int) -> bool:
        return any(s <= q.open and q.close <= e + 1 for q in self.quotes)

    def _starts_with_quote_only(self, s: int, e: int) -> bool:
        return any(abs(q.open - s) <= 1 and q.close >= e - 1 for q in self.quotes)

    # 4 -----------------------------------------------------------------
    def menurut(self) -> Optional[Candidate]:
        toks, text, sent = self.toks, self.text, self.sent
        for i, t in enumerate(toks[:6]):
            opener = all(x.low in lowered("connectives") or cue_at(x) == "base" or not x.is_word for x in toks[:i])
            passive_nya = t.low.endswith("nya") and t.low[:-3] in lowered("passive_cues")   # "Dijelaskannya,"
            if not (t.low in closed_class("according_to") or (t.low in closed_class("opening_cues") or passive_nya)
                    and opener):
                continue
            if any(x.is_word and x.low not in lowered("connectives") and not cue_at(x) for x in toks[:i]):
                return None
            if t.low.endswith("nya"):
                phrase, k = clitic_phrase(t), i + 1
            else:
                phrase, k = speaker_after(text, toks, i + 1)
            if phrase is None or k >= len(toks) or toks[k].text != ",":
                return None
            s, e = _trim(text, toks[k].end, sent.end)
            if self._n(s, e) < 3:
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
                if not head or head[0] not in closed_class("statement_nouns"):
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
    def reporting_verb(self, after: Optional[Candidate] = None) -> Optional[Candidate]:
        """5: X (juga) mengatakan (bahwa) …. With ``after``, the next reporting verb coordinated
        with that statement's ("Putin mengatakan …, tetapi menggambarkan …"): same speaker."""
        toks, text, sent = self.toks, self.text, self.sent
        first = bisect_left(self._starts, after.end) if after is not None else 1
        for v in range(max(1, first), len(toks)):
            width = verb_at(toks, v)
            if not width:
                continue
            if after is not None:
                if not (toks[v - 1].low in COORDINATORS and v >= 2 and toks[v - 2].text == ","):
                    return None
                phrase = after.phrase
            else:
                phrase = subject_before(text, toks, v)
            if phrase is None and toks[v - 1].text == "," and v + width < len(toks) \
                    and toks[v + width].low in COMPLEMENTISERS:
                # "Putin mencaplok empat wilayah …, menyatakan bahwa …": the sentence's subject speaks
                phrase = sentence_subject(text, toks[:v - 1])
                if phrase is not None and phrase.kind not in ("name", "nominal"):
                    phrase = None
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
            k = j + 2 if toks[j].low == "hal" and j + 1 < len(toks) and toks[j + 1].low in closed_class("determiners") \
                else j + 1 if toks[j].low in closed_class("statement_anaphors") else None
            if k is not None and (k >= len(toks) or toks[k].low in ADJUNCTS or toks[k].text in ".;"):
                continue      # "Dia mengatakan itu dalam acara …": said it, no content
            start = toks[j].start
            # a quotation that opens the clause starts it
            for q in self.quotes:
                if q.open < start <= q.start + 1 and q.open >= toks[j - 1].end:
                    start = q.open
            end = sent.end
            for n, t in enumerate(toks[j:], j):
                if t.low in lowered("clause_stoppers") or t.low in lowered("adverbial_clauses") and toks[n - 1].text == ",":
                    end = t.start     # "…, setelah Moskow mengalami kemunduran": the reporter's narration
                    break
                if t.low in COORDINATORS and toks[n - 1].text == "," and n + 1 < len(toks) and verb_at(toks, n + 1):
                    end = toks[n - 1].start     # ", tetapi menggambarkan …": a second statement
                    break
            s, e = _trim(text, start, end)
            if self._n(s, e, inside=True) < 3:
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
