"""Fixtures for the web tests: a real SQLite store and real uvicorn servers on free ports."""
from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

sys.path.insert(0, str(Path(__file__).parent))  # sample_articles (tests run with --import-mode=importlib)

from sample_articles import all_articles  # noqa: E402

WEB_TOKEN = "test-token-123"


class LiveServer:
    """uvicorn serving an app in a background thread on a free 127.0.0.1 port."""

    def __init__(self, app) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


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
