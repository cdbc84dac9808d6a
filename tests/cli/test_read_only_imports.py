"""Read-only commands start without the extractor: `kutip search` imports neither the core's
pipeline nor the tagger, datasketch or scipy (issue 10: start fast); on a SQLite store at the
head revision it reads through sqlite3 and imports neither SQLAlchemy nor Alembic."""
import json
import subprocess
import sys

from kutip.store import Store
from kutip.store.testing import build_article

_RUN = ("import sys; from kutip.cli import main; sys.argv = ['kutip', 'search', {args}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('HEAVY', [m for m in {mods!r} if m in sys.modules])")


def _search(args: list, mods: tuple) -> subprocess.CompletedProcess:
    code = _RUN.format(args=", ".join(repr(str(a)) for a in args), mods=mods)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_kutip_search_imports_no_extractor(tmp_path):
    r = _search(["banjir", "--db", f"sqlite:///{tmp_path / 'kb.db'}"],
                ("kutip.core.pipeline", "kutip.tagger.crf", "pycrfsuite", "datasketch", "scipy", "trafilatura"))
    assert "HEAVY []" in r.stdout, (r.stdout[-2000:], r.stderr[-2000:])


def test_kutip_search_on_a_sqlite_store_imports_no_sqlalchemy_nor_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    st = Store(url)
    st.add_article(build_article([{"text": "Banjir merendam ribuan rumah warga di pesisir utara", "name": "Siti Aminah",
                                   "affiliation": "BPBD"}], outlet="ANTARA", published="2023-01-18"), url="u:1")
    st.close()
    mods = ("sqlalchemy", "alembic", "kutip.store.schema", "kutip.store.kb")
    for args in (["banjir", "--db", url], ["banjir", "--db", url, "--format", "json", "--affiliation", "bpbd",
                                          "--outlet", "antara", "--speaker", "siti", "--from", "2023-01-01"]):
        r = _search(args, mods)
        assert "HEAVY []" in r.stdout, (args, r.stdout[-2000:], r.stderr[-2000:])
        assert "Siti Aminah" in r.stdout, (args, r.stdout[-2000:], r.stderr[-2000:])
    out = r.stdout[:r.stdout.rindex("HEAVY")]
    assert json.loads(out)["total"] == 1
