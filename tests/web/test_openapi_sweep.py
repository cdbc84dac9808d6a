"""OpenAPI sweep: every path and method of the real app gets hostile values, and nothing answers 5xx.

The operations come from the live server's /openapi.json, plus the HTML pages (left out of the
schema) from the app's own routes. For each operation every parameter, one at a time, gets each
hostile value (huge and negative integers, "²", empty, 10K characters, NUL, bidi and astral
Unicode, an unpaired surrogate's bytes, SQL and HTML injection, nested JSON as text) while the
others keep a valid value; every operation with a request body gets hostile bodies (nested JSON,
wrong types in each field, a contract with each leaf replaced, raw text, forms, broken UTF-8).

Checked for each answer: no 5xx; an /api error is JSON with a `detail`, and a 422 for a query
parameter names it; an HTML answer never carries the injected markup unescaped. Then every stored
article (some were stored by the sweep) must still be readable as JSON and as a page.
Runs on real SQLite and real PostgreSQL (the `hostile_server` fixture).
"""
from __future__ import annotations

import json
import time
from urllib.parse import quote

import httpx
from web_live import WEB_TOKEN

MARK = "<script>alert(1)</script>"
HOSTILE = [
    str(2**63), str(2**64), "-1", "0", "²", "1.5", "", "x" * 10_000, "a\x00b", "\u202eevil😀",
    "' OR 1=1 --", MARK, "2023-02-30", "../../etc/passwd", "[[[[[[[[]]]]]]]]",
    " ".join(f"k{i}" for i in range(70)),
]
RAW_QUERY_BYTES = ["%ED%A0%80", "%FF%FE%C0%AF"]  # not valid UTF-8
VALID = {"speaker_id": "1", "article_id": "1", "cluster_id": "1", "limit": "5", "offset": "0", "page": "1",
         "kind": "direct", "from": "2023", "to": "2023-12-31"}
AUTH = {"Authorization": f"Bearer {WEB_TOKEN}"}
ARTICLE = 'JAKARTA - Menteri Keuangan Sri Mulyani mengatakan, "Inflasi terkendali," di Jakarta, Senin (6/3/2023).'
EXTRA_PAGE_PARAMS = {"/": ["from", "to"]}  # read from request.query_params by the search page


def _operations(spec: dict, app) -> list[tuple[str, str, list[dict], bool]]:
    """(method, path, parameters, has_body) for every operation in the schema, every page (the
    pages router is left out of the schema) and the app's other unlisted routes (/docs, /api)."""
    from fastapi.routing import APIRoute

    from kutip.web.pages import router as pages

    ops = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            ops.append((method.upper(), path, op.get("parameters", []), "requestBody" in op))
    hidden = list(pages.routes) + [r for r in app.routes if isinstance(r, APIRoute) and not r.include_in_schema]
    for route in hidden:
        if isinstance(route, APIRoute):
            params = [{"name": p.alias, "in": "path"} for p in route.dependant.path_params]
            params += [{"name": p.alias, "in": "query"} for p in route.dependant.query_params]
            params += [{"name": n, "in": "query"} for n in EXTRA_PAGE_PARAMS.get(route.path, [])]
            for method in sorted(route.methods - {"HEAD"}):
                ops.append((method, route.path, params, method == "POST"))
    return ops


def _url(path: str, params: list[dict], override: tuple[str, str] | None = None) -> str:
    """The address with valid path values, and the one parameter being attacked set to ``value``."""
    name, value = override or (None, None)
    for p in params:
        if p["in"] == "path":
            v = value if p["name"] == name else VALID.get(p["name"], "1")
            path = path.replace("{" + p["name"] + "}", quote(v, safe="") or "%20")
    if name is not None and any(p["name"] == name and p["in"] == "query" for p in params):
        path += "?" + quote(name, safe="") + "=" + quote(value, safe="")
    return path


class Sweep:
    """Sends requests and records every bad answer. ``later`` queues one; ``run`` sends the queue
    from a few threads (the server answers several at once; the check does not depend on order)."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.count = 0
        self.failures: list[str] = []
        self.seconds: dict[str, float] = {}
        self.slowest: list[tuple[float, str]] = []
        self.queue: list[tuple[tuple, dict]] = []

    def later(self, *args, **kw) -> None:
        self.queue.append((args, kw))

    def run(self, threads: int = 4) -> None:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda job: self.send(*job[0], **job[1]), self.queue))
        self.queue = []

    def send(self, method: str, url: str, what: str, *, param: str | None = None, in_query: bool = False,
             **kw) -> httpx.Response | None:
        self.count += 1
        t0 = time.perf_counter()
        try:
            r = self.client.request(method, url, **kw)
        except httpx.TransportError as exc:
            self.failures.append(f"{what}: no answer ({type(exc).__name__}: {exc})")
            return None
        finally:
            key = f"{method} {url.split('?')[0]}"
            took = time.perf_counter() - t0
            self.seconds[key] = self.seconds.get(key, 0.0) + took
            self.slowest = sorted(self.slowest + [(took, f"{key} [{what[:40]}]")], reverse=True)[:5]
        short = f"{method} {url[:120]} [{what}]"
        if r.status_code >= 500:
            self.failures.append(f"{short}: {r.status_code} {r.text[:200]}")
            return r
        ctype = r.headers.get("content-type", "")
        if url.startswith("/api") and r.status_code >= 400:
            try:
                detail = r.json()["detail"]
            except (ValueError, KeyError, TypeError):
                self.failures.append(f"{short}: {r.status_code} without a JSON detail: {r.text[:200]}")
                return r
            if r.status_code == 422 and in_query and param and param not in json.dumps(detail):
                self.failures.append(f"{short}: 422 does not name {param!r}: {detail}")
        if "text/html" in ctype and MARK in r.text:
            self.failures.append(f"{short}: the injected markup is in the page unescaped")
        return r


def _raw_status(port: int, head: str) -> int | str:
    """Send a request head by hand (httpx will not send a body shorter than its Content-Length)."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(head.encode("latin-1"))  # the answer must come without the body
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    parts = data.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else repr(data[:80])


