"""Find the parts of a news text that are not article body, and the metadata they carry.

Nothing is deleted: statement offsets index into the original text, so we
return excluded character ranges (related-article links, bylines, captions,
copyright, page chrome, the dateline prefix) for the extractor to skip, plus
what those lines tell us (outlet, dateline place, editor, translator, source
agency, year, cited sources, related headlines, publication date).

Every rule matches a whole (short) line or a bounded prefix/suffix of one, so
it cannot swallow a body sentence. The words and patterns live in
core/lexicons/boilerplate.json.
"""
from __future__ import annotations

from kutip.core.regions import Regions

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kutip.core import lexicons
from typing import Optional

from kutip.core.model import Metadata

__all__ = ["Region", "Cleaned", "analyse", "canonical_outlet"]



@dataclass(frozen=True)
class Region:
    """A character range [start, end) of the original text that is not article body."""

    start: int
    end: int
    kind: str  # related | byline | source | signoff | copyright | caption | chrome | dateline | date


@dataclass
class Cleaned:
    metadata: Metadata
    excluded: list[Region] = field(default_factory=list)

    def excludes(self, start: int, end: Optional[int] = None) -> bool:
        """True if [start, end) overlaps an excluded region (end defaults to start+1).

        Regions are sorted and disjoint, so only the last one starting before
        ``end`` can overlap.
        """
        if end is None:
            end = start + 1
        return Regions((r.start, r.end) for r in self.excluded).overlaps(start, end)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


class _Rules:
    """boilerplate.json compiled once."""

    def __init__(self, d: dict) -> None:
        I = re.IGNORECASE
        self.outlet_canon = {a.lower(): name for name, aliases in d["outlets"].items() for a in [name, *aliases]}
        outlet = rf"(?i:{_alt(self.outlet_canon)})(?![\w.])"

        related = _alt(d["related_prefixes"])
        related_colon = _alt(d["related_prefixes_colon_required"])
        self.related = re.compile(
            rf"(?:(?:{related})(?!\w)\s*(?P<sep>[:\-–—|»>]+)?|(?:{related_colon})\s*(?P<sep2>:))\s*(?P<head>.*)", I | re.S)
        self.related_inner = re.compile(rf"\s*(?<!\w)(?:{related})(?!\w)\s*[:\-–—|»>]*\s*", I)

        self.credit_field = {k.lower(): v for k, v in d["credit_labels"].items()}
        labels = _alt(self.credit_field)
        self.credit = re.compile(rf"(?P<label>{labels})\s*:\s*(?P<value>\S.*)", I | re.S)
        # where the next label (or a copyright notice) starts inside a credit line
        self.credit_split = re.compile(rf"(?:(?<=\s)|(?<=\|)|(?<=,))(?:(?P<label>{labels})\s*:|(?P<copy>copyright|hak cipta|©))", I)
        self.credit_max_words = d["credit_max_words"]
        self.bylines = [re.compile(p, I) for p in d["byline_patterns"]]
        self.signoff = re.compile(rf"(?:^|(?<=[.!?\"”’'»]))[ \t]*(?P<s>{d['signoff_pattern']})$")
        self.copyright = [re.compile(p, I) for p in d["copyright_patterns"]]
        self.copyright_noise = re.compile("|".join(d["copyright_owner_noise"]), I)
        self.caption_start = re.compile("|".join(f"(?:{p})" for p in d["caption_patterns"][:2]), I)
        self.caption_any = [re.compile(p, I) for p in d["caption_patterns"][2:]]
        self.chrome = re.compile("|".join(f"(?:{p})" for p in d["chrome_patterns"]), I)

        self.cue = re.compile(rf"(?<!\w)(?:{_alt(d['cited_cues'])})(?!\w)[ \t]+", I)
        self.cue_stems = d["cited_cue_stems"]
        self.source_heads = tuple(h.lower() for h in d["cited_source_heads"])
        self.source_stop = {w.lower() for w in d["cited_source_stop_words"]}
        self.source_max = d["cited_source_max_words"]

        self.published_prefix = re.compile(rf"(?:{_alt(d['published_line_prefixes'])})\s*:?\s*", I)
        self.published_rest = re.compile(d["published_line_rest"], I)

        dl = d["dateline"]
        subst = {"{PLACE}": dl["place"], "{DASH}": dl["dash"], "{DOMAIN}": dl["domain"], "{OUTLET}": outlet}
        self.datelines = []
        for p in dl["patterns"]:
            rx = p["re"]
            for k, v in subst.items():
                rx = rx.replace(k, v)
            self.datelines.append((re.compile(rx), bool(p.get("weak"))))
        self.dateline_lines = dl["search_first_lines"]
        self.dateline_min_after = dl["min_body_chars_after"]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    return _Rules(lexicons.document("boilerplate"))


