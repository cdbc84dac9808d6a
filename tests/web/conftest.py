"""Fixtures for the web tests: a real SQLite store and real uvicorn servers on free ports."""
from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # web_samples, web_live (tests run with --import-mode=importlib)

from web_live import WEB_TOKEN, LiveServer  # noqa: E402
from web_samples import all_articles  # noqa: E402


@pytest.fixture(scope="session")
def web_store_info(tmp_path_factory):
    """A real SQLite store file filled with the sample articles; returns (db_url, {source: article_id})."""
    from kutip.store import Store

    db = tmp_path_factory.mktemp("webdb") / "kutip-web.db"
    url = f"sqlite:///{db}"
    store = Store(url=url)
    ids = {}
    for art, kw in all_articles():
        article_id, status = store.add_article(art, **kw)
        assert status == "created"
        ids[art.source] = article_id
    store.close()
    return url, ids


@pytest.fixture(scope="session")
def web_server(web_store_info):
    """A live server over the sample store, writes allowed with WEB_TOKEN."""
    from kutip.web.app import create_app

    url, _ = web_store_info
    with LiveServer(create_app(db_url=url, api_token=WEB_TOKEN, max_upload_bytes=64 * 1024)) as srv:
        yield srv


@pytest.fixture(scope="session")
def web_client(web_server):
    with httpx.Client(base_url=web_server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def web_ids(web_store_info):
    return web_store_info[1]
