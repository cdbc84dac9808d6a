"""The read API against a real uvicorn server and a real SQLite store."""
from __future__ import annotations

from web_samples import HOSTILE_QUOTE, SRI_QUOTE, STOLTENBERG_QUOTE, all_articles

CONTRACT_STATEMENT_KEYS = {"kind", "text", "start", "end", "cue", "speaker", "date", "location", "event", "confidence"}
ROW_KEYS = CONTRACT_STATEMENT_KEYS | {"id", "article_id", "speaker_id", "cluster_id", "outlet", "article_title",
                                      "article_url", "date_value"}


def test_stats(web_client):
    r = web_client.get("/api/stats")
    assert r.status_code == 200
    st = r.json()
    n_articles = len(all_articles())
    assert st["articles"] == n_articles
    assert st["statements"] == sum(len(a.statements) for a, _ in all_articles())
    assert st["outlets"] == 4 and st["speakers"] >= 3


def test_statements_search_shape_and_pagination(web_client):
    r = web_client.get("/api/statements", params={"q": "defisit anggaran", "limit": 10})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    page = r.json()
    assert page["total"] == 23 and page["limit"] == 10 and page["offset"] == 0 and page["count"] == 10
    assert page["prev"] is None and page["next"]
    assert ROW_KEYS <= set(page["items"][0])
    seen = [i["id"] for i in page["items"]]
    # follow the next links to the end
    while page["next"]:
        page = web_client.get(page["next"]).json()
        seen += [i["id"] for i in page["items"]]
    assert len(seen) == 23 == len(set(seen))
    assert page["offset"] == 20 and page["count"] == 3 and page["prev"].endswith("offset=10")
    assert "q=defisit+anggaran" in page["prev"]


def test_statement_fields_follow_the_contract(web_client, web_ids):
    page = web_client.get("/api/statements", params={"q": "inflasi terkendali"}).json()
    assert page["total"] == 1
    row = page["items"][0]
    assert row["text"] == SRI_QUOTE and row["kind"] == "direct"
    assert row["cue"]["text"] == "ujar" and row["speaker"]["name"] == "Sri Mulyani Indrawati"
    assert row["date"] == {"text": "Kamis (2/3/2023)", "value": "2023-03-02"}
    assert row["outlet"] == "Kompas" and row["article_id"] == web_ids["kompas-1.html"]
    art = web_client.get(f"/api/articles/{row['article_id']}").json()
    assert art["text"][row["start"]:row["end"]] == row["text"]
    assert art["text"][row["cue"]["start"]:row["cue"]["end"]] == "ujar"


def test_filters(web_client):
    def total(**params):
        r = web_client.get("/api/statements", params=params)
        assert r.status_code == 200, r.text
        return r.json()["total"]

    assert total(outlet="Kompas") == 2
    assert total(speaker="Stoltenberg") == 3
    assert total(kind="indirect") == 1
    assert total(affiliation="NATO") == 3
    assert total(**{"from": "2023-04", "to": "2023-04-10"}) == 9  # 2 April .. 10 April
    assert total(**{"from": "2023"}) == 28
    assert total(q="perdamaian", outlet="ANTARA") == 1


def test_bad_parameters_get_422_with_a_reason(web_client):
    for params in ({"limit": 0}, {"limit": 1000}, {"offset": -1}, {"kind": "rumour"}, {"from": "kemarin"},
                   {"to": "2023-13"}):
        r = web_client.get("/api/statements", params=params)
        assert r.status_code == 422, (params, r.text)
        assert r.json()["detail"]
        assert "Traceback" not in r.text


def test_speakers_list_and_detail(web_client):
    page = web_client.get("/api/speakers", params={"limit": 2}).json()
    assert page["total"] >= 3 and page["count"] == 2 and page["next"]
    top = page["items"][0]
    assert {"id", "name", "type", "name_forms", "roles", "affiliations", "statement_count", "first_date",
            "last_date"} <= set(top)
    assert top["name"] == "Sri Mulyani Indrawati" and top["statement_count"] == 24
    found = web_client.get("/api/speakers", params={"q": "stoltenberg"}).json()["items"]
    assert [s["name"] for s in found] == ["Jens Stoltenberg"]
    sp = web_client.get(f"/api/speakers/{found[0]['id']}").json()
    assert sp["statement_count"] == 3 and len(sp["statements"]) == 3
    assert {t["date"] for t in sp["timeline"]} == {"2023-01-18", "2023-03-02"} or sp["timeline"]
    assert sp["roles_over_time"][0]["role"] == "Sekretaris Jenderal"
    assert STOLTENBERG_QUOTE in {s["text"] for s in sp["statements"]}