def canonical_outlet(name: str) -> str:
    """The usual spelling of an outlet or agency name ("antara" -> "ANTARA"); unknown names as given."""
    name = name.strip().strip(".,;:")
    return _rules().outlet_canon.get(name.lower(), name)


_LINE_RE = re.compile(r"[^\n]+")
_WORD_RE = re.compile(r"\S+")
_TRAIL_PUNCT = ".,;:!?)\"”’'»"
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", "»", ")")
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\||/|\bdan\b|\band\b)\s*", re.I)
_PAREN_TAIL_RE = re.compile(r"\s*\([^()]*\)\s*$")


def _names(value: str) -> list[str]:
    value = _PAREN_TAIL_RE.sub("", value)
    return [n.strip(" .-–—") for n in _NAME_SPLIT_RE.split(value) if n.strip(" .-–—")]


def _title_place(place: str) -> str:
    place = " ".join(place.split())
    if place.upper() != place:
        return place
    return " ".join(w if "." in w else w[:1] + w[1:].lower() for w in place.split())


class _State:
    def __init__(self) -> None:
        self.meta = Metadata()
        self.regions: list[Region] = []
        self.line_start = 0  # where the line being classified starts, and the text length:
        self.text_len = 1    # "near the end" decides whether an unknown Sumber is the agency
        self.copyright_owner: Optional[str] = None
        self.copyright_year: Optional[int] = None

    def add(self, start: int, end: int, kind: str) -> None:
        if end > start:
            self.regions.append(Region(start, end, kind))

    def credit(self, label: str, value: str) -> None:
        rules = _rules()
        what = rules.credit_field.get(" ".join(label.lower().split()))
        value = " ".join(value.split()).strip(" |,;-–—")
        if not value or what in (None, "other"):
            return
        m = self.meta
        if what == "authors":
            for n in _names(value):
                if n not in m.authors:
                    m.authors.append(n)
        elif what == "editor" and m.editor is None:
            m.editor = _names(value)[0] if _names(value) else value
        elif what == "translator" and m.translator is None:
            m.translator = _names(value)[0] if _names(value) else value
        elif what == "source_agency" and m.source_agency is None:
            # "Sumber: Anadolu" at the foot names the wire agency; "Sumber: BPS" under a
            # table mid-article does not: trust a known agency, or a short name in the trailer
            value = value.strip(" .")
            first = _names(value)[0] if _names(value) else value
            if first.lower() in rules.outlet_canon:
                m.source_agency = canonical_outlet(first)
            elif len(value.split()) <= 4 and self.line_start >= 0.6 * self.text_len:
                m.source_agency = value


def _credit_line(line: str, st: _State, rules: _Rules) -> Optional[str]:
    """If the line is a run of 'Label: value' credits (maybe ending in a copyright), record them."""
    m = rules.credit.match(line)
    if not m:
        return None
    cuts = [(c.start(), c) for c in rules.credit_split.finditer(line, m.end("label"))]
    segs = []
    pos, label = m.start("value"), m.group("label")
    copyright_from = None
    for at, c in cuts:
        segs.append((label, line[pos:at]))
        if c.group("copy"):
            copyright_from = at
            break
        label, pos = c.group("label"), c.end()
    else:
        segs.append((label, line[pos:]))
    if any(len(v.split()) > rules.credit_max_words for _, v in segs):
        return None
    for lab, v in segs:
        st.credit(lab, v)
    if copyright_from is not None:
        _copyright(line[copyright_from:], st, rules)
    kinds = {rules.credit_field.get(" ".join(lab.lower().split())) for lab, _ in segs}
    return "source" if kinds == {"source_agency"} else "byline"


