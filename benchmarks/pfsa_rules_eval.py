"""Measure the rule engine's direct-quotation detection and local attribution on PFSA-ID.

PFSA-ID labels direct quotations (STATEMENT, marks included), their cue (CUE,
CUECOREF) and the speaker mention beside the cue (PERSON, PERSONCOREF). This
script rebuilds each article's text from its tokens, runs kutip's extractor, and
reports:
  detection    P/R/F1 of direct statements (character overlap IoU >= 0.5)
  mention      share of matched statements whose speaker mention equals the gold
               mention beside the gold cue ("nya" for "ujarnya")
  full name    a short mention ("Roland") resolved to the article's full PERSON name
  role, affiliation
               the resolved speaker's role / affiliation equal to the gold ROLE /
               AFFILIATION spans beside that person's PERSON span
Usage: python benchmarks/pfsa_rules_eval.py ../shared/data/pfsa-id [--limit N] [--show K]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kutip.core.attribute.engine import analyse, attribute
from kutip.tagger.conll import spans
from kutip.tagger import load_model
from kutip.tagger.corpus import fold_of, load_corpus
from kutip.tagger.rule_features import detokenise

QUOTES = set('"“”')


def overlap(a, b):
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def gold_items(labels, offs, text):
    sp = sorted(spans(labels), key=lambda s: s[1])
    stmts = [s for s in sp if s[0] == "STATEMENT"]
    cues = [s for s in sp if s[0] in ("CUE", "CUECOREF")]
    people = [s for s in sp if s[0] in ("PERSON", "PERSONCOREF")]
    items = []
    for _, a, b in stmts:
        near = [c for c in cues if 0 <= c[1] - b <= 2] or [c for c in cues if 0 <= a - c[2] <= 6]
        mention = None
        if near:
            c = near[0]
            if c[0] == "CUECOREF":
                mention = "nya"
            else:
                ps = [p for p in people if p[1] == c[2] or p[2] == c[1]]
                if ps:
                    p = ps[0]
                    mention = text[offs[p[1]][0]:offs[p[2] - 1][1]]
        # strip the marks: kutip's direct statements exclude them
        s, e = offs[a][0], offs[b - 1][1]
        if text[s] in QUOTES:
            s += 1
        if text[e - 1] in QUOTES:
            e -= 1
        items.append(((s, e), mention))
    full = [text[offs[p[1]][0]:offs[p[2] - 1][1]] for p in people if p[0] == "PERSON"]
    return items, full, _person_profiles(sp, offs, text)


def _person_profiles(sp, offs, text) -> list[tuple[str, str | None, str | None]]:
    """(full name, role, affiliation) for each gold PERSON: the ROLE / AFFILIATION spans
    right before it ("Kepala Dinas X Budi") or right after it ("Budi, Kepala Dinas X")."""
    def txt(s):
        return text[offs[s[1]][0]:offs[s[2] - 1][1]]

    persons = [s for s in sp if s[0] == "PERSON"]
    out = []
    for p in persons:
        got = {}
        for label in ("ROLE", "AFFILIATION"):
            near = [s for s in sp if s[0] == label and (0 <= p[1] - s[2] <= 6 or 0 <= s[1] - p[2] <= 8)
                    and not any(q != p and (s[2] <= q[1] < p[1] or p[2] <= q[1] < s[1]) for q in persons)]
            if near:
                got[label] = txt(min(near, key=lambda s: min(abs(p[1] - s[2]), abs(s[1] - p[2]))))
        out.append((txt(p), got.get("ROLE"), got.get("AFFILIATION")))
    return out


def _norm(s: str | None) -> str:
    return " ".join((s or "").replace(" (", " ( ").replace(")", " )").split()).casefold()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--show", type=int, default=0, help="print K misses and spurious finds")
    ap.add_argument("--model", help="tagger model directory: its spans refine speakers (the combination)")
    ap.add_argument("--fold", help="K/N: only articles of fold K of N (those a CV model did not train on)")
    a = ap.parse_args()
    arts, stats = load_corpus(Path(a.data))
    if a.fold:
        k, n = (int(x) for x in a.fold.split("/"))
        arts = [x for x in arts if fold_of(x, n) == k]
    if a.limit:
        arts = arts[: a.limit]
    tagger = load_model(a.model) if a.model else None
    tp = n_gold = n_pred = m_ok = m_seen = n_ok = n_seen = 0
    ra_ok = {"role": 0, "affiliation": 0}
    ra_seen = {"role": 0, "affiliation": 0}
    shown = 0
    t0 = time.perf_counter()
    for art in arts:
        tokens = [t for s in art.sentences for t in s.tokens]
        labels = [l for s in art.sentences for l in s.labels]
        text, offs = detokenise(tokens)
        gold, full_names, profiles = gold_items(labels, offs, text)
        analysis = analyse(text, [])
        statements = attribute(analysis)
        if tagger is not None and analysis.toks:
            statements = attribute(analysis, tagger.refine(analysis, statements))
        pred = [s for s in statements if s.kind == "direct"]
        n_gold += len(gold)
        n_pred += len(pred)
        used = set()
        for (gs, ge), mention in gold:
            best = max(((overlap((gs, ge), (p.start, p.end)), j) for j, p in enumerate(pred) if j not in used),
                       default=(0, None))
            if best[0] >= 0.5:
                used.add(best[1])
                tp += 1
                p = pred[best[1]]
                if mention:
                    m_seen += 1
                    got = p.speaker.mention if p.speaker else None
                    ok = (got or "").casefold() == mention.casefold()
                    m_ok += ok
                    # a short name must resolve to the full PERSON name the article gives
                    if mention[:1].isupper() and " " not in mention:
                        longer = [f for f in full_names if mention.casefold() in f.casefold().split() and f.casefold() != mention.casefold()]
                        if longer:
                            n_seen += 1
                            nm = (p.speaker.name if p.speaker else None) or ""
                            good = bool(nm) and " " in nm and any(nm.casefold() in f.casefold() for f in longer)
                            n_ok += good
                            if not good and shown < a.show:
                                shown += 1
                                print(f"NAME mention={mention!r} got={nm!r} gold∈{longer[:3]}")
                    # the speaker's role and affiliation, as the corpus draws their edges
                    words = set(mention.casefold().split())
                    prof = next((x for x in profiles if words <= set(x[0].casefold().split())), None)
                    if prof and p.speaker:
                        for key, gold_value, got_value in (("role", prof[1], p.speaker.role),
                                                           ("affiliation", prof[2], p.speaker.affiliation)):
                            if gold_value:
                                ra_seen[key] += 1
                                same = _norm(gold_value) == _norm(got_value)
                                ra_ok[key] += same
                                if not same and shown < a.show:
                                    shown += 1
                                    print(f"{key.upper()} gold={gold_value!r} got={got_value!r}")
                    if not ok and shown < a.show:
                        shown += 1
                        print(f"MENTION gold={mention!r} got={got!r} :: {text[max(0, ge - 20):ge + 60]!r}")
            elif shown < a.show:
                shown += 1
                print(f"MISSED {text[max(0, gs - 60):ge + 40]!r}")
        for j, p in enumerate(pred):
            if j not in used and shown < a.show:
                shown += 1
                print(f"SPURIOUS {text[max(0, p.start - 60):p.end + 40]!r}")
    dt = time.perf_counter() - t0
    P = tp / n_pred if n_pred else 0
    R = tp / n_gold if n_gold else 0
    F = 2 * P * R / (P + R) if P + R else 0
    print(f"articles={len(arts)} gold={n_gold} pred={n_pred} matched={tp} ({dt:.1f}s)")
    print(f"direct detection P={P:.4f} R={R:.4f} F1={F:.4f}")
    print(f"speaker mention accuracy={m_ok / m_seen if m_seen else 0:.4f} ({m_ok}/{m_seen})")
    print(f"short name -> full name accuracy={n_ok / n_seen if n_seen else 0:.4f} ({n_ok}/{n_seen})")
    for key in ("role", "affiliation"):
        print(f"speaker {key} exact (corpus edges)={ra_ok[key] / ra_seen[key] if ra_seen[key] else 0:.4f} "
              f"({ra_ok[key]}/{ra_seen[key]})")


if __name__ == "__main__":
    sys.exit(main())
