"""Offices and the bodies they imply: "Kapolda Sumbar" works for Polda Sumbar, "Kapolri" for
Polri, "Menag" is the Menteri Agama of the Kementerian Agama, "Bupati Batubara" heads the Pemkab
Batubara, "Kepala BMKG" is the Kepala of BMKG.

The offices are data (``core/lexicons/offices.tsv``, its header gives the templates); the grammar here
is small: PREFIX* OFFICE COMPLEMENT, where a prefix ("Plt", "Wakil", "Mantan":
``office_prefixes.txt``) leaves the body alone, the office is the longest entry (or "Ka"/"Kepala"
+ a body word, "Wa" + an office), and the complement is the words written after the office up to
the first word that cannot belong to a name ("dalam", a rank, a comma). Offices joined by "dan"
or "/" are tried in turn. Pure functions over strings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from kutip.core.lexicons import closed_class, lowered, rows
from kutip.core.lexicons import document as lexicons_document

_TOKEN = re.compile(r"\([^()]*\)|[^\W_](?:[\w'’\-.]*[^\W_])?\.?|[,/&]")
_ROMAN = re.compile(r"[IVXLC]+")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&\-]*[A-Z0-9]")
# lowercase words a body's name may hold ("Kementerian Pemuda dan Olahraga")
_JOINERS = closed_class("office_joiners")
# words between an office and its body ("peneliti dari LIPI")
_LINKS = closed_class("office_links")
# words joining two offices ("Presiden dan Ketua Umum X", "Menteri PPN/Kepala Bappenas")
_CONJ = closed_class("office_conjunctions")
_LEVELS: dict[str, str] = lexicons_document("closed_classes")["administrative_levels"]
_HOME = closed_class("home_country")


@dataclass(frozen=True)
class _Office:
    key: str                 # the office as the table writes it
    full: str                # the office written out
    template: str            # body template ("Polda {place}", "{body}", "Polri", "")
    bare: str                # the body when nothing follows the office


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.casefold().rstrip(".")

    @property
    def bracket(self) -> bool:
        return self.text.startswith("(")

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper() or self.text[:1].isdigit()

    @property
    def acronym(self) -> bool:
        return bool(_ACRONYM.fullmatch(self.text.rstrip("."))) and not _ROMAN.fullmatch(self.text)


def _tokens(s: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(s)]


@lru_cache(maxsize=None)
def _phrases(name: str) -> dict[tuple[str, ...], str]:
    return {tuple(e.split()): e for e in lowered(name)}


@lru_cache(maxsize=None)
def _offices() -> dict[tuple[str, ...], _Office]:
    """Office words (case-folded; the written and the full form) -> the office."""
    out: dict[tuple[str, ...], _Office] = {}
    for r in rows("offices"):
        o = _Office(r[0], r[1] if len(r) > 1 and r[1] else r[0], r[2] if len(r) > 2 else "",
                    r[3] if len(r) > 3 else "")
        out.setdefault(tuple(w.casefold() for w in o.key.split()), o)
    for o in list(out.values()):
        out.setdefault(tuple(w.casefold() for w in o.full.split()), o)
    return out


@lru_cache(maxsize=None)
def _body_words() -> dict[str, _Office]:
    """A body's first word -> the Ka- office heading it ("polda" -> Kapolda, "lapas" -> Kalapas)."""
    out: dict[str, _Office] = {}
    for o in _offices().values():
        if o.key.casefold().startswith("ka") and o.template and not o.template.startswith("{"):
            out.setdefault(o.template.split()[0].casefold(), o)
    return out


@lru_cache(maxsize=None)
def _regions() -> dict[tuple[str, ...], tuple[str, str]]:
    """Region words (case-folded) -> (level, long form)."""
    return {tuple(r[0].casefold().split()): (r[1] if len(r) > 1 else "", r[2] if len(r) > 2 and r[2] else r[0])
            for r in rows("regions")}


@lru_cache(maxsize=None)
def _org_starts() -> dict[tuple[str, ...], str]:
    """Words that open a body's name: organisation heads, known organisations, body words."""
    out = _phrases("org_heads")
    out.update(_phrases("known_organizations"))
    out.update({(w,): w for w in _body_words()})
    return out


def _match(low: list[str], i: int, table: dict) -> int:
    """The length of the longest entry of ``table`` at ``low[i]`` (0 if none)."""
    for n in range(min(6, len(low) - i), 0, -1):
        if tuple(low[i:i + n]) in table:
            return n
    return 0