def _copyright(line: str, st: _State, rules: _Rules) -> bool:
    low = line.lower()
    if "©" not in line and "copyright" not in low and "hak cipta" not in low and "reserved" not in low:
        return False
    for rx in rules.copyright:
        m = rx.fullmatch(line)
        if not m:
            continue
        g = m.groupdict()
        if g.get("year") and st.copyright_year is None:
            st.copyright_year = int(g["year"])
        owner = " ".join(((g.get("owner") or "") + " " + (g.get("owner2") or "")).split())
        owner = " ".join(rules.copyright_noise.sub(" ", owner).split()).strip(" .,-–—|")
        if owner and st.copyright_owner is None:
            st.copyright_owner = canonical_outlet(owner)
        return True
    return False


def _published_line(line: str, st: _State, rules: _Rules) -> bool:
    """A line that is only a date (and time), e.g. 'Rabu, 18 Januari 2023 10:15 WIB'."""
    if len(line) > 90 or not any(ch.isdigit() for ch in line):
        return False
    from kutip.core.context.dates import find_dates

    p = rules.published_prefix.match(line)
    begin = p.end() if p else 0
    mentions = find_dates(line, begin)
    if not mentions or mentions[0].start != begin or not mentions[0].value or len(mentions[0].value) != 10 \
            or mentions[0].value.startswith("--"):
        return False
    if not rules.published_rest.fullmatch(line, mentions[0].end):
        return False
    if st.meta.published is None:
        st.meta.published = mentions[0].value
    return True


def _classify(line: str, st: _State, rules: _Rules) -> Optional[str]:
    """The region kind of a whole line, recording its metadata; None for body."""
    m = rules.related.match(line)
    # without a colon/dash, "Lihat juga ..." is only a link if it reads as a headline, not a sentence
    if m and (m.group("sep") or m.group("sep2")
              or (len(m.group("head").split()) <= 20 and not m.group("head").rstrip().endswith(_SENTENCE_END))):
        heads = [h.strip(" \"“”'") for h in rules.related_inner.split(m.group("head"))]
        for h in heads:
            if h and h not in st.meta.related_links:
                st.meta.related_links.append(h)
        return "related"
    kind = _credit_line(line, st, rules)
    if kind:
        return kind
    for rx in rules.bylines:
        b = rx.fullmatch(line)
        if b:
            for n in _names(b.group("authors")):
                if n not in st.meta.authors:
                    st.meta.authors.append(n)
            return "byline"
    if _copyright(line, st, rules):
        return "copyright"
    if rules.chrome.fullmatch(line):
        return "chrome"
    if rules.caption_start.fullmatch(line):
        return "caption"
    if len(line) <= 700:
        if ":" in line and rules.caption_any[0].fullmatch(line):
            return "caption"
        if line.endswith(")") and rules.caption_any[1].fullmatch(line):
            return "caption"
        if "/" in line and rules.caption_any[2].fullmatch(line):
            return "caption"
    if _published_line(line, st, rules):
        return "date"
    return None


def _dateline(text: str, start: int, line: str, st: _State, rules: _Rules) -> bool:
    for rx, weak in rules.datelines:
        m = rx.match(line)
        if not m:
            continue
        rest = line[m.end():]
        if len(rest.strip()) < rules.dateline_min_after:
            continue
        if weak and not (rest.rstrip().endswith(_SENTENCE_END) or len(rest) > 150):
            continue
        g = m.groupdict()
        if g.get("place"):
            st.meta.dateline = _title_place(g["place"])
        if g.get("outlet"):
            st.meta.outlet = canonical_outlet(g["outlet"])
        if g.get("date") and st.meta.published is None:
            from kutip.core.context.dates import parse_published

            d = parse_published(g["date"].strip("()"))
            if d:
                st.meta.published = d.isoformat()
        st.add(start, start + m.end(), "dateline")
        return True
    return False


