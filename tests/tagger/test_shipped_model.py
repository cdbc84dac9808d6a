"""The model shipped in the package: present, small, fast to load, and sensible on made-up text."""
import json
import subprocess
import sys
import time

from kutip.tagger import DEFAULT_MODEL_DIR, Tagger, load_default_model

TEXT = ("MEDAN, KOMPAS — Pemerintah Kota Medan memperpanjang pembatasan jam operasional pasar hingga akhir bulan.\n\n"
        "”Kami tidak ingin ada kerumunan di pasar selama masa pembatasan,” kata Kepala Dinas Perdagangan "
        "Kota Medan Sutrisno Hadi di Medan, Senin (12/4/2021).\n")


def test_default_model_ships_with_license_and_size_limit():
    assert (DEFAULT_MODEL_DIR / "meta.json").exists()
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir())
    assert size <= 50 * 1024 * 1024
    meta = json.loads((DEFAULT_MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert "CC BY-NC-SA 4.0" in meta["license"]
    assert meta["cv"]["folds"] == 5


def test_default_model_is_cached_and_loads_fast():
    code = ("import time; t=time.perf_counter(); from kutip.tagger import load_default_model; "
            "m=load_default_model(); assert m is not None; print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(out.stdout) < 1.0
    m = load_default_model()
    assert isinstance(m, Tagger) and load_default_model() is m


def test_default_model_finds_statement_cue_and_speaker():
    spans = load_default_model().tag_text(TEXT)
    for s in spans:
        assert TEXT[s.start:s.end] == s.text
    got = {(s.label, s.text) for s in spans}
    assert ("STATEMENT", "”Kami tidak ingin ada kerumunan di pasar selama masa pembatasan,”") in got
    assert ("CUE", "kata") in got
    assert any(lab == "PERSON" and "Sutrisno Hadi" in t for lab, t in got)
    assert any(lab == "ISSUE" for lab, _ in got)


def test_ascii_quotes_are_read_like_kompas_marks():
    text = TEXT.replace("”Kami", '"Kami').replace("pembatasan,”", 'pembatasan,"')
    got = {(s.label, s.text) for s in load_default_model().tag_text(text)}
    assert ("STATEMENT", '"Kami tidak ingin ada kerumunan di pasar selama masa pembatasan,"') in got
