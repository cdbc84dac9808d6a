"""Speaker linking: one record per person or organisation across articles.

Per article, the statements' speakers are first grouped: the same normalised name
(honorifics such as Pak/Bu/Bapak/Ibu and trailing degrees stripped); a bare given
name or surname folded into the one full name of the article it belongs to; aliases
the article itself states ("Joko Widodo (Jokowi)", or a name-like mention the
extractor tied to the full name). Each group is then resolved against the stored
speakers:

* a full name: (1) speakers with exactly this name form, else (2) with one of the
  group's aliases, else (3) a speaker known so far only by this given name or surname;
* a bare name ("Budi", "Stoltenberg", "Jokowi"): every speaker it can denote competes
  at once: an equal name form, an alias, a full name with this first or last token.

Only compatible candidates count: the same type where both are known, and no
conflicting affiliation (both known and no common form: "Kementerian Keuangan" vs
"Polda Metro Jaya" are two people called Budi; "NATO" and "Pakta Pertahanan Atlantik
Utara (NATO)" are one). One compatible candidate wins; among several, the one with
positive evidence (a shared affiliation or role), or for a name without affiliation
the one earlier record of that same vague name; otherwise a new speaker is created
rather than a guess; except for a full name (two tokens or more) with several compatible
records (stored apart earlier): the one with positive evidence, else the one with most
statements, rather than yet another record. When an article ties an alias to a full name,
a speaker stored earlier under the alias alone is merged into the full name.

Everything here works on plain records (no database): the store asks
:func:`candidate_query` which stored speakers to load, hands them over as :class:`Profile`
objects, and applies the :class:`LinkPlan` that :func:`link` returns in its own transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from kutip.link.names import (
    affiliations_compatible, find_aliases, is_short_form, looks_like_name, name_tokens, normalize_name,
    office_forms, offices_match, roles_match,
)
from kutip.core.model import ExtractedArticle

MAX_NORM = 300


@dataclass
class SpeakerGroup:
    name: str
    tokens: list[str]
    type: Optional[str] = None
    roles: set[str] = field(default_factory=set)
    affiliations: set[str] = field(default_factory=set)
    forms: dict[str, str] = field(default_factory=dict)      # norm -> display form
    aliases: set[str] = field(default_factory=set)           # norms of aliases (not short forms)
    members: list[int] = field(default_factory=list)         # statement indices
    pairs: set[tuple] = field(default_factory=set)           # (role, affiliation) as written together

    def offices(self) -> frozenset:
        return office_forms(self.pairs | {(r, None) for r in self.roles})

    @property
    def norm(self) -> str:
        return " ".join(self.tokens)

    def add_form(self, form: str, alias: bool = False) -> None:
        toks = name_tokens(form)
        if not toks:
            return
        n = " ".join(toks)[:MAX_NORM]
        self.forms.setdefault(n, form.strip())
        if alias and n != self.norm and not is_short_form(toks, self.tokens):
            self.aliases.add(n)

    def absorb(self, other: "SpeakerGroup") -> None:
        if self.type is None:
            self.type = other.type
        self.roles |= other.roles
        self.affiliations |= other.affiliations
        self.pairs |= other.pairs
        for n, f in other.forms.items():
            self.forms.setdefault(n, f)
        if other.norm != self.norm and not is_short_form(other.tokens, self.tokens):
            self.aliases.add(other.norm)
        self.aliases |= {a for a in other.aliases if a != self.norm}
        self.members.extend(other.members)


def group_speakers(article: ExtractedArticle) -> tuple[list[SpeakerGroup], dict[int, int]]:
    """The article's speakers as groups; returns (groups, statement index -> group index)."""
    by_norm: dict[str, SpeakerGroup] = {}
    for i, st in enumerate(article.statements):
        sp = st.speaker
        if sp is None:
            continue
        name = (sp.name or "").strip()
        if not name_tokens(name):
            if sp.mention and looks_like_name(sp.mention):
                name = sp.mention.strip()
            else:
                continue
        toks = name_tokens(name)
        key = " ".join(toks)
        g = by_norm.get(key)
        if g is None:
            g = by_norm[key] = SpeakerGroup(name=name, tokens=toks)
            g.add_form(name)
        if sp.type and g.type is None:
            g.type = sp.type
        if sp.role:
            g.roles.add(sp.role.strip())
        if sp.affiliation:
            g.affiliations.add(sp.affiliation.strip())
        if sp.role or sp.affiliation:
            g.pairs.add(((sp.role or "").strip() or None, (sp.affiliation or "").strip() or None))
        if sp.mention and looks_like_name(sp.mention):
            g.add_form(sp.mention, alias=True)
        g.members.append(i)

    groups = list(by_norm.values())
    for g in groups:
        for alias in find_aliases(article.text, g.name):
            g.add_form(alias, alias=True)

    # fold groups together: aliases first, then bare given names / surnames into their one full name
    merged: dict[int, int] = {}

    def root(i: int) -> int:
        while i in merged:
            i = merged[i]
        return i

    for i, a in enumerate(groups):
        for j, b in enumerate(groups):
            if i == j or root(i) == root(j):
                continue
            if a.norm in b.aliases and len(b.tokens) >= len(a.tokens) and _types_ok(a.type, b.type):
                ri, rj = root(i), root(j)
                groups[rj].absorb(groups[ri])
                merged[ri] = rj
    for i, a in enumerate(groups):
        if root(i) != i or len(a.tokens) != 1:
            continue
        fulls = [j for j, b in enumerate(groups)
                 if root(j) == j and j != i and is_short_form(a.tokens, b.tokens) and _types_ok(a.type, b.type)
                 and affiliations_compatible(a.affiliations, b.affiliations) is not False]
        if len(fulls) == 1:
            groups[fulls[0]].absorb(a)
            merged[i] = fulls[0]

    final = [g for i, g in enumerate(groups) if root(i) == i]
    index = {id(g): k for k, g in enumerate(final)}
    member_of: dict[int, int] = {}
    for i, g in enumerate(groups):
        k = index[id(groups[root(i)])]
        for m in g.members:
            member_of[m] = k
    return final, member_of


