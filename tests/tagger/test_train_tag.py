import json
import time

from typer.testing import CliRunner

from kutip.cli import app
from kutip.tagger import Tagger, TagSpan, load_model
from kutip.tagger.conll import Sentence, read_conll
from kutip.tagger.corpus import fold_of, join_undated, load_corpus, segment_documents, split_articles

RAW = ("SURABAYA, KOMPAS — Harga cabai di pasar tradisional Surabaya naik dua kali lipat.\n\n"
       "”Pembeli jadi berkurang,” katanya.\n")


def test_fixture_splits_into_three_articles(tagger_tiny_conll):
    arts = split_articles(read_conll(tagger_tiny_conll, require_labels=True))
    assert len(arts) == 3
    assert [a.sentences[0].tokens[:3] for a in arts][1] == ["SURABAYA", ",", "KOMPAS"]


def _sent(text: str, first: str = "O") -> Sentence:
    toks = text.split()
    return Sentence(toks, [first] + ["O"] * (len(toks) - 1))


def test_undated_article_joins_the_one_before_as_segment_documents_would():
    # the second article has no dateline: an unlabelled stream can only be cut at datelines
    stream = [_sent("MEDAN , KOMPAS — Harga naik ."), _sent("Warga mengeluh ."),
              _sent("Banjir melanda kota .", "U-ISSUE"), _sent("Air surut ."),
              _sent("BOGOR , KOMPAS — Jalan rusak ."), _sent("Perbaikan dimulai .")]
    stream[0].labels[4] = "U-ISSUE"
    stream[4].labels[4] = "U-ISSUE"
    arts = split_articles(stream)
    assert len(arts) == 3  # labels show three articles
    docs = join_undated(arts)
    assert [len(d.sentences) for d in docs] == [4, 2]
    cuts = segment_documents([s.tokens for s in stream])
    assert [(0, 4), (4, 6)] == cuts  # the same documents the tagger sees in `kutip tag`


def test_undated_article_shares_the_fold_of_the_one_it_follows(tmp_path):
    lines = []
    for toks, first in (("MEDAN , KOMPAS — Harga naik .", "O"), ("Banjir melanda .", "U-ISSUE"),
                        ("BOGOR , KOMPAS — Jalan rusak .", "O")):
        lines += [f"{t}\t{first if i == 0 else 'O'}" for i, t in enumerate(toks.split())] + [""]
    text = "\n".join(lines).replace("Harga\tO", "Harga\tU-ISSUE").replace("Jalan\tO", "Jalan\tU-ISSUE")
    (tmp_path / "x.conll").write_text(text, encoding="utf-8")
    arts, stats = load_corpus(tmp_path)
    assert stats["articles"] == 3 and stats["documents"] == 2
    assert arts[0].doc == arts[1].doc != arts[2].doc
    assert all(fold_of(arts[0], k) == fold_of(arts[1], k) for k in range(2, 12))
    assert [len(d.sentences) for d in join_undated(arts)] == [2, 1]


def test_corpus_dedup_drops_copied_articles(tmp_path, tagger_tiny_conll):
    text = tagger_tiny_conll.read_text(encoding="utf-8")
    (tmp_path / "a.conll").write_text(text, encoding="utf-8")
    (tmp_path / "b.conll").write_text(text, encoding="utf-8")
    arts, stats = load_corpus(tmp_path)
    assert stats["articles_read"] == 6 and stats["articles_dropped_as_copies"] == 3
    assert len(arts) == 3


