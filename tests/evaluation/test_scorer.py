"""The statement scorer (kutip.evaluation.statements) on small hand-written gold and predictions.

The article below is invented for these tests.
"""
from __future__ import annotations

import pytest

from kutip.evaluation.statements import (ERROR_CLASSES, format_errors, format_report, norm, overlap,
                                         score_article, score_corpus)

TEXT = ("Bupati Sleman Budi Santoso mengatakan pembangunan jembatan Kali Opak akan selesai tahun depan. "
        "\"Kami sudah menyiapkan anggarannya sejak Januari,\" kata Budi di Sleman, Senin (3/6/2024). "
        "Baca juga: Warga keluhkan jalan rusak di Prambanan. "
        "Ketua DPRD Sleman Ani Wulandari meminta agar warga bersabar. "
        "Menurut Ani, proyek itu sudah dibahas bersama dewan sejak tahun lalu.")

S1 = "pembangunan jembatan Kali Opak akan selesai tahun depan"
S2 = "Kami sudah menyiapkan anggarannya sejak Januari,"
S3 = "proyek itu sudah dibahas bersama dewan sejak tahun lalu"
OPTIONAL = "warga bersabar"
CHROME = "Warga keluhkan jalan rusak di Prambanan"


def at(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return i, i + len(s)


def gold_stmt(text, speaker, *, kind="indirect", role=None, affiliation=None, date=None, aliases=()):
    start, end = at(text)
    return {"kind": kind, "text": text, "start": start, "end": end, "speaker": speaker,
            "speaker_aliases": list(aliases), "role": role, "affiliation": affiliation, "cue": None, "date": date}


GOLD = {
    "article": "sleman.txt",
    "statements": [
        gold_stmt(S1, "Budi Santoso", role="Bupati Sleman", aliases=["Pak Budi"]),
        gold_stmt(S2, "Budi Santoso", kind="direct", role="Bupati Sleman", date="2024-06-03"),
        gold_stmt(S3, "Ani Wulandari", role="Ketua",
                  affiliation=["Dewan Perwakilan Rakyat Daerah (DPRD) Sleman", "DPRD Sleman"]),
    ],
    "optional": [OPTIONAL],
    "not_statements": [CHROME],
}


def pred_stmt(text, name=None, *, role=None, affiliation=None, date=None, span=None, offsets=True):
    start, end = span or (at(text) if offsets else (None, None))
    s = {"kind": "indirect", "text": text, "speaker": {"mention": name, "name": name, "role": role,
                                                       "affiliation": affiliation},
         "date": {"text": "Senin (3/6/2024)", "value": date} if date else None}
    if offsets:
        s["start"], s["end"] = start, end
    return s


def perfect() -> dict:
    return {"text": TEXT, "statements": [
        pred_stmt(S1, "Budi Santoso", role="Bupati Sleman"),
        pred_stmt(S2, "Budi Santoso", role="Bupati", date="2024-06-03"),
        pred_stmt(S3, "Ani Wulandari", role="Ketua DPRD Sleman", affiliation="DPRD Sleman"),
    ]}


def test_norm_and_overlap():
    assert norm("  Budi\n  SANTOSO ") == "budi santoso"
    assert norm(None) == ""
    assert overlap((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert overlap((0, 10), (10, 20)) == 0.0
    assert overlap((3, 3), (3, 3)) == 0.0


def test_perfect_prediction():
    r = score_article(GOLD, perfect(), TEXT, name="sleman")
    assert (r.gold, r.pred, r.matched, r.right_speaker) == (3, 3, 3, 3)
    assert r.context == {"date": [1, 1], "role": [3, 3], "affiliation": [1, 1]}
    assert r.errors == []
    rep = score_corpus([("sleman", GOLD, perfect(), TEXT)])
    assert rep.detection == (1.0, 1.0, 1.0) and rep.e2e == (1.0, 1.0, 1.0) and rep.attribution == 1.0


def test_no_prediction_misses_everything():
    rep = score_corpus([("sleman", GOLD, None, TEXT)])
    assert (rep.gold, rep.pred, rep.matched) == (3, 0, 0)
    assert rep.detection == (0.0, 0.0, 0.0) and rep.attribution == 0.0
    assert [m.kind for m in rep.errors] == ["missed"] * 3


def test_match_needs_half_the_union():
    s, e = at(S1)
    wide = TEXT[0:e]  # S1 plus the speaker and cue before it: IoU 55/93 >= 0.5
    assert overlap((0, e), (s, e)) >= 0.5
    narrow = "akan selesai tahun depan"  # 24 of 55 characters: IoU < 0.5
    pred = {"statements": [pred_stmt(wide, "Budi Santoso", span=(0, e)),
                           pred_stmt(narrow, "Budi Santoso")]}
    gold = {"statements": [{**GOLD["statements"][0], "role": None}]}
    r = score_article(gold, pred, TEXT)
    assert (r.matched, r.right_speaker, r.pred) == (1, 1, 2)
    assert [m.kind for m in r.errors] == ["spurious"] and r.errors[0].text == narrow


def test_one_to_one_best_overlap_first():
    s, e = at(S1)
    exact = pred_stmt(S1, "Ani Wulandari")
    almost = pred_stmt(TEXT[s:e - 6], "Budi Santoso")
    gold = {"statements": [{**GOLD["statements"][0], "role": None}]}
    r = score_article(gold, {"statements": [almost, exact]}, TEXT)
    # the exact (wrongly attributed) one takes the gold; the other is spurious
    assert (r.matched, r.right_speaker, r.pred) == (1, 0, 2)
    assert sorted(m.kind for m in r.errors) == ["spurious", "wrong-speaker"]


def test_optional_texts_are_set_aside():
    pred = perfect()
    pred["statements"].append(pred_stmt(OPTIONAL, "Ani Wulandari"))
    r = score_article(GOLD, pred, TEXT)
    assert (r.pred, r.matched, r.set_aside) == (3, 3, 1) and r.errors == []
    # without the optional list the same prediction is spurious
    r2 = score_article({**GOLD, "optional": []}, pred, TEXT)
    assert (r2.pred, r2.matched) == (4, 3) and [m.kind for m in r2.errors] == ["spurious"]


def test_aliases_case_and_whitespace():
    pred = perfect()
    pred["statements"][0]["speaker"]["name"] = "pak  BUDI"  # an alias, other case and spacing
    pred["statements"][1]["speaker"] = "Pak Budi"  # a bare string speaker; alias of S1 only
    r = score_article(GOLD, pred, TEXT)
    assert r.right_speaker == 2
    (m,) = [m for m in r.errors if m.kind == "wrong-speaker"]
    assert (m.text, m.gold, m.predicted) == (S2, "Budi Santoso", "Pak Budi")


@pytest.mark.parametrize("role, right", [
    ("Bupati Sleman", True), ("bupati", True),  # predicted inside gold
    ("Bupati Sleman periode 2021-2026", True),  # gold inside predicted
    ("Wakil Bupati", False), ("", False), (None, False),
])
def test_role_either_contains_the_other(role, right):
    pred = {"statements": [pred_stmt(S1, "Budi Santoso", role=role)]}
    r = score_article({"statements": GOLD["statements"][:1]}, pred, TEXT)
    assert r.context["role"] == [int(right), 1]
    assert any(m.kind == "wrong-role" for m in r.errors) is not right


@pytest.mark.parametrize("affiliation, right", [
    ("DPRD Sleman", True), ("dprd  sleman", True),
    ("Dewan Perwakilan Rakyat Daerah (DPRD) Sleman", True),
    ("DPRD", False), ("Dewan Perwakilan Rakyat Daerah", False), (None, False),
])
def test_affiliation_is_one_of_the_accepted_forms(affiliation, right):
    pred = {"statements": [pred_stmt(S3, "Ani Wulandari", affiliation=affiliation)]}
    r = score_article({"statements": GOLD["statements"][2:]}, pred, TEXT)
    assert r.context["affiliation"] == [int(right), 1]


def test_date_value_and_context_only_where_gold_gives_one():
    pred = perfect()
    pred["statements"][1]["date"] = {"text": "Senin (3/6)", "value": "--06-03"}
    pred["statements"][0]["date"] = {"text": "Senin", "value": "2024-06-03"}  # gold has no date here
    r = score_article(GOLD, pred, TEXT)
    assert r.context["date"] == [0, 1]
    (m,) = [m for m in r.errors if m.kind == "wrong-date"]
    assert (m.gold, m.predicted) == ("2024-06-03", "--06-03")
    pred["statements"][1]["date"] = "2024-06-03"  # a bare ISO string is read too
    assert score_article(GOLD, pred, TEXT).context["date"] == [1, 1]


def test_prediction_without_offsets_is_found_by_its_text():
    pred = perfect()
    for s in pred["statements"]:
        del s["start"], s["end"]
    pred["statements"].append(pred_stmt("teks yang tidak ada di artikel", "Budi Santoso", offsets=False))
    r = score_article(GOLD, pred, TEXT)
    assert (r.pred, r.matched, r.right_speaker) == (4, 3, 3)
    assert [(m.kind, m.start) for m in r.errors] == [("spurious", -1)]


def test_not_statements_are_counted_apart_from_the_figures():
    pred = perfect()
    pred["statements"].append(pred_stmt(CHROME, None))
    r = score_article(GOLD, pred, TEXT)
    assert (r.pred, r.matched) == (4, 3)
    assert r.not_statements == [1, 1]
    (m,) = r.errors
    assert m.kind == "spurious" and m.note == "a not_statement"
    assert score_article(GOLD, perfect(), TEXT).not_statements == [0, 1]


def test_corpus_figures_and_error_listing():
    bad = perfect()
    bad["statements"][0]["speaker"]["name"] = "Ani Wulandari"  # wrong speaker
    bad["statements"][2]["speaker"]["affiliation"] = "DPRD"  # wrong affiliation
    del bad["statements"][1]  # S2 missed
    bad["statements"].append(pred_stmt(CHROME, None))  # spurious
    rep = score_corpus([("a", GOLD, perfect(), TEXT), ("b", GOLD, bad, TEXT)])
    assert (rep.gold, rep.pred, rep.matched, rep.right_speaker) == (6, 6, 5, 4)
    assert rep.detection == pytest.approx((5 / 6, 5 / 6, 5 / 6))
    assert rep.attribution == pytest.approx(4 / 5)
    assert rep.e2e == pytest.approx((4 / 6, 4 / 6, 4 / 6))
    assert rep.context == {"date": (1, 1), "role": (5, 5), "affiliation": (1, 2)}
    assert [m.kind for m in rep.errors] == ["wrong-speaker", "missed", "spurious", "wrong-affiliation"]
    assert [m.kind for m in rep.errors] == sorted((m.kind for m in rep.errors), key=ERROR_CLASSES.index)
    text = format_report(rep)
    assert text.splitlines() == [
        "articles=2 gold=6 pred=6 matched=5 right_speaker=4",
        "detection   P=0.8333 R=0.8333 F1=0.8333",
        "attribution accuracy=0.8000",
        "context     date=1/1 role=5/5 affiliation=1/2",
        "e2e         P=0.6667 R=0.6667 F1=0.6667",
        "not_statements produced=1/2",
        "e2e_f1=0.6667",
    ]
    listing = format_errors(rep)
    assert "wrong-speaker (1)" in listing and "gold: Budi Santoso  predicted: Ani Wulandari" in listing
    assert "gold: one of Dewan Perwakilan Rakyat Daerah (DPRD) Sleman | DPRD Sleman  predicted: DPRD" in listing
    assert "(a not_statement)" in listing
    d = rep.as_dict(errors=True)
    assert d["e2e"]["f"] == pytest.approx(4 / 6) and d["context"]["affiliation"] == 0.5
    assert d["articles"]["b"] == {"gold": 3, "pred": 3, "matched": 2, "right_speaker": 1}
    assert [e["class"] for e in d["errors"]] == [m.kind for m in rep.errors]
    assert "errors" not in rep.as_dict()


def test_no_gold_no_prediction_is_all_zero_not_an_error():
    rep = score_corpus([("leer", {"statements": []}, {"statements": []}, TEXT)])
    assert rep.detection == (0.0, 0.0, 0.0) and rep.context["date"] == (0, 0)
    assert rep.as_dict()["context"]["date"] is None
    assert format_errors(rep) == "no errors"