def _types_ok(a: Optional[str], b: Optional[str]) -> bool:
    return a is None or b is None or a == b


@dataclass
class Profile:
    """A stored speaker as the linker sees it."""
    id: int
    name: str
    type: Optional[str]
    affiliations: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    norms: set[str] = field(default_factory=set)
    count: int = 0
    pairs: set[tuple] = field(default_factory=set)       # (role, affiliation) as stored together

    def offices(self) -> frozenset:
        return office_forms(self.pairs | {(r, None) for r in self.roles})


@dataclass
class CandidateQuery:
    """Which stored speakers an article's groups could denote (the store loads them, bounded)."""
    exact: set[str] = field(default_factory=set)      # speakers with one of these name norms
    ends: set[str] = field(default_factory=set)       # speakers known only by one of these single tokens
    toks: set[str] = field(default_factory=set)       # speakers with a multi-token name starting/ending so
    starts: set[str] = field(default_factory=set)     # speakers with a longer name beginning with this name


@dataclass
class LinkPlan:
    """What to write. Ids below zero are speakers to create (``new``); the store maps them."""
    assign: list[int] = field(default_factory=list)                     # per group: speaker id
    new: dict[int, dict] = field(default_factory=dict)                  # tmp id -> {"name","type","key"}
    updates: dict[int, dict] = field(default_factory=dict)              # id -> changed columns
    names: list[tuple[int, dict]] = field(default_factory=list)         # (id, name-form row)
    affiliations: list[tuple[int, str]] = field(default_factory=list)   # (id, affiliation)
    merges: list[tuple[int, int]] = field(default_factory=list)         # (stored id, into id)


def candidate_query(groups: list[SpeakerGroup]) -> CandidateQuery:
    q = CandidateQuery()
    for g in groups:
        q.exact.add(g.norm)
        q.exact |= g.aliases
        if len(g.tokens) >= 2:
            q.ends |= {g.tokens[0], g.tokens[-1]}
            q.starts.add(g.norm)                       # "Listyo Sigit" -> "Listyo Sigit Prabowo"
            q.exact |= {" ".join(g.tokens[:k]) for k in range(2, len(g.tokens))}   # ... and back
        else:
            q.toks.add(g.tokens[0])
    return q


