"""Writing needs a token; extracting is open and size-limited. Real servers, real SQLite files."""
from __future__ import annotations

import httpx
import pytest
from web_live import WEB_TOKEN, LiveServer
from web_samples import HOSTILE_SCRIPT, article_antara, article_hostile

ARTICLE = ('JAKARTA (ANTARA) - Menteri Keuangan Sri Mulyani Indrawati mengatakan "Ekonomi kita tumbuh '
           'lima persen tahun ini," di Jakarta, Senin (6/3/2023).')


@pytest.fixture(scope="module")
def web_write_server(tmp_path_factory):
    from kutip.web.app import create_app

    db = tmp_path_factory.mktemp("webwrite") / "write.db"
    with LiveServer(create_app(db_url=f"sqlite:///{db}", api_token=WEB_TOKEN, max_upload_bytes=32 * 1024)) as srv:
        with httpx.Client(base_url=srv.url, timeout=30) as client:
            yield client


@pytest.fixture(scope="module")
def web_readonly_server(tmp_path_factory):
    from kutip.web.app import create_app

    db = tmp_path_factory.mktemp("webro") / "ro.db"
    with LiveServer(create_app(db_url=f"sqlite:///{db}", api_token="")) as srv:
        with httpx.Client(base_url=srv.url, timeout=30) as client:
            yield client


def auth(token=WEB_TOKEN):
    return {"Authorization": f"Bearer {token}"}


