"""Score extracted statements against gold statements. Pure: dicts in, figures out, no I/O.

A gold article is the parsed ``NAME.json`` gold file (docs/evaluation.md); a prediction is
the parsed output of ``kutip extract --format json`` (the statements-json contract), or
``None`` for an article with no prediction (nothing found). ``text`` is the article text
the offsets index into.

The semantics are those of the project's reference scorer (``score_statements.py`` in
the shared folder), figure for figure:

- predictions overlapping an ``optional`` gold text (its first occurrence in the article)
  with intersection/union >= 0.5 are set aside before anything is counted;
- a prediction and a gold statement match when their character ranges overlap with
  intersection/union >= 0.5; pairs are taken greedily, best overlap first, one to one
  (ties: later gold statement, then later prediction, first);
- a prediction's range is its ``start``/``end``; without them, the first occurrence of
  its ``text`` in the article (a prediction that cannot be placed matches nothing);
- names, roles and affiliations are compared case-folded with whitespace collapsed;
  the speaker is right when it equals the gold speaker or one of its ``speaker_aliases``;
  the role is right when either contains the other (an empty predicted role never is);
  the affiliation when it equals one of the gold's accepted forms; the date when the
  predicted ISO value equals the gold one.

``not_statements`` (page text that must never come out as a statement) do not change the
figures: a prediction on one is already a spurious statement. They are counted apart
(how many of them some spurious prediction overlaps) so that a page's chrome leaking
into the output is visible.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

CONTEXT_FIELDS = ("date", "role", "affiliation")
# the order --errors lists the classes in
ERROR_CLASSES = ("wrong-speaker", "missed", "spurious", "wrong-role", "wrong-affiliation", "wrong-date")
MATCH_IOU = 0.5
EXCERPT = 70

Range = tuple[int, int]


def norm(value: Optional[str]) -> str:
    """Case-folded, whitespace collapsed and stripped; None is the empty string."""
    return re.sub(r"\s+", " ", (value or "")).strip().casefold()


def overlap(a: Range, b: Range) -> float:
    """Intersection over union of two character ranges (end exclusive)."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _speaker(stmt: dict) -> dict:
    sp = stmt.get("speaker")
    return sp if isinstance(sp, dict) else {}


def pred_speaker(stmt: dict) -> Optional[str]:
    """The predicted speaker's name: ``speaker.name``, or ``speaker`` itself when it is a string."""
    sp = stmt.get("speaker")
    if isinstance(sp, dict):
        return sp.get("name")
    return sp


def pred_date(stmt: dict) -> Optional[str]:
    d = stmt.get("date")
    return (d or {}).get("value") if isinstance(d, dict) else d


def pred_range(stmt: dict, text: str) -> Optional[Range]:
    if isinstance(stmt.get("start"), int) and isinstance(stmt.get("end"), int):
        return stmt["start"], stmt["end"]
    t = stmt.get("text") or ""
    i = text.find(t) if t else -1
    return (i, i + len(t)) if i >= 0 else None


def _occurrences(text: str, needle: str) -> list[Range]:
    if not needle:
        return []
    out, i = [], text.find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return out


def excerpt(text: Optional[str], n: int = EXCERPT) -> str:
    t = re.sub(r"\s+", " ", text or "").strip()
    return t if len(t) <= n else t[: n - 1] + "…"


@dataclass
class Miss:
    """One error: its class, where, the text, and the gold vs the predicted value."""

    kind: str  # one of ERROR_CLASSES
    article: str
    text: str  # the gold statement's text (the prediction's, for spurious ones)
    start: int  # where it sits in the article, for ordering (-1: unknown)
    gold: Any = None
    predicted: Any = None
    note: Optional[str] = None  # e.g. "a not_statement" for spurious page chrome

    def as_dict(self) -> dict:
        return {"class": self.kind, "article": self.article, "text": self.text, "start": self.start,
                "gold": self.gold, "predicted": self.predicted, **({"note": self.note} if self.note else {})}


