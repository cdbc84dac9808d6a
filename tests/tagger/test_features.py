"""The CRF features: the window and bigram templates at every edge of short documents (the
features are built template by template over the stream, so the edges are where they could
go wrong), and the same features whichever way a sentence is split."""
from __future__ import annotations

import pytest

from kutip.tagger.features import default_vocab, doc_features


def _with(feats: list[str], prefix: str) -> list[str]:
    return [f for f in feats if f.startswith(prefix)]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 9])
def test_bigrams_and_class_pairs_only_where_the_neighbours_exist(n):
    words = ["Budi", "mengatakan", "harga", "beras", "naik", "di", "pasar", "Semarang", "kemarin"][:n]
    x = doc_features([words], vocab=default_vocab())
    assert len(x) == n
    for i, f in enumerate(x):
        assert _with(f, "b-=") == ([f"b-={words[i - 1].lower()}|{words[i].lower()}"] if i > 0 else [])
        assert _with(f, "b+=") == ([f"b+={words[i].lower()}|{words[i + 1].lower()}"] if i + 1 < n else [])
        assert len(_with(f, "c12=")) == (1 if i + 2 < n else 0)
        assert len(_with(f, "c-21=")) == (1 if i > 1 else 0)
        for off in (-3, -2, -1, 1, 2, 3):
            k = i + off
            if 0 <= k < n:
                assert f"{off}w={words[k].lower()}" in f
                assert (f"{off}sh=" in " ".join(f)) == (abs(off) <= 2)
            else:
                assert f"{off}w=<D>" in f


def test_a_neighbour_in_another_sentence_is_marked():
    x = doc_features([["Ia", "datang", "."], ["Budi", "pulang", "."]], vocab=default_vocab())
    assert "1brk" in x[2] and "-1brk" in x[3]          # "." then "Budi": across the sentence break
    assert "1brk" not in x[0] and "-1brk" not in x[1]
    assert "2brk" in x[1] and "-3brk" in x[5]


def test_sentence_place_and_distance_features():
    x = doc_features([["KOMPAS", "—", "Budi", "berkata", ",", "“", "Naik", "”", "."]], vocab=default_vocab())
    assert "DL" in x[0] and "DL" in x[1] and "DL+1" in x[2]
    assert "BOS" in x[0] and "EOS" in x[8] and "pb=4+" in x[8] and "si=0" in x[0]
    assert "q=QO" in x[5] and "q=IN" in x[6] and "q=QC" in x[7]
    assert "dqr=1" in x[4] and "dql=1" in x[6]
