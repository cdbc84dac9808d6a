"""The core reads no environment; the interfaces resolve KUTIP_MODEL / KUTIP_MODEL_PATH."""
import kutip
from kutip.config import extract_options


def test_extract_options_follow_the_environment_and_flags(monkeypatch):
    monkeypatch.delenv("KUTIP_MODEL", raising=False)
    monkeypatch.delenv("KUTIP_MODEL_PATH", raising=False)
    assert extract_options() == {"use_model": True, "model_path": None}
    monkeypatch.setenv("KUTIP_MODEL", "off")
    assert extract_options() == {"use_model": False, "model_path": None}
    assert extract_options(True) == {"use_model": True, "model_path": None}
    monkeypatch.setenv("KUTIP_MODEL_PATH", "/models/mine")
    assert extract_options() == {"use_model": True, "model_path": "/models/mine"}


def test_the_core_ignores_kutip_model(monkeypatch):
    """With KUTIP_MODEL=off in the environment, kutip.extract() still tags with the shipped model
    (it is the interfaces that read the variable)."""
    from kutip.tagger import load_default_model

    tagger = load_default_model()
    monkeypatch.setenv("KUTIP_MODEL", "off")
    text = '"Kami siap," kata Kepala BPBD Kota Semarang Sri Lestari di posko.'
    calls = []
    real = tagger.refine
    monkeypatch.setattr(tagger, "refine", lambda a, st, **kw: calls.append(a.text) or real(a, st, **kw))
    kutip.extract(text)
    assert calls == [text]
    kutip.extract(text, use_model=False)
    assert calls == [text]


def test_kutip_tokenizer_spacy_gives_a_spacy_tokenising_tagger(monkeypatch):
    monkeypatch.delenv("KUTIP_MODEL_PATH", raising=False)
    monkeypatch.setenv("KUTIP_MODEL", "on")
    monkeypatch.setenv("KUTIP_TOKENIZER", "spacy")
    opts = extract_options()
    assert opts["tagger"].spacy_tokenizer is True
    monkeypatch.delenv("KUTIP_TOKENIZER")
    assert "tagger" not in extract_options()
