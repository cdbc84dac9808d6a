"""Runs the rule stages over an article's text and builds contract statements.

quotations -> sentence units -> names in the article (registry) -> rules per
sentence -> speakers resolved in reading order -> date, place and event.
"""
from __future__ import annotations

from bisect import bisect_left
from datetime import date
from typing import Optional

from kutip.core.context.dates import find_dates
from kutip.core.context.setting import find_event, find_location
from kutip.core.attribute.offices import complete
from kutip.core.attribute.phrases import Phrase, is_name_word, match_at, phrase_forward, sentence_subjects, speaker_after
from kutip.core.segment.quotes import Quote, find_quotes
from kutip.core.attribute.speakers import Registry
from kutip.core.attribute.statements import Candidate, SentenceRules
from kutip.core.segment.text import Sentence, Tok, split_sentences, tokenize
from kutip.core.lexicons import lowered
from kutip.core.regions import Regions
from kutip.core.model import Cue, DateRef, Speaker, Statement

# How much each rule is trusted, before the speaker's own confidence.
RULE_CONFIDENCE = {
    "quote+cue": 1.0, "cue+quote": 0.98, "verb+quote": 0.98, "colon+quote": 0.9,
    "menurut": 0.95, "reporting-verb": 0.9, "inserted-cue": 0.9, "tail-cue": 0.9, "bare-quote": 0.7,
}


def _outside(regions: Regions, a: int, b: int) -> bool:
    return not regions.overlaps(a, b)


def _learn_names(text: str, toks: list[Tok], registry: Registry) -> list[Phrase]:
    """First pass: every introduced name ("Presiden Rusia Vladimir Putin") joins the registry;
    returns the phrases read."""
    found: list[Phrase] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if t.text[0].isupper() and t.is_word or t.low in lowered("roles"):
            p, j = speaker_after(text, toks, i)
            if p is not None and j > i:
                registry.learn(p)
                found.append(p)
                i = j
                continue
            i = max(i + 1, phrase_forward(toks, i))
            continue
        i += 1
    return found


def _outside_quotes(ctx: tuple[int, int], quotes: list[Quote]) -> tuple[int, int]:
    """Narrow a context region so it never reads dates or places from quoted words."""
    a, b = ctx
    for q in quotes:
        if a <= q.open < b:
            b = q.open
        elif q.open < a < q.close:
            a = q.close
    return a, max(a, b)


def _clip(s: Sentence, excluded: Regions) -> Sentence:
    """Start a sentence after a boilerplate prefix inside it ("London (ANTARA) - ")."""
    end = excluded.end_of(s.start)
    return Sentence(end, s.end) if end is not None and end < s.end else s


def _standalone_names(toks: list[Tok]) -> set[str]:
    """Capitalised words used alone (not beside another capitalised word): short names."""
    out = set()
    for i, t in enumerate(toks):
        if t.text[0].isupper() and t.is_word and not t.is_acronym:
            before = toks[i - 1] if i else None
            after = toks[i + 1] if i + 1 < len(toks) else None
            if (before is None or not is_name_word(before)) and (after is None or not is_name_word(after)):
                out.add(t.low)
    return out


def _split_at(toks: list[Tok], text: str, cuts: list[int]) -> list[Tok]:
    """No token crosses the edge of an excluded region: "SATUHARAPAN.COM-Presiden" after a
    dateline is "SATUHARAPAN.COM-" (excluded) and "Presiden"."""
    if not cuts:
        return toks
    out: list[Tok] = []
    for t in toks:
        k = bisect_left(cuts, t.start + 1)
        if k < len(cuts) and cuts[k] < t.end:
            edges = [t.start] + [c for c in cuts[k:] if c < t.end] + [t.end]
            for a, b in zip(edges, edges[1:]):
                out += tokenize(text, a, b)
        else:
            out.append(t)
    return out


def _title_case(toks: list[Tok]) -> bool:
    """A headline, a caption title or a menu line: no full stop at its end and nearly every word
    capitalised ("Anggota Komisi III Protes Pengamanan Berlebihan"). Its capitalised runs are not
    names."""
    if not toks or toks[-1].text in ".!?:,;":
        return False
    words = [t for t in toks if t.is_word and t.text[0].isalpha() and t.low not in lowered("function_words")]
    if len(words) < 4:
        return False
    return sum(1 for t in words if t.text[0].isupper()) >= 0.8 * len(words)


def _region_words(toks: list[Tok]) -> set[str]:
    """Capitalised words written right after a body or an office and ending the phrase there
    ("Polres Kobar,", "Pemkab Kobar siapkan", "Tim Prabowo-Hatta pun"): regions and sub-bodies,
    which may also stand between a body and a name ("Kepala BPBD Kobar Syahruni")."""
    out = set()
    for i in range(1, len(toks) - 1):
        t, before, after = toks[i], toks[i - 1], toks[i + 1]
        if t.is_word and t.text[0].isupper() and not t.is_acronym and not is_name_word(after) \
                and (before.is_acronym or match_at("org_heads", toks, i - 1) == 1 or match_at("roles", toks, i - 1) == 1):
            out.add(t.low)
    return out


def find_statements(text: str, excluded: list[tuple[int, int]], *, published: Optional[date] = None,
                    year: Optional[int] = None, hints: Optional[list] = None) -> list[Statement]:
    """All statements of an article body; ``excluded`` regions (boilerplate) are skipped.

    ``hints`` are a tagger's spans over ``text`` (``label``, ``start``, ``end``, ``text``); the
    rules stay exact about quotations and cues, the hints fix names, roles and affiliations.
    """
    return find_statements_and_names(text, excluded, published=published, year=year, hints=hints)[0]