def _office_at(toks: list[_Tok], i: int) -> Optional[tuple[int, _Office]]:
    """The office opening at ``toks[i]``: (its length in tokens, the office)."""
    low = [t.low for t in toks]
    table = _offices()
    n = _match(low, i, table)
    if low[i] == "kepala" and i + 1 < len(low):
        # "Kepala Polda X" is the Kapolda of X
        fused = ["ka" + low[i + 1]] + low[i + 2:]
        m = _match(fused, 0, table)
        if m and m + 1 > n:
            return m + 1, table[tuple(fused[:m])]
    if n:
        return n, table[tuple(low[i:i + n])]
    w = low[i]
    if len(w) > 4 and w.startswith("wa"):
        # "Wamenkeu", "Wakapolda": the Wakil of the office
        m = _match([w[2:]] + low[i + 1:], 0, table)
        if m:
            o = table[tuple([w[2:]] + low[i + 1:i + m])]
            return m, _Office(o.key, "Wakil " + o.full, o.template, o.bare)
    if len(w) > 4 and w.startswith("ka") and w[2:] in _body_words():
        return 1, _body_words()[w[2:]]
    return None


def _skip_prefixes(toks: list[_Tok], i: int) -> int:
    prefixes = _phrases("office_prefixes")
    low = [t.low for t in toks]
    while i < len(toks):
        if toks[i].bracket:
            i += 1
            continue
        n = _match(low, i, prefixes)
        if not n or _office_at(toks, i) is not None and _office_at(toks, i)[0] > n:
            return i
        i += n
    return i


def _complement(toks: list[_Tok]) -> list[_Tok]:
    """The words after an office that can belong to a body's or a region's name."""
    keep = lowered("org_heads") | lowered("domain_words") | set(_LEVELS)
    ranks, mods = _phrases("ranks"), lowered("role_modifiers")
    low = [t.low for t in toks]
    out: list[_Tok] = []
    i = 0
    while i < len(toks) and toks[i].low in _LINKS:
        i += 1
    while i < len(toks):
        t = toks[i]
        if t.text == "," or t.low in _CONJ - _JOINERS or _match(low, i, ranks) and t.text[:1].isupper():
            break
        if t.low in mods:
            i += 1
            continue
        if not (t.capital or t.bracket or t.low in _JOINERS or t.low in keep):
            break
        if not (t.capital or t.bracket or t.low in _JOINERS) and out and out[-1].capital:
            break        # "Tim Jaksa Penuntut Umum dalam …": a lowercase word after a name ends it
        out.append(t)
        i += 1
    while out and (out[-1].low in _JOINERS or out[-1].low in _LINKS):
        out.pop()
    return out


def _text(s: str, toks: list[_Tok]) -> str:
    return s[toks[0].start:toks[-1].end] if toks else ""


def _region_like(toks: list[_Tok], acronyms: bool = False) -> bool:
    """Words naming a region ("Sumatera Barat", "Batubara", "Kabupaten Bogor", "NTB"), not a body;
    with ``acronyms``, words written after a regional office ("Kapolres OKU") may be acronyms."""
    words = [t for t in toks if not t.bracket]
    if not words or not words[0].capital:
        return False
    low = [t.low for t in words]
    if (low[0],) in _org_starts() and low[0] not in _LEVELS:
        return False
    if _match(low, 0, _regions()) == len(low) or _match(low, 0, _phrases("places")) == len(low):
        return True
    return all(t.capital and (acronyms or not t.acronym) or t.low in _JOINERS for t in words)


def _strip_level(toks: list[_Tok]) -> tuple[str, list[_Tok]]:
    """("Pemkab", rest) for "Kabupaten Bogor"; ("", toks) when no level word opens the region."""
    if len(toks) > 1 and toks[0].low in _LEVELS:
        return _LEVELS[toks[0].low], toks[1:]
    return "", toks


def _pemda(level: str, region: list[_Tok]) -> str:
    if level:
        return level
    found = _regions().get(tuple(t.low for t in region))
    kind = found[0] if found else ""
    return "Pemprov" if kind == "provinsi" else "Pemkot" if kind == "kota" else "Pemkab"


def _foreign_place(low: list[str], j: int) -> bool:
    tail = tuple(low[j:])
    return (tail in _phrases("places") and " ".join(tail) not in _HOME and tail not in _regions())


