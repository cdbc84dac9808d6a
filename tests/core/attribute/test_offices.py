"""Offices and the bodies they imply (core/lexicons/offices.tsv and the "Menteri X" rule)."""
import pytest

from kutip.core.attribute.offices import complete, full_office, same_office


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


@pytest.mark.parametrize("role, aff, want", [
    # Ka- / Kepala + a body word
    ("Kepala Polda Jawa Tengah", None, ("Kepala Polda Jawa Tengah", "Polda Jawa Tengah")),
    ("Kalapas Nusakambangan", None, ("Kalapas Nusakambangan", "Lapas Nusakambangan")),
    ("Kapolres", "Banyumas", ("Kapolres", "Polres Banyumas")),
    ("Kapolres OKU", None, ("Kapolres OKU", "Polres OKU")),
    ("Kapolda Jateng Irjen", None, ("Kapolda Jateng Irjen", "Polda Jateng")),     # a rank ends the region
    ("Wakapolda Bali", None, ("Wakapolda Bali", "Polda Bali")),
    # regional government, the level word dropped, Sekda by the region's level
    ("Bupati Kabupaten Bogor", None, ("Bupati Kabupaten Bogor", "Pemkab Bogor")),
    ("Walikota", "Surabaya", ("Walikota", "Pemkot Surabaya")),
    ("Wagub Kaltim", None, ("Wagub Kaltim", "Pemprov Kaltim")),
    ("Sekda Kota Bogor", None, ("Sekda Kota Bogor", "Pemkot Bogor")),
    ("Sekda Provinsi Riau", None, ("Sekda Provinsi Riau", "Pemprov Riau")),
    ("Sekda", "Jatim", ("Sekda", "Pemprov Jatim")),
    ("Sekda", "Banyumas", ("Sekda", "Pemkab Banyumas")),
    ("Mantan Bupati Klaten", None, ("Mantan Bupati Klaten", "Pemkab Klaten")),
    ("Kadinkes Klaten", None, ("Kadinkes Klaten", "Dinas Kesehatan Klaten")),
    ("Kepala Dinas Perhubungan", "Jawa Barat", ("Kepala Dinas Perhubungan", "Dinas Perhubungan Jawa Barat")),
    # ministers: "Menteri X" -> "Kementerian X", a foreign minister's country
    ("Menteri Koordinator Bidang Perekonomian", None,
     ("Menteri Koordinator Bidang Perekonomian", "Kemenko Perekonomian")),
    ("Menteri Koordinator Bidang Kesejahteraan Rakyat", None,
     ("Menteri Koordinator Bidang Kesejahteraan Rakyat", "Kementerian Koordinator Bidang Kesejahteraan Rakyat")),
    ("Wamenkeu", None, ("Wamenkeu", "Kementerian Keuangan")),
    ("menteri dalam negeri", None, ("menteri dalam negeri", "Kementerian Dalam Negeri")),
    ("Menteri Luar Negeri Jepang", None, ("Menteri Luar Negeri Jepang", "Jepang")),
    ("Menlu Prancis", None, ("Menlu Prancis", "Prancis")),
    # a head and the body named after it: the office stays the role, the body is the affiliation
    ("Kepala BNPB", None, ("Kepala", "BNPB")),
    ("Rektor Universitas Gadjah Mada", None, ("Rektor", "Universitas Gadjah Mada")),
    ("Sekretaris Jenderal PBB", None, ("Sekretaris Jenderal", "PBB")),
    ("Gubernur Bank Indonesia", None, ("Gubernur Bank Indonesia", "Bank Indonesia")),    # a row
    ("Gubernur Bank Sentral Eropa", None, ("Gubernur", "Bank Sentral Eropa")),
    ("Gubernur BI", None, ("Gubernur BI", "Bank Indonesia")),
    ("Ketua DPRD Klaten", None, ("Ketua", "DPRD Klaten")),
    ("Ketua Bawaslu", "Jatim", ("Ketua", "Bawaslu Jatim")),
    ("Wakil Ketua Umum Partai Gerindra", None, ("Wakil Ketua Umum", "Partai Gerindra")),
    ("Kabid Humas Polda Bali", None, ("Kabid Humas", "Polda Bali")),
    ("Kepala Bagian Hukum dan Humas BPOM", None, ("Kepala Bagian Hukum dan Humas", "BPOM")),
    ("Kapuspen TNI", None, ("Kapuspen", "TNI")),
    ("peneliti dari LIPI", None, ("peneliti", "LIPI")),
    ("juru bicara Kemenlu", None, ("juru bicara", "Kemenlu")),
    ("Presiden Prancis", None, ("Presiden", "Prancis")),
    ("Ketua Tim Pemenangan Daerah dalam pertemuan itu", None, ("Ketua", "Tim Pemenangan Daerah")),
    # two offices joined: the one that implies a body
    ("Presiden dan Ketua Umum Partai Buruh", None, ("Presiden dan Ketua Umum Partai Buruh", "Partai Buruh")),
    # an office written as the affiliation, with no role
    (None, "Sekdakot Bogor", ("Sekdakot Bogor", "Pemkot Bogor")),
])
def test_grammar_of_offices(role, aff, want):
    assert complete(role, aff) == want


@pytest.mark.parametrize("role, aff", [
    ("Kuasa hukum Bupati Klaten", None),     # the office of someone else
    ("Istri Gubernur Bali", None),
    ("Calon Bupati Klaten", None),
    ("anggota tim kuasa hukum terdakwa", None),
    ("Ketua Majelis Hakim", None),
    ("Kepala Biro Hukum", None),              # a part of a body names no body
    ("Direktur Pemasaran dan Penjualan", None),
    ("Juru Bicara Presiden", None),
    ("Menteri", None),
    ("warga", None),
    ("Presiden", "Prancis"),
    ("Gubernur", "Bank Indonesia"),
    ("Bupati", "PDIP"),                       # a body given stays
    ("Kapolda", "Polda Bali"),
    ("Kepala Dinas Kesehatan", "Kemenkes"),
])
def test_grammar_invents_no_body(role, aff):
    assert complete(role, aff) == (role, aff)


@pytest.mark.parametrize("a, b, same", [
    ("Kapolda Jateng", "Kepala Polda Jawa Tengah", True),    # Ka- office and region short forms
    ("Kapolda Jateng", "Kapolda Jatim", False),
    ("Kapolri", "Kapolda", False),
    ("Kepala", "Kapolda", False),                            # a bare head is not a Ka- office
    ("Kepala", "Kepala BNPB", True),
    ("Rektor", "Rektor Universitas Gadjah Mada", True),
    ("Wabup", "Wakil Bupati", True),
    ("Wakil Bupati", "Bupati", False),
    ("Wapres", "Wakil Presiden", True),
    ("Presiden", "Wakil Presiden", False),
    ("Ketua", "Ketua Umum", False),
    ("Menteri", "Menteri Kesehatan", True),
    ("Menkes", "Menteri Kesehatan", True),
    ("Menkes", "Menkeu", False),
    ("Plt Kasatpol PP", "Kepala Satpol PP Kota Bogor", True),
    ("jubir", "Juru Bicara Kemenlu", True),
    ("Sekda", "Sekertaris Daerah", True),                     # a common misspelling
    ("", "Bupati", False),
])
def test_same_office(a, b, same):
    assert same_office(a, b) is same