def find_statements_and_names(text: str, excluded: list[tuple[int, int]], *,
                              published: Optional[date] = None, year: Optional[int] = None,
                              hints: Optional[list] = None) -> tuple[list[Statement], list[Phrase]]:
    """``find_statements``, plus every name phrase the first pass read (the tagger's features)."""
    boiler = Regions(excluded)
    quotes = [q for q in find_quotes(text) if _outside(boiler, q.open, q.close)]
    sentences = [_clip(s, boiler) for s in split_sentences(text, [q.span for q in quotes], boiler)]
    toks = _split_at(tokenize(text), text, sorted({x for r in excluded for x in r}))
    starts = [t.start for t in toks]
    qstarts = [q.open for q in quotes]

    def sent_toks(s: Sentence) -> list[Tok]:
        return toks[bisect_left(starts, s.start):bisect_left(starts, s.end)]

    def sent_quotes(s: Sentence) -> list[Quote]:
        return [q for q in quotes[bisect_left(qstarts, s.start):bisect_left(qstarts, s.end)] if q.close <= s.end]

    registry = Registry(frozenset(_standalone_names(toks)), hints, frozenset(_region_words(toks)))
    phrases: list[Phrase] = []
    headings = {s.start for s in sentences if _title_case(sent_toks(s))}
    for s in sentences:
        if s.start not in headings:
            phrases += _learn_names(text, sent_toks(s), registry)

    out: list[Statement] = []
    last_bare: list[Statement] = []
    for s in sentences:
        if s.start in headings:
            continue          # headlines, captions titles, menus: never statements
        stoks, squotes = sent_toks(s), sent_quotes(s)
        rules = SentenceRules(text, s, stoks, squotes)
        cands: list[Candidate] = []
        prev = None
        for q in squotes:
            c = rules.quoted(q, prev)
            if c is not None:
                cands.append(c)
                prev = c
        if not any(c.rule in ("quote+cue", "cue+quote") for c in cands):
            # an inserted or tail cue outside the quotations makes the whole clause one statement
            c = rules.cue_clause()
            if c is not None:
                cands = [c]
        if not cands:
            c = rules.menurut() or rules.reporting_verb()
            while c is not None and len(cands) < 4:
                cands.append(c)
                c = rules.reporting_verb(after=c) if c.rule == "reporting-verb" else None
        if not cands:
            cands = [c for c in (rules.bare_quote(q) for q in squotes) if c is not None]
        if not cands:
            # "— APRIYANI RAHAYU —" under a quotation signs it; "Hal itu disampaikan X": the
            # quotations just before were X's, and X speaks next
            signed, trust = (rules.name_line(), 0.9) if last_bare else (None, 0.0)
            if signed is None:
                signed, trust = rules.passive_attribution(), 0.95
            if signed is not None:
                _sign(last_bare, *registry.resolve(signed, s.start), trust)
                last_bare = []
                continue
            intro = rules.announcer()
            if intro is not None:
                registry.resolve(intro, s.start)
        bare = []
        for c in cands:
            c.context = _outside_quotes(c.context, squotes)
            st = _statement(text, c, registry, published, year)
            out.append(st)
            if c.rule == "bare-quote":
                bare.append(st)
        if cands:
            last_bare = bare
        registry.note_subject(sentence_subjects(text, rules.toks), s.start)
    # an office or body the article gives later ("… kata pelatih asal Korea itu") belongs to the
    # person's earlier statements too
    people = {e.name: e for e in registry.entities}
    for st in out:
        e = people.get(st.speaker.name) if st.speaker is not None and st.speaker.name else None
        if e is not None:
            st.speaker.role = st.speaker.role or e.role
            st.speaker.affiliation = st.speaker.affiliation or e.affiliation
        if st.speaker is not None:
            st.speaker.role, st.speaker.affiliation = complete(st.speaker.role, st.speaker.affiliation)
    return out, phrases


def _sign(statements: list[Statement], speaker: Optional[Speaker], conf: float, trust: float) -> None:
    """Give uncued quotations the speaker a later line names."""
    for st in statements:
        st.speaker = speaker
        st.confidence = round(RULE_CONFIDENCE["quote+cue"] * conf * trust, 2)


def _statement(text: str, c: Candidate, registry: Registry, published: Optional[date],
               year: Optional[int]) -> Statement:
    pos = c.cue[0] if c.cue else c.start
    if c.phrase is None:
        # a quotation with no cue continues the last speaker, else the person the story is about
        e = registry.last_speaker or registry.salient(pos, person=True)
        speaker = Speaker(None, None, None, e.name, e.type, e.role, e.affiliation) if e else None
        spk_conf = 0.6 if e else 0.2
    else:
        speaker, spk_conf = registry.resolve(c.phrase, pos)
    a, b = c.context
    found = find_dates(text, a, b, published=published, year=year) if b > a else []
    when = DateRef(found[0].text, found[0].value) if found else None
    return Statement(
        kind=c.kind, text=text[c.start:c.end], start=c.start, end=c.end,
        cue=Cue(text[c.cue[0]:c.cue[1]], c.cue[0], c.cue[1]) if c.cue else None,
        speaker=speaker, date=when,
        location=find_location(text, a, b) if b > a else None,
        event=find_event(text, a, b) if b > a else None,
        confidence=round(RULE_CONFIDENCE.get(c.rule, 0.8) * spk_conf, 2),
    )