def _contract() -> dict:
    quote_ = "Inflasi terkendali,"
    s = ARTICLE.index(quote_)
    c = ARTICLE.index("mengatakan")
    m = ARTICLE.index("Sri Mulyani")
    return {"text": ARTICLE, "source": "sweep.txt", "metadata": {"title": "T", "outlet": "ANTARA", "authors": ["A"]},
            "statements": [{"kind": "direct", "text": quote_, "start": s, "end": s + len(quote_),
                            "cue": {"text": "mengatakan", "start": c, "end": c + 10},
                            "speaker": {"mention": "Sri Mulyani", "mention_start": m, "mention_end": m + 11,
                                        "name": "Sri Mulyani", "type": "person", "role": "Menteri Keuangan",
                                        "affiliation": None},
                            "date": {"text": "Senin (6/3/2023)", "value": "2023-03-06"},
                            "location": "Jakarta", "event": None, "confidence": 0.9}]}


def _leaves(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _leaves(v, path + (i,))
    yield path


def _replaced(obj, path, value):
    obj = json.loads(json.dumps(obj))
    if not path:
        return value
    target = obj
    for k in path[:-1]:
        target = target[k]
    target[path[-1]] = value
    return obj


WRONG = [2**64, -1, "x", None, True, {}, [[[]]], "\ud800", float("nan")]
LEAF_WRONG = [2**64, -1, "x", None, {}, "\ud800", "a\x00b"]  # for each leaf of a contract


def _bodies(path: str) -> list[tuple[str, dict]]:
    """(what, request keyword arguments) of hostile bodies for a POST operation."""
    js = {"Content-Type": "application/json"}
    out: list[tuple[str, dict]] = [
        ("nested 100000", {"content": '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", "headers": js}),
        ("unclosed 50000", {"content": "[" * 50_000, "headers": js}),
        ("objects 20000", {"content": '{"a": ' * 20_000 + "1" + "}" * 20_000, "headers": js}),
        ("broken utf-8", {"content": b'{"text": "\xff\xfe\xc0"}', "headers": js}),
        ("lone surrogate escape", {"content": '{"text": "a \\ud800 b"}', "headers": js}),
        ("NaN", {"content": '{"text": NaN}', "headers": js}),
        ("huge number", {"content": '{"text": 1' + "0" * 5000 + "}", "headers": js}),
        ("not json", {"content": "{text: 'x'", "headers": js}),
        ("empty json", {"content": b"", "headers": js}),
        ("json with a charset", {"content": json.dumps({"text": ARTICLE}), "headers":
                                 {"Content-Type": "application/json; charset=latin-1"}}),
        ("odd content type", {"content": b"x", "headers": {"Content-Type": "application/x-evil"}}),
        ("bad charset", {"content": ARTICLE.encode(), "headers": {"Content-Type": "text/plain; charset=nope-42"}}),
        ("utf-16 text", {"content": ARTICLE.encode("utf-16"), "headers": {"Content-Type": "text/plain"}}),
        ("binary text", {"content": b"\x00\x01PK\x03\x04" * 100, "headers": {"Content-Type": "text/plain"}}),
        ("broken multipart", {"content": b"--x\r\nContent-Disposition: form-data\r\n\r\nhi",
                              "headers": {"Content-Type": "multipart/form-data; boundary=x"}}),
        ("multipart without boundary", {"content": b"abc", "headers": {"Content-Type": "multipart/form-data"}}),
        ("form file binary", {"files": {"file": ("x.bin", b"\x00\xff" * 500, "application/octet-stream")}}),
        ("form file utf-16", {"files": {"file": ("x.txt", ARTICLE.encode("utf-16"), "text/plain")}}),
        ("form bad published", {"data": {"text": ARTICLE, "published": "2023-02-30"}}),
        ("form huge published", {"data": {"text": ARTICLE, "published": str(2**64)}}),
        ("urlencoded", {"content": b"text=" + quote(ARTICLE).encode() + b"&outlet=%00",
                        "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
    ]
    for doc in ([], None, "str", 123, {}, {"txt": ARTICLE}):
        out.append((f"json {json.dumps(doc)[:20]}", {"json": doc}))
    for field in ("text", "published", "outlet", "url", "source"):
        for v in WRONG + [MARK, "x" * 10_000]:
            if field == "text" and isinstance(v, str) and len(v) > 50:
                v = v[:2000]  # keep extraction quick
            body = {"text": ARTICLE, field: v}
            out.append((f"json {field}={str(v)[:20]!r}", {"content": json.dumps(body, allow_nan=True), "headers": js}))
    for v in HOSTILE[6:12]:
        out.append((f"text/plain {v[:20]!r}", {"content": v.encode("utf-8", "surrogatepass"),
                                               "headers": {"Content-Type": "text/plain"}}))
        out.append((f"text/html {v[:20]!r}", {"content": f"<html><body><p>{v}</p></body></html>".encode(),
                                              "headers": {"Content-Type": "text/html"}}))
    if path == "/api/articles":
        base = _contract()
        for leaf in _leaves(base):
            for v in LEAF_WRONG:
                doc = json.dumps(_replaced(base, leaf, v), allow_nan=True)
                out.append((f"contract {'.'.join(map(str, leaf))}={str(v)[:12]!r}",
                            {"content": doc, "headers": js}))
        big = _replaced(base, ("statements",), base["statements"] * 200)
        out.append(("contract 200 statements", {"json": big}))
    return out


def test_openapi_sweep_no_5xx(hostile_server, hostile_client):
    t0 = time.monotonic()
    spec = hostile_client.get("/openapi.json").json()
    ops = _operations(spec, hostile_server.app)
    paths = {p for _, p, _, _ in ops}
    assert {"/api/statements", "/api/articles/{article_id}", "/api/extract", "/", "/speakers/{speaker_id}",
            "/extract"} <= paths, paths
    sweep = Sweep(hostile_client)
    for method, path, params, has_body in ops:
        if method == "GET":
            sweep.later(method, _url(path, params), "valid")
        for p in params:
            for value in HOSTILE:
                sweep.later(method if method == "GET" else "POST", _url(path, params, (p["name"], value)),
                           f"{p['name']}={value[:20]!r}", param=p["name"], in_query=p["in"] == "query",
                           **({"json": {"text": ARTICLE}, "headers": AUTH} if method == "POST" else {}))
            if p["in"] == "query":
                for raw in RAW_QUERY_BYTES:
                    sweep.later(method, _url(path, params) + f"?{p['name']}={raw}", f"{p['name']} raw {raw}")
        if has_body:
            for what, kw in _bodies(path):
                headers = {**AUTH, **kw.pop("headers", {})}
                sweep.later(method, path, what, headers=headers, **kw)
            r = sweep.send(method, path, "300 KiB body", headers={**AUTH, "Content-Type": "text/plain"},
                           content=b"x" * (300 * 1024))
            if r is not None and r.status_code != 413:
                sweep.failures.append(f"{method} {path} with a 300 KiB body: {r.status_code}, not 413")
            for declared in (2**40, 2**70):  # a body larger than allowed, announced and not sent
                status = _raw_status(hostile_server.port, f"{method} {path} HTTP/1.1\r\nHost: x\r\n"
                                     f"Content-Type: application/json\r\nContent-Length: {declared}\r\n\r\n")
                sweep.count += 1
                # past 2^64 uvicorn's HTTP parser refuses the header itself (400); else the app says 413
                if status not in ((400, 413) if declared > 2**63 else (413,)):
                    sweep.failures.append(f"{method} {path} declaring {declared} bytes: {status}, not 413")
    sweep.run()
    # the sweep stored some articles: each must still be readable
    items, offset = [], 0
    while True:
        page = hostile_client.get("/api/articles", params={"limit": 100, "offset": offset}).json()
        items += page["items"]
        if not page["next"]:
            break
        offset += 100
    for a in items:
        sweep.later("GET", f"/api/articles/{a['id']}", "stored article")
        sweep.later("GET", f"/articles/{a['id']}", "stored article page")
    sweep.run()
    elapsed = time.monotonic() - t0
    print(f"openapi sweep: {len(ops)} operations, {sweep.count} requests, {elapsed:.1f} s")
    for key, sec in sorted(sweep.seconds.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {sec:6.1f} s  {key[:70]}")
    print("  slowest:", "; ".join(f"{sec:.2f} s {what}" for sec, what in sweep.slowest))
    assert sweep.count > 1000
    assert not sweep.failures, f"{len(sweep.failures)} bad answers of {sweep.count}:\n" + "\n".join(sweep.failures[:40])


def test_sweep_checks_can_fail(hostile_client):
    """The checker itself reports a bad answer, so the sweep cannot pass vacuously."""
    sweep = Sweep(hostile_client)
    sweep.send("GET", "/api/statements?limit=abc", "bad limit", param="limit", in_query=True)
    assert not sweep.failures
    sweep.send("GET", "/api/statements?limit=abc", "named wrongly", param="offset", in_query=True)
    assert sweep.failures and "does not name" in sweep.failures[0]
    sweep.send("GET", "/?q=" + quote(MARK), "reflected query")
    assert len(sweep.failures) == 1  # the search page shows the query, escaped
