"""HTML pages over HTTP: search, pagination, speaker chart links, article highlights, clusters."""
from __future__ import annotations

import re
from html import unescape

from web_samples import SRI_QUOTE, STOLTENBERG_QUOTE


def marks(html: str, cls: str) -> list[str]:
    """Text of the (unnested) <mark class="cls ..."> elements of a page."""
    return [unescape(re.sub(r"<[^>]+>", "", m))
            for m in re.findall(rf'<mark class="{cls}[^"]*"[^>]*>(.*?)</mark>', html, re.S)]


def test_search_page_results_filters_and_pages(web_client):
    html = web_client.get("/", params={"q": "inflasi"}).text
    assert SRI_QUOTE in html and "Sri Mulyani Indrawati" in html and 'value="inflasi"' in html
    html = web_client.get("/", params={"q": "defisit", "outlet": "Tempo", "kind": "direct"}).text
    assert "1–20 of 23" in html and 'rel="next"' in html and 'rel="prev"' not in html
    nxt = unescape(re.search(r'<a rel="next" href="([^"]+)"', html).group(1))
    assert "outlet=Tempo" in nxt and "page=2" in nxt
    page2 = web_client.get(nxt).text
    assert "21–23 of 23" in page2 and 'rel="prev"' in page2
    empty = web_client.get("/", params={"q": "zzzzqqq"}).text
    assert "No statements match" in empty
    home = web_client.get("/").text
    assert "Latest statements" in home and "statements</span>" in home


def test_speaker_page_chart_bars_link_to_that_period(web_client):
    sid = web_client.get("/api/speakers", params={"q": "Stoltenberg"}).json()["items"][0]["id"]
    html = web_client.get(f"/speakers/{sid}").text
    assert '<svg class="timeline"' in html and html.count('class="bar"') == 2
    link = unescape(re.search(r'<a href="(/\?speaker_id=[^"]+)"><rect class="bar"', html).group(1))
    assert link == f"/?speaker_id={sid}&from=2023-01-18&to=2023-01-18"
    filtered = web_client.get(link).text
    assert "Only statements by" in filtered and filtered.count('class="result"') == 2
    assert STOLTENBERG_QUOTE in html and "Sekretaris Jenderal" in html


def test_article_page_highlights_from_offsets(web_client, web_ids):
    page = web_client.get(f"/articles/{web_ids['antara-1.txt']}").text
    html = page[page.index('id="article-text"'):]
    html = html[:html.index("</div>")]
    assert STOLTENBERG_QUOTE in marks(html, "stmt")
    assert "sekutu harus meningkatkan dukungan militer" in marks(html, "stmt")
    assert sorted(marks(html, "cue")) == ["kata", "mengatakan"]
    assert sorted(marks(html, "speaker")) == ["Jens Stoltenberg", "Stoltenberg"]
    assert page.count('<tr id="row-') == 2


def test_cluster_pages(web_client, web_ids):
    art = web_client.get(f"/api/articles/{web_ids['kompas-1.html']}").json()
    cid = next(s["cluster_id"] for s in art["statements"] if s["text"] == STOLTENBERG_QUOTE)
    html = web_client.get(f"/clusters/{cid}").text
    assert "ANTARA" in html and "Kompas" in html and html.count('class="dot"') == 2
    assert f'href="/clusters/{cid}"' in web_client.get("/clusters").text


def test_lists(web_client):
    assert "Sri Mulyani Indrawati" in web_client.get("/speakers").text
    assert "Jens Stoltenberg" in web_client.get("/speakers", params={"q": "jens"}).text
    assert "No speakers match" in web_client.get("/speakers", params={"q": "tidak ada"}).text
    arts = web_client.get("/articles").text
    assert "NATO minta sekutu" in arts and 'rel="next"' not in arts  # 26 articles, 50 a page
