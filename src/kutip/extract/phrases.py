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

from kutip.extract.text import Tok
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
