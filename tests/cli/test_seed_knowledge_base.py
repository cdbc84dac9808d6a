"""The seeds through the real `kutip ingest` with no published dates given: one Jens
Stoltenberg, statements from both articles, and a timeline with both articles' dates."""
from kutip.store import Store


def test_seeds_ingested_give_one_stoltenberg_with_two_dates(kutip_cli, seeds_dir, tmp_path):
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    r = kutip_cli("ingest", *sorted(seeds_dir.glob("*.txt")), "--db", db)
    assert r.returncode == 0, r.stderr
    store = Store(db)
    try:
        found = store.speakers("Stoltenberg")
        assert found["total"] == 1
        sp = store.speaker(found["items"][0]["id"])
        assert sp["name"] == "Jens Stoltenberg"
        assert len({st["article_id"] for st in sp["statements"]}) == 2
        assert sp["statement_count"] >= 20
        assert [t["date"] for t in sp["timeline"]] == ["2022-10-26", "2023-01-18"]
        assert any("Sekretaris Jenderal" in role for role in sp["roles"])
    finally:
        store.close()
