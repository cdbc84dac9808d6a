"""Speaker phrases: find the words that name a speaker and split them into
name, role and affiliation.

"Sekretaris Jenderal Pakta Pertahanan Atlantik Utara (NATO) Jens Stoltenberg"
-> role "Sekretaris Jenderal", affiliation "Pakta Pertahanan Atlantik Utara (NATO)",
name "Jens Stoltenberg". The name is the trailing run of name-like words; what
precedes it is role (a title plus its field words) and then affiliation. Every
word class comes from a lexicon file in ``kutip/lexicons``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from kutip.extract.cues import cue_at, verb_at
from kutip.extract.text import Tok
from kutip.extract.quotes import MARKS
from kutip.lexicons import entries, lowered

DETERMINERS = frozenset({"itu", "ini", "tersebut"})
NAME_PARTICLES = frozenset({"bin", "binti", "van", "von", "der", "de", "da", "al", "el"})


@lru_cache(maxsize=None)
def _multi(name: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """First word -> the lexicon's entries starting with it (longest first), case-folded."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for e in entries(name):
        words = tuple(w.casefold() for w in e.split())
        table.setdefault(words[0], []).append(words)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in table.items()}


def match_at(lexicon: str, toks: list[Tok], i: int) -> int:
    """Length in tokens of the longest entry of ``lexicon`` starting at ``toks[i]`` (0 if none)."""
    if i >= len(toks):
        return 0
    for words in _multi(lexicon).get(toks[i].low, ()):
        n = len(words)
        if i + n <= len(toks) and all(toks[i + k].low == words[k] for k in range(n)):
            return n
    return 0


def is_name_word(t: Tok) -> bool:
    """A word that can be part of a person's name."""
    if not t.text[0].isupper() or not t.text[0].isalpha():
        return False
    if t.is_acronym and len(t.text) > 1:
        return False
    low = t.low
    return not (low in lowered("not_names") or low in lowered("connectives") or low in lowered("person_nouns")
                or low in lowered("speech_cues"))


def _initials(toks: list[Tok], i: int) -> bool:
    """Initials inside or after a name ("Bambang PS Brodjonegoro", "Mahfud MD")."""
    t = toks[i]
    return (t.is_acronym and len(t.text) <= 2 and i > 0 and is_name_word(toks[i - 1])
            and not match_at("places", toks, i) and not match_at("known_organizations", toks, i))


def _field_word(toks: list[Tok], i: int) -> bool:
    """A domain word that continues a role or an organisation ("… Pertahanan", "… Utara"),
    as opposed to the same word inside a name ("Budi Karya Sumadi")."""
    if toks[i].low not in lowered("domain_words"):
        return False
    if i == 0:
        return True
    prev = toks[i - 1]
    if prev.low in ("dan", "&") and i >= 2:
        prev = toks[i - 2]
    return (prev.low in lowered("domain_words") or prev.is_acronym or prev.text == ")"
            or bool(match_at("roles", toks, i - 1) or match_at("org_heads", toks, i - 1)
                    or match_at("places", toks, i - 1)) or prev.low in lowered("roles")
            or prev.low in lowered("org_heads"))


@dataclass
class Phrase:
    """A parsed mention of a (possible) speaker."""
    start: int
    end: int
    text: str
    kind: str                      # name | pronoun | clitic | nominal | org | role
    name: Optional[str] = None
    role: Optional[str] = None
    affiliation: Optional[str] = None
    aliases: list[str] = field(default_factory=list)
    modifiers: list[str] = field(default_factory=list)   # for nominal references

    @property
    def name_tokens(self) -> tuple[str, ...]:
        return tuple(w.casefold() for w in (self.name or "").split())


