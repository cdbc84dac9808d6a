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


def _fill(url: str) -> dict:
    """Fill the store at ``url`` with the sample articles plus one whose statement has 70 distinct
    indexed words (a search for all of them once needed a 70-table join); {source: article_id}."""
    from kutip.store import Store
    from web_samples import article_many_words

    store = Store(url=url)
    ids = {}
    try:
        for art, kw in all_articles() + [article_many_words()]:
            article_id, status = store.add_article(art, **kw)
            ids[art.source] = article_id
    finally:
        store.close()
    return ids


@pytest.fixture(scope="session")
def web_pg_url():
    """A throwaway database on a real PostgreSQL server ($KUTIP_TEST_PG, 127.0.0.1:5432, or one
    started with initdb); skipped with the reason when none can be had."""
    from kutip.store.testing import PostgresUnavailable, postgres_server, throwaway_database

    try:
        admin = postgres_server()
        url, drop = throwaway_database(admin, "kutip_test_web")
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield url
    drop()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hostile_store(request, tmp_path_factory):
    """(db_url, {source: article_id}) of a filled store, on a real SQLite file and on a real
    PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('webhostile') / 'hostile.db'}"
    else:
        url = request.getfixturevalue("web_pg_url")
    return url, _fill(url)


@pytest.fixture(scope="session")
def hostile_server(hostile_store):
    """A live server over ``hostile_store`` (writes allowed with WEB_TOKEN, 256 KiB bodies, room for
    the sweep's 4 concurrent extractions)."""
    from kutip.web.app import create_app

    url, _ = hostile_store
    app = create_app(db_url=url, api_token=WEB_TOKEN, max_upload_bytes=256 * 1024, extract_timeout=20,
                     max_extractions=8)
    with LiveServer(app) as srv:
        srv.app = app
        yield srv
    app.state.store.close()


@pytest.fixture(scope="session")
def hostile_client(hostile_server):
    with httpx.Client(base_url=hostile_server.url, timeout=60) as client:
        yield client
