"""Fixtures of the batch/CLI tests: sample articles on disk and a local HTTP server
(127.0.0.1 only) serving pages and RSS/Atom feeds."""
from __future__ import annotations

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))  # batch_inputs (tests run with --import-mode=importlib)

BATCH_ARTICLES = {
    "a.txt": ("Jakarta (ANTARA) - Menteri Keuangan Sri Mulyani Indrawati mengatakan bahwa defisit anggaran "
              "akan dijaga di bawah tiga persen tahun depan.\n\n"
              "\"Kami akan terus berunding dengan DPR soal belanja negara yang lebih efisien,\" kata Sri Mulyani "
              "di Jakarta, Senin (6/3).\n"),
    "b.html": ("<html><head><title>Perundingan damai</title></head><body><article><h1>Perundingan damai</h1>"
               "<p>Sekretaris Jenderal NATO Jens Stoltenberg mengatakan bahwa perundingan damai hanya mungkin "
               "jika Ukraina kuat di medan perang.</p>"
               "<p>\"Kita perlu memberikan dukungan militer kepada Ukraina. Itulah satu-satunya cara,\" kata "
               "Stoltenberg di Brussels.</p></article></body></html>"),
}


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802
        route = self.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b"not found")
            return
        ctype, body, delay = route
        if delay:
            time.sleep(delay)
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        try:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def batch_http():
    """A local server: set routes with server.routes[path] = (content_type, body, delay_seconds)."""
    routes: dict = {}
    handler = type("H", (_Handler,), {"routes": routes})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}"
    srv.routes = routes
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def batch_dir(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for name, text in BATCH_ARTICLES.items():
        (d / name).write_text(text, encoding="utf-8")
    return d