@dataclass
class ArticleScore:
    name: str
    gold: int = 0  # gold statements
    pred: int = 0  # predictions, after the optional ones were set aside
    matched: int = 0
    right_speaker: int = 0
    set_aside: int = 0  # predictions on optional texts
    context: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in CONTEXT_FIELDS})
    not_statements: list[int] = field(default_factory=lambda: [0, 0])  # [produced, listed]
    errors: list[Miss] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"gold": self.gold, "pred": self.pred, "matched": self.matched, "right_speaker": self.right_speaker}


@dataclass
class Report:
    articles: list[ArticleScore]

    def _sum(self, attr: str) -> int:
        return sum(getattr(a, attr) for a in self.articles)

    @property
    def gold(self) -> int:
        return self._sum("gold")

    @property
    def pred(self) -> int:
        return self._sum("pred")

    @property
    def matched(self) -> int:
        return self._sum("matched")

    @property
    def right_speaker(self) -> int:
        return self._sum("right_speaker")

    @property
    def detection(self) -> tuple[float, float, float]:
        return prf(self.matched, self.pred, self.gold)

    @property
    def attribution(self) -> float:
        return self.right_speaker / self.matched if self.matched else 0.0

    @property
    def e2e(self) -> tuple[float, float, float]:
        return prf(self.right_speaker, self.pred, self.gold)

    @property
    def context(self) -> dict[str, tuple[int, int]]:
        """Per field: (right, gold statements matched that give one)."""
        return {k: (sum(a.context[k][0] for a in self.articles), sum(a.context[k][1] for a in self.articles))
                for k in CONTEXT_FIELDS}

    @property
    def not_statements(self) -> tuple[int, int]:
        return (sum(a.not_statements[0] for a in self.articles), sum(a.not_statements[1] for a in self.articles))

    @property
    def errors(self) -> list[Miss]:
        """Every error, by class (ERROR_CLASSES order), then article, then position."""
        order = {k: i for i, k in enumerate(ERROR_CLASSES)}
        return sorted((m for a in self.articles for m in a.errors),
                      key=lambda m: (order[m.kind], m.article, m.start))

    def as_dict(self, errors: bool = False) -> dict:
        """The reference scorer's JSON figures, plus context counts and the not_statements count."""
        out = {"gold": self.gold, "pred": self.pred, "matched": self.matched, "right_speaker": self.right_speaker,
               "detection": dict(zip("prf", self.detection)), "attribution_accuracy": self.attribution,
               "e2e": dict(zip("prf", self.e2e)),
               "context": {k: (r / n if n else None) for k, (r, n) in self.context.items()},
               "context_counts": {k: {"right": r, "of": n} for k, (r, n) in self.context.items()},
               "optional_set_aside": self._sum("set_aside"),
               "not_statements": dict(zip(("produced", "listed"), self.not_statements)),
               "articles": {a.name: a.as_dict() for a in self.articles}}
        if errors:
            out["errors"] = [m.as_dict() for m in self.errors]
        return out


