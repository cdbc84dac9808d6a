import pytest

from kutip.tagger.conll import spans
from kutip.tagger.evaluate import evaluate_labels


def test_spans_cross_sentence_breaks_and_ignore_broken_fragments():
    labs = ["O", "B-STATEMENT", "I-STATEMENT", "L-STATEMENT", "U-CUE", "I-PERSON", "L-PERSON", "B-ROLE", "O"]
    assert spans(labs) == {("STATEMENT", 1, 4), ("CUE", 4, 5)}


def test_hand_computed_scores():
    gold = ["B-STATEMENT", "I-STATEMENT", "L-STATEMENT", "U-CUE", "B-PERSON", "L-PERSON", "O", "U-ROLE"]
    # STATEMENT right, CUE right, PERSON boundary wrong (1 FP + 1 FN), ROLE missed, extra LOCATION
    pred = ["B-STATEMENT", "I-STATEMENT", "L-STATEMENT", "U-CUE", "U-PERSON", "O", "U-LOCATION", "O"]
    rep = evaluate_labels(gold, pred)
    assert (rep.micro.tp, rep.micro.fp, rep.micro.fn) == (2, 2, 2)
    assert rep.micro.precision == pytest.approx(0.5)
    assert rep.micro.recall == pytest.approx(0.5)
    assert rep.micro.f1 == pytest.approx(0.5)
    assert rep.per_label["STATEMENT"].f1 == 1.0
    assert rep.per_label["CUE"].f1 == 1.0
    assert rep.per_label["PERSON"].f1 == 0.0
    assert rep.per_label["ROLE"].recall == 0.0
    assert rep.per_label["LOCATION"].precision == 0.0
    # macro over the 5 labels present: (1 + 1 + 0 + 0 + 0) / 5
    assert rep.macro_f1 == pytest.approx(0.4)


def test_partial_overlap_is_wrong_under_strict_measure():
    gold = ["B-ROLE", "I-ROLE", "L-ROLE"]
    pred = ["B-ROLE", "L-ROLE", "O"]
    rep = evaluate_labels(gold, pred)
    assert (rep.micro.tp, rep.micro.fp, rep.micro.fn) == (0, 1, 1)
    assert rep.micro.f1 == 0.0


def test_wrong_type_same_boundaries():
    rep = evaluate_labels(["B-PERSON", "L-PERSON"], ["B-PERSONCOREF", "L-PERSONCOREF"])
    assert rep.per_label["PERSON"].fn == 1 and rep.per_label["PERSONCOREF"].fp == 1


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError):
        evaluate_labels(["O"], ["O", "O"])
