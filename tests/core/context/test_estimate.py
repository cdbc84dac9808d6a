"""estimate_article_date: when an undated article was written, for timelines."""
from datetime import date

from kutip.core.context.dates import estimate_article_date

TODAY = date(2026, 11, 23)


def test_latest_full_date_wins():
    text = "Pada 3 Januari 2023 rapat dimulai. Hasilnya diumumkan Senin (16/1/2023)."
    assert estimate_article_date(text, today=TODAY) == "2023-01-16"


def test_weekday_pins_the_year():
    # 26 October was a Wednesday (Rabu) in 2022, the latest such year before TODAY
    assert estimate_article_date("Putin pada hari Rabu (26/10) memantau latihan.", today=TODAY) == "2022-10-26"


def test_known_year_is_used():
    assert estimate_article_date("Rapat digelar Rabu (18/1).", year=2023, today=TODAY) == "2023-01-18"


def test_no_clue_no_estimate():
    assert estimate_article_date("Harga beras naik di banyak pasar.", today=TODAY) is None
    assert estimate_article_date("Rapat digelar 26 Oktober.", today=TODAY) is None   # no weekday, no year


def test_future_dates_and_excluded_regions_are_ignored():
    text = "Copyright 2031. Acara pada 5 Mei 2031. Rapat Selasa (1/3/2022)."
    assert estimate_article_date(text, today=TODAY) == "2022-03-01"
    assert estimate_article_date(text, [(0, len(text))], today=TODAY) is None
