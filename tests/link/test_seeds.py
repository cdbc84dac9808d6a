"""Acceptance on the two seed articles, through kutip.extract: one Jens Stoltenberg
with his statements from both articles, role, affiliation and a two-date timeline.

The statements themselves come from the extractor, so this asserts structure
(who, from where, when), not exact statement texts.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import kutip

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
FILES = [("000_32ba9717b40f26bb.txt", "2023-01-18", "https://www.antaranews.com/berita/3352005"),
         ("001_87eaa78f294618fa.txt", "2022-10-27", "https://example.id/nato-negosiasi")]


@pytest.fixture(scope="module")
def link_seed_articles():
    if not SEEDS.is_dir() or not all((SEEDS / f).is_file() for f, _, _ in FILES):
        pytest.skip(f"seed articles not found at {SEEDS} (the shared/ directory beside the project)")
    out = []
    for name, published, url in FILES:
        text = (SEEDS / name).read_text(encoding="utf-8")
        out.append((kutip.extract(text, source=name, published=published, url=url), published, url))
    return out


def test_both_seeds_give_one_stoltenberg(link_kb, link_seed_articles):
    ids = []
    for art, published, url in link_seed_articles:
        aid, status = link_kb.add_article(art, url=url, published=published)
        assert status == "created"
        ids.append(aid)
    found = link_kb.speakers("Stoltenberg")
    assert found["total"] == 1, found
    sp = found["items"][0]
    assert sp["name"] == "Jens Stoltenberg" and sp["type"] in ("person", None)
    assert any("Sekretaris Jenderal" in r or "Sekjen" in r for r in sp["roles"]), sp["roles"]
    assert any("NATO" in a or "Atlantik Utara" in a for a in sp["affiliations"]), sp["affiliations"]
    detail = link_kb.speaker(sp["id"])
    by_article = {r["article_id"] for r in detail["statements"]}
    assert by_article == set(ids)
    # every statement the extractor attributed to him in either article is on his record
    expected = sum(1 for art, _, _ in link_seed_articles for s in art.statements
                   if s.speaker and s.speaker.name and "Stoltenberg" in s.speaker.name)
    assert sp["statement_count"] == expected and expected >= 2
    dates = [t["date"] for t in detail["timeline"]]
    assert "2022-10-27" in dates and "2023-01-18" in dates
    assert detail["roles_over_time"] and detail["roles_over_time"][0]["first_date"] <= detail["roles_over_time"][0]["last_date"]
    # nobody else is folded into him
    assert all("Stoltenberg" in (r["speaker"] or {}).get("name", "") for r in detail["statements"])
    # ingesting the seeds again changes nothing
    for art, published, url in link_seed_articles:
        assert link_kb.add_article(art, url=url, published=published)[1] == "unchanged"
    assert link_kb.speakers("Stoltenberg")["total"] == 1
