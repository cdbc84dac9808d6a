"""Offices and the bodies they imply: "Kapolda Sumbar" works for Polda Sumbar, "Kapolri" for
Polri, "Menag" is the Menteri Agama of the Kementerian Agama, "Bupati Batubara" heads the Pemkab
Batubara. The offices are data (``lexicons/offices.tsv``); one grammar rule adds "Menteri X" ->
"Kementerian X". Pure functions over strings.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from kutip.extract.text import tokenize
from kutip.lexicons import lowered, rows


@lru_cache(maxsize=None)
def _offices() -> dict[tuple[str, ...], tuple[str, str, str]]:
    """Office words (case-folded) -> (full office, body with {place}, body with no place)."""
    out = {}
    for r in rows("offices"):
        full = r[1] if len(r) > 1 else r[0]
        body = r[2] if len(r) > 2 else ""
        bare = r[3] if len(r) > 3 else ""
        out[tuple(w.casefold() for w in r[0].split())] = (full, body, bare)
    return out


def _words(s: str) -> list[str]:
    return [t.text for t in tokenize(s) if t.is_word or t.text in "()"]


def _find(words: list[str]) -> Optional[tuple[int, int, tuple[str, str, str]]]:
    """The first office named in ``words``: (start, end, entry), longest match at each start."""
    low = [w.casefold() for w in words]
    table = _offices()
    longest = max((len(k) for k in table), default=0)
    for i in range(len(low)):
        for n in range(min(longest, len(low) - i), 0, -1):
            entry = table.get(tuple(low[i:i + n]))
            if entry is not None:
                return i, i + n, entry
    return None


def _place_like(s: str) -> bool:
    """A region name written as an affiliation ("Sumatera Barat", "Batubara"), not a body."""
    toks = [t for t in tokenize(s) if t.is_word]
    return bool(toks) and all(t.text[0].isupper() and not (t.text.isupper() and len(t.text) > 1)
                              and t.low not in lowered("org_heads") for t in toks)


def complete(role: Optional[str], affiliation: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(role, affiliation) with the affiliation an office implies filled in; a region written as
    the affiliation becomes the body ("Bupati" + "Batubara" -> "Pemkab Batubara"). A body
    already given stays."""
    if not role or affiliation and not _place_like(affiliation):
        return role, affiliation
    words = _words(role)
    found = _find(words)
    if found is None:
        if words and words[0].casefold() == "menteri" and len(words) > 1 and affiliation is None \
                and all(w.casefold() in lowered("domain_words") or w.casefold() in ("dan", "&") for w in words[1:]):
            return role, "Kementerian " + " ".join(words[1:])
        return role, affiliation
    _, end, (_, body, bare) = found
    rest = [w for w in words[end:] if w.casefold() not in lowered("role_modifiers")]
    place = " ".join(rest) if rest and _place_like(" ".join(rest)) else affiliation
    if place and "{place}" in body:
        return role, body.replace("{place}", place)
    if bare:
        return role, affiliation or bare
    return role, affiliation


def full_office(role: str) -> str:
    """The office written out ("Menag" -> "Menteri Agama"), else the role itself."""
    words = _words(role)
    found = _find(words)
    if found is None:
        return role
    i, end, (full, _, _) = found
    return " ".join(words[:i] + [full] + words[end:])


def same_office(a: str, b: str) -> bool:
    """Whether two role strings name the same office, short forms written out: "Menag" ~
    "Menteri Agama", "sekda" ~ "Sekretaris Daerah (Sekda)", "Kapolda" ~ "Kapolda Sumatera Barat"."""
    fa, fb = full_office(a).casefold(), full_office(b).casefold()
    if not fa or not fb:
        return False
    wa, wb = set(fa.replace("(", " ").replace(")", " ").split()), set(fb.replace("(", " ").replace(")", " ").split())
    return fa in fb or fb in fa or bool(wa) and (wa <= wb or wb <= wa)