def test_writes_need_a_token(web_write_server):
    c = web_write_server
    r = c.post("/api/articles", json={"text": ARTICLE})
    assert r.status_code == 401 and "Bearer" in r.json()["detail"]
    assert r.headers["www-authenticate"] == "Bearer"
    r = c.post("/api/articles", json={"text": ARTICLE}, headers=auth("wrong"))
    assert r.status_code == 403 and "not valid" in r.json()["detail"]
    r = c.post("/api/articles", json={"text": ARTICLE}, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert r.status_code in (401, 403)
    assert c.get("/api/stats").json()["articles"] == 0


def test_writes_refused_when_no_token_is_configured(web_readonly_server):
    r = web_readonly_server.post("/api/articles", json={"text": ARTICLE}, headers=auth())
    assert r.status_code == 403
    assert "--token" in r.json()["detail"] and "KUTIP_API_TOKEN" in r.json()["detail"]
    assert web_readonly_server.get("/api/stats").json()["articles"] == 0


def test_token_from_environment(monkeypatch):
    from kutip.web.app import resolve_token

    monkeypatch.setenv("KUTIP_API_TOKEN", "from-env")
    assert resolve_token(None) == "from-env"
    assert resolve_token("given") == "given"
    assert resolve_token("") is None
    monkeypatch.delenv("KUTIP_API_TOKEN")
    assert resolve_token(None) is None


def test_ingest_text_with_token(web_write_server):
    c = web_write_server
    r = c.post("/api/articles", headers=auth(),
               json={"text": ARTICLE, "outlet": "ANTARA", "published": "2023-03-06", "url": "https://x.test/1"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "created" and body["url"] == f"/api/articles/{body['id']}"
    assert r.headers["location"] == body["url"]
    stored = c.get(body["url"]).json()
    assert stored["text"] == ARTICLE and stored["outlet"] == "ANTARA" and stored["published"] == "2023-03-06"
    again = c.post("/api/articles", headers=auth(),
                   json={"text": ARTICLE, "outlet": "ANTARA", "published": "2023-03-06", "url": "https://x.test/1"})
    assert again.status_code == 200 and again.json()["status"] == "unchanged" and again.json()["id"] == body["id"]


def test_ingest_extracted_contract_and_hostile_text(web_write_server):
    c = web_write_server
    art, kw = article_hostile()
    r = c.post("/api/articles", headers=auth(), json={**art.to_dict(), **kw})
    assert r.status_code == 201, r.text
    stored = c.get(r.json()["url"]).json()
    assert stored["text"] == art.text and stored["statements"][0]["text"] == art.statements[0].text
    page = c.get(r.json()["html_url"]).text
    assert HOSTILE_SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # an article read from the API can be posted back as it is (extra fields are dropped)
    r = c.post("/api/articles", headers=auth(), json=stored)
    assert r.status_code == 200 and r.json()["status"] == "unchanged", r.text
    # a contract with offsets outside its text is refused
    bad = article_antara()[0].to_dict()
    bad["statements"][0]["end"] = len(bad["text"]) + 10
    r = c.post("/api/articles", headers=auth(), json=bad)
    assert r.status_code == 422 and "offsets" in r.json()["detail"]


def test_extract_is_open_and_returns_the_contract(web_write_server):
    c = web_write_server
    r = c.post("/api/extract", json={"text": ARTICLE, "published": "2023-03-06", "outlet": "ANTARA"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert set(d) >= {"source", "text", "metadata", "statements"} and d["text"] == ARTICLE
    for st in d["statements"]:
        assert d["text"][st["start"]:st["end"]] == st["text"]
    # the same as a raw body and as an uploaded file
    raw = c.post("/api/extract?published=2023-03-06", content=ARTICLE.encode(), headers={"content-type": "text/plain"})
    assert raw.status_code == 200 and raw.json()["text"] == ARTICLE
    up = c.post("/api/extract", files={"file": ("berita.txt", ARTICLE.encode("utf-8"), "text/plain")},
                data={"published": "2023-03-06"})
    assert up.status_code == 200 and up.json()["text"] == ARTICLE and up.json()["source"] == "berita.txt"
    assert c.get("/api/stats").json()["articles"] in (0, 1, 2)  # extract stores nothing
    html = "<html><body><article><p>" + ARTICLE + "</p></article></body></html>"
    r = c.post("/api/extract", content=html.encode(), headers={"content-type": "text/html; charset=utf-8"})
    assert r.status_code == 200 and "Sri Mulyani" in r.json()["text"]


def test_extract_rejects_bad_input_clearly(web_write_server):
    c = web_write_server
    cases = [
        (c.post("/api/extract", json={"text": "   "}), 422, "empty"),
        (c.post("/api/extract", json={"txt": ARTICLE}), 422, "text"),
        (c.post("/api/extract", json=["a"]), 422, "object"),
        (c.post("/api/extract", content=b"{not json", headers={"content-type": "application/json"}), 422, "JSON"),
        (c.post("/api/extract", json={"text": ARTICLE, "published": "6 Maret"}), 422, "ISO date"),
        (c.post("/api/extract", files={"file": ("x.bin", b"\x00\x01\x02PK\x03\x04" * 50, "application/octet-stream")}),
         422, "binary"),
        (c.post("/api/extract", files={"file": ("e.txt", b"", "text/plain")}), 422, "empty"),
        (c.post("/api/extract", content=b"x", headers={"content-type": "image/png"}), 415, "content type"),
        (c.post("/api/extract", json={"text": "A" * 40_000}), 413, "too large"),
        (c.post("/api/extract", files={"file": ("big.txt", b"B" * 40_000, "text/plain")}), 413, "too large"),
        (c.post("/api/extract", content=b"C" * 200_000, headers={"content-type": "text/plain"}), 413, "32 KiB"),
    ]
    for r, status, words in cases:
        assert r.status_code == status, (status, r.text[:200])
        assert words.lower() in r.json()["detail"].lower(), r.json()
    # a lone surrogate in JSON cannot be stored or shown: refused, not a 500
    r = c.post("/api/extract", content=b'{"text": "kata \\ud800 dia"}', headers={"content-type": "application/json"})
    assert r.status_code == 422 and "Unicode" in r.json()["detail"]


def test_extract_page_shows_the_result_highlighted(web_write_server):
    c = web_write_server
    assert c.get("/extract").status_code == 200
    r = c.post("/extract", data={"text": ARTICLE + " " + HOSTILE_SCRIPT, "published": "2023-03-06"},
               files={"file": ("", b"", "application/octet-stream")})
    assert r.status_code == 200
    assert 'id="article-text"' in r.text and HOSTILE_SCRIPT not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert '<details class="json">' in r.text and "&#34;statements&#34;" in r.text
    r = c.post("/extract", files={"file": ("berita.html", ("<p>" + ARTICLE + "</p>").encode(), "text/html")})
    assert r.status_code == 200 and "Sri Mulyani" in r.text
    r = c.post("/extract", data={"text": "  "}, files={"file": ("", b"", "application/octet-stream")})
    assert r.status_code == 422 and "Nothing to extract" in r.text and 'class="error-msg"' in r.text
