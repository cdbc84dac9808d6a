"""Find date expressions in Indonesian news text and resolve them to ISO 8601.

News dates are mostly partial: "Rabu (18/1)" has no year, "kemarin" and
"Kamis lalu" only mean something against the article's publication date. We
resolve against ``published`` when known, else an article ``year``, else keep
what is certain ("--10-26") or None, and never invent a year.

Words (months, days, relative expressions) come from core/lexicons/dates.json.
"""
from __future__ import annotations

from kutip.core.regions import Regions

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from kutip.core import lexicons
from typing import Optional, Union

__all__ = ["DateMention", "find_dates", "parse_published"]

# How far after the publication date a year-less day may fall before we take
# it to mean last year ("(30/12)" in an article of 2 January). Articles do
# announce near-future events ("Senin (23/1)" in a Saturday article).
_FUTURE_SLACK = timedelta(days=7)


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    value: Optional[str]


def _alt(words) -> str:
    """Regex alternation, longest first so 'kemarin lusa' wins over 'kemarin'."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _cap_forms(words) -> list[str]:
    out = []
    for w in words:
        out += [w[:1].upper() + w[1:], w.upper()]
    return out


class _Lex:
    """The dates lexicon plus the regexes compiled from it (built once per process)."""

    def __init__(self, data: dict) -> None:
        self.month_of = {a: int(m) for m, aliases in data["months"].items() for a in aliases}
        self.day_of = {a: int(d) for d, aliases in data["days"].items() for a in aliases}
        self.rel_day = data["relative_days"]
        self.rel_week = data["relative_weeks"]
        self.rel_month = data["relative_months"]
        self.rel_year = data["relative_years"]
        self.past = set(data["past_words"])
        self.future = set(data["future_words"])
        self.present = set(data["present_words"])
        self.quantity = set(data["quantity_words"])
        self.full_months = [aliases[0] for aliases in data["months"].values()]

        months = _alt(self.month_of)
        # "Mei lalu" but not "Jan lalu": only the full names (first alias, plus long aliases)
        full_months = _alt({aliases[0] for aliases in data["months"].values()} | {a for a in self.month_of if len(a) > 4})
        days = _alt(_cap_forms(self.day_of))
        tod = _alt(data["times_of_day"])
        when = _alt(self.past | self.future | self.present)
        week = _alt(data["week_words"])
        wd = rf"(?P<wd>{days})(?!\w)"
        wd_prefix = rf"(?:{wd}(?:\s+(?i:{tod}))?\s*,?\s*)?"
        self.patterns: list[tuple[str, re.Pattern]] = [
            # Rabu (18/1), (26/10/2022), Rabu malam (18/1/23)
            ("num", re.compile(rf"{wd_prefix}\((?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>\d{{4}}|\d{{2}}))?\)")),
            # 26/10/2022, 26-10-2022 (a four-digit year is required: bare 18/1 may be a score)
            ("num", re.compile(rf"{wd_prefix}(?<![\w/.,-])(?P<d>\d{{1,2}})(?P<sep>[/-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}})(?![\w/-])")),
            # 2023-01-18 (also the date part of 2023-01-18T10:15)
            ("num", re.compile(r"(?<![\w/.-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")),
            # 18 Januari 2023, Senin, 18 Jan 2023, Rabu (18 Januari 2023), 18 Januari
            ("dmy", re.compile(
                rf"(?:{wd}(?:\s+(?i:{tod}))?(?:\s*,\s*|\s*(?P<open>\()\s*|\s+))?(?<![\w.,])(?P<d>\d{{1,2}})\s+"
                rf"(?P<mon>(?i:{months}))(?!\w)(?:\.?\s+(?P<y>\d{{4}})(?!\d))?(?(open)\s*\))")),
            # January 18, 2023 (English order, seen in metadata and wire copy)
            ("dmy", re.compile(rf"(?<![\w])(?P<mon>(?i:{months}))\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})(?!\d)")),
            # Januari 2023
            ("my", re.compile(rf"(?<![\w])(?P<mon>(?i:{months}))\.?\s+(?P<y>\d{{4}})(?![\d])")),
            # Januari lalu, Mei mendatang
            ("mrel", re.compile(rf"(?<![\w])(?P<mon>(?i:{full_months}))\s+(?P<rel>(?i:{when}))(?!\w)")),
            # kemarin, pekan lalu, tahun depan ... (before weekday so "Minggu lalu" is a week)
            ("rel", re.compile(rf"(?<![\w])(?P<rel>(?i:{_alt([*self.rel_day, *self.rel_week, *self.rel_month, *self.rel_year])}))(?!\w)")),
            # Kamis, pada Kamis, Kamis lalu, Kamis pekan lalu, Kamis malam
            ("wd", re.compile(
                rf"(?<![\w]){wd}(?:\s+(?P<tod>(?i:{tod}))(?!\w))?(?:\s+(?P<wk>(?i:{week}))\s+(?P<wkrel>(?i:{when}))(?!\w)"
                rf"|\s+(?P<rel>(?i:{when}))(?!\w))?")),
        ]
        self.prev_word = re.compile(r"(\w+)\W*$")
        # Running nine alternation-heavy regexes over a whole article is slow in
        # Python (~2 ms per 4 KB); instead we tokenise once and try the patterns
        # only where a token could start a date (a digit, a month, a day or a
        # relative word): ~10x faster.
        first = re.compile(r"\w+")
        self.triggers = {first.match(w).group() for w in [*self.month_of, *self.day_of, *self.rel_day,
                                                          *self.rel_week, *self.rel_month, *self.rel_year]}
        self.token = re.compile(r"\d+|[^\W\d_]+")


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    return _Lex(lexicons.document("dates"))


def _valid(y: int, m: int, d: int) -> Optional[date]:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year4(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        return 2000 + n if n < 70 else 1900 + n
    return n


def _day_month(d: int, m: int, published: Optional[date], year: Optional[int]) -> Optional[str]:
    """ISO value for a day and month without a year; None when no such day exists."""
    if _valid(2000, m, d) is None:  # 2000 is a leap year: only truly impossible days fail
        return None
    if published is not None:
        for y in (published.year, published.year - 1):
            cand = _valid(y, m, d)
            if cand is not None and cand <= published + _FUTURE_SLACK:
                return cand.isoformat()
        return f"--{m:02d}-{d:02d}"
    if year is not None:
        cand = _valid(year, m, d)
        return cand.isoformat() if cand else f"--{m:02d}-{d:02d}"
    return f"--{m:02d}-{d:02d}"


def _shift_month(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _week(d: date) -> str:
    iy, iw, _ = d.isocalendar()
    return f"{iy}-W{iw:02d}"


_Sentinel = object()


def _value(lex: _Lex, kind: str, m: re.Match, published: Optional[date], year: Optional[int]):
    """The ISO value of one match, None if unresolvable, or _Sentinel to drop an invalid date."""
    g = m.groupdict()
    if kind in ("num", "dmy"):
        d = int(g["d"])
        mon = int(g["m"]) if kind == "num" else lex.month_of[g["mon"].lower()]
        if g.get("y"):
            y = _year4(g["y"])
            cand = _valid(y, mon, d) if 1800 <= y <= 2200 else None
            return cand.isoformat() if cand else _Sentinel
        v = _day_month(d, mon, published, year)
        return _Sentinel if v is None else v
    if kind == "my":
        y = int(g["y"])
        return f"{y:04d}-{lex.month_of[g['mon'].lower()]:02d}" if 1800 <= y <= 2200 else _Sentinel
    if kind == "mrel":
        if published is None:
            return None
        mon, rel = lex.month_of[g["mon"].lower()], g["rel"].lower()
        if rel in lex.past:
            y = published.year if mon < published.month else published.year - 1
        elif rel in lex.future:
            y = published.year if mon > published.month else published.year + 1
        else:
            y = published.year
        return f"{y:04d}-{mon:02d}"
    if kind == "rel":
        phrase = " ".join(g["rel"].lower().split())
        if phrase not in lex.rel_day:
            # "dua tahun lalu" is two years ago, not last year: not ours to resolve
            before = lex.prev_word.search(m.string, max(0, m.start() - 25), m.start())
            if before and (before.group(1).isdigit() or before.group(1).lower() in lex.quantity):
                return _Sentinel
        if published is None:
            return None
        if phrase in lex.rel_day:
            return (published + timedelta(days=lex.rel_day[phrase])).isoformat()
        if phrase in lex.rel_week:
            return _week(published + timedelta(weeks=lex.rel_week[phrase]))
        if phrase in lex.rel_month:
            y, mo = _shift_month(published.year, published.month, lex.rel_month[phrase])
            return f"{y:04d}-{mo:02d}"
        return str(published.year + lex.rel_year[phrase])
    # weekday
    if published is None:
        return None
    wd = lex.day_of[g["wd"].lower()]
    if g.get("wk"):
        rel = g["wkrel"].lower()
        shift = -1 if rel in lex.past else 1 if rel in lex.future else 0
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=shift)
        return (monday + timedelta(days=wd)).isoformat()
    rel = (g.get("rel") or "").lower()
    if rel in lex.future:
        ahead = (wd - published.weekday()) % 7 or 7
        return (published + timedelta(days=ahead)).isoformat()
    if rel in lex.present:
        return (published - timedelta(days=published.weekday()) + timedelta(days=wd)).isoformat()
    return (published - timedelta(days=(published.weekday() - wd) % 7)).isoformat()


def find_dates(text: str, start: int = 0, end: Optional[int] = None, *,
               published: Union[date, str, None] = None, year: Optional[int] = None) -> list[DateMention]:
    """All date mentions in text[start:end], offsets into text, sorted; overlaps keep the longest.

    ``published`` (a date, or anything parse_published accepts) anchors year-less
    and relative dates; ``year`` (e.g. from a copyright line) is the fallback
    for year-less days only. Relative words with no anchor keep value None.
    """
    lex = _lex()
    if end is None:
        end = len(text)
    if published is not None and not isinstance(published, date):
        published = parse_published(published)
    elif isinstance(published, datetime):
        published = published.date()
    anchors: list[int] = []
    triggers = lex.triggers
    for tok in lex.token.finditer(text, start, end):
        p = tok.start()
        if text[p].isdigit():
            if p > start and text[p - 1] == "(":
                anchors.append(p - 1)
            anchors.append(p)
        elif tok.group().lower() in triggers:
            anchors.append(p)
    cands = []
    for a in anchors:
        for prio, (kind, rx) in enumerate(lex.patterns):
            m = rx.match(text, a, end)
            if m is not None and m.end() > m.start():
                cands.append((m.start(), -m.end(), prio, kind, m))
    cands.sort(key=lambda c: c[:3])
    out: list[DateMention] = []
    last_end = start
    for s, neg_e, _prio, kind, m in cands:
        e = -neg_e
        if s < last_end:
            continue
        value = _value(lex, kind, m, published, year)
        last_end = e
        if value is _Sentinel:
            # an impossible "30 Februari 2023" must not leave "Februari 2023" behind
            continue
        out.append(DateMention(s, e, text[s:e], value))
    return out


_ISO_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_FULL_ISO_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}$")


def parse_published(value) -> Optional[date]:
    """A publication date from a date/datetime, an ISO string or an Indonesian date line; None if none.

    Accepts e.g. "2023-01-18", "2023-01-18T10:15:00+07:00", "18 Januari 2023",
    "Rabu, 18 Januari 2023 10:15 WIB", "18/01/2023, 10:15 WIB".
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    m = _ISO_RE.match(value)
    if m:
        got = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if got:
            return got
    for mention in find_dates(value):
        if mention.value and _FULL_ISO_VALUE.match(mention.value):
            return date.fromisoformat(mention.value)
    return None


