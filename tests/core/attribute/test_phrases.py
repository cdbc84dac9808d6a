"""Splitting a speaker phrase into name, role and affiliation."""
from kutip.core.attribute.phrases import parse_phrase
from kutip.core.segment.text import tokenize


def parse(s):
    return parse_phrase(s, tokenize(s))


def test_role_affiliation_with_acronym_then_name():
    p = parse("Sekretaris Jenderal Pakta Pertahanan Atlantik Utara (NATO) Jens Stoltenberg")
    assert (p.kind, p.name, p.role, p.affiliation) == (
        "name", "Jens Stoltenberg", "Sekretaris Jenderal", "Pakta Pertahanan Atlantik Utara (NATO)")


def test_role_with_field_then_country():
    p = parse("Menteri Pertahanan Rusia Sergei Shoigu")
    assert (p.name, p.role, p.affiliation) == ("Sergei Shoigu", "Menteri Pertahanan", "Rusia")


def test_name_word_that_is_also_a_field_word():
    p = parse("Menteri Perhubungan Budi Karya Sumadi")
    assert (p.name, p.role) == ("Budi Karya Sumadi", "Menteri Perhubungan")


def test_honorific_is_not_part_of_the_name():
    assert parse("Pak Budi").name == "Budi"
    assert parse("Bu Ani Lestari").name == "Ani Lestari"


def test_organisation_speakers():
    assert parse("Kremlin").kind == "org"
    p = parse("Kementerian Kesehatan")
    assert (p.kind, p.name) == ("org", "Kementerian Kesehatan")


def test_nominal_reference_and_pronoun():
    p = parse("Pemimpin NATO itu")
    assert p.kind == "nominal" and p.modifiers == ["Pemimpin", "NATO"]
    assert parse("politisi PDIP itu").kind == "nominal"
    assert parse("ia").kind == "pronoun"


def test_role_without_name():
    p = parse("Kapolri")
    assert p.kind == "role" and p.role == "Kapolri"


def test_alias_in_parentheses():
    p = parse("Presiden Joko Widodo (Jokowi)")
    assert (p.name, p.role, p.aliases) == ("Joko Widodo", "Presiden", ["Jokowi"])