def _body(s: str, comp: list[_Tok]) -> Optional[list[_Tok]]:
    """The body named in an office's complement: from the first word that opens a body's name
    (an organisation head, a known organisation, an acronym; a place right after the office),
    past any part of a body ("Bidang Humas Polda X" -> Polda X)."""
    low = [t.low for t in comp]
    starts, parts = _org_starts(), _phrases("subunits")
    if low and _match(low, 0, _offices()) and not _office_row(low, 0).template and not _office_row(low, 0).bare:
        return None      # "Ketua Tim Kuasa Hukum X": the body of a relation, not of the speaker
    if comp and (comp[0].capital and _foreign_or_region(low, 0)):
        return comp
    found = None
    for j, t in enumerate(comp):
        if t.bracket:
            continue
        if (low[j],) in starts or _match(low, j, starts) or t.acronym:
            if _match(low, j, parts) and found is None:
                found = -1    # a part: look on for the body it belongs to
                continue
            found = j
            break
    if found is None or found < 0:
        return None
    body = comp[found:]
    if not any(t.capital for t in body if not t.bracket):
        return None
    return body


def _office_row(low: list[str], j: int) -> _Office:
    n = _match(low, j, _offices())
    return _offices()[tuple(low[j:j + n])]


def _foreign_or_region(low: list[str], j: int) -> bool:
    tail = tuple(low[j:])
    return tail in _phrases("places") or tail in _regions()


def _derive(s: str, toks: list[_Tok], affiliation: Optional[str]) -> Optional[tuple[str, Optional[int]]]:
    """The body the office opening ``toks`` implies: (body, where the body starts in ``s`` when it
    is the words written after a head such as "Kepala", else None); ("", None) for an office
    that implies no body; None when nothing can be said."""
    found = _office_at(toks, 0)
    if found is None:
        return None
    n, office = found
    comp = _complement(toks[n:])
    template = office.template
    if not template:
        return None if office.bare else ("", None)
    if template == "{body}":
        body = _body(s, comp)
        if body and affiliation:
            # "Ketua KPU" + "Jabar" -> KPU Jabar: a region given completes a body that takes one
            known = (body[0].low,) in _phrases("known_organizations")
            if len(body) == 1 and (body[0].acronym or known) and (body[0].low,) not in _regions():
                return body[0].text + " " + affiliation, body[0].start
            return None
        return (_text(s, body), body[0].start) if body else None
    if "{field}" in template:
        if affiliation or not comp:
            return None
        low = [t.low for t in comp]
        for j in range(1, len(low)):
            if _foreign_place(low, j):
                return _text(s, comp[j:]), None     # "Menteri Pertahanan Rusia" -> Rusia
        return template.replace("{field}", _text(s, comp)), None
    low = [t.low for t in comp]
    if "{" not in template:
        if comp and any(_foreign_place(low, j) for j in range(len(low))):
            j = next(j for j in range(len(low)) if _foreign_place(low, j))
            return _text(s, comp[j:]), None     # "Menlu Rusia" -> Rusia
        return None if affiliation else (template, None)
    if comp and not _region_like(comp, acronyms=True):
        low = [t.low for t in comp]
        if _match(low, 0, _org_starts()) and not affiliation:
            # "Gubernur Bank Indonesia": a body, not a region, follows the office
            body = _body(s, comp)
            return (_text(s, body), body[0].start) if body else None
        comp = []
    src, place = s, comp
    if not place and affiliation:
        src, place = affiliation, _tokens(affiliation)
    if not place:
        return None if affiliation or not office.bare else (office.bare, None)
    level, region = _strip_level(place)
    written = _text(src, place)
    if comp and affiliation and all(t.low in lowered("domain_words") or t.low in _JOINERS for t in comp):
        written += " " + affiliation       # "Kadis Kesehatan" + "Makassar" -> Dinas Kesehatan Makassar
    out = template.replace("{place}", written).replace("{region}", _text(src, region))
    out = out.replace("{pemda}", _pemda(level, region))
    return " ".join(out.split()), None


def _conjuncts(toks: list[_Tok]) -> list[list[_Tok]]:
    """The offices a role joins ("Presiden dan Ketua Umum X"), each from its first word."""
    out, start = [], 0
    for i, t in enumerate(toks):
        if t.low in _CONJ and i + 1 < len(toks):
            j = _skip_prefixes(toks, i + 1)
            part = _match([t.low for t in toks], j, _phrases("subunits")) if j < len(toks) else 0
            if j < len(toks) and not part and _office_at(toks, j) is not None:
                out.append(toks[start:i])
                start = i + 1
    out.append(toks[start:])
    return out


def _complete_role(role: str, affiliation: Optional[str]) -> Optional[tuple[str, str]]:
    toks = _tokens(role)
    parts = _conjuncts(toks)
    for k, part in enumerate(parts):
        i = _skip_prefixes(part, 0)
        if i >= len(part):
            continue
        got = _derive(role, part[i:], affiliation)
        if got is None:
            continue
        body, at = got
        if not body:
            return None      # an office that implies no body: nothing to fill
        if at is not None and len(parts) == 1:
            # "Kepala BMKG" -> the office "Kepala" of the body "BMKG"
            head = role[:at].rstrip(" ,")
            for link in _LINKS:
                if head.casefold().endswith(" " + link):
                    head = head[:-len(link) - 1].rstrip()
            return head or role, body
        return role, body
    return None


