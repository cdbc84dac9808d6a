"""Safe rendering helpers for the web UI: the Jinja environment, highlighting, charts.

Everything that reaches a page goes through :func:`markupsafe.escape` (Jinja
autoescape or the explicit calls here). Article text is never inserted raw: the
highlighter cuts it at the statement, cue and speaker-mention offsets and
escapes each segment before wrapping it in a ``<mark>``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable, Optional

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

# C0 controls (except tab, newline, carriage return) and DEL are shown as their
# Unicode "control picture" (one character for one, so offsets still line up);
# unpaired surrogates (which cannot be encoded) become U+FFFD.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _visible(ch: str) -> str:
    o = ord(ch)
    if o < 0x20:
        return chr(0x2400 + o)
    if o == 0x7F:
        return "\u2421"
    return "\ufffd"


def show_controls(s: str) -> str:
    """Make control characters visible and harmless, one character for one."""
    return _CONTROL_RE.sub(lambda m: _visible(m.group(0)), s)


def safe_text(value: Any) -> Markup:
    """Escape any value for HTML text or a quoted attribute, controls made visible."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    return escape(show_controls(str(value)))


def _finalize(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return show_controls(value)
    return value


# --------------------------------------------------------------------------- highlighting

_KIND_RE = re.compile(r"^[a-z]{1,20}$")
_RANK = {"stmt": 0, "speaker": 1, "cue": 2}


@dataclass
class _Span:
    start: int
    end: int
    cls: str
    stmts: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)

    def open_tag(self, first: bool, anchor_prefix: Optional[str]) -> str:
        classes = self.cls
        if self.cls == "stmt":
            kind = self.attrs.get("data-kind", "")
            classes += " k-" + (kind if _KIND_RE.match(kind or "") else "other")
        if not first:
            classes += " cont"
        parts = [f'<mark class="{classes}"']
        if first and anchor_prefix is not None and self.cls == "stmt":
            parts.append(f' id="{safe_text(anchor_prefix + self.stmts[0])}"')
        parts.append(f' data-stmt="{safe_text(" ".join(self.stmts))}"')
        for k, v in self.attrs.items():
            if v is not None and v != "":
                parts.append(f' {k}="{safe_text(v)}"')
        parts.append(">")
        return "".join(parts)


def _valid(start: Any, end: Any, n: int) -> bool:
    return (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
            and 0 <= start < end <= n)


def statement_key(st: dict, index: int) -> str:
    """The id used to tie a statement's marks to its table row."""
    sid = st.get("id")
    return str(sid) if sid is not None else str(index + 1)


def highlight(text: str, statements: Iterable[dict], *, anchor_prefix: Optional[str] = "s-") -> Markup:
    """Return ``text`` as escaped HTML with statements, cues and speaker mentions in <mark>s.

    Spans come from the contract's character offsets. Identical spans shared by
    several statements become one mark listing them all in ``data-stmt``; spans
    that cross are split (the continuation gets class ``cont``) so the markup
    always nests. Offsets outside the text are ignored.
    """
    n = len(text)
    spans: dict[tuple[int, int, str], _Span] = {}

    def add(start: Any, end: Any, cls: str, key: str, attrs: dict[str, str]) -> None:
        if not _valid(start, end, n):
            return
        sp = spans.get((start, end, cls))
        if sp is None:
            spans[(start, end, cls)] = _Span(start, end, cls, [key], attrs)
        elif key not in sp.stmts:
            sp.stmts.append(key)

    for i, st in enumerate(statements):
        key = statement_key(st, i)
        speaker = st.get("speaker") or {}
        name = speaker.get("name") or ""
        kind = str(st.get("kind") or "")
        add(st.get("start"), st.get("end"), "stmt", key, {
            "data-kind": kind,
            "data-speaker": name,
            "title": f"{kind} statement" + (f" by {name}" if name else " (speaker unknown)"),
        })
        cue = st.get("cue")
        if isinstance(cue, dict):
            add(cue.get("start"), cue.get("end"), "cue", key,
                {"title": f"cue: {cue.get('text') or ''}"})
        if speaker:
            detail = ", ".join(x for x in (speaker.get("role"), speaker.get("affiliation")) if x)
            add(speaker.get("mention_start"), speaker.get("mention_end"), "speaker", key, {
                "data-speaker": name,
                "title": "speaker: " + (name or speaker.get("mention") or "") + (f" ({detail})" if detail else ""),
            })

    opens: dict[int, list[_Span]] = defaultdict(list)
    bounds = {0, n}
    for sp in spans.values():
        opens[sp.start].append(sp)
        bounds.update((sp.start, sp.end))
    for lst in opens.values():
        lst.sort(key=lambda s: (-s.end, _RANK.get(s.cls, 9)))

    out: list[str] = []
    stack: list[_Span] = []
    pos = 0
    for p in sorted(bounds):
        if p > pos:
            out.append(str(safe_text(text[pos:p])))
            pos = p
        if any(s.end == p for s in stack):
            reopen: list[_Span] = []
            while any(s.end == p for s in stack):
                top = stack.pop()
                out.append("</mark>")
                if top.end != p:
                    reopen.append(top)
            for s in reversed(reopen):
                out.append(s.open_tag(False, anchor_prefix))
                stack.append(s)
        for s in opens.get(p, ()):
            out.append(s.open_tag(True, anchor_prefix))
            stack.append(s)
    while stack:  # only reachable with end == n, closed above; kept for safety
        stack.pop()
        out.append("</mark>")
    return Markup("".join(out))


# --------------------------------------------------------------------------- timeline chart

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")


