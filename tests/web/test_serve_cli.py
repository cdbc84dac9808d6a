"""`kutip serve` as a user runs it: a real process, its printed address, then a request."""
from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx

RUN = [sys.executable, "-c", "from kutip.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_kutip_serve_prints_address_and_serves(tmp_path, web_store_info):
    db_url, _ = web_store_info
    port = _free_port()
    env = {k: v for k, v in __import__("os").environ.items() if k != "KUTIP_API_TOKEN"}
    proc = subprocess.Popen(RUN + ["serve", "--db", db_url, "--port", str(port), "--token", "s3cret"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        first = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first, first
        deadline = time.monotonic() + 20
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "kutip serve did not come up"
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["articles"] > 0
        r = httpx.post(f"http://127.0.0.1:{port}/api/articles", json={"text": "x"}, timeout=5)
        assert r.status_code == 401  # the --token enabled writes, so it asks for one
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()


def test_kutip_serve_port_in_use_is_a_clear_error(tmp_path):
    from typer.testing import CliRunner

    from kutip.cli import app
    from kutip.core.errors import KutipError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path}/x.db", "--port", str(port)])
    assert isinstance(result.exception, KutipError)  # kutip's main() prints it as one line, no traceback
    msg = str(result.exception)
    assert f"Cannot listen on 127.0.0.1:{port}" in msg and "--port" in msg
    assert not (tmp_path / "x.db").exists()  # nothing was opened
