"""Hostile text (markup, quotes, SQL metacharacters, control characters) is inert on every page."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from web_samples import HOSTILE_IMG, HOSTILE_SCRIPT, HOSTILE_SQL


class _Audit(HTMLParser):
    """Records every script tag, event-handler attribute, javascript: link and bad character."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[dict] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
            if not (a.get("src") or "").startswith("/static/"):
                self.problems.append(f"script without a local src: {a}")
        if tag in ("img", "iframe", "object", "embed", "base", "meta") and tag != "meta":
            self.problems.append(f"unexpected <{tag}>")
        for k, v in attrs:
            if k.startswith("on"):
                self.problems.append(f"event handler attribute {k}={v!r} on <{tag}>")
            if k in ("href", "src", "action") and v and re.match(r"\s*(javascript|data|vbscript):", v, re.I):
                self.problems.append(f"{k}={v!r} on <{tag}>")
            if k == "style":
                self.problems.append("inline style attribute")

    def handle_data(self, data):
        self.texts.append(data)


def audit(html: str) -> _Audit:
    a = _Audit()
    a.feed(html)
    a.close()
    return a


def hostile_pages(web_client, web_ids):
    hid = web_ids["hostile.txt"]
    art = web_client.get(f"/api/articles/{hid}").json()
    st = art["statements"][0]
    pages = [
        "/", "/?q=DROP+TABLE", f"/?q={HOSTILE_SCRIPT}", f"/?outlet={HOSTILE_IMG}&speaker={HOSTILE_SQL}",
        "/articles", f"/articles/{hid}", "/speakers", f"/speakers/{st['speaker_id']}", "/clusters",
        f"/speakers/{st['speaker_id']}/{HOSTILE_SCRIPT}", f"/nothing/{HOSTILE_SCRIPT}",
        f"/?from={HOSTILE_SCRIPT}", "/?from=2023-13",
    ]
    if st["cluster_id"]:
        pages.append(f"/clusters/{st['cluster_id']}")
    return pages


def test_every_page_shows_hostile_text_inert(web_client, web_ids):
    for path in hostile_pages(web_client, web_ids):
        r = web_client.get(path)
        assert r.status_code in (200, 400, 404), (path, r.status_code)
        assert r.headers["content-type"].startswith("text/html"), path
        html = r.text
        assert HOSTILE_SCRIPT not in html, path
        assert "<img" not in html, path
        assert "Traceback" not in html, path
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", html), f"raw control character in {path}"
        a = audit(html)
        assert not a.problems, (path, a.problems)
        assert [s.get("src") for s in a.scripts] == ["/static/kutip.js"], path


def test_hostile_article_page_shows_the_text_as_text(web_client, web_ids):
    html = web_client.get(f"/articles/{web_ids['hostile.txt']}").text
    text = "".join(audit(html).texts)
    assert HOSTILE_SCRIPT in text  # shown to the reader, as text
    assert HOSTILE_IMG in text and HOSTILE_SQL in text
    assert "\u2400\u2401\u2407\u241b\u2421" in text  # control characters made visible, one for one
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the article's javascript: URL is not turned into a link
    assert "javascript:" not in html


@pytest.mark.parametrize("path", ["/speakers/999999", "/articles/999999", "/clusters/999999", "/no/such/page",
                                  "/articles/abc"])
def test_friendly_404_pages(web_client, path):
    r = web_client.get(path)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Not found" in r.text and 'href="/"' in r.text and "Traceback" not in r.text


def test_json_is_not_html(web_client, web_ids):
    r = web_client.get(f"/api/articles/{web_ids['hostile.txt']}")
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["x-content-type-options"] == "nosniff"