def _name_rank(name: str) -> tuple[int, str]:
    return len(name_tokens(name)), name


def fullest_name(g: SpeakerGroup) -> str:
    """The group's fullest name: its own, or a form the article also writes that holds it whole
    ("I Wayan Koster" for "Wayan Koster")."""
    mine = g.tokens
    office = {w for x in g.roles | g.affiliations for w in name_tokens(x)}
    best = g.name
    for form in g.forms.values():
        toks = name_tokens(form)
        at = next((k for k in range(len(toks) - len(mine) + 1) if toks[k:k + len(mine)] == mine), None) \
            if len(toks) > len(mine) else None
        # words around the name that the office or the body holds are a mention, not a name
        # ("Kapolres Semarang Agus")
        if at is not None and not office & set(toks[:at] + toks[at + len(mine):]) \
                and _name_rank(form) > _name_rank(best):
            best = form
    return best


def contained_name(a: list[str], b: list[str]) -> bool:
    """A multi-token name that begins a longer one ("Listyo Sigit" / "Listyo Sigit Prabowo")."""
    if len(a) < 2 or len(b) < 2 or len(a) == len(b):
        return False
    short, full = (a, b) if len(a) < len(b) else (b, a)
    return full[:len(short)] == short


def link(groups: list[SpeakerGroup], profiles, key=lambda a: a.lower()) -> LinkPlan:
    """Resolve an article's groups against stored speakers (``profiles``: every one
    :func:`candidate_query` names). ``key``: the store's affiliation key (one row per key)."""
    return _Linker(profiles, key).run(groups)


