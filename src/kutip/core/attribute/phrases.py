"""Speaker phrases: find the words that name a speaker and split them into
name, role and affiliation.

"Sekretaris Jenderal Pakta Pertahanan Atlantik Utara (NATO) Jens Stoltenberg"
-> role "Sekretaris Jenderal", affiliation "Pakta Pertahanan Atlantik Utara (NATO)",
name "Jens Stoltenberg". The name is the trailing run of name-like words; what
precedes it is role (a title plus its field words) and then affiliation. Every
word class comes from a lexicon file in ``kutip/core/lexicons``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from kutip.core.attribute.cues import cue_at, verb_at
from kutip.core.segment.text import Tok, tokenize
from kutip.core.segment.quotes import MARKS
from kutip.core.lexicons import closed_class, entries, lowered

DETERMINERS = closed_class("determiners")
NAME_PARTICLES = closed_class("name_particles")


_MULTI: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {}


def _multi(name: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """First word -> the lexicon's entries starting with it (longest first), case-folded."""
    table = _MULTI.get(name)
    if table is None:
        first: dict[str, list[tuple[str, ...]]] = {}
        for e in entries(name):
            words = tuple(w.casefold() for w in e.split())
            first.setdefault(words[0], []).append(words)
        table = _MULTI[name] = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in first.items()}
    return table


