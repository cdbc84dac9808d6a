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
rather than a guess. When an article ties an alias to a full name, a speaker stored
earlier under the alias alone is merged into the full name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from kutip.link.names import (
    affiliations_compatible, find_aliases, is_short_form, looks_like_name, name_tokens, normalize_name,
    roles_match,
)
from kutip.core.model import ExtractedArticle
from kutip.store.schema import Speaker, SpeakerAffiliation, SpeakerName, StatementRec, aff_key

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
class _Profile:
    id: int
    name: str
    type: Optional[str]
    affiliations: set[str]
    roles: set[str]
    norms: set[str]
    count: int


class SpeakerLinker:
    """Resolves an article's speaker groups to stored speakers inside the caller's transaction.

    ``prepare(groups)`` loads every stored speaker any group could denote (a few queries per
    article); the decisions then run in memory, and new speakers and name forms are written
    at once, so later groups of the same article see them."""

    def __init__(self, session: Session):
        self.s = session
        self._profiles: dict[int, _Profile] = {}
        self._prepared: set[int] = set()
        self._next_tmp = 0
        self._merged: dict[int, int] = {}

    # --- look-ups ---------------------------------------------------------------
    def prepare(self, groups: list[SpeakerGroup]) -> None:
        exact: set[str] = set()
        ends: set[str] = set()
        toks: set[str] = set()
        for g in groups:
            self._prepared.add(id(g))
            exact.add(g.norm)
            exact |= g.aliases
            if len(g.tokens) >= 2:
                ends |= {g.tokens[0], g.tokens[-1]}
            else:
                toks.add(g.tokens[0])
        if not exact:
            return
        ids = set(self.s.scalars(select(SpeakerName.speaker_id).where(SpeakerName.norm.in_(sorted(exact))).distinct()))
        if ends:
            multi = select(SpeakerName.speaker_id).where(SpeakerName.n_tokens >= 2)
            ids |= set(self.s.scalars(select(SpeakerName.speaker_id).where(
                SpeakerName.norm.in_(sorted(ends)), SpeakerName.n_tokens == 1,
                SpeakerName.speaker_id.not_in(multi)).distinct()))
        if toks:
            ids |= set(self.s.scalars(select(SpeakerName.speaker_id).where(
                SpeakerName.n_tokens >= 2, or_(SpeakerName.first_tok.in_(sorted(toks)),
                                               SpeakerName.last_tok.in_(sorted(toks)))).distinct()))
        ids -= set(self._profiles)
        for p in self.profiles(ids):
            self._profiles[p.id] = p

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

    def profiles(self, ids) -> list[_Profile]:
        """Stored speakers with their name forms, roles, affiliations and statement counts."""
        ids = sorted(ids)
        if not ids:
            return []
        out = {}
        for chunk in [ids[i:i + 500] for i in range(0, len(ids), 500)]:
            for sid, name, typ in self.s.execute(select(Speaker.id, Speaker.name, Speaker.type).where(Speaker.id.in_(chunk))):
                out[sid] = _Profile(sid, name, typ, set(), set(), set(), 0)
            for sid, role in self.s.execute(
                    select(StatementRec.speaker_id, StatementRec.role)
                    .where(StatementRec.speaker_id.in_(chunk), StatementRec.role.is_not(None))
                    .group_by(StatementRec.speaker_id, StatementRec.role)):
                if sid in out:
                    out[sid].roles.add(role)
            for sid, aff in self.s.execute(select(SpeakerAffiliation.speaker_id, SpeakerAffiliation.affiliation)
                                           .where(SpeakerAffiliation.speaker_id.in_(chunk))):
                if sid in out:
                    out[sid].affiliations.add(aff)
            for sid, norm in self.s.execute(select(SpeakerName.speaker_id, SpeakerName.norm)
                                            .where(SpeakerName.speaker_id.in_(chunk))):
                if sid in out:
                    out[sid].norms.add(norm)
        return [out[i] for i in ids if i in out]

    # --- decisions ----------------------------------------------------------------
    @staticmethod
    def compatible(g: SpeakerGroup, p: _Profile) -> bool:
        return _types_ok(g.type, p.type) and affiliations_compatible(g.affiliations, p.affiliations) is not False

    @staticmethod
    def positive(g: SpeakerGroup, p: _Profile) -> bool:
        return affiliations_compatible(g.affiliations, p.affiliations) is True or roles_match(g.roles, p.roles)

    def _decide(self, g: SpeakerGroup, ids: set[int]) -> tuple[bool, Optional[_Profile]]:
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
        if not g.affiliations:
            # several people could be meant; the one record of this very name with no affiliation
            # (an earlier equally vague mention) is the only safe home
            vague = [p for p in profs if not p.affiliations and normalize_name(p.name) == g.norm]
            if len(vague) == 1:
                return True, vague[0]
        return True, None

    def resolve(self, g: SpeakerGroup) -> int:
        """The speaker id for one group (see resolve_all)."""
        return self.resolve_all([g])[0]

    def resolve_all(self, groups: list[SpeakerGroup]) -> list[int]:
        """Speaker ids for an article's groups (existing speakers, or new ones); records the groups'
        name forms and affiliations. Decisions run in memory; the writes go out in a few batches."""
        todo = [g for g in groups if id(g) not in self._prepared]
        if todo:
            self.prepare(todo)
        chosen_list: list[_Profile] = []
        new_profiles: list[tuple[_Profile, SpeakerGroup]] = []
        updates: dict[int, dict] = {}
        name_rows: list[tuple[_Profile, dict]] = []
        aff_rows: list[tuple[_Profile, dict]] = []
        for g in groups:
            if len(g.tokens) >= 2:
                tiers: list[set[int]] = [self._ids_by_norms([g.norm]), self._ids_by_norms(g.aliases),
                                         self._short_only_ids(g.tokens)]
            else:
                # a bare name: every speaker it can denote competes at once; evidence decides
                tiers = [self._ids_by_norms([g.norm]) | self._ids_by_norms(g.aliases) | self._ids_by_token(g.tokens[0])]
            chosen: Optional[_Profile] = None
            for ids in tiers:
                if not ids:
                    continue
                decided, chosen = self._decide(g, ids)
                if decided:
                    break
            if chosen is None:
                self._next_tmp -= 1                      # written below, in one batch
                chosen = self._profiles[self._next_tmp] = _Profile(self._next_tmp, g.name, g.type, set(), set(), set(), 0)
                new_profiles.append((chosen, g))
            else:
                if g.type and not chosen.type:
                    chosen.type = g.type
                    if chosen.id > 0:
                        updates.setdefault(chosen.id, {})["type"] = g.type
                if len(g.tokens) > len(name_tokens(chosen.name)):
                    chosen.name = g.name                 # the fullest name seen
                    if chosen.id > 0:
                        updates.setdefault(chosen.id, {}).update(name=g.name, key=g.norm[:MAX_NORM])
            for n, form in g.forms.items():
                if n not in chosen.norms:
                    toks = n.split()
                    name_rows.append((chosen, {"form": form[:500], "norm": n[:MAX_NORM], "first_tok": toks[0][:100],
                                               "last_tok": toks[-1][:100], "n_tokens": len(toks)}))
                    chosen.norms.add(n)
            have = {aff_key(a) for a in chosen.affiliations}
            for a in sorted(g.affiliations):
                k = aff_key(a)
                if k not in have:
                    have.add(k)
                    aff_rows.append((chosen, {"key": k, "affiliation": a}))
            chosen.affiliations |= g.affiliations
            chosen.roles |= g.roles
            chosen.count += len(g.members)
            chosen_list.append(chosen)
        if new_profiles:
            ids = list(self.s.scalars(insert(Speaker).returning(Speaker.id, sort_by_parameter_order=True),
                                      [{"name": p.name, "type": p.type, "key": normalize_name(p.name)[:MAX_NORM]}
                                       for p, g in new_profiles]))
            for (p, g), real in zip(new_profiles, ids):
                del self._profiles[p.id]
                p.id = real
                self._profiles[real] = p
        for sid, changes in updates.items():
            self.s.execute(update(Speaker).where(Speaker.id == sid).values(**changes))
        if name_rows:
            self.s.execute(insert(SpeakerName), [dict(r, speaker_id=p.id) for p, r in name_rows])
        if aff_rows:
            self.s.execute(insert(SpeakerAffiliation), [dict(r, speaker_id=p.id) for p, r in aff_rows])
        for g, p in zip(groups, chosen_list):
            self._merge_alias_speakers(g, self._final(p.id))
        return [self._final(p.id) for p in chosen_list]

    def _final(self, sid: int) -> int:
        while sid in self._merged:
            sid = self._merged[sid]
        return sid

    def _merge_alias_speakers(self, g: SpeakerGroup, sid: int) -> None:
        """A speaker stored earlier under an alias only ("Jokowi") joins the full name once an
        article ties the two."""
        if not g.aliases:
            return
        others = self._ids_by_norms(g.aliases) - {sid}
        allowed = set(g.forms) | {g.tokens[0], g.tokens[-1]}
        for oid in sorted(o for o in others if o > 0):
            p = self._profiles[oid]
            if p.norms <= allowed and self.compatible(g, p):
                self.merge(p.id, sid)
                self._merged[p.id] = sid
                dst = self._profiles[sid]
                dst.norms |= p.norms
                dst.affiliations |= p.affiliations
                dst.roles |= p.roles
                dst.count += p.count
                del self._profiles[oid]

    def merge(self, src: int, dst: int) -> None:
        """Move every statement and name form of speaker ``src`` to ``dst`` and delete ``src``."""
        self.s.execute(update(StatementRec).where(StatementRec.speaker_id == src).values(speaker_id=dst))
        dst_norms = set(self.s.scalars(select(SpeakerName.norm).where(SpeakerName.speaker_id == dst)))
        for sn in list(self.s.scalars(select(SpeakerName).where(SpeakerName.speaker_id == src))):
            if sn.norm in dst_norms:
                self.s.delete(sn)
            else:
                sn.speaker_id = dst
        dst_keys = set(self.s.scalars(select(SpeakerAffiliation.key).where(SpeakerAffiliation.speaker_id == dst)))
        src_rows = self.s.execute(select(SpeakerAffiliation.key, SpeakerAffiliation.affiliation)
                                  .where(SpeakerAffiliation.speaker_id == src)).all()
        self.s.execute(delete(SpeakerAffiliation).where(SpeakerAffiliation.speaker_id == src))
        moved = [{"speaker_id": dst, "key": k, "affiliation": a} for k, a in src_rows if k not in dst_keys]
        if moved:
            self.s.execute(insert(SpeakerAffiliation), moved)
        self.s.flush()
        self.s.execute(delete(Speaker).where(Speaker.id == src))


