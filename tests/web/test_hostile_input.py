"""Regression tests for every 5xx the hostile-input review found (issue 12), on real SQLite and
real PostgreSQL stores behind a live server. Each one answered 500 (or stored an article that
then broke its page) before; now each is a 4xx whose message names the parameter or field."""
from __future__ import annotations

import json

import pytest
from web_live import WEB_TOKEN
from web_samples import MANY_WORDS

BIG = [2**63, 2**64, 10**20]
AUTH = {"Authorization": f"Bearer {WEB_TOKEN}"}


def _detail(r) -> str:
    return json.dumps(r.json()["detail"], ensure_ascii=False)


@pytest.mark.parametrize("n", BIG)
@pytest.mark.parametrize("path", ["/api/articles/{n}", "/api/speakers/{n}", "/api/clusters/{n}"])
def test_huge_ids_in_api_paths_are_422(hostile_client, path, n):
    r = hostile_client.get(path.format(n=n))
    assert r.status_code == 422, r.text
    name = path.split("/")[2][:-1] + "_id"  # article_id, speaker_id, cluster_id
    assert name in _detail(r) and "less than or equal" in _detail(r)


@pytest.mark.parametrize("path", ["/api/statements", "/api/speakers", "/api/articles", "/api/clusters"])
def test_huge_offsets_are_422(hostile_client, path):
    for n in BIG:
        r = hostile_client.get(path, params={"offset": n})
        assert r.status_code == 422 and "offset" in _detail(r), r.text
    r = hostile_client.get(path, params={"offset": 1_000_000_000})  # the largest accepted: an empty page
    assert r.status_code == 200 and r.json()["items"] == [] and r.json()["next"] is None


@pytest.mark.parametrize("value", [str(2**63), str(2**64), "²", "١٢x", "-1", "0", "1.5", "1e3", " "])
def test_bad_speaker_id_filter_is_4xx(hostile_client, value):
    r = hostile_client.get("/api/statements", params={"speaker_id": value})
    assert r.status_code == 422 and "speaker_id" in _detail(r), r.text
    r = hostile_client.get("/", params={"speaker_id": value})
    if value == " ":  # blank, as the search form sends it: no filter
        assert r.status_code == 200
    else:
        assert r.status_code == 400 and "speaker_id" in r.text, r.text[:300]


def test_superscript_digit_is_not_a_speaker_id(hostile_client, hostile_store):
    """int("²") raises although "²".isdigit() is true; the page checked isdigit() and crashed."""
    assert "²".isdigit()
    r = hostile_client.get("/?speaker_id=²")
    assert r.status_code == 400 and "speaker_id" in r.text and "whole number" in r.text
    r = hostile_client.get("/speakers/²")
    assert r.status_code == 404


@pytest.mark.parametrize("page", ["/speakers/{n}", "/articles/{n}", "/clusters/{n}"])
def test_huge_ids_in_pages_are_404(hostile_client, page):
    for n in BIG:
        r = hostile_client.get(page.format(n=n))
        assert r.status_code == 404 and "text/html" in r.headers["content-type"], r.text[:200]
        assert "nothing at this address" in r.text


def test_huge_page_numbers_are_clamped(hostile_client):
    for path in ("/", "/speakers", "/articles", "/clusters"):
        for value in (str(2**64), "²", "-5", "x"):
            assert hostile_client.get(path, params={"page": value}).status_code == 200, (path, value)


def test_search_with_70_indexed_words(hostile_client, hostile_store):
    """70 distinct indexed words once made a 70-way self-join: SQLite refused it (500), PostgreSQL
    took seconds. The search uses the first 32 distinct words (kutip.store.textindex)."""
    q = " ".join(MANY_WORDS)
    assert len(q) <= 500
    for extra in ([], ["tidakadaduanya"]):  # a word past the 32nd is ignored, even an unknown one
        r = hostile_client.get("/api/statements", params={"q": " ".join([q] + extra)})
        assert r.status_code == 200, r.text
        assert r.json()["total"] == 1 and r.json()["items"][0]["text"] == q
    r = hostile_client.get("/", params={"q": q})
    assert r.status_code == 200 and "Ani Wijaya" in r.text


def test_query_terms_are_capped():
    from kutip.store.textindex import MAX_QUERY_TERMS, query_terms

    assert MAX_QUERY_TERMS == 32
    assert query_terms(" ".join(MANY_WORDS)) == MANY_WORDS[:32]
    assert query_terms("k1 k2 k1 k3") == ["k1", "k2", "k3"]