def test_training_writes_a_model_that_fits_its_data(tagger_tiny_model, tagger_tiny_conll):
    meta = json.loads((tagger_tiny_model / "meta.json").read_text())
    assert meta["train_articles"] == 3
    res = CliRunner().invoke(app, ["evaluate", str(tagger_tiny_conll), "--model", str(tagger_tiny_model), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert rep["micro"]["f1"] > 0.9  # a CRF must fit 3 articles it was trained on
    assert rep["per_label"]["STATEMENT"]["f1"] == 1.0


def test_tag_then_evaluate_round_trips(tagger_tiny_model, tagger_tiny_conll, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["tag", "--format", "conll", "--model", str(tagger_tiny_model), str(tagger_tiny_conll)])
    assert res.exit_code == 0, res.output
    pred = tmp_path / "pred.conll"
    pred.write_text(res.stdout, encoding="utf-8")
    gold = read_conll(tagger_tiny_conll, require_labels=True)
    got = read_conll(pred, require_labels=True)
    assert [s.tokens for s in got] == [s.tokens for s in gold]  # same tokens, same sentence breaks
    r1 = runner.invoke(app, ["evaluate", str(tagger_tiny_conll), "--pred", str(pred), "--json"])
    r2 = runner.invoke(app, ["evaluate", str(tagger_tiny_conll), "--model", str(tagger_tiny_model), "--json"])
    assert r1.exit_code == 0 and r2.exit_code == 0
    assert json.loads(r1.output) == json.loads(r2.output)
    same = runner.invoke(app, ["evaluate", str(tagger_tiny_conll), "--pred", str(tagger_tiny_conll), "--json"])
    assert json.loads(same.output)["micro"]["f1"] == 1.0


def test_tag_reads_conll_without_labels(tagger_tiny_model, tmp_path):
    f = tmp_path / "in.conll"
    f.write_text("”\nKami\nsiap\n.\n\nAyo\n,\n”\nkata\nRina\n.\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["tag", str(f), "--model", str(tagger_tiny_model)])
    assert res.exit_code == 0, res.output
    blocks = res.stdout.strip("\n").split("\n\n")
    assert [[l.split("\t")[0] for l in b.splitlines()] for b in blocks] == [["”", "Kami", "siap", "."], ["Ayo", ",", "”", "kata", "Rina", "."]]
    assert all(len(l.split("\t")) == 2 for b in blocks for l in b.splitlines())


def test_tag_raw_text_offsets(tagger_tiny_model):
    tagger = load_model(tagger_tiny_model)
    assert isinstance(tagger, Tagger)
    got = tagger.tag_text(RAW)
    assert got and all(isinstance(s, TagSpan) for s in got)
    for s in got:
        assert RAW[s.start:s.end] == s.text
    assert any(s.label == "STATEMENT" and s.text == "”Pembeli jadi berkurang,”" for s in got)
    assert any(s.label == "CUECOREF" and s.text == "katanya" for s in got)


def test_tag_raw_text_cli_json(tagger_tiny_model, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(RAW, encoding="utf-8")
    res = CliRunner().invoke(app, ["tag", str(f), "--format", "json", "--model", str(tagger_tiny_model)])
    assert res.exit_code == 0, res.output
    spans = json.loads(res.stdout)
    assert all(RAW[s["start"]:s["end"]] == s["text"] for s in spans)


def test_tag_tokens_shape(tagger_tiny_model):
    tagger = load_model(tagger_tiny_model)
    sents = [["”", "Kami", "siap", ",", "”", "ujar", "Budi", "."], ["Ia", "pergi", "."]]
    labs = tagger.tag_tokens(sents)
    assert [len(s) for s in labs] == [8, 3]


def test_cross_validation_in_parallel_writes_report_and_model_meta(tmp_path, tagger_tiny_conll):
    """Folds and the final model run as two worker processes; the pooled CV lands in meta.json."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "tiny.conll").write_text(tagger_tiny_conll.read_text(encoding="utf-8"), encoding="utf-8")
    out, report = tmp_path / "m", tmp_path / "cv.json"
    res = CliRunner().invoke(app, ["train", "--data", str(data), "--out", str(out), "--cv", "3", "--jobs", "2",
                                   "--max-iterations", "20", "--report", str(report)])
    assert res.exit_code == 0, res.output + repr(res.exception)
    cv = json.loads(report.read_text(encoding="utf-8"))
    assert cv["folds"] == 3 and len(cv["per_fold"]) == 3
    assert sum(f["test_documents"] for f in cv["per_fold"]) == 3     # every document tested exactly once
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["cv"]["folds"] == 3
    assert meta["cv"]["micro_f1"] == cv["pooled"]["micro"]["f1"]
    assert meta["features"] == {"rules": True, "lexicons": True}
    # the vocabulary the features were computed with travels with the model
    vocab = json.loads((out / "word_classes.json").read_text(encoding="utf-8"))
    assert "cue_bases" in vocab["classes"] and "roles" in vocab["lexicons"]


def test_train_refuses_one_fold(tmp_path, tagger_tiny_conll):
    res = CliRunner().invoke(app, ["train", "--data", str(tagger_tiny_conll.parent), "--out", str(tmp_path / "m"),
                                   "--cv", "1"])
    assert res.exit_code != 0
    assert "at least 2 folds" in str(res.exception)