def delete_orphan_speakers(session: Session, ids) -> None:
    """Remove speakers (and their name forms) left without any statement."""
    ids = set(i for i in ids if i is not None)
    if not ids:
        return
    used = set(session.scalars(select(StatementRec.speaker_id).where(StatementRec.speaker_id.in_(ids)).distinct()))
    orphans = ids - used
    if orphans:
        session.execute(delete(SpeakerName).where(SpeakerName.speaker_id.in_(orphans)))
        session.execute(delete(SpeakerAffiliation).where(SpeakerAffiliation.speaker_id.in_(orphans)))
        session.execute(delete(Speaker).where(Speaker.id.in_(orphans)))


def refresh_affiliations(session: Session, ids) -> None:
    """Rebuild the affiliation list of speakers from their statements (after a re-ingest)."""
    ids = sorted(set(i for i in ids if i is not None))
    if not ids:
        return
    session.execute(delete(SpeakerAffiliation).where(SpeakerAffiliation.speaker_id.in_(ids)))
    rows = {}
    for sid, aff in session.execute(select(StatementRec.speaker_id, StatementRec.affiliation)
                                    .where(StatementRec.speaker_id.in_(ids), StatementRec.affiliation.is_not(None))
                                    .distinct()):
        rows.setdefault((sid, aff_key(aff)), aff)
    if rows:
        session.execute(insert(SpeakerAffiliation),
                        [{"speaker_id": sid, "key": k, "affiliation": a} for (sid, k), a in sorted(rows.items())])
