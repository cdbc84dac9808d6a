"""Name forms and affiliations (pure functions)."""
from kutip.link.names import (
    affiliations_compatible, find_aliases, looks_like_name, name_tokens, normalize_name,
)


def test_honorifics_and_degrees_are_stripped():
    assert normalize_name("Pak Budi") == "budi"
    assert normalize_name("Bapak Ir. H. Joko Widodo, S.H., M.Hum.") == "joko widodo"
    assert normalize_name("Ibu Sri Mulyani Indrawati") == "sri mulyani indrawati"
    assert normalize_name("Prof. Dr. Ahmad Yani") == "ahmad yani"
    assert normalize_name("Pak") == "pak"                      # a lone honorific stays a name
    assert name_tokens("Jens  Stoltenberg") == ["jens", "stoltenberg"]


def test_names_versus_descriptions():
    assert looks_like_name("Stoltenberg") and looks_like_name("Jokowi") and looks_like_name("SBY")
    for d in ("ia", "dia", "Pemimpin NATO itu", "Presiden", "-nya", "pemerintah", "Warga 45"):
        assert not looks_like_name(d), d


def test_aliases_stated_in_the_article():
    text = "Presiden Joko Widodo (Jokowi) meresmikan jalan. Susilo Bambang Yudhoyono (SBY) hadir. Budi Santoso (45) pedagang."
    assert find_aliases(text, "Joko Widodo") == {"Jokowi"}
    assert find_aliases(text, "Susilo Bambang Yudhoyono") == {"SBY"}
    assert find_aliases(text, "Budi Santoso") == set()
    assert find_aliases("Jokowi (Joko Widodo) berkata", "Joko Widodo") == {"Jokowi"}
    assert find_aliases("Jens Stoltenberg (NATO) berkata", "Jens Stoltenberg") == set()


def test_affiliation_compatibility():
    nato = "Pakta Pertahanan Atlantik Utara (NATO)"
    assert affiliations_compatible([nato], ["NATO"]) is True
    assert affiliations_compatible([nato], ["Pakta Pertahanan Atlantik Utara"]) is True
    assert affiliations_compatible(["Kementerian Luar Negeri"], ["Kementerian Luar Negeri RI"]) is True
    assert affiliations_compatible(["Polda Metro Jaya"], ["Kementerian Keuangan"]) is False
    assert affiliations_compatible(["Kementerian Keuangan"], ["Kementerian Sosial"]) is False
    assert affiliations_compatible([], ["NATO"]) is None