@pytest.mark.parametrize("path", ["/api/statements", "/api/speakers", "/"])
def test_nul_in_query_is_4xx(hostile_client, path):
    for key in ("q", "outlet", "speaker"):
        r = hostile_client.get(path, params={key: "a\x00b"})
        assert r.status_code in (400, 422), r.text[:200]
        assert f"`{key}`" in r.text and "NUL" in r.text


@pytest.mark.parametrize("value", ["0000", "2023-02-30", "2023-13", "9999-99-99", "1-1-1", "2023-1-1"])
def test_bad_dates_are_422_naming_the_parameter(hostile_client, value):
    for name in ("from", "to"):
        r = hostile_client.get("/api/statements", params={name: value})
        assert r.status_code == 422 and name in _detail(r), r.text


def _deep(n: int) -> str:
    return '{"text": ' + "[" * n + "]" * n + "}"


@pytest.mark.parametrize("path", ["/api/extract", "/api/articles", "/extract"])
def test_json_nested_100000_deep_is_422(hostile_client, path):
    for body in (_deep(100_000), _deep(65), "[" * 60_000, '{"a": ' * 30_000):
        r = hostile_client.post(path, content=body, headers={"Content-Type": "application/json", **AUTH})
        assert r.status_code == 422, (path, r.status_code, r.text[:200])
        assert "levels deep" in r.text or "not valid JSON" in r.text


def test_json_depth_scan():
    from kutip.web.inputs import MAX_JSON_DEPTH, too_deep

    assert MAX_JSON_DEPTH == 64
    assert not too_deep(b"[" * 64 + b"]" * 64) and too_deep(b"[" * 65 + b"]" * 65)
    assert too_deep(b"[" * 65) and too_deep(b"[" * 100_000) and not too_deep(b"[" * 64)
    assert too_deep(b'{"a":' * 65 + b"1" + b"}" * 65)
    # brackets inside strings, escaped quotes and backslashes do not count
    assert not too_deep(json.dumps({"text": "[" * 500 + '\\"' + "{" * 500, "s": [[["\\"]]]}).encode())
    assert not too_deep(json.dumps({"text": '"[[[' * 300}).encode())


@pytest.mark.parametrize("field", ["outlet", "url", "source"])
@pytest.mark.parametrize("path", ["/api/extract", "/api/articles"])
def test_surrogates_and_nul_in_metadata_fields_are_422(hostile_client, path, field):
    """An unpaired surrogate in `outlet` (or `url`, `source`) was a 500 when the answer was encoded;
    a NUL in `outlet` was a 500 on PostgreSQL (it cannot hold NUL in that column)."""
    for value, words in (("a \ud800 b", "unpaired surrogate"), ("a\x00b", "NUL")):
        body = json.dumps({"text": 'Budi berkata, "harga beras naik."', field: value})
        r = hostile_client.post(path, content=body, headers={"Content-Type": "application/json", **AUTH})
        assert r.status_code == 422 and field in r.json()["detail"] and words in r.json()["detail"], r.text
    r = hostile_client.post(path, data={"text": 'Budi berkata, "harga beras naik."', field: "a\x00b"}, headers=AUTH)
    assert r.status_code == 422 and field in r.json()["detail"], r.text


def test_nesting_within_the_limit_still_extracts(hostile_client):
    r = hostile_client.post("/api/extract", json={"text": 'Budi berkata, "harga beras naik."', "x": [[[[1]]]]})
    assert r.status_code == 200 and r.json()["statements"]


# --------------------------------------------------------------------------- already-extracted articles

TEXT = 'Jakarta - Budi Santoso berkata, "Harga beras naik lagi," di pasar.'
QUOTE = "Harga beras naik lagi,"


def _contract() -> dict:
    s = TEXT.index(QUOTE)
    c = TEXT.index("berkata")
    m = TEXT.index("Budi Santoso")
    return {"text": TEXT, "metadata": {"title": "Beras", "outlet": "ANTARA", "authors": ["A"]},
            "statements": [{"kind": "direct", "text": QUOTE, "start": s, "end": s + len(QUOTE),
                            "cue": {"text": "berkata", "start": c, "end": c + 7},
                            "speaker": {"mention": "Budi Santoso", "mention_start": m, "mention_end": m + 12,
                                        "name": "Budi Santoso", "type": "person", "role": None,
                                        "affiliation": None},
                            "date": {"text": "hari ini", "value": "2023-01-18"},
                            "confidence": 0.9}]}


def _set(path: str, value):
    def change(d: dict) -> dict:
        obj = d
        keys = path.split(".")
        for k in keys[:-1]:
            obj = obj[int(k)] if k.isdigit() else obj[k]
        obj[int(keys[-1]) if keys[-1].isdigit() else keys[-1]] = value
        return d
    return change


