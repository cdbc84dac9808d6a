"""Who is who in one article: a registry of people and organisations, and the
rules that resolve a mention (a name, a short name, a pronoun, "-nya", a nominal
reference like "Pemimpin NATO itu") to the fullest form the article gives.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from kutip.core.attribute.offices import same_office
from kutip.core.attribute.phrases import Phrase, match_at, org_like
from kutip.core.segment.text import Tok, tokenize
from kutip.core.lexicons import lowered, table
from kutip.core.model import Speaker

# How sure we are of a speaker, by how it was found (see docs/pipeline.md).
CONFIDENCE = {
    "name": 0.95, "org": 0.9, "short": 0.9, "pronoun": 0.8, "clitic": 0.8,
    "nominal": 0.75, "role": 0.6, "continuation": 0.6, "unresolved": 0.2,
}


@dataclass
class Entity:
    name: str
    tokens: tuple[str, ...]
    type: str = "person"
    role: Optional[str] = None
    affiliation: Optional[str] = None
    aliases: set[str] = field(default_factory=set)
    first: int = 0
    last: int = 0
    trimmed: bool = False      # front words were shown to be an affiliation: never re-add them
    edge: str = "sure"         # what drew the name's first word (phrases.Phrase.name_edge)

    def words(self) -> set[str]:
        """Words of role, affiliation and aliases, for nominal references."""
        out: set[str] = set()
        for s in (self.role, self.affiliation, *self.aliases):
            if s:
                out.update(w.strip("()").casefold() for w in s.split())
        return out


def _words(s: Optional[str]) -> set[str]:
    return {w.strip("()").casefold() for w in s.split()} if s else set()


def same_role(a: str, b: str) -> bool:
    """Whether a role-only mention names the same office as a role given before: one contains the
    other once short forms are written out ("kapolda" ~ "Kapolda Sumatera Barat", "Menag" ~
    "Menteri Agama", "sekda" ~ "Sekretaris Daerah (Sekda)")."""
    return same_office(a, b)


def contains_run(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    """Whether the words ``small`` occur as a run inside ``big`` ("fadil imran" in "m fadil imran")."""
    n = len(small)
    return n > 0 and any(big[i:i + n] == small for i in range(len(big) - n + 1))


_BESIDE = 2   # characters between a name and a role beside it: ", "


def _takes_from(theirs: list[str], mine: list[str], role: Optional[str], affiliation: Optional[str]) -> bool:
    """The model's longer name takes the end of a place or organisation the rules read as the
    body ("Sekretaris Jenderal PBB | Prabowo Subianto", "Gubernur Jawa Tengah | Dewi"), not a first
    name the rules' body swallowed ("Kementerian Pertanian Agung | Hendriadi")."""
    if theirs[-len(mine):] != mine or not affiliation:
        return False
    extra = [w.casefold() for w in theirs[:len(theirs) - len(mine)]]
    body = affiliation.casefold().split()
    if body[-len(extra):] != extra:
        return False
    known = lowered("places") | lowered("known_organizations")
    return any(" ".join(body[k:]) in known for k in range(len(body) - len(extra) + 1))


