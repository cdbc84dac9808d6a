"""analyse() on the shared seed articles against their gold metadata (skipped without /work/shared)."""
import json
from pathlib import Path

import pytest

from kutip.core.boilerplate import analyse
from kutip.sources.files import read_document

SEEDS = Path("/work/shared/seeds")
pytestmark = pytest.mark.skipif(not (SEEDS / "gold").is_dir(), reason="shared seeds not available")


def _seed_pairs():
    if not (SEEDS / "gold").is_dir():
        return []
    return [(p, SEEDS / "gold" / (p.stem + ".json")) for p in sorted(SEEDS.glob("*.txt"))
            if (SEEDS / "gold" / (p.stem + ".json")).exists()]


@pytest.mark.parametrize("article,gold", _seed_pairs(), ids=lambda p: p.name)
def test_seed_metadata_matches_gold(article, gold):
    doc = read_document(article)
    expected = json.loads(gold.read_text(encoding="utf-8"))
    c = analyse(doc.content)
    meta = vars(c.metadata)
    for key, value in expected["metadata"].items():
        assert meta[key] == value, key


@pytest.mark.parametrize("article,gold", _seed_pairs(), ids=lambda p: p.name)
def test_seed_statements_are_never_excluded_and_non_statements_are(article, gold):
    text = read_document(article).content
    expected = json.loads(gold.read_text(encoding="utf-8"))
    c = analyse(text)
    for st in expected["statements"]:
        assert not c.excludes(st["start"], st["end"]), st["text"][:40]
    for headline in expected.get("not_statements", []):
        i = text.index(headline)
        assert c.excludes(i, i + len(headline)), headline
        assert headline in c.metadata.related_links


@pytest.mark.parametrize("article,gold", _seed_pairs(), ids=lambda p: p.name)
def test_seed_link_credit_and_copyright_lines_are_excluded_whole(article, gold):
    text = read_document(article).content
    c = analyse(text)
    pos = 0
    for line in text.split("\n"):
        s = line.strip()
        if s.lower().startswith(("baca juga", "penerjemah:", "editor:", "sumber:", "copyright")):
            i = text.index(s, pos)
            assert any(r.start == i and r.end == i + len(s) for r in c.excluded), s
        pos += len(line) + 1