def match_at(lexicon: str, toks: list[Tok], i: int) -> int:
    """Length in tokens of the longest entry of ``lexicon`` starting at ``toks[i]`` (0 if none)."""
    if i >= len(toks):
        return 0
    table = _MULTI.get(lexicon) or _multi(lexicon)
    found = table.get(toks[i].low)
    if not found:
        return 0
    for words in found:
        n = len(words)
        if n == 1:
            return 1
        if i + n <= len(toks) and all(toks[i + k].low == words[k] for k in range(1, n)):
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
    as opposed to the same word inside a name ("Budi Karya Sumadi", "Agung Ilmu …"): the run of
    domain words it ends must follow an office, a body or a place."""
    if toks[i].low not in lowered("domain_words"):
        return False
    k = i
    while k > 0:
        prev = toks[k - 1]
        if prev.low in closed_class("name_conjunctions") and k >= 2:
            k -= 1
            continue
        if prev.is_acronym or prev.text == ")" or match_at("roles", toks, k - 1) or match_at("org_heads", toks, k - 1) \
                or match_at("places", toks, k - 1) or prev.low in lowered("roles") or prev.low in lowered("org_heads"):
            return True
        if prev.low not in lowered("domain_words"):
            return False
        k -= 1
    return False


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
    # what drew the line before the name: "sure" (a cue, a comma, a rank, the sentence start),
    # "weak" (only word classes: "Direktur … for Global Justice Rachmi Hertanti"), "body" (a body
    # that may go on with a region: "Kepala BPBD Kobar Syahruni"); other mentions may move it
    name_edge: str = "sure"
    # a nickname ("Danny sapaannya"): an alias of the person meant by ``nickname_of`` (an office
    # written after the marker, "panggilan Menteri Agama") or, without one, the salient person
    nickname: bool = False
    nickname_of: Optional["Phrase"] = None

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
            honorific = not match_at("roles", toks, j)
            j += k
            if honorific and j + 1 < n and toks[j].text == "." and toks[j + 1].text[0].isupper():
                j += 1        # "Prof. Karta"
            while j < n and toks[j].low in lowered("role_modifiers"):
                j += 1        # "Bupati terpilih"
            continue
        if (t.low in lowered("person_nouns") or match_at("org_heads", toks, j) == 1) and j == i \
                and (t.low in lowered("person_nouns") or j + 1 < n and toks[j + 1].text[0].isupper()):
            j += 1           # "kata pengamat …", "kata kantor Sekjen"
            continue
        if t.text[0].isupper() and t.is_word and t.low not in lowered("not_names"):
            j += 1
            continue
        pe = _paren_end(toks, j)
        if pe > j:
            j = pe
            continue
        if t.low in closed_class("name_conjunctions") and j > i and j + 1 < n and toks[j + 1].text[0].isupper() \
                and (toks[j - 1].low in lowered("domain_words")
                     or match_at("roles", toks, i) and toks[j - 1].text[0].isupper() and j - i >= 2
                     and not match_at("roles", toks, j + 1) and not match_at("honorifics", toks, j + 1)):
            j += 1           # "Direktur Produksi dan Niaga …": one office
            continue
        if t.low in NAME_PARTICLES and j > i and j + 1 < n and toks[j + 1].text[0].isupper() and toks[j - 1].text[0].isupper():
            j += 1
            continue
        if t.text == "/" and j > i and j + 1 < n and toks[j + 1].text[0].isupper() and toks[j - 1].text[0].isupper():
            j += 1           # "PT Indonesia Asahan Aluminium/Inalum"
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
        if t.low in closed_class("name_conjunctions") and i - 1 > 0 and toks[i - 2].low in lowered("domain_words") and i < j and toks[i].text[0].isupper():
            i -= 1
            continue
        if (t.low in NAME_PARTICLES or t.text == "/") and i - 1 > 0 and i < j and toks[i - 2].text[0].isupper() \
                and toks[i].text[0].isupper():
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



def _rank_at(toks: list[Tok], i: int) -> int:
    """Length of a rank with its suffixes at ``toks[i]`` ("Irjen Pol", "Komjen (Pol)"), else 0."""
    n = match_at("ranks", toks, i)
    if not n:
        return 0
    j = i + n
    while j < len(toks):
        if toks[j].low in lowered("rank_suffixes"):
            j += 1
        elif toks[j].text == "(" and j + 2 < len(toks) and toks[j + 1].low in lowered("rank_suffixes") \
                and toks[j + 2].text == ")":
            j += 3
        else:
            break
    return j - i


def _strip_degrees(toks: list[Tok]) -> list[Tok]:
    """Drop degrees written after a name ("Hairan SH", "Satake Bayu Setianto, S.Ik")."""
    out = list(toks)
    while len(out) > 1 and (out[-1].low in lowered("degrees") or out[-1].text in ",."):
        out.pop()
    return out


def _is_rank(s: str) -> bool:
    toks = tokenize(s)
    return bool(toks) and _rank_at(toks, 0) == len(toks)


def _drop_rank(head: list[Tok]) -> list[Tok]:
    """An office without the rank at its end ("Kapolri Jenderal" -> "Kapolri"); a rank that is the
    whole office stays ("Kapten Timnas")."""
    for k in range(max(0, len(head) - 4), len(head)):
        if k > 0 and _rank_at(head, k) == len(head) - k:
            return head[:k]
    return head


def _office_word(toks: list[Tok], i: int) -> bool:
    return bool(match_at("roles", toks, i) or match_at("org_heads", toks, i) or match_at("places", toks, i)
                or match_at("known_organizations", toks, i) or _field_word(toks, i))


def _name_split(body: list[Tok]) -> tuple[list[Tok], list[Tok], bool]:
    """(name, office words before it, whether the boundary is sure) of a speaker phrase.

    The grammar: honorific? OFFICE? (RANK | honorific)? NAME DEGREE*. A rank or an honorific
    after an office starts the name ("Bupati Batubara H Zahir", "Kapolda Sumbar Irjen Pol Teddy
    Minahasa"); else the name is the trailing run of name words; else a leading run before an
    office ("Dwiarso Budi Santiarto Ketua Majelis Hakim")."""
    body = _strip_degrees(body)
    has_office = bool(match_at("roles", body, 0) or match_at("org_heads", body, 0))
    for m in range(len(body) - 2, 0, -1):
        n = _rank_at(body, m) or (match_at("honorifics", body, m) if has_office else 0)
        if n:
            rest = body[m + n:]
            if rest and rest[0].text == ".":
                rest = rest[1:]
            inside_role = any(b + match_at("roles", body, b) > m for b in range(max(0, m - 3), m))
            if rest and not inside_role and all((is_name_word(t) and not _office_word(rest, k))
                                                or _initials(rest, k) or t.low in NAME_PARTICLES
                                                for k, t in enumerate(rest)):
                return rest, _drop_rank(body[:m]), True
    # words inside a multi-word office that starts earlier ("Chief Executive Officer") are the office's
    covered = {c for b in range(len(body)) for n in (match_at("roles", body, b),) if n > 1 for c in range(b + 1, b + n)}
    k = len(body)
    while k > 0 and k - 1 not in covered and (is_name_word(body[k - 1]) or _initials(body, k - 1)
                     or (body[k - 1].low in NAME_PARTICLES and k < len(body) and k - 1 > 0 and is_name_word(body[k - 2]))):
        if _office_word(body, k - 1) or _rank_at(body, k - 1):
            # a surname that is also an office word ends a name: "Menteri Agama Lukman Hakim"
            last_after_name = k == len(body) and k >= 2 and match_at("roles", body, k - 1) == 1 \
                and is_name_word(body[k - 2]) and not _office_word(body, k - 2) and not _rank_at(body, k - 2)
            if not last_after_name:
                break
        k -= 1
    # a place or org of several words matched from an earlier token ("Korea Selatan", "Gedung Putih")
    for lex in ("places", "known_organizations"):
        for s in range(0, k):
            n = match_at(lex, body, s)
            if n and s + n > k:
                k = s + n
    name_toks, head = body[k:], body[:k]
    # an organisation head word needs at least one word after it ("Partai Gerindra")
    if head and match_at("org_heads", head, len(head) - 1) == 1 and name_toks:
        head, name_toks = head + name_toks[:1], name_toks[1:]
    head = _drop_rank(head)
    if not name_toks and body and is_name_word(body[0]) and not _office_word(body, 0):
        # NAME OFFICE: "Dwiarso Budi Santiarto Ketua Majelis Hakim"
        j = 0
        while j < len(body) and is_name_word(body[j]) and not _office_word(body, j) and not _rank_at(body, j):
            j += 1
        if 0 < j < len(body) and match_at("roles", body, j):
            return body[:j], body[j:], True
    return name_toks, head, len(name_toks) < 2 or not head and len(name_toks) < 3


def _body_start(toks: list[Tok], j: int) -> bool:
    """Where an organisation's name can start: an acronym, an organisation head, a known body."""
    t = toks[j]
    return bool((t.is_acronym and not match_at("roles", toks, j)) or match_at("org_heads", toks, j)
                or match_at("known_organizations", toks, j))


def split_office(head: list[Tok], *, whole: bool = False) -> tuple[list[Tok], list[Tok]]:
    """Split the words before a name into role and affiliation: ROLE (field words) BODY.

    The role is a role head with its field words ("Direktur Operasi dan Portofolio", "Kepala
    Biro Komunikasi dan Pelayanan Publik"); the affiliation is the outermost body after it, the
    last place where an organisation starts after a complete one ("… Publik | Kementerian
    Kesehatan", "Ketua Komisi III | DPR RI"). ``whole``: the words are a whole office with no name
    (an appositive "Direktur Operasi dan Portofolio Inalum, Danny Praditya"): with no body word,
    its last word is the body."""
    if not head:
        return [], []
    n = match_at("roles", head, 0)
    if not n:
        return [], head
    i = n
    while i < len(head):
        if (k := match_at("roles", head, i)) and not _body_start(head, i):
            i += k
        elif head[i].low in lowered("role_modifiers"):
            i += 1
        elif head[i].text == "(" and i + 2 < len(head) and head[i + 2].text == ")" and head[i + 1].is_word:
            i += 3            # the office's short form: "Sekretaris Daerah (Sekda)", "Pelaksana tugas (Plt)"
        else:
            break
    starts = []
    for j in range(i, len(head)):
        if head[j].text == "(":
            break
        if _body_start(head, j) and (j == i or not (_body_start(head, j - 1) or head[j - 1].text == "(")):
            starts.append(j)
    if starts:
        b = starts[-1]
        return head[:b], head[b:]
    # no body word: field words continue the role ("Menteri Pertahanan"), the rest is a place
    if whole and len(head) - 1 > i - 1 and len(head) > n and head[-1].text[0].isupper() and head[-1].is_word \
            and not match_at("places", head, len(head) - 1) and head[-1].low not in lowered("domain_words") \
            and all(t.text[0].isupper() or t.low in closed_class("name_conjunctions") for t in head[n:]):
        return head[:-1], head[-1:]     # "Direktur Operasi dan Portofolio | Inalum"
    while i < len(head) and head[i].low in lowered("domain_words") and not match_at("places", head, i):
        i += 1
    return head[:i], head[i:]


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
    if len(body) > 1 and body[-1].low in DETERMINERS and (body[0].low in lowered("person_nouns")
                                                         or match_at("roles", body, 0)):
        return Phrase(start, end, raw, "nominal", modifiers=[t.text for t in body[:-1] if t.is_word])
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

    name_toks, head, sure = _name_split(body)
    role_toks, aff_toks = split_office(head, whole=not name_toks)
    edge = "sure" if sure else "weak"
    if not sure and aff_toks and _body_start(aff_toks, 0) and aff_toks[-1].text != ")" \
            and not match_at("places", aff_toks, len(aff_toks) - 1) \
            and not any(match_at("known_organizations", aff_toks, k) == len(aff_toks) - k
                        and not aff_toks[k].is_acronym for k in range(len(aff_toks))):
        edge = "body"     # "BPBD | Kobar Syahruni": the body may go on with its region
    role = _join(text, role_toks) or None
    aff = _join(text, aff_toks) or None
    if aff and aff_toks[0].text == "(":
        aff = None
    if name_toks:
        name = " ".join(t.text for t in name_toks if t.is_word)
        if len(name_toks) == 1 and name_toks[0].is_acronym:
            return Phrase(start, end, raw, "org", name=name)
        return Phrase(start, end, raw, "name", name=name, role=role, affiliation=aff, aliases=aliases,
                      name_edge=edge)
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


STOPPERS = closed_class("phrase_stoppers")
ROLE_SPLIT = closed_class("role_split")
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
    # an adjunct ends the role: "Ketua Tim JPU | saat membacakan tuntutan pada Kamis (20/4)"
    stop = next((k for k in range(head, len(toks)) if toks[k].low in ROLE_ADJUNCTS
                 or toks[k].low in closed_class("date_prepositions") and k + 1 < len(toks) and _date_word(toks[k + 1])), None)
    if stop is not None:
        toks = toks[:stop]
    cut = next((k for k in range(head, len(toks)) if toks[k].low in ROLE_SPLIT
                and k + 1 < len(toks) and toks[k + 1].text[0].isupper()), None)
    role_toks = toks[:cut] if cut is not None else toks
    aff = text[toks[cut + 1].start:toks[-1].end] if cut is not None else None
    if cut is None:
        # "Perwakilan | Komite Solidaritas Profesi": an office and its body
        office, body = split_office(toks)
        if office and body and _body_start(body, 0):
            role_toks, aff = office, _join(text, body)
    return Phrase(toks[0].start, toks[-1].end, text[toks[0].start:toks[-1].end], "role",
                  role=text[role_toks[0].start:role_toks[-1].end], affiliation=aff)


ROLE_ADJUNCTS = closed_class("role_adjuncts")


def _date_word(t: Tok) -> bool:
    return t.text[0].isdigit() or t.text in lowered("not_names") or t.low in lowered("not_names") \
        or t.low in closed_class("time_nouns")


def _chunk_end(toks: list[Tok], i: int) -> int:
    """Index of the comma or full stop that ends the comma-delimited chunk starting at ``i``."""
    k = i
    while k < len(toks) and (toks[k].text not in ",.;:" or _title_dot(toks, k)) and toks[k].text not in MARKS \
            and k - i <= APPOSITIVE_MAX:
        k += 1
    return k


def _title_dot(toks: list[Tok], k: int) -> bool:
    """The full stop of an abbreviated title before a name ("Prof. Karta"), not a sentence end."""
    return toks[k].text == "." and k > 0 and k + 1 < len(toks) and toks[k + 1].text[0].isupper() \
        and bool(match_at("honorifics", toks, k - 1))


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
        if p is None or p.kind == "role" or p.kind == "name" and len(p.name_tokens) == 1 and not p.role:
            nominal, k = nominal_after(text, toks, i)
            if nominal is not None and k > j and nominal.kind == "nominal":
                return nominal, k            # "ujar orang nomor satu Makassar tersebut"
        if p is None:
            return None, i
        if p.kind == "name" and p.name_edge == "sure" and i > 0 and toks[i - 1].is_word \
                and toks[i - 1].text[0].islower() and not cue_at(toks[i - 1]):
            p.name_edge = "weak"      # "… Indonesia for | Global Justice Rachmi Hertanti"
        elif p.kind == "name" and not p.role and not p.affiliation and i > 0 and toks[i - 1].text in "—–-":
            p.name_edge = "sure"      # a name line: "— SITI FADIA SILVA RAMADHANTI —"
    # "Danny sapaannya", "Gus Men, panggilan Menteri Agama": a nickname
    m = j + 1 if j < len(toks) and toks[j].text == "," else j
    n = match_at("nickname_markers", toks, m)
    if p.kind == "name" and not p.role and n:
        k = m + n
        of, k2 = speaker_after(text, toks, k) if k < len(toks) and (toks[k].text[0].isupper()
                                                                     or match_at("roles", toks, k)) else (None, k)
        return Phrase(p.start, p.end, p.text, "name", p.name, aliases=p.aliases, nickname=True,
                      nickname_of=of if of is not None and of.kind in ("role", "name", "nominal") else None), \
            (k2 if of is not None else k)
    # "Anggota Komisi III DPR RI dari PDIP, Eva …": an office from a body
    if p.kind == "role" and j + 1 < len(toks) and toks[j].low in closed_class("origin_links") and toks[j + 1].text[0].isupper():
        k = phrase_forward(toks, j + 1)
        body = parse_phrase(text, toks[j + 1:k]) if k > j + 1 else None
        if body is not None and body.kind == "name" and body.affiliation and not body.role:
            # "Wakil Ketua Komisi III dari Fraksi Partai Golkar Adies Kadir": the name ends the body
            p = Phrase(body.start, body.end, body.text, "name", body.name, p.text, body.affiliation, body.aliases,
                       name_edge=body.name_edge)
            j = k
        else:
            q = role_chunk(text, toks[i:k]) if k > j + 1 else None
            if q is not None and q.kind == "role" and q.affiliation:
                p, j = q, k
    # "Ruhut Sitompul dari Partai Demokrat": the body a person comes from is their affiliation
    if p.kind == "name" and not p.affiliation and j + 1 < len(toks) and toks[j].low in closed_class("origin_links") \
            and toks[j + 1].text[0].isupper():
        k = phrase_forward(toks, j + 1)
        q = parse_phrase(text, toks[j + 1:k]) if k > j + 1 else None
        if q is not None and q.kind in ("org", "role", "name") and (q.kind != "name" or q.role or q.affiliation
                                                                    or org_like(q)):
            aff = q.name if q.kind == "org" or q.kind == "name" and not q.role else q.affiliation
            if q.kind == "name" and not org_like(q):
                aff = None
            if aff or q.kind == "org":
                p = Phrase(p.start, p.end, p.text, "name", p.name, p.role, aff or text[toks[j + 1].start:toks[k - 1].end],
                           p.aliases, name_edge=p.name_edge)
                j = k
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
            merged = merge_appositive(_as_office(text, toks[i:j], p, q), q, text)
            if merged is not None:
                return merged, k
        # "kata Kepala BMKG, Dwikorita Karnawati dalam siaran pers"
        k = phrase_forward(toks, j + 1)
        if k > j + 1 and (k == len(toks) or toks[k].low in STOPPERS or toks[k].text in ".;"
                          or p.kind == "role" and toks[k].is_word and toks[k].text[0].islower()
                          and toks[k].low not in closed_class("alternatives")):
            q = parse_phrase(text, toks[j + 1:k])
            merged = merge_appositive(_as_office(text, toks[i:j], p, q), q, text)
            if merged is not None and merged.kind == "name" and (p.kind != "name" or p.role):
                return merged, k
    return p, j


def _as_office(text: str, toks: list[Tok], p: Phrase, q: Optional[Phrase]) -> Phrase:
    """An office read as "role name" that an appositive name follows is a whole office:
    "Direktur Operasi dan Portofolio Inalum, Danny Praditya" -> role + affiliation, no name."""
    if p.kind != "name" or not p.role or q is None or q.kind != "name" or q.role:
        return p
    role_toks, aff_toks = split_office(_drop_rank(toks), whole=True)
    if not role_toks:
        return p
    return Phrase(p.start, p.end, p.text, "role", role=_join(text, role_toks), affiliation=_join(text, aff_toks) or None)


def merge_appositive(a: Optional[Phrase], b: Optional[Phrase], text: str) -> Optional[Phrase]:
    """Join "name, role" or "role, name" into one phrase; None when they do not fit."""
    if a is None or b is None:
        return None
    if b.kind == "name" and not b.role and not b.affiliation:
        b.name_edge = "sure"          # the comma drew the name's first word: "…, Siti Nadia Tarmizi"
    if a.kind == "name" and b.kind in ("role", "org") and not a.role:
        role, aff = (b.role, b.affiliation) if b.kind == "role" else (None, b.name)
        return Phrase(a.start, a.end, a.text, "name", a.name, role, aff, a.aliases, name_edge=a.name_edge)
    if a.kind == "name" and a.role and b.kind == "name" and not b.role:
        # "Kapten Timnas, Asnawi Mangkualam": what looked like a name was the affiliation
        return Phrase(b.start, b.end, b.text, "name", b.name, a.role, a.affiliation or a.name, b.aliases,
                      name_edge=b.name_edge)
    if a.kind in ("role", "org") and b.kind == "name":
        role, aff = (a.role, a.affiliation) if a.kind == "role" else (None, a.name)
        own = b.role if b.role and not (role and _is_rank(b.role)) else None    # "Kapolres X, AKBP Bayu"
        return Phrase(b.start, b.end, b.text, "name", b.name, own or role, b.affiliation or aff, b.aliases,
                      name_edge=b.name_edge)
    return None


def _boundary(toks: list[Tok], s: int) -> bool:
    """Whether a speaker phrase can start at ``toks[s]``: the sentence start, punctuation, a
    connective, or a quantifier that opens the clause ("Salah seorang | warga X")."""
    if s == 0 or toks[s - 1].text in ",;:(-–—" or toks[s - 1].low in lowered("connectives"):
        return True
    for q in range(max(0, s - 2), s):
        if match_at("quantifiers", toks, q) == s - q and (q == 0 or toks[q - 1].text in ",;:-–—"
                                                           or toks[q - 1].low in lowered("connectives")):
            return True
    return False


def _chunk_start(toks: list[Tok], j: int) -> int:
    """Start of the comma-delimited chunk ending before ``toks[j]``, after leading connectives."""
    k = j
    while k > 0 and (toks[k - 1].text not in ",.;:-–—" or _title_dot(toks, k - 1)) and toks[k - 1].text not in MARKS \
            and j - k <= APPOSITIVE_MAX:
        k -= 1
    while k < j and toks[k].low in lowered("connectives") and toks[k].low not in lowered("pronouns"):
        k += 1
    return k


def subject_before(text: str, toks: list[Tok], v: int) -> Optional[Phrase]:
    """The subject of the verb at ``toks[v]``: the speaker phrase right before it, else the one
    that opens its clause with only modifiers between ("Agung … hingga kini mengaku", "Ahmad Halim
    yang memimpin sidang menegaskan", "Ruhut Sitompul dari Partai Demokrat menjelaskan")."""
    return _subject_right_before(text, toks, v) or _clause_subject(text, toks, v)


GAP_MAX = 16
CLAUSE_WINDOW = 40
GAP_OPENERS = closed_class("gap_openers")


def _clause_subject(text: str, toks: list[Tok], v: int) -> Optional[Phrase]:
    """The speaker phrase that opens the clause of the verb at ``toks[v]``, earliest clause start
    first, when the words between it and the verb are modifiers: adverbs, a relative clause, a
    prepositional phrase, a comma glued to the name."""
    # a clause opens at most CLAUSE_WINDOW tokens before its verb: the search stays bounded
    lo = max(0, v - CLAUSE_WINDOW)
    toks, v = toks[lo:v], v - lo
    starts = ([0] if lo == 0 else []) + [k + 1 for k in range(v) if toks[k].text in ",-–—"]
    # an office after a lowercase word: "Tiba giliran | jubir Fraksi X Nurhasan, tanpa basa-basi menyatakan"
    starts += [k for k in range(1, v) if toks[k - 1].is_word and toks[k - 1].text[0].islower()
               and match_at("roles", toks, k) and k not in starts]
    for s0 in starts:
        s = s0
        while s < v and toks[s].low in lowered("connectives") and toks[s].low not in lowered("pronouns"):
            s += 1
        if s >= v or not toks[s].text[0].isupper() and toks[s].low not in lowered("roles") \
                and toks[s].low not in lowered("person_nouns"):
            continue
        p, k = speaker_after(text, toks, s)
        if p is None or k <= s or p.kind not in ("name", "org", "nominal", "role"):
            continue
        if p.kind == "role" and not p.role:
            continue
        if _modifier_gap(toks[k:v]):
            return p
    return None


def sentence_subjects(text: str, toks: list[Tok]) -> list[Phrase]:
    """Who a narrative sentence may be about, best first: the speaker phrase that opens it (after
    connectives or one opening adverbial clause) followed by a lowercase word, its predicate
    ("Sementara, Budi dari Partai X berbeda pendapat …"), then a person introduced with an office
    later in it, not as an object ("… nada bicara jubir Fraksi X Faisol kendati …", but not
    "bersama wakilnya, Budi")."""
    out: list[Phrase] = []
    starts = [0] + [k + 1 for k in range(min(len(toks), 14)) if toks[k].text in ",-–—"][:1]
    for s0 in starts:
        s = s0
        while s < len(toks) and toks[s].low in lowered("connectives") and toks[s].low not in lowered("pronouns"):
            s += 1
        if s >= len(toks):
            continue
        if toks[s].low in lowered("pronouns"):
            if s + 1 < len(toks) and toks[s + 1].text[0].islower():
                out.append(parse_phrase(text, toks[s:s + 1]))
            continue
        if not toks[s].text[0].isupper() and not match_at("roles", toks, s):
            continue
        p, k = speaker_after(text, toks, s)
        if p is None or k <= s or p.kind not in ("name", "nominal", "role", "org") or k >= len(toks):
            continue
        nxt = toks[k]
        if nxt.is_word and nxt.text[0].islower() and nxt.low not in closed_class("list_conjunctions"):
            out.append(p)
    for k in range(1, len(toks)):
        if match_at("roles", toks, k) and toks[k - 1].is_word and toks[k - 1].low not in lowered("object_words") \
                and toks[k - 1].text[0].islower():
            p, e = speaker_after(text, toks, k)
            if p is not None and p.kind == "name" and p.role and e < len(toks) and toks[e].text[0].islower():
                out.append(p)
                break
    return out


def sentence_subject(text: str, toks: list[Tok]) -> Optional[Phrase]:
    """The first of :func:`sentence_subjects`."""
    found = sentence_subjects(text, toks)
    return found[0] if found else None


def _modifier_gap(gap: list[Tok]) -> bool:
    if len(gap) > GAP_MAX:
        return False
    if not gap:
        return True
    if gap[0].text == ",":
        gap = gap[1:]
        if not gap:
            return True
    brackets = "" if gap[0].low in GAP_OPENERS else "()"
    if any(t.text in ",;:" or t.text in brackets or t.text in MARKS or cue_at(t) or verb_at(gap, k)
           for k, t in enumerate(gap)):
        return False
    if not gap[0].text[0].islower() or gap[-1].low == "yang":     # "Laporan yang mengatakan": the verb is the clause's
        return False
    if any(t.text[0].isupper() for t in gap) and gap[0].low not in GAP_OPENERS:
        return False
    return True


NOMINAL_MAX = 10
_VERB_PREFIXES = tuple(sorted(closed_class("verb_prefixes")))


def _nominal_inner(t: Tok) -> bool:
    """A word that can sit inside a description ending in itu/tersebut ("orang nomor satu
    Makassar tersebut", "Presiden ke-5 RI tersebut"), not a preposition, verb or cue."""
    low = t.low
    if not t.is_word or low in STOPPERS or low in closed_class("description_breakers") or cue_at(t) \
            or low in lowered("reporting_verbs") or low in lowered("pronouns") or low in lowered("subject_adverbs") \
            or low in lowered("auxiliaries"):
        return False
    # a verb (me-/ber-/di- forms) starts a predicate, not a description
    return t.text[0].isupper() or low in lowered("person_nouns") or not (
        len(low) >= 6 and low.startswith(_VERB_PREFIXES))


def _nominal_head(t: Tok, toks: list[Tok], i: int) -> bool:
    return t.low in lowered("person_nouns") or bool(match_at("roles", toks, i)) or (t.text[0].isupper() and t.is_word)


def nominal_after(text: str, toks: list[Tok], i: int) -> tuple[Optional[Phrase], int]:
    """A description ending in itu/tersebut/ini that starts at ``toks[i]`` (after a cue)."""
    if i >= len(toks) or not _nominal_head(toks[i], toks, i) or toks[i].low in lowered("connectives"):
        return None, i
    for j in range(i + 1, min(len(toks), i + NOMINAL_MAX)):
        if toks[j].low in DETERMINERS:
            p = parse_phrase(text, toks[i:j + 1])
            return (p if p is not None and p.kind == "nominal" else _nominal(text, toks[i:j + 1])), j + 1
        if not _nominal_inner(toks[j]):
            break
    return None, i


def _nominal(text: str, toks: list[Tok]) -> Phrase:
    return Phrase(toks[0].start, toks[-1].end, _join(text, toks), "nominal",
                  modifiers=[t.text for t in toks[:-1] if t.is_word])


def _nominal_before(text: str, toks: list[Tok], j: int) -> Optional[Phrase]:
    """A description ending in itu/tersebut right before ``toks[j]``, opening its clause:
    "Putri sulung mendiang Presiden Pertama RI itu menekankan"."""
    if j < 2 or toks[j - 1].low not in DETERMINERS:
        return None
    for s in range(j - 2, max(-1, j - 1 - NOMINAL_MAX), -1):
        if _boundary(toks, s) and _nominal_head(toks[s], toks, s) and toks[s].low not in lowered("connectives"):
            return _nominal(text, toks[s:j])
        if not _nominal_inner(toks[s]):
            return None
    return None


def _selaku_subject(text: str, toks: list[Tok], j: int) -> Optional[Phrase]:
    """"Firman Wijaya selaku kuasa hukum terdakwa, Setya Novanto mengaku": the clause opens with
    NAME selaku|sebagai ROLE; what follows the comma is the role's apposition, not the speaker."""
    c = next((k for k in range(j - 1, max(0, j - 5), -1) if toks[k].text == ","), None)
    if c is None:
        return None
    a = _chunk_start(toks, c)
    if not _boundary(toks, a) or a >= c:
        return None
    p, k = speaker_after(text, toks[a:c], 0)
    k += a
    if p is None or p.kind != "name" or k >= c or toks[k].low not in closed_class("appositive_markers"):
        return None
    role = text[toks[k + 1].start:toks[c - 1].end] if k + 1 < c else None
    return Phrase(p.start, p.end, p.text, "name", p.name, p.role or role, p.affiliation, p.aliases,
                  name_edge=p.name_edge)


def _subject_right_before(text: str, toks: list[Tok], v: int) -> Optional[Phrase]:
    """The speaker phrase that ends right before the verb at ``toks[v]``."""
    j = v
    while j > 0 and toks[j - 1].low in lowered("subject_adverbs"):
        j -= 1
    if j == 0:
        return None
    nominal = _nominal_before(text, toks, j)
    if nominal is not None:
        return nominal
    selaku = _selaku_subject(text, toks, j)
    if selaku is not None:
        return selaku
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
    if not _boundary(toks, s) or s > 1 and toks[s - 1].low in closed_class("origin_links") and toks[s - 2].text[0].isupper():
        return None          # "Andi dari | Partai Hijau menjelaskan": the clause's subject is Andi
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
