"""Excluded regions: logarithmic queries with the semantics of the linear scans they replace."""
import random

from kutip.core.regions import Regions


def brute(spans):
    return {
        "contains": lambda p: any(a <= p < b for a, b in spans),
        "covers": lambda s, e: any(a <= s and e <= b for a, b in spans),
        "overlaps": lambda s, e: any(a < e and s < b for a, b in spans),
    }


def test_queries_match_the_linear_scans_on_disjoint_spans():
    rnd = random.Random(7)
    for _ in range(200):
        cuts = sorted(rnd.sample(range(200), 12))
        spans = [(cuts[i], cuts[i + 1]) for i in range(0, 12, 2)]
        r, b = Regions(spans), brute(spans)
        for _ in range(50):
            s = rnd.randrange(210)
            e = s + rnd.randrange(1, 30)
            assert r.contains(s) == b["contains"](s)
            assert r.covers(s, e) == b["covers"](s, e)
            assert r.overlaps(s, e) == b["overlaps"](s, e)


def test_overlapping_and_touching_spans_merge():
    r = Regions([(10, 20), (5, 12), (20, 25), (40, 41)])
    assert list(r) == [(5, 25), (40, 41)]
    assert r.end_of(7) == 25 and r.end_of(30) is None
    assert not Regions([]).overlaps(0, 10)