def test_articles_list_and_detail(web_client, web_ids):
    page = web_client.get("/api/articles", params={"limit": 5, "offset": 5}).json()
    assert page["total"] == len(all_articles()) and page["count"] == 5 and page["prev"] and page["next"]
    assert {"id", "title", "outlet", "published", "url", "statement_count"} <= set(page["items"][0])
    art = web_client.get(f"/api/articles/{web_ids['antara-1.txt']}").json()
    assert {"source", "text", "metadata", "statements", "id", "url", "outlet", "published"} <= set(art)
    assert art["metadata"]["title"].startswith("NATO") and art["outlet"] == "ANTARA"
    for st in art["statements"]:
        assert CONTRACT_STATEMENT_KEYS | {"id", "speaker_id", "cluster_id"} <= set(st)
        assert art["text"][st["start"]:st["end"]] == st["text"]
        sp = st["speaker"]
        assert art["text"][sp["mention_start"]:sp["mention_end"]] == sp["mention"]


def test_cluster(web_client, web_ids):
    art = web_client.get(f"/api/articles/{web_ids['antara-1.txt']}").json()
    cid = next(s["cluster_id"] for s in art["statements"] if s["text"] == STOLTENBERG_QUOTE)
    assert cid
    cl = web_client.get(f"/api/clusters/{cid}").json()
    assert set(cl["outlets"]) == {"ANTARA", "Kompas"} and len(cl["members"]) == 2
    assert {"statement_id", "article_id", "outlet", "date", "text", "speaker_id", "speaker_name"} <= set(cl["members"][0])
    assert cl["first_date"] == "2023-01-18"
    listing = web_client.get("/api/clusters").json()
    assert cid in [c["id"] for c in listing["items"]]


def test_missing_things_are_json_404s(web_client):
    for path in ("/api/speakers/999999", "/api/articles/999999", "/api/clusters/999999", "/api/nothing"):
        r = web_client.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
        assert r.json()["detail"]
    assert web_client.get("/api/articles/abc").status_code == 422


def test_hostile_text_is_stored_intact(web_client, web_ids):
    from web_samples import article_hostile

    original, _ = article_hostile()
    art = web_client.get(f"/api/articles/{web_ids['hostile.txt']}").json()
    assert art["text"] == original.text  # markup, quotes, SQL and control characters, byte for byte
    assert art["metadata"]["title"] == original.metadata.title
    assert art["statements"][0]["text"] == HOSTILE_QUOTE
    assert art["statements"][0]["speaker"]["role"] == original.statements[0].speaker.role
    hits = web_client.get("/api/statements", params={"q": "DROP TABLE statements"}).json()
    assert hits["total"] == 1 and hits["items"][0]["text"] == HOSTILE_QUOTE
    assert web_client.get("/api/stats").json()["statements"] > 1  # the table is still there


def test_openapi_and_docs(web_client):
    spec = web_client.get("/openapi.json").json()
    for path in ("/api/statements", "/api/speakers", "/api/speakers/{speaker_id}", "/api/articles",
                 "/api/articles/{article_id}", "/api/clusters/{cluster_id}", "/api/stats", "/api/extract"):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/articles"]
    assert "multipart/form-data" in spec["paths"]["/api/extract"]["post"]["requestBody"]["content"]
    docs = web_client.get("/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text
    for asset in ("/static/swagger/swagger-ui-bundle.js", "/static/swagger/swagger-ui.css", "/static/docs-init.js"):
        assert web_client.get(asset).status_code == 200, asset


def test_security_headers(web_client):
    for path in ("/", "/api/stats", "/static/kutip.css", "/nope"):
        r = web_client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "object-src 'none'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