def parse_day(value: Any) -> Optional[date]:
    """A date from an ISO string (day or month precision) or a date; None otherwise."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    m = _DATE_RE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


def _bin_start(d: date, unit: str) -> date:
    if unit == "day":
        return d
    if unit == "month":
        return d.replace(day=1)
    return date(d.year, 1, 1)


def _next_bin(d: date, unit: str) -> date:
    if unit == "day":
        return d + timedelta(days=1)
    if unit == "month":
        return date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return date(d.year + 1, 1, 1)


def _bin_label(d: date, unit: str) -> str:
    if unit == "day":
        return d.isoformat()
    if unit == "month":
        return d.strftime("%Y-%m")
    return str(d.year)


def timeline_chart(points: Iterable[dict], *, width: int = 720, height: int = 170) -> Optional[dict]:
    """Geometry of a bar chart of statement counts over time (rendered as SVG by a template).

    ``points`` are ``{"date": ISO, "count": int}``. Bars are per day for spans up
    to two months, per month up to four years, per year beyond; empty bins are
    kept so gaps in time show. Returns None when no point has a usable date.
    """
    counts: dict[date, int] = {}
    for pt in points:
        d = parse_day(pt.get("date"))
        if d is None:
            continue
        counts[d] = counts.get(d, 0) + int(pt.get("count") or 0)
    if not counts:
        return None
    lo, hi = min(counts), max(counts)
    span = (hi - lo).days
    unit = "day" if span <= 62 else "month" if span <= 4 * 366 else "year"
    binned: dict[date, int] = defaultdict(int)
    for d, c in counts.items():
        binned[_bin_start(d, unit)] += c
    bins = []
    b = _bin_start(lo, unit)
    end = _bin_start(hi, unit)
    while b <= end:
        bins.append((b, binned.get(b, 0)))
        b = _next_bin(b, unit)
    # a lone bin gets neighbours so the bar is not the full width
    if len(bins) == 1:
        only = bins[0][0]
        prev = _bin_start(only - timedelta(days=1), unit)
        bins = [(prev, 0), bins[0], (_next_bin(only, unit), 0)]
    left, right, top, bottom = 34, 8, 10, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    ymax = max(c for _, c in bins) or 1
    slot = plot_w / len(bins)
    bar_w = max(1.0, slot * 0.8)
    bars = []
    for i, (d, c) in enumerate(bins):
        h = plot_h * c / ymax
        bars.append({
            "x": round(left + i * slot + (slot - bar_w) / 2, 2), "y": round(top + plot_h - h, 2),
            "w": round(bar_w, 2), "h": round(h, 2), "count": c, "label": _bin_label(d, unit),
        })
    step = max(1, -(-len(bins) // 8))
    ticks = [{"x": round(left + i * slot + slot / 2, 2), "label": _bin_label(d, unit)}
             for i, (d, _) in enumerate(bins) if i % step == 0]
    return {
        "width": width, "height": height, "left": left, "top": top, "plot_w": plot_w,
        "plot_h": plot_h, "base_y": top + plot_h, "ymax": ymax, "unit": unit, "bars": bars,
        "ticks": ticks, "total": sum(counts.values()),
        "first": min(counts).isoformat(), "last": max(counts).isoformat(),
    }


def spread_chart(members: Iterable[dict], *, width: int = 720) -> Optional[dict]:
    """Geometry of a dot chart: one row per outlet, one dot per report over time."""
    rows: dict[str, list[date]] = {}
    for m in members:
        d = parse_day(m.get("date"))
        if d is None:
            continue
        rows.setdefault(str(m.get("outlet") or "(unknown outlet)"), []).append(d)
    if not rows:
        return None
    all_days = [d for ds in rows.values() for d in ds]
    lo, hi = min(all_days), max(all_days)
    span = max((hi - lo).days, 1)
    left, right, top, row_h = 150, 16, 10, 24
    plot_w = width - left - right
    outlets = sorted(rows, key=lambda o: (min(rows[o]), o))
    dots, labels = [], []
    for r, outlet in enumerate(outlets):
        y = top + r * row_h + row_h / 2
        labels.append({"y": round(y + 4, 2), "text": outlet[:22] + ("…" if len(outlet) > 22 else "")})
        for d in sorted(rows[outlet]):
            x = left + 12 + (plot_w - 24) * ((d - lo).days / span if hi != lo else 0.5)
            dots.append({"x": round(x, 2), "y": round(y, 2), "label": f"{outlet}: {d.isoformat()}"})
    height = top + len(outlets) * row_h + 24
    return {"width": width, "height": height, "left": left, "plot_w": plot_w, "dots": dots,
            "labels": labels, "base_y": top + len(outlets) * row_h,
            "first": lo.isoformat(), "last": hi.isoformat()}


# --------------------------------------------------------------------------- environment

def _trunc(value: Any, n: int = 160) -> str:
    s = "" if value is None else str(value)
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def _stmt_date(st: dict) -> str:
    d = st.get("date") or {}
    return st.get("date_value") or (d.get("value") if isinstance(d, dict) else None) or ""


def _http_url(value: Any) -> Optional[str]:
    """The value if it is an http(s) address (so no javascript: links), else None."""
    if not isinstance(value, str):
        return None
    v = value.strip()
    return v if re.match(r"^https?://[^\s]+$", v, re.I) and not _CONTROL_RE.search(v) else None


def make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,  # every template, whatever its name
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["trunc"] = _trunc
    env.filters["stmt_date"] = _stmt_date
    env.filters["http_url"] = _http_url
    env.globals["statement_key"] = statement_key
    return env
