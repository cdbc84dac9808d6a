"""Speaker names and affiliations: normalised forms, aliases, compatibility.

Everything here is pure (no database): the store's linker uses these helpers to
decide whether two name forms can be the same person or organisation.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Optional

from kutip.core.lexicons import document


def _word_class(name: str) -> frozenset[str]:
    """One of the linking word classes (``core/lexicons/name_linking.json``)."""
    return frozenset(document("name_linking")[name]["words"])


HONORIFICS = _word_class("honorifics")
ROLE_WORDS = _word_class("role_words")
PRONOUNS = _word_class("pronouns")

_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)
_PAREN = re.compile(r"\(([^()]*)\)")


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def name_tokens(name: Optional[str]) -> list[str]:
    return list(_name_tokens(name))


@lru_cache(maxsize=100_000)
def _name_tokens(name: Optional[str]) -> tuple[str, ...]:
    """Lower-cased tokens of a name with honorifics and trailing degrees removed.

    >>> name_tokens("Bapak Ir. H. Joko Widodo, S.H.")
    ['joko', 'widodo']
    """
    if not name:
        return ()
    s = _fold(name)
    # trailing academic degrees after a comma: "Budi Santoso, S.H., M.Hum."
    head, sep, tail = s.partition(",")
    if sep and head.strip():
        s = head
    toks = [t.replace("’", "'") for t in _TOKEN.findall(s.lower())]
    while len(toks) > 1 and toks[0].rstrip(".") in HONORIFICS:
        toks = toks[1:]
    return tuple(toks)


def normalize_name(name: Optional[str]) -> str:
    """The comparison key of a name form ("Pak Budi" -> "budi")."""
    return " ".join(name_tokens(name))


def looks_like_name(form: Optional[str]) -> bool:
    """True for a proper name ("Jokowi", "Stoltenberg", "SBY"), false for pronouns and descriptions."""
    if not form:
        return False
    form = form.strip()
    words = form.split()
    if not 1 <= len(words) <= 5:
        return False
    if any(ch.isdigit() for ch in form):
        return False
    for w in words:
        w0 = w.strip(".,'’\"()")
        if not w0 or not (w0[0].isupper()):
            return False
    toks = name_tokens(form)
    if not toks:
        return False
    if any(t in ROLE_WORDS for t in toks) or any(t in PRONOUNS for t in toks):
        return False
    return True


def _initials(tokens: list[str]) -> str:
    return "".join(t[0] for t in tokens if t)


def find_aliases(text: str, name: str) -> set[str]:
    """Aliases the article itself ties to ``name``: "Joko Widodo (Jokowi)" or "Jokowi (Joko Widodo)"."""
    out: set[str] = set()
    if not text or not name or len(name) < 2:
        return out
    if "(" not in text or name not in text:
        return out
    i = text.find(name)
    near_paren = False
    while i >= 0:
        before = text[max(0, i - 2):i]
        after = text[i + len(name):i + len(name) + 2]
        if "(" in after or "(" in before:
            near_paren = True
            break
        i = text.find(name, i + 1)
    if not near_paren:
        return out
    base = name_tokens(name)
    pat_after = re.compile(re.escape(name) + r"\s*\(\s*([^()\n]{2,40}?)\s*\)")
    for m in pat_after.finditer(text):
        cand = m.group(1)
        if _alias_ok(cand, base):
            out.add(cand.strip())
    pat_before = re.compile(r"((?:[A-Z][\w.'’-]*\s+){0,2}[A-Z][\w.'’-]*)\s*\(\s*" + re.escape(name) + r"\s*\)")
    for m in pat_before.finditer(text):
        cand = m.group(1)
        toks = name_tokens(cand)
        # keep only the trailing capitalised words that are not role words
        while toks and toks[0] in ROLE_WORDS:
            toks = toks[1:]
        if toks and _alias_ok(cand, base):
            out.add(cand.strip())
    return out


def _alias_ok(cand: str, base: list[str]) -> bool:
    if not looks_like_name(cand):
        return False
    letters = re.sub(r"[^A-Za-z]", "", cand)
    if letters.isupper() and len(letters) >= 2:
        # an acronym is an alias of a person only when it spells their initials (SBY)
        return letters.lower() == _initials(base)
    return True


def is_short_form(form_tokens: list[str], full_tokens: list[str]) -> bool:
    """A one-token form that is the given name or surname of a fuller name."""
    return len(form_tokens) == 1 and len(full_tokens) >= 2 and form_tokens[0] in (full_tokens[0], full_tokens[-1])


# --- affiliations -----------------------------------------------------------------

_AFF_STOP = _word_class("affiliation_stopwords")
_AFF_GENERIC = _word_class("affiliation_generic")


def affiliation_keys(aff: Optional[str]) -> set[str]:
    return set(_affiliation_keys(aff))


@lru_cache(maxsize=50_000)
def _affiliation_keys(aff: Optional[str]) -> frozenset:
    """Comparison keys of an affiliation: the whole, the part outside brackets, the bracketed acronym.

    >>> sorted(affiliation_keys("Pakta Pertahanan Atlantik Utara (NATO)"))
    ['nato', 'pakta pertahanan atlantik utara', 'pakta pertahanan atlantik utara nato']
    """
    if not aff:
        return frozenset()
    s = _fold(aff)
    keys = set()
    full = " ".join(_TOKEN.findall(s.lower()))
    if full:
        keys.add(full)
    for inner in _PAREN.findall(s):
        k = " ".join(_TOKEN.findall(inner.lower()))
        if k:
            keys.add(k)
    outside = " ".join(_TOKEN.findall(_PAREN.sub(" ", s).lower()))
    if outside:
        keys.add(outside)
    return frozenset(keys)


def _key_match(a: str, b: str) -> bool:
    if a == b:
        return True
    ta = [t for t in a.split() if t not in _AFF_STOP]
    tb = [t for t in b.split() if t not in _AFF_STOP]
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    # "Kementerian Luar Negeri" vs "Kementerian Luar Negeri RI"; needs two content words in common
    sa, sb = set(ta), set(tb)
    small, big = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if len(small) == 1:
        # "Polri" / "Mabes Polri": one distinctive word (not "Bank", "Kementerian") inside the other
        (w,) = small
        return len(w) >= 3 and w not in _AFF_GENERIC and w in big
    return small <= big


def affiliation_key(aff: str) -> str:
    """The storage key of an affiliation: lower case, control characters as spaces (one row per key)."""
    return re.sub("[\x00-\x1f\x7f-\x9f]", " ", aff).lower()[:300]


def merge_affiliations(affs: Iterable[Optional[str]]) -> list[list[str]]:
    """Affiliations that name one organisation, grouped ("Pakta Pertahanan Atlantik Utara (NATO)",
    "NATO"); each group's fullest form first, groups in first-seen order."""
    groups: list[list[str]] = []
    for a in affs:
        if not a or any(a in g for g in groups):
            continue
        for g in groups:
            if affiliations_compatible([a], g) is True:
                g.append(a)
                break
        else:
            groups.append([a])
    return [sorted(g, key=_fullness) for g in groups]