def _paren_end(toks: list[Tok], i: int) -> int:
    """If toks[i] opens "(X …)" with capitalised content, the index after ")"; else i."""
    if i < len(toks) and toks[i].text == "(":
        j = i + 1
        while j < len(toks) and j - i <= 8 and toks[j].text != ")":
            if toks[j].text in "(,.":
                return i
            j += 1
        if j < len(toks) and toks[j].text == ")" and j > i + 1 and toks[i + 1].text[0].isupper():
            return j + 1
    return i


def phrase_forward(toks: list[Tok], i: int) -> int:
    """End index of the speaker-phrase words starting at ``toks[i]``."""
    j = i
    n = len(toks)
    while j < n:
        t = toks[j]
        k = match_at("roles", toks, j) or match_at("honorifics", toks, j)
        if k:
            j += k
            continue
        if t.low in lowered("person_nouns") and j == i:
            j += 1
            continue
        if t.text[0].isupper() and t.is_word and t.low not in lowered("not_names"):
            j += 1
            continue
        pe = _paren_end(toks, j)
        if pe > j:
            j = pe
            continue
        if t.low in ("dan", "&") and j > i and j + 1 < n and toks[j + 1].text[0].isupper() \
                and toks[j - 1].low in lowered("domain_words"):
            j += 1
            continue
        if t.low in NAME_PARTICLES and j > i and j + 1 < n and toks[j + 1].text[0].isupper() and toks[j - 1].text[0].isupper():
            j += 1
            continue
        if t.low in DETERMINERS and j > i:
            j += 1
            break
        break
    return j


def phrase_backward(toks: list[Tok], j: int) -> int:
    """Start index of the speaker-phrase words ending just before ``toks[j]``."""
    i = j
    while i > 0:
        t = toks[i - 1]
        if t.low in DETERMINERS and i == j:
            i -= 1
            continue
        if t.text == ")":
            k = i - 2
            while k >= 0 and toks[k].text != "(" and i - k <= 9:
                k -= 1
            if k >= 0 and toks[k].text == "(" and _paren_end(toks, k) == i:
                i = k
                continue
            break
        if t.text[0].isupper() and t.is_word:
            i -= 1
            continue
        if t.low in lowered("person_nouns") or t.low in lowered("roles"):
            i -= 1
            continue
        if t.low in ("dan", "&") and i - 1 > 0 and toks[i - 2].low in lowered("domain_words") and i < j and toks[i].text[0].isupper():
            i -= 1
            continue
        if t.low in NAME_PARTICLES and i - 1 > 0 and i < j and toks[i - 2].text[0].isupper() and toks[i].text[0].isupper():
            i -= 1
            continue
        # a lowercase word that continues a multi-word role ("juru bicara")
        if i - 1 > 0 and match_at("roles", toks, i - 2) >= 2:
            i -= 1
            continue
        break
    # sentence-opening connectives are never part of the phrase
    while i < j and toks[i].low in lowered("connectives") and toks[i].low not in lowered("pronouns"):
        i += 1
    return i


def _join(text: str, toks: list[Tok]) -> str:
    return text[toks[0].start:toks[-1].end] if toks else ""


