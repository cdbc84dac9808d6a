"""`kutip evaluate --statements` on hand-written folders, and the loader's error messages.

The articles are invented for these tests.
"""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import kutip
from kutip.cli import app
from kutip.core.errors import KutipError, KutipInputError
from kutip.evaluation.goldfiles import load_cases
from kutip.sources.files import read_document

ARTICLES = {
    "banjir": ("Kepala BPBD Kota Bima Rahmat Hidayat mengatakan air mulai surut sejak pagi. "
               "\"Kami masih mendata rumah yang rusak,\" kata Rahmat, Selasa (12/3/2024).\n"),
    "pasar": ("Wali Kota Solo Dewi Lestari meninjau Pasar Gede. \"Harga cabai sudah turun,\" ujar Dewi. "
              "Ia menambahkan bahwa stok beras cukup sampai Lebaran.\n"),
}


def _span(text: str, part: str) -> tuple[int, int]:
    i = text.index(part)
    return i, i + len(part)


def _gold_stmt(name: str, part: str, speaker: str, **extra) -> dict:
    s, e = _span(ARTICLES[name], part)
    return {"kind": extra.pop("kind", "indirect"), "text": part, "start": s, "end": e, "speaker": speaker,
            "speaker_aliases": extra.pop("aliases", []), "role": extra.pop("role", None),
            "affiliation": extra.pop("affiliation", None), "cue": None, "date": extra.pop("date", None)}


GOLD = {
    "banjir": {"article": "banjir.txt", "statements": [
        _gold_stmt("banjir", "air mulai surut sejak pagi", "Rahmat Hidayat", role="Kepala",
                   affiliation=["Badan Penanggulangan Bencana Daerah (BPBD) Kota Bima", "BPBD Kota Bima"]),
        _gold_stmt("banjir", "Kami masih mendata rumah yang rusak,", "Rahmat Hidayat", kind="direct",
                   date="2024-03-12"),
    ], "optional": [], "not_statements": []},
    "pasar": {"article": "pasar.txt", "statements": [
        _gold_stmt("pasar", "Harga cabai sudah turun,", "Dewi Lestari", kind="direct", role="Wali Kota Solo"),
        _gold_stmt("pasar", "stok beras cukup sampai Lebaran", "Dewi Lestari"),
    ], "optional": [], "not_statements": []},
}


def _pred_stmt(name: str, part: str, speaker, role=None, affiliation=None, date=None) -> dict:
    s, e = _span(ARTICLES[name], part)
    return {"kind": "indirect", "text": part, "start": s, "end": e, "cue": None,
            "speaker": {"mention": speaker, "mention_start": None, "mention_end": None, "name": speaker,
                        "type": "person", "role": role, "affiliation": affiliation},
            "date": {"text": "Selasa (12/3/2024)", "value": date} if date else None,
            "location": None, "event": None, "confidence": 0.9}


PRED = {
    # both found; the first with the right role and affiliation, the second without its date
    "banjir": [_pred_stmt("banjir", "air mulai surut sejak pagi", "Rahmat Hidayat", role="Kepala BPBD",
                          affiliation="BPBD Kota Bima"),
               _pred_stmt("banjir", "Kami masih mendata rumah yang rusak,", "Rahmat Hidayat")],
    # the quote given to the wrong speaker, the indirect one missed, one spurious
    "pasar": [_pred_stmt("pasar", "Harga cabai sudah turun,", "Pasar Gede", role="Wali Kota"),
              _pred_stmt("pasar", "Wali Kota Solo Dewi Lestari meninjau Pasar Gede.", None)],
}


