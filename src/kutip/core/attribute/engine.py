"""Runs the rule stages over an article's text and builds contract statements, in two stages:

:func:`analyse` (quotations -> sentence units -> tokens -> name phrases -> the rules' candidates
per sentence -> date, place and event), then :func:`attribute` (the names enter the article's
registry and each candidate's speaker is resolved in reading order, refined by the tagger's
spans when a model runs). The tagger reads the same :class:`Analysis`.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from typing import Optional, Sequence

from kutip.core.budget import UNLIMITED, Budget
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
from kutip.core.model import Cue, DateRef, Speaker, TagSpan, Statement

# How much each rule is trusted, before the speaker's own confidence.
RULE_CONFIDENCE = {
    "quote+cue": 1.0, "cue+quote": 0.98, "verb+quote": 0.98, "colon+quote": 0.9,
    "menurut": 0.95, "reporting-verb": 0.9, "inserted-cue": 0.9, "tail-cue": 0.9, "bare-quote": 0.7,
}


def _outside(regions: Regions, a: int, b: int) -> bool:
    return not regions.overlaps(a, b)


def _read_names(text: str, toks: list[Tok]) -> list[Phrase]:
    """First pass: every introduced name ("Presiden Rusia Vladimir Putin"); the attribution stage
    enters them in the article's registry."""
    found: list[Phrase] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if t.text[0].isupper() and t.is_word or t.low in lowered("roles"):
            p, j = speaker_after(text, toks, i)
            if p is not None and j > i:
                found.append(p)
                i = j
                continue
            i = max(i + 1, phrase_forward(toks, i))
            continue
        i += 1
    return found


def _says_something(text: str, start: int, end: int) -> bool:
    return any(ch.isalnum() for ch in text[start:end])


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


@dataclass
class Found:
    """A candidate statement with what its narration says: the part of the analysis that the
    tagger's refinements never change."""
    cand: Candidate
    date: Optional[DateRef]
    location: Optional[str]
    event: Optional[str]


@dataclass
class Step:
    """What the rules read in one sentence unit, before any speaker is resolved."""
    start: int
    found: list[Found]
    signed: Optional[Phrase] = None     # a name line or "Hal itu disampaikan X": signs the last bare quotations
    trust: float = 0.0
    announcer: Optional[Phrase] = None  # "X mengatakan:" with no statement of its own
    subjects: list[Phrase] = field(default_factory=list)


@dataclass
class Analysis:
    """One reading of an article, shared by every stage (as spaCy's components share a ``Doc``):
    tokens, quotations and sentence units with offsets into ``text``, the name phrases the first
    pass read, and the rules' candidates per sentence. Nothing in it depends on the tagger, so the
    tagger reads it and the attribution stage (:func:`attribute`) runs over it with or without
    the tagger's refinements."""
    text: str
    toks: list[Tok]
    quotes: list[Quote]
    sentences: list[Sentence]
    phrases: list[Phrase]
    steps: list[Step]
    standalone: frozenset[str]
    region_words: frozenset[str]


