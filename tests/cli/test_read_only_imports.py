"""Read-only commands start without the extractor: `kutip search` imports neither the core's
pipeline nor the tagger, datasketch or scipy (issue 10: start fast)."""
import subprocess
import sys


def test_kutip_search_imports_no_extractor(tmp_path):
    code = ("import sys; from kutip.cli import main; sys.argv = ['kutip', 'search', 'banjir', '--db', "
            f"'sqlite:///{tmp_path / 'kb.db'}']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('kutip.core.pipeline', 'kutip.tagger.crf', 'pycrfsuite', 'datasketch', 'scipy', 'trafilatura') "
            "if m in sys.modules]\nprint('HEAVY', heavy)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "HEAVY []" in r.stdout, (r.stdout[-2000:], r.stderr[-2000:])