BAD_CONTRACTS = {
    "confidence 'high'": (_set("statements.0.confidence", "high"), "confidence"),
    "confidence 7": (_set("statements.0.confidence", 7), "confidence"),
    "confidence NaN string": (_set("statements.0.confidence", "NaN"), "confidence"),
    "confidence true": (_set("statements.0.confidence", True), "confidence"),
    "speaker name a number": (_set("statements.0.speaker.name", 42), "speaker.name"),
    "speaker an array": (_set("statements.0.speaker", ["Budi"]), "speaker"),
    "speaker type 'robot'": (_set("statements.0.speaker.type", "robot"), "speaker.type"),
    "title an object": (_set("metadata.title", {"x": 1}), "metadata.title"),
    "authors a string": (_set("metadata.authors", "A"), "metadata.authors"),
    "metadata a list": (_set("metadata", [1]), "metadata"),
    "start 10^20": (_set("statements.0.start", 10**20), "start"),
    "end 10^20": (_set("statements.0.end", 10**20), "end"),
    "start 2^63": (_set("statements.0.start", 2**63), "start"),
    "start -1": (_set("statements.0.start", -1), "start"),
    "start a string": (_set("statements.0.start", "5"), "start"),
    "start a float": (_set("statements.0.start", 5.0), "start"),
    "start after end": (_set("statements.0.start", 60), "start"),
    "text != text[start:end]": (_set("statements.0.text", "Harga gula naik lagi,"), "must equal text["),
    "cue text != slice": (_set("statements.0.cue.text", "kata"), "cue.text"),
    "cue end 10^20": (_set("statements.0.cue.end", 10**20), "cue"),
    "mention != slice": (_set("statements.0.speaker.mention", "Budi"), "speaker.mention"),
    "mention_end missing": (_set("statements.0.speaker.mention_end", None), "mention_end"),
    "kind 'quote'": (_set("statements.0.kind", "quote"), "kind"),
    "kind missing": (lambda d: (d["statements"][0].pop("kind"), d)[1], "kind"),
    "statement text a number": (_set("statements.0.text", 1), "statements[0].text"),
    "statement a string": (_set("statements.0", "x"), "statements[0]"),
    "date value an object": (_set("statements.0.date.value", {}), "date.value"),
    "date value with NUL": (_set("statements.0.date.value", "2023\x00"), "date.value"),
    "date value not ISO": (_set("statements.0.date.value", "besok"), "ISO 8601"),
    "published not ISO": (_set("metadata.published", "kemarin"), "`published`"),
    "statements an object": (_set("statements", {}), "statements"),
    "text a list": (_set("text", ["x"]), "text"),
}


def _stored(client) -> int:
    return client.get("/api/stats").json()["articles"]


@pytest.mark.parametrize("case", sorted(BAD_CONTRACTS))
def test_bad_contracts_are_refused_before_storing(hostile_client, case):
    change, field = BAD_CONTRACTS[case]
    before = _stored(hostile_client)
    r = hostile_client.post("/api/articles", json=change(_contract()), headers=AUTH)
    assert r.status_code == 422, (case, r.status_code, r.text)
    assert field in r.json()["detail"], (case, r.json()["detail"])
    assert _stored(hostile_client) == before


def test_a_valid_contract_is_stored_and_readable(hostile_client):
    d = _contract()
    d["statements"][0]["id"] = 99  # fields from GET /api/articles/{id} are ignored, not refused
    r = hostile_client.post("/api/articles", json=d, headers=AUTH)
    assert r.status_code in (200, 201), r.text
    art = hostile_client.get(r.json()["url"])
    assert art.status_code == 200
    st = art.json()["statements"][0]
    assert st["text"] == QUOTE and st["confidence"] == 0.9 and st["speaker"]["name"] == "Budi Santoso"
    page = hostile_client.get(r.json()["html_url"])
    assert page.status_code == 200 and "Budi Santoso" in page.text
    # what GET returns can be posted back as it is
    again = hostile_client.post("/api/articles", json=art.json(), headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] in ("unchanged", "updated"), again.text


def test_every_stored_article_is_readable(hostile_client):
    """After all the hostile posts above, no stored article's JSON or page fails."""
    arts = hostile_client.get("/api/articles", params={"limit": 100}).json()["items"]
    assert arts
    for a in arts:
        assert hostile_client.get(f"/api/articles/{a['id']}").status_code == 200
        assert hostile_client.get(f"/articles/{a['id']}").status_code == 200