def analyse(text: str, excluded: list[tuple[int, int]], *, published: Optional[date] = None,
            year: Optional[int] = None, budget: Budget = UNLIMITED) -> Analysis:
    """Quotations, sentence units, tokens, name phrases and every rule's candidates, in one pass;
    ``excluded`` regions (boilerplate) are skipped."""
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

    headings = {s.start for s in sentences if _title_case(sent_toks(s))}
    phrases: list[Phrase] = []
    for s in sentences:
        if s.start not in headings:
            phrases += _read_names(text, sent_toks(s))

    steps: list[Step] = []
    after_bare = False      # the last sentence with statements had bare quotations only
    budget.check("segmentation")
    for n_sent, s in enumerate(sentences):
        if n_sent % 64 == 63:
            budget.check("statement rules")
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
        # a quotation of nothing but spaces, zero-width characters or punctuation says nothing
        cands = [c for c in cands if _says_something(text, c.start, c.end)]
        step = Step(s.start, [])
        if not cands:
            # "— APRIYANI RAHAYU —" under a quotation signs it; "Hal itu disampaikan X": the
            # quotations just before were X's, and X speaks next
            signed, trust = (rules.name_line(), 0.9) if after_bare else (None, 0.0)
            if signed is None:
                signed, trust = rules.passive_attribution(), 0.95
            if signed is not None:
                step.signed, step.trust = signed, trust
                after_bare = False
                steps.append(step)
                continue
            step.announcer = rules.announcer()
        for c in cands:
            c.context = _outside_quotes(c.context, squotes)
            a, b = c.context
            found = find_dates(text, a, b, published=published, year=year) if b > a else []
            step.found.append(Found(c, DateRef(found[0].text, found[0].value) if found else None,
                                    find_location(text, a, b) if b > a else None,
                                    find_event(text, a, b) if b > a else None))
        if cands:
            after_bare = any(c.rule == "bare-quote" for c in cands)
        step.subjects = sentence_subjects(text, rules.toks)
        steps.append(step)
    return Analysis(text, toks, quotes, sentences, phrases, steps,
                    frozenset(_standalone_names(toks)), frozenset(_region_words(toks)))


def attribute(analysis: Analysis, refinements: Optional[Sequence[TagSpan]] = None) -> list[Statement]:
    """The statements of an analysed article, each speaker resolved in reading order over the
    article's registry of people. ``refinements`` are the tagger's PERSON / ROLE / AFFILIATION
    spans: the rules stay exact about quotations and cues, the spans fix names, roles and
    affiliations."""
    text = analysis.text
    registry = Registry(analysis.standalone, refinements, analysis.region_words)
    for p in analysis.phrases:
        registry.learn(p)
    out: list[Statement] = []
    last_bare: list[Statement] = []
    for step in analysis.steps:
        if step.signed is not None:
            _sign(last_bare, *registry.resolve(step.signed, step.start), step.trust)
            last_bare = []
            continue
        if step.announcer is not None:
            registry.resolve(step.announcer, step.start)
        bare = []
        for f in step.found:
            st = _statement(text, f, registry)
            out.append(st)
            if f.cand.rule == "bare-quote":
                bare.append(st)
        if step.found:
            last_bare = bare
        registry.note_subject(step.subjects, step.start)
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
    return out


def find_statements(text: str, excluded: list[tuple[int, int]], *, published: Optional[date] = None,
                    year: Optional[int] = None, refinements: Optional[Sequence[TagSpan]] = None) -> list[Statement]:
    """All statements of an article body: :func:`analyse` then :func:`attribute`."""
    return attribute(analyse(text, excluded, published=published, year=year), refinements)


def _sign(statements: list[Statement], speaker: Optional[Speaker], conf: float, trust: float) -> None:
    """Give uncued quotations the speaker a later line names."""
    for st in statements:
        st.speaker = speaker
        st.confidence = round(RULE_CONFIDENCE["quote+cue"] * conf * trust, 2)


def _statement(text: str, f: Found, registry: Registry) -> Statement:
    c = f.cand
    pos = c.cue[0] if c.cue else c.start
    if c.phrase is None:
        # a quotation with no cue continues the last speaker, else the person the story is about
        e = registry.last_speaker or registry.salient(pos, person=True)
        speaker = Speaker(None, None, None, e.name, e.type, e.role, e.affiliation) if e else None
        spk_conf = 0.6 if e else 0.2
    else:
        speaker, spk_conf = registry.resolve(c.phrase, pos)
    return Statement(
        kind=c.kind, text=text[c.start:c.end], start=c.start, end=c.end,
        cue=Cue(text[c.cue[0]:c.cue[1]], c.cue[0], c.cue[1]) if c.cue else None,
        speaker=speaker, date=f.date, location=f.location, event=f.event,
        confidence=round(RULE_CONFIDENCE.get(c.rule, 0.8) * spk_conf, 2),
    )