def complete(role: Optional[str], affiliation: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(role, affiliation) with the affiliation the office implies filled in: "Kapolda Sumbar" ->
    Polda Sumbar, "Menag" -> Kementerian Agama, "Kepala BMKG" -> ("Kepala", "BMKG"). A region
    written as the affiliation becomes the office's body ("Bupati" + "Batubara" -> Pemkab
    Batubara); an office written as the affiliation with no role becomes the role. Any other
    affiliation given stays, and an office that implies no body ("pengamat", "Presiden" alone,
    "kuasa hukum Bupati X") gets none."""
    if not role:
        if affiliation:
            got = _complete_role(affiliation, None)
            if got is not None:
                return got       # "Sekdakab X" given as the affiliation is the office
        return role, affiliation
    if affiliation and not _region_like(_tokens(affiliation)):
        return role, affiliation
    got = _complete_role(role, affiliation)
    return got if got is not None else (role, affiliation)


def full_office(role: str) -> str:
    """The office written out ("Menag" -> "Menteri Agama", "Wabup Sleman" -> "Wakil Bupati
    Sleman"), else the role itself."""
    toks = _tokens(role)
    for i in range(len(toks)):
        found = _office_at(toks, i)
        if found is not None:
            n, office = found
            words = [t.text for t in toks]
            return " ".join(words[:i] + [office.full] + words[i + n:])
    return role


def _canon(role: str) -> list[tuple[str, tuple[str, ...], bool]]:
    """The readings of a role: (office written out, the words after it, whether the office is a
    head that takes any body), one for the role and one for each bracketed form ("Sekretaris
    Daerah (Sekda)")."""
    out = []
    texts = [re.sub(r"\([^()]*\)", " ", role)] + re.findall(r"\(([^()]*)\)", role)
    prefixes = _phrases("office_prefixes")
    for text in texts:
        toks = [t for t in _tokens(text) if t.text != ","]
        i = 0
        while i < len(toks):
            n = _match([t.low for t in toks], i, prefixes)
            found = _office_at(toks, i)
            if not n or toks[i].low == "wakil" or found is not None and found[0] > n:
                break
            i += n
        wakil = i < len(toks) and toks[i].low == "wakil"
        if wakil:
            i += 1
        found = _office_at(toks, i) if i < len(toks) else None
        if found is None:
            words = tuple(t.low for t in toks[i:])
            if words:
                out.append((("wakil " if wakil else "") + " ".join(words), (), False))
            continue
        n, office = found
        rest = []
        low = [t.low for t in toks[i + n:] if t.low not in lowered("role_modifiers")]
        j = 0
        while j < len(low):
            m = _match(low, j, _regions())
            if m:
                rest.extend(_regions()[tuple(low[j:j + m])][1].casefold().split())
                j += m
            else:
                rest.append(low[j])
                j += 1
        full = ("wakil " if wakil else "") + office.full.casefold()
        out.append((full, tuple(rest), office.template == "{body}"))
    return out


def same_office(a: str, b: str) -> bool:
    """Whether two role strings name the same office, short forms written out and case aside:
    "Menag" ~ "Menteri Agama", "sekda" ~ "Seketaris Daerah (Sekda)", "Kapolda" ~ "Kapolda
    Sumatera Barat" ~ "Kepala Polda Sumbar", "Rektor" ~ "Rektor UNM"; but "Kepala" is not
    "Kapolda", "Bupati" is not "Wakil Bupati", "Kapolda Sumbar" is not "Kapolda Jateng"."""
    if not a or not b:
        return False
    for fa, ra, _ in _canon(a):
        for fb, rb, _ in _canon(b):
            if fa == fb:
                if ra[:len(rb)] == rb or rb[:len(ra)] == ra:
                    return True
            else:
                # an office with no words after it is the first words of the longer office
                # ("Menteri" ~ "Menteri Agama"), unless it is a head of any body ("Kepala")
                # and the other a different office ("Kapolda")
                (sf, sr), (lf, lr) = sorted(((fa, ra), (fb, rb)), key=lambda x: len(x[0]))
                if not sr and (lf + " " + " ".join(lr)).startswith(sf + " ") and not _is_head(sf):
                    return True
    return False


def _is_head(full: str) -> bool:
    o = _offices().get(tuple(full.split()))
    return o is not None and o.template == "{body}"
