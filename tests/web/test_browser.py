"""One real browser run (Debian's chromium through Playwright): search, speaker page, article page."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from web_samples import HOSTILE_SCRIPT, SRI_QUOTE, STOLTENBERG_QUOTE

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def web_browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the python playwright package is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_search_speaker_and_article_pages(web_browser, web_server, web_ids):
    ARTIFACTS.mkdir(exist_ok=True)
    page = web_browser.new_page(viewport={"width": 1280, "height": 860})
    dialogs, errors, outside = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(web_server.url) else None)
    page.set_default_timeout(10_000)

    # search
    page.goto(web_server.url + "/")
    page.fill("input[name=q]", "perdamaian Ukraina")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**/?q=perdamaian*")
    rows = page.locator("tr.result")
    assert rows.count() == 2
    assert STOLTENBERG_QUOTE[:40] in rows.first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

    # speaker page: timeline chart and all quotes
    page.locator("tr.result a.speaker-link").first.click()
    page.wait_for_url("**/speakers/*")
    assert page.locator("h1.speaker-name").inner_text().strip() == "Jens Stoltenberg"
    assert page.locator("svg.timeline rect.bar").count() >= 2
    assert page.locator("tr.result").count() == 3
    page.screenshot(path=str(ARTIFACTS / "speaker.png"), full_page=True)

    # article page: statement, cue and speaker highlights with the right text
    page.locator("tr.result a.quote").last.click()
    page.wait_for_url("**/articles/*")
    stmts = page.locator("#article-text mark.stmt")
    texts = stmts.all_inner_texts()
    assert STOLTENBERG_QUOTE in texts
    assert "sekutu harus meningkatkan dukungan militer" in texts
    assert page.locator("#article-text mark.stmt.k-direct").first.get_attribute("data-speaker") == "Jens Stoltenberg"
    assert set(page.locator("#article-text mark.cue").all_inner_texts()) == {"kata", "mengatakan"}
    assert set(page.locator("#article-text mark.speaker").all_inner_texts()) == {"Stoltenberg", "Jens Stoltenberg"}
    assert page.locator("table.stmts tbody tr").count() == 2
    # the marks and the table rows are tied by data-stmt
    key = page.locator("#article-text mark.stmt.k-direct").first.get_attribute("data-stmt")
    assert page.locator(f"table.stmts tr[data-stmt='{key}']").count() == 1
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)

    # the hostile article: shown as text, nothing runs
    page.goto(f"{web_server.url}/articles/{web_ids['hostile.txt']}")
    assert HOSTILE_SCRIPT in page.locator("#article-text").inner_text()
    assert page.locator("#article-text script, #article-text img").count() == 0
    assert HOSTILE_SCRIPT in page.locator("#article-text mark.stmt").first.inner_text()
    assert page.locator("h1.article-title").inner_text().startswith(HOSTILE_SCRIPT)
    page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)

    # a second search, the other speaker, via the filters
    page.goto(web_server.url + "/?q=inflasi&outlet=Kompas")
    assert SRI_QUOTE[:30] in page.locator("tr.result").first.inner_text()

    assert dialogs == [], dialogs
    assert errors == [], errors
    assert outside == [], outside
