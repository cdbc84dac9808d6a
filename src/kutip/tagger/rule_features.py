"""The rule engine's reading of a document, as token features for the CRF.

The rules resolve speakers over the whole article: they parse every introduced
name phrase into name, role and affiliation, tie each quotation to a cue and a
mention, and know which introduced names turn out to speak. A token-window CRF
cannot see that far; given the rules' spans as features it learns where the
corpus draws its own edges (PFSA-ID puts ranks inside PERSON, for example).

At extraction time the features come from the extractor's own :class:`Analysis` and its first
attribution (:func:`spans_of`, :func:`features_at`): the rules run once per article. For
training and CoNLL input, the tokens are joined back into text with natural spacing and the rules
read that (:func:`token_rule_features`).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from kutip.core.attribute.engine import analyse, attribute
from kutip.core.attribute.speakers import contains_run
from kutip.core.lexicons import lowered
from kutip.core.attribute.phrases import Phrase
from kutip.core.model import Speaker, Statement

_ATTACH_LEFT = set(",.;:!?)]%")
_ATTACH_RIGHT = set("([")
_QUOTES = set('"“”')


def detokenise(tokens: list[str], breaks: frozenset[int] = frozenset()) -> tuple[str, list[tuple[int, int]]]:
    """Text with natural spacing, and each token's character span in it; a token whose
    index is in ``breaks`` starts a new line (a heading or a line without a full stop)."""
    out: list[str] = []
    offs: list[tuple[int, int]] = []
    pos = 0
    in_quote = False
    glue_next = False
    for i, t in enumerate(tokens):
        sep = ("\n" if i in breaks else " ") if out else ""
        if t in _QUOTES:
            if in_quote:
                sep = ""
            in_quote = not in_quote
        elif t and t[0] in _ATTACH_LEFT:
            sep = ""
        if glue_next:
            sep = ""
        glue_next = (t in _QUOTES and in_quote) or (t in _ATTACH_RIGHT)
        out.append(sep + t)
        start = pos + len(sep)
        offs.append((start, start + len(t)))
        pos = start + len(t)
    return "".join(out), offs


def _find_in(text: str, start: int, end: int, part: str | None) -> tuple[int, int] | None:
    if not part:
        return None
    k = text.find(part, start, end)
    return (k, k + len(part)) if k >= 0 else None


_AGE = re.compile(r"\s*\(\s*\d{1,3}\s*(?:tahun\s*)?\)")


def speaker_class(sp: Speaker | None, text: str, _cache: dict | None = None) -> str:
    """What kind of speaker the rules resolved: ``type|role|affiliation|age``.

    A public figure comes with an official role or an organisation; a private person
    with an ordinary noun ("warga", "pedagang") or an age in brackets ("Nasipah (45)").
    PFSA-ID labels public figures' statements only, so this is what the tagger needs
    to see at every cue, mention and quotation, even "ujarnya" paragraphs later.
    """
    if sp is None:
        return "none"
    if not sp.name:
        return "unresolved|" + ("role" if sp.role else "-")
    role = (sp.role or "").casefold().split()
    rc = "-" if not role else "ordinary" if role[0] in lowered("ordinary_people") else "official"
    last = sp.name.split()[-1]
    if _cache is not None and last in _cache:
        age = _cache[last]
    else:
        age = any(_AGE.match(text, m.end()) for m in re.finditer(re.escape(last), text))
        if _cache is not None:
            _cache[last] = age
    return f"{sp.type}|{rc}|{'aff' if sp.affiliation else '-'}|{'age' if age else '-'}"


def rule_spans(text: str) -> list[tuple[str, int, int]]:
    """(label, start, end) character spans the rules find in ``text`` (see :func:`spans_of`)."""
    analysis = analyse(text, [])
    return spans_of(text, attribute(analysis), analysis.phrases)


def spans_of(text: str, statements: list[Statement], phrases: list[Phrase]) -> list[tuple[str, int, int]]:
    """(label, start, end) character spans of what the rules read: ``statements`` as the rules
    attributed them and the name ``phrases`` of the first pass.

    PH  a name phrase the first pass read (name, role and affiliation together)
    NM / RL / AF  its name, role and affiliation parts
    SP  the name part of a phrase whose person speaks somewhere in the article
    SP1 the same, at that person's first introduction
    MN  a speaker mention beside a cue;  CU  a cue;  ST  a statement
    """
    # in order of first quotation, so the features never depend on hashing order
    speakers = list(dict.fromkeys(tuple(st.speaker.name.casefold().split())
                                  for st in statements if st.speaker and st.speaker.name))
    out: list[tuple[str, int, int]] = []
    introduced: set[tuple[str, ...]] = set()
    for p in phrases:
        out.append(("PH", p.start, p.end))
        name = _find_in(text, p.start, p.end, p.name)
        if name:
            out.append(("NM", *name))
            # "M Fadil Imran" introduces the speaker the article later calls "Fadil Imran"
            words = set(p.name_tokens)
            who = next((s for s in speakers if not words.isdisjoint(s)
                        and (contains_run(s, p.name_tokens) or contains_run(p.name_tokens, s))), None)
            if who is not None:
                out.append(("SP", *name))
                if who not in introduced:
                    introduced.add(who)
                    out.append(("SP1", *name))
        for label, part in (("RL", p.role), ("AF", p.affiliation)):
            span = _find_in(text, p.start, p.end, part)
            if span:
                out.append((label, *span))
    cache: dict = {}
    classes: dict[tuple[str, ...], str] = {}
    for st in statements:
        sp = st.speaker
        kind = "K=" + speaker_class(sp, text, cache)
        out.append(("ST", st.start, st.end))
        out.append((kind, st.start, st.end))
        if st.cue:
            out.append(("CU", st.cue.start, st.cue.end))
            out.append((kind, st.cue.start, st.cue.end))
        if sp and sp.mention_start is not None and sp.mention_end is not None:
            out.append(("MN", sp.mention_start, sp.mention_end))
            out.append((kind, sp.mention_start, sp.mention_end))
        if sp and sp.name:
            classes.setdefault(tuple(sp.name.casefold().split()), kind)
    # the name phrases of those speakers carry the same class
    for label, a, b in [x for x in out if x[0] == "SP"]:
        words = tuple(text[a:b].casefold().split())
        kind = next((k for s, k in classes.items() if contains_run(s, words) or contains_run(words, s)), None)
        if kind:
            out.append((kind, a, b))
    return out


_END = frozenset(".?!”\"")


def token_rule_features(tokens: list[str], sent_starts: list[int] = ()) -> list[tuple[str, ...]]:
    """For each token, ``r<label>=<B|I|L|U>`` for every rule span that covers it, the rules
    reading the tokens joined back into text.

    ``sent_starts`` are the token indices that open a sentence: one that follows a
    sentence without final punctuation (a title, a "Baca juga" line) starts a new line.
    """
    breaks = frozenset(i for i in sent_starts if 0 < i < len(tokens) and tokens[i - 1] not in _END)
    text, offs = detokenise(tokens, breaks)
    if not text.strip():
        return [()] * len(tokens)
    return features_at(rule_spans(text), offs)


def features_at(spans: list[tuple[str, int, int]], offs: list[tuple[int, int]]) -> list[tuple[str, ...]]:
    """The features of ``spans`` (character offsets) on tokens at ``offs`` (sorted (start, end))."""
    feats: list[list[str]] = [[] for _ in offs]
    starts = [a for a, _ in offs]
    for label, a, b in spans:
        i = bisect_right(starts, a) - 1
        if i < 0 or offs[i][1] <= a:
            i += 1
        j = bisect_left(starts, b)
        if i >= j:
            continue
        if label.startswith("K="):
            # a speaker class: the whole string, and its age and role parts on their own
            parts = label[2:].split("|")
            extra = [f"r{label}", "rKage=" + parts[-1], "rKrole=" + (parts[1] if len(parts) > 2 else "-")]
            for k in range(i, j):
                feats[k].extend(x for x in extra if x not in feats[k])
            continue
        for k in range(i, j):
            pos = "U" if j - i == 1 else "B" if k == i else "L" if k == j - 1 else "I"
            feats[k].append(f"r{label}={pos}")
    return [tuple(f) for f in feats]