def parse_phrase(text: str, toks: list[Tok]) -> Optional[Phrase]:
    """Classify and split the phrase made of ``toks`` (already delimited)."""
    if not toks:
        return None
    start, end = toks[0].start, toks[-1].end
    raw = _join(text, toks)
    if len(toks) == 1 and toks[0].low in lowered("pronouns"):
        return Phrase(start, end, raw, "pronoun")
    # sentence-opening connectives and honorifics are not part of a name ("Menurut Laila", "Pak Budi")
    body = list(toks)
    while len(body) > 1 and body[0].low in lowered("connectives"):
        body = body[1:]
    while body and match_at("honorifics", body, 0):
        body = body[match_at("honorifics", body, 0):]
        if body and body[0].text == ".":
            body = body[1:]
    if not body:
        return None
    if not any(t.text[0].isupper() for t in body):
        # lowercase words only: a role ("kata pengamat") or nothing
        if match_at("roles", body, 0) or body[0].low in lowered("person_nouns"):
            return Phrase(start, end, raw, "role", role=_join(text, body))
        return None
    aliases: list[str] = []
    # "Joko Widodo (Jokowi)": a parenthesised single name after a name is an alias
    if len(body) >= 4 and body[-1].text == ")" and body[-3].text == "(" and is_name_word(body[-2]) \
            and is_name_word(body[-4]) and not body[-2].is_acronym:
        aliases.append(body[-2].text)
        body = body[:-3]
    if body[-1].low in DETERMINERS:
        mods = [t.text for t in body[:-1] if t.is_word]
        if not mods or not (body[0].low in lowered("person_nouns") or match_at("roles", body, 0)):
            return None
        return Phrase(start, end, raw, "nominal", modifiers=mods)

    # trailing run of name words = the name
    k = len(body)
    while k > 0 and (is_name_word(body[k - 1]) or _initials(body, k - 1)
                     or (body[k - 1].low in NAME_PARTICLES and k < len(body) and k - 1 > 0 and is_name_word(body[k - 2]))):
        if match_at("roles", body, k - 1) or match_at("org_heads", body, k - 1) \
                or match_at("places", body, k - 1) or match_at("known_organizations", body, k - 1) \
                or _field_word(body, k - 1):
            break
        k -= 1
    # a place or org of several words matched from an earlier token ("Korea Selatan", "Gedung Putih")
    for lex in ("places", "known_organizations"):
        for s in range(0, k):
            n = match_at(lex, body, s)
            if n and s + n > k:
                k = s + n
    name_toks = body[k:]
    head = body[:k]
    # an organisation head word needs at least one word after it ("Partai Gerindra")
    if head and match_at("org_heads", head, len(head) - 1) == 1 and name_toks:
        head = head + name_toks[:1]
        name_toks = name_toks[1:]
    role_toks: list[Tok] = []
    aff_toks: list[Tok] = []
    i = 0
    while i < len(head):
        n = match_at("roles", head, i)
        if not n or aff_toks:
            break
        i += n
        while i < len(head) and head[i].low in lowered("domain_words") and not match_at("org_heads", head, i) \
                and not match_at("places", head, i):
            i += 1
        role_toks = head[:i]
    rest = head[i:]
    # the affiliation runs to the last role word that is followed only by a rank ("… Polda Metro Jaya Kombes")
    cut = len(rest)
    for s in range(len(rest) - 1, 0, -1):
        if match_at("roles", rest, s) and s + match_at("roles", rest, s) == len(rest):
            cut = s
            break
    aff_toks = rest[:cut]
    role = _join(text, role_toks) or None
    aff = _join(text, aff_toks) or None
    if aff and aff_toks[0].text == "(":
        aff = None
    if name_toks:
        name = " ".join(t.text for t in name_toks if t.is_word)
        if len(name_toks) == 1 and name_toks[0].is_acronym:
            return Phrase(start, end, raw, "org", name=name)
        return Phrase(start, end, raw, "name", name=name, role=role, affiliation=aff, aliases=aliases)
    if aff_toks and not role_toks:
        return Phrase(start, end, raw, "org", name=aff)
    if not role_toks and not aff_toks:
        return None
    if role_toks and not aff_toks and len(role_toks) == 1 and match_at("known_organizations", role_toks, 0):
        return Phrase(start, end, raw, "org", name=role)
    return Phrase(start, end, raw, "role", role=role, affiliation=aff)


def org_like(p: Phrase) -> bool:
    if p.kind == "org":
        return True
    if p.kind == "name" and p.name:
        toks = [Tok(w, 0, 0) for w in p.name.split()]
        return bool(match_at("known_organizations", toks, 0) == len(toks) or match_at("org_heads", toks, 0))
    return False


# -- speaker phrases in context: after a cue, before a verb, with appositives --------------

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