def _cited_sources(text: str, st: _State, rules: _Rules, excluded: list[Region]) -> None:
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lowered: fall back to a slow search
        hits = [m.start() for m in rules.cue.finditer(text)]
    else:
        hits = []
        for stem in rules.cue_stems:
            i = low.find(stem)
            while i != -1:
                hits.append(i)
                i = low.find(stem, i + 1)
    seen = set()
    boiler = Regions((r.start, r.end) for r in excluded)
    for i in sorted(hits):
        # try the cue from the previous word ("seperti dikutip") then from this one ("dikutip")
        w = i
        while w > 0 and text[w - 1].isalnum():
            w -= 1
        p = w - 1
        while p > 0 and text[p - 1] in " \t":
            p -= 1
        q = p
        while q > 0 and text[q - 1].isalnum():
            q -= 1
        m = None
        for s in ((q, w) if q < w else (w,)):
            m = rules.cue.match(text, s)
            if m:
                break
        if not m or m.end() in seen:
            continue
        seen.add(m.end())
        if boiler.overlaps(m.start(), m.end()):
            continue
        src = _source_after(text, m.end(), rules)
        if src and src.casefold() not in {c.casefold() for c in st.meta.cited_sources}:
            st.meta.cited_sources.append(src)


def _source_after(text: str, pos: int, rules: _Rules) -> Optional[str]:
    eol = text.find("\n", pos)
    chunk = text[pos:eol if eol != -1 else min(len(text), pos + 200)][:200]
    words: list[str] = []
    for tok in _WORD_RE.findall(chunk):
        tok = tok.lstrip("\"“'‘")
        if not tok or tok[0] in "([":
            break
        core = tok.rstrip(_TRAIL_PUNCT)
        if not core or core.lower() in rules.source_stop or core[0].isdigit() and not words:
            break
        words.append(core)
        if core != tok or len(words) >= rules.source_max:
            break
    if not words:
        return None
    first = " ".join(words[:2]).lower()
    if not (words[0][0].isupper() or words[0][0].isdigit() or first.startswith(rules.source_heads)):
        return None
    return " ".join(words)


def analyse(text: str) -> Cleaned:
    """Mark the non-body regions of an article text and read the metadata they carry."""
    rules = _rules()
    st = _State()
    lines = []
    for lm in _LINE_RE.finditer(text):
        raw = lm.group()
        stripped = raw.strip()
        if stripped:
            s = lm.start() + (len(raw) - len(raw.lstrip()))
            lines.append((s, s + len(stripped), stripped))

    st.text_len = max(1, len(text))
    body_lines: list[tuple[int, int, str]] = []
    pending_related: Optional[int] = None  # an empty "Baca juga:" waiting for its headline
    for s, e, line in lines:
        if pending_related is not None:
            pending_related = None
            if len(line.split()) <= 15 and not line.rstrip().endswith(_SENTENCE_END) and '"' not in line \
                    and "“" not in line and rules.related.match(line) is None:
                st.meta.related_links.append(line)
                st.add(s, e, "related")
                continue
        st.line_start = s
        kind = _classify(line, st, rules)
        if kind:
            st.add(s, e, kind)
            if kind == "related" and rules.related.match(line).group("head").strip() == "":
                pending_related = s
            continue
        if line.endswith(")"):
            so = rules.signoff.search(line)
            if so:
                st.add(s + so.start("s"), s + so.end("s"), "signoff")
                if so.start("s") == 0:
                    continue
        body_lines.append((s, e, line))

    for s, e, line in body_lines[: rules.dateline_lines]:
        if _dateline(text, s, line, st, rules):
            break

    st.regions.sort(key=lambda r: (r.start, r.end))
    _cited_sources(text, st, rules, st.regions)

    m = st.meta
    if m.outlet is None and st.copyright_owner:
        m.outlet = st.copyright_owner
    if st.copyright_year is not None:
        m.year = st.copyright_year
    elif m.published:
        m.year = int(m.published[:4])
    return Cleaned(metadata=m, excluded=st.regions)
