"""One pass: with the model on, an article is analysed once; the tagger reads that analysis
(its rule features) instead of running the rules again on a copy of the text."""
import kutip
from kutip.core import pipeline
from kutip.core.attribute import engine
from kutip.tagger import load_default_model
from kutip.tagger import rule_features

TEXT = ('JAKARTA - "Kami siap menghadapi musim hujan," kata Kepala BPBD Kota Semarang Sri Lestari '
        'di posko, Senin (16/1).\n\nIa menambahkan, warga diminta waspada. "Jangan panik," ujarnya.')


def test_the_rules_run_once_per_article_with_the_model(monkeypatch):
    calls = []
    real = engine.analyse

    def counting(*a, **kw):
        calls.append(a[0])
        return real(*a, **kw)

    monkeypatch.setattr(pipeline, "analyse", counting)
    monkeypatch.setattr(rule_features, "analyse", counting)
    monkeypatch.setattr(engine, "analyse", counting)
    art = kutip.extract(TEXT, use_model=True)
    assert art.statements
    assert len(calls) == 1


def test_refine_over_the_analysis_tags_as_tag_text_does():
    tagger = load_default_model()
    analysis = engine.analyse(TEXT, [])
    assert tagger.refine(analysis, engine.attribute(analysis)) == tagger.tag_text(TEXT)
    assert any(s.label == "PERSON" and s.text == "Sri Lestari" for s in tagger.tag_text(TEXT))


def test_long_text_is_refined_in_pieces_with_offsets_into_the_whole_text(monkeypatch):
    import kutip.tagger as tagger_module

    tagger = load_default_model()
    text = "\n\n".join([TEXT] * 40)
    whole = tagger.tag_text(text)
    monkeypatch.setattr(tagger_module, "PIECE", 1000)
    pieces = tagger.tag_text(text)
    assert all(text[s.start:s.end] == s.text for s in pieces)
    assert {(s.label, s.text) for s in pieces if s.label == "PERSON"} == {(s.label, s.text) for s in whole if s.label == "PERSON"}


def test_the_model_reads_its_own_frozen_vocabulary_not_the_live_lexicons(tmp_path):
    """Editing a rule lexicon does not change the features of a trained model: its word classes
    and lexicon entries come from the model folder."""
    import json
    import shutil

    from kutip.tagger import DEFAULT_MODEL_DIR, load_model

    mine = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, mine)
    data = json.loads((mine / "word_classes.json").read_text(encoding="utf-8"))
    data["classes"]["cue_bases"] = []          # a vocabulary in which "kata" is no cue
    (mine / "word_classes.json").write_text(json.dumps(data), encoding="utf-8")
    changed, shipped = load_model(mine), load_default_model()
    assert shipped._model.vocab.lex_class("kata", "kata") == "CUE"
    assert changed._model.vocab.lex_class("kata", "kata") != "CUE"


def test_an_article_without_statements_is_not_tagged(monkeypatch):
    """The tagger's spans only resolve the speakers of statements the rules found: with none,
    the model costs nothing and the result is the rule path's."""
    tagger = load_default_model()
    calls = []
    real = tagger.refine
    monkeypatch.setattr(tagger, "refine", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    plain = ("SEMARANG - Hujan deras mengguyur Kota Semarang sejak Senin sore. Sejumlah ruas jalan "
             "tergenang hingga setinggi lutut orang dewasa.\n\nArus lalu lintas di kawasan Kaligawe "
             "tersendat sampai malam.")
    art = kutip.extract(plain, tagger=tagger)
    assert art.statements == [] and calls == []
    assert kutip.extract(plain, use_model=False).to_dict() == art.to_dict()
    assert kutip.extract(TEXT, tagger=tagger).statements and calls == [1]
