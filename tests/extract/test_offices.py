"""Offices and the bodies they imply (lexicons/offices.tsv and the "Menteri X" rule)."""
import pytest

from kutip.extract.offices import complete, full_office, same_office


@pytest.mark.parametrize("role, aff, want", [
    ("Kapolri", None, "Polri"),
    ("Kapolda", "Jawa Timur", "Polda Jawa Timur"),
    ("Kapolda Jawa Timur", None, "Polda Jawa Timur"),
    ("Bupati", "Sleman", "Pemkab Sleman"),
    ("Bupati terpilih Sleman", None, "Pemkab Sleman"),
    ("Wali Kota", "Semarang", "Pemkot Semarang"),
    ("Pelaksana tugas (Plt) Kasatpol PP", None, "Satpol PP"),
    ("Menag", None, "Kementerian Agama"),
    ("Menteri Agama", None, "Kementerian Agama"),
    ("Menteri Perhubungan", None, "Kementerian Perhubungan"),
])
def test_office_implies_its_body(role, aff, want):
    assert complete(role, aff) == (role, want)


@pytest.mark.parametrize("role, aff", [
    ("Kepala", "BMKG"),                      # a body is given: it stays
    ("Menteri Pertahanan", "Rusia"),         # a foreign minister's country stays
    ("Presiden", "Rusia"),                   # no body implied
    ("pengamat", None),
    ("Kapolda", None),                       # no region: no body to name
    (None, None),
])
def test_no_body_invented(role, aff):
    assert complete(role, aff) == (role, aff)


def test_short_forms_name_the_same_office():
    assert full_office("Menag") == "Menteri Agama"
    assert same_office("Menag", "Menteri Agama")
    assert same_office("sekda", "Sekretaris Daerah (Sekda)")
    assert same_office("kapolda", "Kapolda Sumatera Barat")
    assert not same_office("Bupati", "Menteri Agama")
