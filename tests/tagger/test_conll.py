import pytest
from typer.testing import CliRunner

from kutip.cli import app
from kutip.core.errors import KutipError
from kutip.tagger.conll import ConllError, parse_conll

GOOD = "”\tB-STATEMENT\nBaik\tI-STATEMENT\n.\tI-STATEMENT\n\nAyo\tI-STATEMENT\n”\tL-STATEMENT\nkata\tU-CUE\n"


def test_statement_across_sentence_break_is_valid():
    sents = parse_conll(GOOD, require_labels=True)
    assert [s.tokens for s in sents] == [["”", "Baik", "."], ["Ayo", "”", "kata"]]
    assert sents[1].lines == [5, 6, 7]


def test_anything_after_second_tab_ignored():
    sents = parse_conll("Ia\tO\textra\tcols\nberkata\tO\n", require_labels=True)
    assert sents[0].labels == ["O", "O"]


@pytest.mark.parametrize("text, line, words", [
    ("Ia\tO\nberkata\n", 2, "missing tab"),
    ("Ia\tO\n\nberkata\tU-SPEECH\n", 3, "unknown label"),
    ("Ia\tO\nberkata\tI-CUE\n", 2, "without a preceding B-CUE"),
    ("Joko\tB-PERSON\nWidodo\tO\n", 2, "unfinished PERSON"),
    ("Joko\tB-PERSON\nWidodo\tL-ROLE\n", 2, "unfinished PERSON"),
])
def test_malformed_conll_reports_line(text, line, words):
    with pytest.raises(ConllError) as ei:
        parse_conll(text, name="x.conll", require_labels=True)
    msg = str(ei.value)
    assert f"x.conll:{line}:" in msg and words in msg


def test_unclosed_span_at_end_of_file():
    with pytest.raises(ConllError, match="opened at line 1 never ends"):
        parse_conll("Joko\tB-PERSON\nWidodo\tI-PERSON\n", name="x.conll", require_labels=True)


def test_cli_evaluate_malformed_gold_is_a_clear_error(tmp_path):
    gold = tmp_path / "gold.conll"
    gold.write_text("Ia\tO\nberkata\tB-CUE\n.\tO\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["evaluate", str(gold), "--pred", str(gold)])
    assert res.exit_code != 0
    assert isinstance(res.exception, KutipError)
    assert f"{gold}:3:" in str(res.exception) and "broken BILOU" in str(res.exception)


def test_cli_evaluate_token_mismatch(tmp_path, tagger_tiny_conll):
    pred = tmp_path / "pred.conll"
    lines = tagger_tiny_conll.read_text(encoding="utf-8").splitlines()
    lines[1] = "X\tO"
    pred.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["evaluate", str(tagger_tiny_conll), "--pred", str(pred)])
    assert isinstance(res.exception, KutipError)
    assert f"{pred}:2:" in str(res.exception)