@pytest.fixture
def folders(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "articles").mkdir()
    (tmp_path / "pred").mkdir()
    for name, text in ARTICLES.items():
        (tmp_path / "articles" / f"{name}.txt").write_text(text, encoding="utf-8")
        (tmp_path / "gold" / f"{name}.json").write_text(json.dumps(GOLD[name], ensure_ascii=False), encoding="utf-8")
        (tmp_path / "pred" / f"{name}.json").write_text(
            json.dumps({"source": name, "text": text, "statements": PRED[name]}, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(app, ["evaluate", *map(str, args)])


def test_pred_folder_figures(folders):
    r = invoke("--statements", folders / "gold", "--pred", folders / "pred", "--articles", folders / "articles")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "articles=2 gold=4 pred=4 matched=3 right_speaker=2",
        "detection   P=0.7500 R=0.7500 F1=0.7500",
        "attribution accuracy=0.6667",
        "context     date=0/1 role=2/2 affiliation=1/1",
        "e2e         P=0.5000 R=0.5000 F1=0.5000",
        "not_statements produced=0/0",
        "e2e_f1=0.5000",
    ]


def test_articles_default_to_the_gold_folders_parent(folders):
    for name, text in ARTICLES.items():
        (folders / f"{name}.txt").write_text(text, encoding="utf-8")
    r = invoke("--statements", folders / "gold", "--pred", folders / "pred")
    assert r.exit_code == 0, r.output
    assert "e2e_f1=0.5000" in r.output


def test_json_and_errors(folders):
    r = invoke("--statements", folders / "gold", "--pred", folders / "pred", "--articles", folders / "articles",
               "--json", "--errors")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["detection"] == {"p": 0.75, "r": 0.75, "f": 0.75}
    assert d["attribution_accuracy"] == pytest.approx(2 / 3)
    assert d["context"] == {"date": 0.0, "role": 1.0, "affiliation": 1.0}
    assert d["articles"]["pasar"] == {"gold": 2, "pred": 2, "matched": 1, "right_speaker": 0}
    assert [(e["class"], e["article"]) for e in d["errors"]] == [
        ("wrong-speaker", "pasar"), ("missed", "pasar"), ("spurious", "pasar"), ("wrong-date", "banjir")]

    r = invoke("--statements", folders / "gold", "--pred", folders / "pred", "--articles", folders / "articles",
               "--errors")
    out = r.output
    assert out.index("wrong-speaker (1)") < out.index("missed (1)") < out.index("spurious (1)") < out.index("wrong-date (1)")
    assert '  pasar  "Harga cabai sudah turun,"' in out
    assert "gold: Dewi Lestari  predicted: Pasar Gede" in out
    assert "gold: 2024-03-12  predicted: (none)" in out
    assert out.rstrip().endswith("e2e_f1=0.5000")


def test_articles_mode_extracts_in_process_like_kutip_extract(folders):
    """--articles without --pred gives the figures of --pred on kutip.extract's own outputs."""
    own = folders / "own"
    own.mkdir()
    for name in ARTICLES:
        doc = read_document(folders / "articles" / f"{name}.txt")
        art = kutip.extract(doc.content, source=doc.source, use_model=False)
        (own / f"{name}.json").write_text(art.to_json(), encoding="utf-8")
    a = invoke("--statements", folders / "gold", "--articles", folders / "articles", "--no-model", "--json")
    b = invoke("--statements", folders / "gold", "--articles", folders / "articles", "--pred", own, "--json")
    assert a.exit_code == 0 and b.exit_code == 0, a.output + b.output
    assert json.loads(a.output) == json.loads(b.output)
    assert json.loads(a.output)["gold"] == 4


def test_tagger_conll_evaluation_still_needs_its_file():
    r = invoke()
    assert isinstance(r.exception, KutipError) and "--statements" in str(r.exception)
    r = invoke("--errors", "x.conll")
    assert isinstance(r.exception, KutipError) and "--errors goes with --statements" in str(r.exception)


@pytest.mark.parametrize("args, words", [
    (["--statements", "{d}/nope", "--pred", "{d}/pred"], "gold folder does not exist"),
    (["--statements", "{d}/gold", "--pred", "{d}/nope", "--articles", "{d}/articles"], "prediction folder does not exist"),
    (["--statements", "{d}/gold"], "needs --pred PRED_DIR"),
    (["--statements", "{d}/gold", "--articles", "{d}/articles", "--no-model", "--model-path", "{d}"], "contradict"),
    (["--statements", "{d}/gold", "{d}/x.conll"], "not both"),
    (["--statements", "{d}/gold", "--pred", "{d}/pred"], "its article 'banjir.txt' is not in"),
])
def test_usage_errors_are_messages(folders, args, words):
    r = invoke(*(a.format(d=folders) for a in args))
    assert r.exit_code != 0
    assert isinstance(r.exception, KutipError), r.exception
    assert words in str(r.exception)


def test_bad_gold_json_names_the_file(folders, kutip_run):
    bad = folders / "gold" / "pasar.json"
    bad.write_text('{"statements": [', encoding="utf-8")
    r = kutip_run("evaluate", "--statements", folders / "gold", "--pred", folders / "pred",
                  "--articles", folders / "articles")
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("kutip: error: ") and str(bad) in r.stderr and "not valid JSON" in r.stderr


@pytest.mark.parametrize("mutate, words", [
    (lambda g: g.pop("statements"), 'no "statements" list'),
    (lambda g: g["statements"][0].pop("speaker"), 'statement 1 has no "speaker"'),
    (lambda g: g["statements"][0].update(affiliation="BPBD"), "list of accepted forms"),
    (lambda g: g["statements"][1].update(start=g["statements"][1]["start"] + 1), "statement 2"),
    (lambda g: g.update(optional="air surut"), '"optional" must be a list'),
])
def test_malformed_gold_is_a_clear_error(folders, mutate, words):
    g = json.loads(json.dumps(GOLD["banjir"]))
    mutate(g)
    (folders / "gold" / "banjir.json").write_text(json.dumps(g), encoding="utf-8")
    with pytest.raises(KutipInputError) as ei:
        load_cases(folders / "gold", pred_dir=folders / "pred", articles_dir=folders / "articles")
    assert "banjir.json" in str(ei.value) and words in str(ei.value)


def test_prediction_of_another_text_is_refused(folders):
    (folders / "pred" / "pasar.json").write_text(json.dumps({"text": "lain", "statements": []}), encoding="utf-8")
    with pytest.raises(KutipInputError, match="differs from the article"):
        load_cases(folders / "gold", pred_dir=folders / "pred", articles_dir=folders / "articles")


def test_missing_prediction_counts_as_nothing_found(folders):
    (folders / "pred" / "pasar.json").unlink()
    cases = load_cases(folders / "gold", pred_dir=folders / "pred", articles_dir=folders / "articles")
    assert [(c.name, c.pred is None) for c in cases] == [("banjir", False), ("pasar", True)]


def test_html_article_is_scored_on_the_predictions_text(tmp_path):
    """Gold offsets of an HTML page index into the extracted text (the prediction's "text")."""
    body = "Menteri Desa Sari Utami mengatakan dana desa naik tahun ini."
    (tmp_path / "articles").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "pred").mkdir()
    (tmp_path / "articles" / "desa.html").write_text(f"<html><body><p>{body}</p></body></html>", encoding="utf-8")
    part = "dana desa naik tahun ini"
    s = body.index(part)
    gold = {"statements": [{"text": part, "start": s, "end": s + len(part), "speaker": "Sari Utami"}]}
    (tmp_path / "gold" / "desa.json").write_text(json.dumps(gold), encoding="utf-8")
    pred = {"text": body, "statements": [{"text": part, "start": s, "end": s + len(part),
                                          "speaker": {"name": "Sari Utami"}}]}
    (tmp_path / "pred" / "desa.json").write_text(json.dumps(pred), encoding="utf-8")
    r = invoke("--statements", tmp_path / "gold", "--pred", tmp_path / "pred", "--articles", tmp_path / "articles")
    assert r.exit_code == 0, r.output
    assert "e2e_f1=1.0000" in r.output
    (tmp_path / "pred" / "desa.json").write_text(json.dumps({"statements": []}), encoding="utf-8")
    r = invoke("--statements", tmp_path / "gold", "--pred", tmp_path / "pred", "--articles", tmp_path / "articles")
    assert isinstance(r.exception, KutipInputError) and "is HTML" in str(r.exception)