def _fullness(a: str):
    """Fullest first: a bracketed acronym, more words, then longer."""
    return (0 if _PAREN.search(a) else 1, -len(_TOKEN.findall(a)), -len(a), a)


def affiliations_compatible(a: Iterable[Optional[str]], b: Iterable[Optional[str]]) -> Optional[bool]:
    """True when some affiliation of ``a`` matches one of ``b``; False when both are known and none
    matches (a conflict); None when either side has no affiliation (no evidence)."""
    ka = [_affiliation_keys(x) for x in a if x]
    kb = [_affiliation_keys(x) for x in b if x]
    ka = [k for k in ka if k]
    kb = [k for k in kb if k]
    if not ka or not kb:
        return None
    for x in ka:
        for y in kb:
            if any(_key_match(p, q) for p in x for q in y):
                return True
    return False


def roles_match(a: Iterable[Optional[str]], b: Iterable[Optional[str]]) -> bool:
    na = {" ".join(_TOKEN.findall(_fold(x).lower())) for x in a if x}
    nb = {" ".join(_TOKEN.findall(_fold(x).lower())) for x in b if x}
    return bool(na & nb)


# --- offices ---------------------------------------------------------------------------

def office_forms(pairs: Iterable[tuple[Optional[str], Optional[str]]]) -> frozenset:
    """The offices a speaker's (role, affiliation) pairs name, as role strings: the role, the role
    with its organisation ("Kepala" + "Kepolisian Negara Republik Indonesia"), and a bracketed
    office in the affiliation ("... (Kapolri)")."""
    out = set()
    for role, aff in pairs:
        if aff:
            out.update(x.strip() for x in _PAREN.findall(aff) if x.strip())
        if role:
            out.add(role.strip())
            if aff:
                outside = " ".join(_PAREN.sub(" ", aff).split())
                if outside:
                    out.add(f"{role.strip()} {outside}")
    return frozenset(out)


@lru_cache(maxsize=50_000)
def _specific_office(role: str) -> bool:
    """An office that implies its organisation ("Kapolri" -> Polri, "Menteri Keuangan"), not a
    title any body has ("Kepala", "Ketua", "Direktur")."""
    from kutip.core.attribute.offices import complete

    try:
        return complete(role, None)[1] is not None
    except Exception:      # a grammar edge case must not stop linking
        return False


@lru_cache(maxsize=100_000)
def _same_office(a: str, b: str) -> bool:
    from kutip.core.attribute.offices import same_office

    try:
        return same_office(a, b)
    except Exception:
        return False


def offices_match(a: Iterable[str], b: Iterable[str]) -> bool:
    """True when both sides hold the same specific office ("Kapolri" and "Kepala Kepolisian
    Negara Republik Indonesia"): evidence of one person that outweighs two spellings of the
    organisation the extractor could not tie ("Polri" / "Kepolisian Negara Republik Indonesia")."""
    a = [x for x in a if x]
    b = [x for x in b if x]
    for x in a:
        for y in b:
            if _specific_office(x) and _specific_office(y) and _same_office(x, y):
                return True
    return False