_YEARLESS = re.compile(r"--(\d{2})-(\d{2})$")


def estimate_article_date(text: str, excluded: list[tuple[int, int]] = (), *, year: Optional[int] = None,
                          today: Optional[date] = None) -> Optional[str]:
    """Roughly when an article without a published date was written, for timelines.

    The latest full date the body mentions; failing that, a day named with its weekday
    ("Rabu (26/10)") placed in the most recent year, within ten years before ``today``,
    where that day falls on that weekday (in ``year`` when the article's year is known).
    None when the text gives no such clue. Statements keep their own year-less values:
    this is an estimate of the article, not a reading of the text.
    """
    lex = _lex()
    today = today or date.today()
    full: list[date] = []
    guessed: list[date] = []
    boiler = Regions(excluded)
    for m in find_dates(text, year=year):
        if boiler.contains(m.start) or not m.value:
            continue
        if _FULL_ISO_VALUE.match(m.value):
            d = date.fromisoformat(m.value)
            if d <= today:
                full.append(d)
            continue
        ym = _YEARLESS.match(m.value)
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", m.text)]
        wd = next((lex.day_of[w] for w in words if w in lex.day_of), None)
        if ym is None or wd is None:
            continue
        month, day = int(ym.group(1)), int(ym.group(2))
        for y in range(today.year, today.year - 11, -1):
            d = _valid(y, month, day)
            if d is not None and d <= today and d.weekday() == wd:
                guessed.append(d)
                break
    pool = full or guessed
    return max(pool).isoformat() if pool else None