def score_article(gold: dict, pred: Optional[dict], text: str, name: str = "") -> ArticleScore:
    """Score one article's prediction (None: no prediction) against its gold."""
    golds = gold.get("statements") or []
    preds = list((pred.get("statements") or []) if pred else [])
    res = ArticleScore(name=name)

    optional = []
    for t in gold.get("optional") or []:
        i = text.find(t)
        if i >= 0:
            optional.append((i, i + len(t)))
    if optional:
        def is_optional(p: dict) -> bool:
            r = pred_range(p, text)
            return r is not None and any(overlap(r, o) >= MATCH_IOU for o in optional)
        kept = [p for p in preds if not is_optional(p)]
        res.set_aside = len(preds) - len(kept)
        preds = kept

    granges = [(g["start"], g["end"]) for g in golds]
    pranges = [pred_range(p, text) for p in preds]
    pairs = []
    for i, gr in enumerate(granges):
        for j, pr in enumerate(pranges):
            if pr is None:
                continue
            o = overlap(gr, pr)
            if o >= MATCH_IOU:
                pairs.append((o, i, j))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    matches = []
    for _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        matches.append((i, j))

    def miss(kind: str, g: dict, gv: Any, pv: Any) -> Miss:
        return Miss(kind, name, g.get("text") or "", g["start"], gv, pv)

    for i, j in sorted(matches):
        g, p = golds[i], preds[j]
        sp = _speaker(p)
        if g.get("date"):
            res.context["date"][1] += 1
            ok = pred_date(p) == g["date"]
            res.context["date"][0] += ok
            if not ok:
                res.errors.append(miss("wrong-date", g, g["date"], pred_date(p)))
        if g.get("role"):
            res.context["role"][1] += 1
            pr, gr = norm(sp.get("role")), norm(g["role"])
            ok = bool(pr) and (pr in gr or gr in pr)
            res.context["role"][0] += ok
            if not ok:
                res.errors.append(miss("wrong-role", g, g["role"], sp.get("role")))
        if g.get("affiliation"):
            res.context["affiliation"][1] += 1
            ok = norm(sp.get("affiliation")) in {norm(a) for a in g["affiliation"]}
            res.context["affiliation"][0] += ok
            if not ok:
                res.errors.append(miss("wrong-affiliation", g, list(g["affiliation"]), sp.get("affiliation")))
        names = {norm(g.get("speaker"))} | {norm(a) for a in g.get("speaker_aliases") or []}
        if norm(pred_speaker(p)) in names:
            res.right_speaker += 1
        else:
            res.errors.append(miss("wrong-speaker", g, g.get("speaker"), pred_speaker(p)))

    for i, g in enumerate(golds):
        if i not in used_g:
            res.errors.append(miss("missed", g, g.get("speaker"), None))

    chrome = [(k, r) for k, t in enumerate(gold.get("not_statements") or []) for r in _occurrences(text, t)]
    produced: set[int] = set()
    for j, p in enumerate(preds):
        if j in used_p:
            continue
        r = pranges[j]
        hit = {k for k, c in chrome if r is not None and min(r[1], c[1]) > max(r[0], c[0])}
        produced |= hit
        res.errors.append(Miss("spurious", name, p.get("text") or "", r[0] if r else -1, None, pred_speaker(p),
                               "a not_statement" if hit else None))

    res.gold, res.pred, res.matched = len(golds), len(preds), len(matches)
    res.not_statements = [len(produced), len(gold.get("not_statements") or [])]
    return res


def score_corpus(cases: Iterable[tuple[str, dict, Optional[dict], str]]) -> Report:
    """Score (name, gold, prediction or None, article text) tuples; the report sums them."""
    return Report([score_article(g, p, t, name=n) for n, g, p, t in cases])


def format_report(report: Report) -> str:
    """The figures as the reference scorer prints them (its lines, in its order), plus not_statements."""
    det, e2e = report.detection, report.e2e
    ns = report.not_statements
    return "\n".join([
        f"articles={len(report.articles)} gold={report.gold} pred={report.pred} matched={report.matched} "
        f"right_speaker={report.right_speaker}",
        "detection   P=%.4f R=%.4f F1=%.4f" % det,
        "attribution accuracy=%.4f" % report.attribution,
        "context     " + " ".join(f"{k}={r}/{n}" for k, (r, n) in report.context.items()),
        "e2e         P=%.4f R=%.4f F1=%.4f" % e2e,
        f"not_statements produced={ns[0]}/{ns[1]}",
        "e2e_f1=%.4f" % e2e[2],
    ])


def _value(v: Any) -> str:
    if v is None or v == "" or v == []:
        return "(none)"
    if isinstance(v, list):
        return "one of " + " | ".join(map(str, v))
    return str(v)


def format_errors(report: Report) -> str:
    """Every error, grouped by class: article, text excerpt, gold vs predicted value."""
    errors = report.errors
    lines: list[str] = []
    for kind in ERROR_CLASSES:
        group = [m for m in errors if m.kind == kind]
        if not group:
            continue
        if lines:
            lines.append("")
        lines.append(f"{kind} ({len(group)})")
        for m in group:
            lines.append(f"  {m.article}  \"{excerpt(m.text)}\"")
            if kind == "spurious":
                detail = f"predicted speaker: {_value(m.predicted)}"
                if m.note:
                    detail += f" ({m.note})"
            elif kind == "missed":
                detail = f"gold speaker: {_value(m.gold)}"
            else:
                detail = f"gold: {_value(m.gold)}  predicted: {_value(m.predicted)}"
            lines.append("      " + detail)
    return "\n".join(lines) if lines else "no errors"