class Registry:
    """The people and organisations of one article, in order of mention."""

    def __init__(self, standalone: frozenset[str] = frozenset(), hints: Optional[list] = None,
                 regions: frozenset[str] = frozenset()) -> None:
        self.entities: list[Entity] = []
        self.last_speaker: Optional[Entity] = None
        self.speaker_pos = -1
        # the person the narration is about: the subject of the latest narrative sentence
        self.focus: Optional[Entity] = None
        self.focus_pos = -1
        self.standalone = standalone    # words the article uses alone as short names
        self.regions = regions          # words the article writes after a body ("Polres Kobar")
        # the tagger's PERSON / ROLE / AFFILIATION spans (label, start, end, text), when a model runs
        self.hints = sorted((h for h in hints or () if h.label in ("PERSON", "ROLE", "AFFILIATION")),
                            key=lambda h: h.start)

    def _with_hints(self, p: Phrase) -> Phrase:
        """Let the tagger fix where a name starts inside a rule phrase ("… Tangsel Deden Deni"
        -> "Deden Deni") and fill a missing role or affiliation from its spans."""
        if p.kind not in ("name", "role"):
            return p
        inside = [h for h in self.hints if p.start <= h.start and h.end <= p.end]
        beside = self._beside(p.start, p.end)
        if not inside and not beside:
            return p
        persons = [h for h in inside if h.label == "PERSON"]
        name = p.name
        dropped = None
        if persons:
            toks = [t for t in tokenize(persons[-1].text) if t.is_word]
            # the corpus labels ranks inside PERSON ("Ajun Komisaris Roland Manurung"): keep the name part
            # (or a span that starts inside a rank: "Irjen | Pol Teddy Minahasa")
            while len(toks) > 1:
                k = max(match_at("roles", toks, 0), match_at("honorifics", toks, 0), match_at("ranks", toks, 0),
                        1 if toks[0].low in lowered("rank_suffixes") else 0)
                if not k:
                    break
                toks = toks[k:]
            model_name = " ".join(t.text for t in toks)
            if p.name and model_name and model_name != p.name:
                mine = p.name.split()
                theirs = model_name.split()
                if len(theirs) < len(mine) and mine[-len(theirs):] == theirs and p.name_edge != "sure" \
                        and any(len(w.strip(".")) > 2 for w in mine[:len(mine) - len(theirs)]):
                    # (a dropped "I", "Ni", "M." is a name's own prefix or initial, not a body)
                    dropped = " ".join(mine[:len(mine) - len(theirs)])
                    name = model_name
                elif len(theirs) > len(mine) and " ".join(mine) in model_name \
                        and not _takes_from(theirs, mine, p.role, p.affiliation):
                    name = model_name
            elif not p.name and model_name:
                name = model_name
        if not name:
            return p
        # the model draws role and affiliation edges better than the rules ("Kepala Pusat
        # Penerangan | Kementerian Dalam Negeri"): its spans over the phrase win
        role_hint = next((h.text for h in beside if h.label == "ROLE"), None)
        aff_hint = next((h.text for h in beside if h.label == "AFFILIATION"), None)
        if role_hint and p.affiliation and not aff_hint \
                and f" {p.affiliation.casefold()} " in f" {role_hint.casefold()} ":
            # the corpus's role "Sekretaris Jenderal NATO" holds the organisation: keep the rules'
            # "Sekretaris Jenderal" + "NATO", the affiliation is what links people across articles
            role_hint = None
        role = role_hint or p.role
        aff = aff_hint or p.affiliation or dropped
        return Phrase(p.start, p.end, p.text, "name", name, role, aff, p.aliases, p.modifiers,
                      "sure" if name != p.name else p.name_edge)

    def _beside(self, start: int, end: int) -> list:
        """Role and affiliation spans over a phrase or right beside it ("Teguh, Kepala …").
        One step only: a chain of spans reaches other people's roles in lists of names."""
        return [h for h in self.hints if h.label != "PERSON" and h.start <= end + _BESIDE and start - _BESIDE <= h.end]

    # -- learning ---------------------------------------------------------
    def learn(self, p: Phrase, *, speaker: bool = False) -> Optional[Entity]:
        """Record a named mention; returns its entity (merged with an earlier one when compatible)."""
        if self.hints:
            p = self._with_hints(p)
        if p.kind not in ("name", "org") or not p.name:
            return None
        tokens = p.name_tokens
        kind = "organization" if org_like(p) else "person"
        e = self.find(tokens, p.start, role=p.role, affiliation=p.affiliation)
        if e is None and (speaker or p.role or len(tokens) >= 2 or p.aliases):
            e = Entity(p.name, tokens, kind, first=p.start, last=p.start, edge=p.name_edge)
            self.entities.append(e)
        if e is None:
            return None
        if len(tokens) > len(e.tokens) and contains_run(tokens, e.tokens) and not e.trimmed \
                and (p.name_edge == "sure" or e.edge != "sure" or tokens[-len(e.tokens):] != e.tokens):
            e.name, e.tokens, e.edge = p.name, tokens, p.name_edge
        elif e.edge == "body" and p.name_edge == "sure" and e.type == "person" \
                and len(tokens) == len(e.tokens) - 1 and e.tokens[1:] == tokens and e.tokens[0] in self.regions:
            # "… BPBD Kobar Syahruni" then "kata Syahruni": the front word was the body's region
            self._cut(e, 1)
        self._trim(e)
        e.role = e.role or p.role
        e.affiliation = e.affiliation or p.affiliation
        e.aliases.update(a for a in p.aliases)
        e.last = max(e.last, p.start)
        return e

    def find(self, tokens: tuple[str, ...], pos: int, *, role=None, affiliation=None) -> Optional[Entity]:
        """The entity a name refers to: same words, a part of them, or an alias."""
        if not tokens:
            return None
        joined = " ".join(tokens)
        words = set(tokens)
        cands = []
        for e in self.entities:
            if e.aliases and joined in {a.casefold() for a in e.aliases}:
                cands.append(e)
            elif (not words.isdisjoint(e.tokens) and (contains_run(e.tokens, tokens) or contains_run(tokens, e.tokens))
                  and (e.type == "person" or e.tokens == tokens)):   # "Airlangga" is not "Universitas Airlangga"
                cands.append(e)
        if affiliation:
            # two people called "Budi" with different affiliations stay apart
            aff = affiliation.casefold()
            cands = [e for e in cands if not e.affiliation or e.affiliation.casefold() == aff
                     or aff in e.affiliation.casefold() or e.affiliation.casefold() in aff]
        if not cands:
            return None
        before = [e for e in cands if e.first <= pos]
        if before:
            return max(before, key=lambda e: (e.last, len(e.tokens)))
        return min(cands, key=lambda e: e.first)

    def _trim(self, e: Entity) -> None:
        """Trim words of an affiliation caught at the front of a long name, using the short
        forms the article uses: "… Tangsel Deden Deni" + later "Deden" -> "Deden Deni"."""
        if e.type != "person" or len(e.tokens) < 3 or e.edge == "sure":
            return
        for k in range(1, len(e.tokens) - 1):
            if e.tokens[k] in self.standalone:
                self._cut(e, k)
                return

    @staticmethod
    def _cut(e: Entity, k: int) -> None:
        """The first ``k`` words of ``e``'s name were the end of its affiliation."""
        words = e.name.split()
        if len(words) != len(e.tokens):
            return
        front = " ".join(words[:k])
        e.affiliation = f"{e.affiliation} {front}" if e.affiliation else front
        e.name, e.tokens = " ".join(words[k:]), e.tokens[k:]
        e.trimmed = True
        e.edge = "sure"

    # -- resolving ----------------------------------------------------------
    def resolve(self, p: Optional[Phrase], pos: int) -> tuple[Optional[Speaker], float]:
        """Resolve a speaker mention at ``pos``; returns the contract speaker and a confidence."""
        if p is None:
            return None, CONFIDENCE["unresolved"]
        e: Optional[Entity] = None
        how = p.kind
        if self.hints and p.kind == "role":
            p = self._with_hints(p)
        if p.nickname:
            e = self._nicknamed(p, pos)
            if e is not None:
                e.last = max(e.last, pos)
                self.last_speaker, self.speaker_pos = e, pos
                return Speaker(p.text, p.start, p.end, e.name, e.type, e.role, e.affiliation), CONFIDENCE["short"]
        if p.kind in ("name", "org"):
            full = table("known_aliases").get(" ".join(p.name_tokens))
            if full and self.find(p.name_tokens, pos) is None:
                # a nickname the article never introduces: "Jokowi" -> Joko Widodo
                p = Phrase(p.start, p.end, p.text, "name", full, p.role, p.affiliation, [p.name])
            e = self.learn(p, speaker=True)
            if e is not None and len(e.tokens) > len(p.name_tokens):
                how = "short"
        elif p.kind in ("pronoun", "clitic"):
            if p.text.casefold() != "mereka":
                e = self.salient(pos, person=p.kind == "pronoun")
        elif p.kind == "nominal":
            e = self._described(p, pos)
        elif p.kind == "role":
            e = self._by_role(p, pos)
            if e is None and p.role:
                # "Rektor menegaskan" about the person the story follows, introduced without an office
                cand = self.salient(pos, person=True)
                if cand is not None and not cand.role:
                    e = cand
                    e.role, e.affiliation = p.role, e.affiliation or p.affiliation
        if e is None:
            sp = Speaker(p.text, p.start, p.end, None, None, p.role, p.affiliation)
            return sp, CONFIDENCE["role" if p.kind == "role" and p.role else "unresolved"]
        e.last = max(e.last, pos)
        self.last_speaker, self.speaker_pos = e, pos
        sp = Speaker(p.text, p.start, p.end, e.name, e.type, e.role, e.affiliation)
        return sp, CONFIDENCE.get(how, 0.5)

    def _nicknamed(self, p: Phrase, pos: int) -> Optional[Entity]:
        """The person a nickname stands for; the nickname becomes one of their aliases."""
        known = self.find(p.name_tokens, pos)
        if known is not None and len(known.tokens) > len(p.name_tokens):
            return known
        of = p.nickname_of
        e = None
        if of is not None and of.kind == "role":
            e = self._by_role(of, pos)
        elif of is not None and of.kind == "name":
            e = self.learn(of, speaker=True)
        elif of is not None and of.kind == "nominal":
            e = self._nominal(of, pos)
        e = e or self.salient(pos, person=True)
        if e is not None and p.name:
            e.aliases.add(p.name)
            if known is not None and known is not e:
                self.entities.remove(known)       # the nickname was taken for a person of its own
        return e

    def salient(self, pos: int, *, person: bool = False) -> Optional[Entity]:
        """Who "ia", "dia", "-nya" point to at ``pos``: the latest of the last speaker and the
        narration's subject (not merely the last name mentioned: "… bersama wakilnya, Budi");
        ``person``: "ia"/"dia" never point to an organisation."""
        ranked = sorted(((self.speaker_pos, self.last_speaker), (self.focus_pos, self.focus)),
                        key=lambda x: x[0], reverse=True)
        for at, e in ranked:
            if e is not None and at <= pos and (not person or e.type == "person"):
                return e
        return self._last_person(pos)

    def note_subject(self, candidates: list[Phrase], pos: int) -> None:
        """A narrative sentence at ``pos`` is about the first of ``candidates`` that names a known
        person or body: it becomes the salient one."""
        for p in candidates:
            if self._note(p, pos):
                return

    def _note(self, p: Phrase, pos: int) -> bool:
        e: Optional[Entity] = None
        if p.kind in ("name", "org") and not p.role and not p.affiliation:
            e = self.find(p.name_tokens, pos)     # a bare capitalised word: only a name we know
        elif p.kind in ("name", "org"):
            e = self.learn(p)
        elif p.kind == "pronoun":
            e = self.salient(pos, person=True) if p.text.casefold() != "mereka" else None
        elif p.kind == "nominal":
            e = self._described(p, pos)
        elif p.kind == "role":
            e = self._by_role(p, pos)
        if e is not None:
            self.focus, self.focus_pos = e, pos
        return e is not None

    def _last_person(self, pos: int) -> Optional[Entity]:
        people = [e for e in self.entities if e.type == "person" and e.first <= pos]
        return max(people, key=lambda e: e.last) if people else None

    def _described(self, p: Phrase, pos: int) -> Optional[Entity]:
        """The person a description refers to; an office that heads the description ("Pelatih asal
        Korea Selatan tersebut") becomes theirs when they had none."""
        e = self._nominal(p, pos)
        if e is not None and not e.role:
            n = match_at("roles", [Tok(w, 0, 0) for w in p.modifiers], 0)
            e.role = " ".join(p.modifiers[:n]) or None
        return e

    def _nominal(self, p: Phrase, pos: int) -> Optional[Entity]:
        """"Pemimpin NATO itu", "Wali kota itu", "orang nomor satu Makassar tersebut": the most
        recent person whose role (counted double) and affiliation share the most words with the
        reference; with none, the salient person (a description of the one the story is about)."""
        words = {m.casefold() for m in p.modifiers}
        cands = [e for e in self.entities if e.first <= pos and e.type == "person"]
        if len(words) <= 1 and not (self.last_speaker and words & _words(self.last_speaker.role)):
            return self.salient(pos, person=True)
        scored = [(2 * len(words & _words(e.role)) + len(words & (e.words() - _words(e.role))), e.last, e)
                  for e in cands]
        scored = [s for s in scored if s[0] > 0]
        return max(scored, key=lambda s: (s[0], s[1]))[2] if scored else self.salient(pos, person=True)

    def _by_role(self, p: Phrase, pos: int) -> Optional[Entity]:
        """"kata Rektor", "terang sekda", "Kapolda Sumbar mengaku": the latest person introduced
        with that office (the affiliation narrows the choice when it can)."""
        role = (p.role or "").casefold()
        cands = [e for e in self.entities if e.role and e.first <= pos and e.type == "person"
                 and same_role(role, e.role)]
        if p.affiliation and len(cands) > 1:
            aff = p.affiliation.casefold()
            narrowed = [e for e in cands if e.affiliation and (aff in e.affiliation.casefold()
                                                             or e.affiliation.casefold() in aff)]
            cands = narrowed or cands
        return max(cands, key=lambda e: e.last) if cands else None
