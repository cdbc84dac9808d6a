"""The per-article time budget of extract(): a clear error past it, never a partial result."""
import time

import pytest

import kutip
from kutip.core.errors import KutipInputError, KutipTimeoutError

ARTICLE = '"Kami siap," kata Kepala BPBD Kota Semarang Sri Lestari di posko, Senin (16/1).\n\n'


def test_an_article_past_its_budget_stops_with_a_clear_error():
    text = ARTICLE * 3000       # ~250 KB: seconds of work
    t = time.perf_counter()
    with pytest.raises(KutipTimeoutError, match="time budget of 0.2 s"):
        kutip.extract(text, use_model=False, time_budget=0.2)
    assert time.perf_counter() - t < 5.0       # it stopped, it did not run to the end
    assert issubclass(KutipTimeoutError, KutipInputError)   # the CLI and API report it as bad input


def test_within_its_budget_the_result_is_the_same():
    assert kutip.extract(ARTICLE, use_model=False, time_budget=30).to_dict() == \
        kutip.extract(ARTICLE, use_model=False).to_dict()


@pytest.mark.parametrize("bad", [0, -1])
def test_a_budget_that_is_not_positive_is_refused(bad):
    with pytest.raises(ValueError, match="time_budget"):
        kutip.extract(ARTICLE, use_model=False, time_budget=bad)
