"""The rule engine's findings as tagger features: spacing, spans and their token edges."""
from kutip.tagger.rule_features import detokenise, rule_spans, token_rule_features


def test_detokenise_spacing_and_offsets():
    toks = ["”", "Kami", "siap", ",", "”", "kata", "Budi", "(", "45", ")", "."]
    text, offs = detokenise(toks)
    assert text == "”Kami siap,” kata Budi (45)."
    assert [text[a:b] for a, b in offs] == toks


def test_detokenise_breaks_start_new_lines():
    text, offs = detokenise(["Baca", "juga", "Harga", "naik"], frozenset({2}))
    assert text == "Baca juga\nHarga naik"
    assert text[offs[2][0]:offs[2][1]] == "Harga"


def test_rule_spans_mark_speaker_role_affiliation_and_mention():
    text = ("Kepala Dinas Kesehatan Kota Bandung Ahmad Sujana mengatakan vaksin tersedia. "
            "”Stok kami cukup,” kata Ahmad.")
    spans = {(label, text[a:b]) for label, a, b in rule_spans(text)}
    assert ("SP1", "Ahmad Sujana") in spans
    assert ("RL", "Kepala Dinas Kesehatan") in spans or ("RL", "Kepala") in spans
    assert ("MN", "Ahmad") in spans
    assert ("CU", "kata") in spans


def test_token_features_use_bilou_positions():
    toks = "Ketua KPU Hasyim Asy'ari mengatakan , ” Kami siap . ” kata Hasyim .".split()
    feats = token_rule_features(toks)
    assert len(feats) == len(toks)
    assert "rSP1=B" in feats[2] and "rSP1=L" in feats[3]
    assert "rMN=U" in feats[toks.index("Hasyim", 4)]
    assert "rCU=U" in feats[toks.index("kata")]


def test_token_features_of_empty_or_punctuation_only_input():
    assert token_rule_features([]) == []
    assert token_rule_features([",", "."]) == [(), ()]


def test_features_do_not_depend_on_hash_order():
    """Two speakers sharing a surname: which one is 'introduced first' must not vary by process."""
    import os
    import subprocess
    import sys

    code = ("from kutip.tagger.features import doc_features;"
            "s='Menteri Keuangan Sri Mulyani Indrawati dan Gubernur BI Perry Warjiyo hadir . "
            "” Kami siap , ” kata Sri Mulyani . ” Kami juga , ” kata Perry . ” Ya , ” ujarnya .'.split();"
            "print(doc_features([s]))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3)}
    assert len(outs) == 1