class _Linker:
    def __init__(self, profiles, key):
        self._profiles: dict[int, Profile] = {p.id: p for p in profiles}
        self._key = key
        self._next_tmp = 0
        self._merged: dict[int, int] = {}

    def _ids_by_norms(self, norms) -> set[int]:
        norms = {n for n in norms if n}
        return {p.id for p in self._profiles.values() if p.norms & norms}

    def _ids_by_token(self, tok: str) -> set[int]:
        out = set()
        for p in self._profiles.values():
            for n in p.norms:
                parts = n.split()
                if len(parts) >= 2 and tok in (parts[0], parts[-1]):
                    out.add(p.id)
                    break
        return out

    def _short_only_ids(self, toks: list[str]) -> set[int]:
        """Speakers whose every name form is a single token equal to the given name or surname."""
        ends = {toks[0], toks[-1]}
        return {p.id for p in self._profiles.values()
                if p.norms and all(" " not in n for n in p.norms) and p.norms & ends}

    def _contained_ids(self, toks: list[str]) -> set[int]:
        return {p.id for p in self._profiles.values() if any(contained_name(toks, n.split()) for n in p.norms)}

    @staticmethod
    def _same_office(g: SpeakerGroup, p: Profile) -> bool:
        return offices_match(g.offices(), p.offices())

    def compatible(self, g: SpeakerGroup, p: Profile) -> bool:
        """Same type where both are known, and no conflicting affiliation unless both hold the
        same specific office (the Kapolri with "Polri" and with "Kepolisian Negara Republik
        Indonesia" is one person)."""
        if not _types_ok(g.type, p.type):
            return False
        return affiliations_compatible(g.affiliations, p.affiliations) is not False or self._same_office(g, p)

    def positive(self, g: SpeakerGroup, p: Profile) -> bool:
        return (affiliations_compatible(g.affiliations, p.affiliations) is True or roles_match(g.roles, p.roles)
                or self._same_office(g, p))

    def _decide(self, g: SpeakerGroup, ids: set[int], exact: bool = False) -> tuple[bool, Optional[Profile]]:
        """(decided?, chosen profile or None for 'create a new speaker').

        Not decided when no candidate is compatible (the caller tries the next tier)."""
        profs = [self._profiles[i] for i in sorted(ids) if self.compatible(g, self._profiles[i])]
        if not profs:
            return False, None
        pos = [p for p in profs if self.positive(g, p)]
        if len(pos) == 1:
            return True, pos[0]
        if len(profs) == 1:
            return True, profs[0]
        if exact and len(g.tokens) >= 2:
            # one full name, several compatible records (split earlier): join the best-attested
            # one instead of adding yet another record of the same person
            return True, max(pos or profs, key=lambda p: (p.count, -p.id))
        if not g.affiliations:
            # several people could be meant; the one record of this very name with no affiliation
            # (an earlier equally vague mention) is the only safe home
            vague = [p for p in profs if not p.affiliations and normalize_name(p.name) == g.norm]
            if len(vague) == 1:
                return True, vague[0]
        return True, None

    def run(self, groups: list[SpeakerGroup]) -> LinkPlan:
        plan = LinkPlan()
        chosen_list: list[Profile] = []
        for g in groups:
            if len(g.tokens) >= 2:
                tiers: list[tuple[set[int], bool]] = [
                    (self._ids_by_norms([g.norm]), True), (self._ids_by_norms(g.aliases), False),
                    (self._short_only_ids(g.tokens), False), (self._contained_ids(g.tokens), False)]
            else:
                # a bare name: every speaker it can denote competes at once; evidence decides
                tiers = [(self._ids_by_norms([g.norm]) | self._ids_by_norms(g.aliases)
                          | self._ids_by_token(g.tokens[0]), False)]
            chosen: Optional[Profile] = None
            for ids, exact in tiers:
                if not ids:
                    continue
                decided, chosen = self._decide(g, ids, exact)
                if decided:
                    break
            full = fullest_name(g)
            if chosen is None:
                self._next_tmp -= 1
                chosen = self._profiles[self._next_tmp] = Profile(self._next_tmp, full, g.type)
                plan.new[chosen.id] = {"name": full, "type": g.type, "key": normalize_name(full)[:MAX_NORM]}
            else:
                if g.type and not chosen.type:
                    chosen.type = g.type
                    self._change(plan, chosen, type=g.type)
                if _name_rank(full) > _name_rank(chosen.name):
                    # the fullest name seen, ties broken by the form itself: the record's name is
                    # the same whatever order its articles came in
                    chosen.name = full
                    self._change(plan, chosen, name=full, key=normalize_name(full)[:MAX_NORM])
            for n, form in g.forms.items():
                if n not in chosen.norms:
                    toks = n.split()
                    plan.names.append((chosen.id, {"form": form[:500], "norm": n[:MAX_NORM], "first_tok": toks[0][:100],
                                                   "last_tok": toks[-1][:100], "n_tokens": len(toks)}))
                    chosen.norms.add(n)
            have = {self._key(a) for a in chosen.affiliations}
            for a in sorted(g.affiliations):
                k = self._key(a)
                if k not in have:
                    have.add(k)
                    plan.affiliations.append((chosen.id, a))
            chosen.affiliations |= g.affiliations
            chosen.roles |= g.roles
            chosen.pairs |= g.pairs
            chosen.count += len(g.members)
            chosen_list.append(chosen)
        for g, p in zip(groups, chosen_list):
            self._merge_alias_speakers(plan, g, self._final(p.id))
        plan.assign = [self._final(p.id) for p in chosen_list]
        return plan

    @staticmethod
    def _change(plan: LinkPlan, p: Profile, **changes) -> None:
        if p.id > 0:
            plan.updates.setdefault(p.id, {}).update(changes)
        else:
            plan.new[p.id].update({k: v for k, v in changes.items()})

    def _final(self, sid: int) -> int:
        while sid in self._merged:
            sid = self._merged[sid]
        return sid

    def _merge_alias_speakers(self, plan: LinkPlan, g: SpeakerGroup, sid: int) -> None:
        """A speaker stored earlier under an alias only ("Jokowi") joins the full name once an
        article ties the two."""
        if not g.aliases:
            return
        others = self._ids_by_norms(g.aliases) - {sid}
        allowed = set(g.forms) | {g.tokens[0], g.tokens[-1]}
        for oid in sorted(o for o in others if o > 0):
            p = self._profiles[oid]
            if p.norms <= allowed and self.compatible(g, p):
                plan.merges.append((p.id, sid))
                self._merged[p.id] = sid
                dst = self._profiles[sid]
                dst.norms |= p.norms
                dst.affiliations |= p.affiliations
                dst.roles |= p.roles
                dst.pairs |= p.pairs
                dst.count += p.count
                del self._profiles[oid]
