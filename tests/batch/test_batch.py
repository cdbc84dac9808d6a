"""`kutip batch`: every input kind gives the rows kutip.extract gives, each kind of bad record is a
reject that never stops the job, and a job resumed after a crash ends with exactly the output of an
uninterrupted one. Real files, the real extractor, real Parquet; no mocks."""
from __future__ import annotations

import gzip
import json
import shutil

import pytest
from batch_inputs import (article_html, article_text, html_records, jsonl_record, snapshot, write_jsonl,
                          write_warc)
from typer.testing import CliRunner

import kutip
from kutip.batch.plan import plan
from kutip.cli import app
from kutip.sources.jsonl import iter_jsonl

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Warta Umpan</title><link>{base}/</link><description>x</description>
<item><title>Satu</title><link>{base}/p/1.html</link><pubDate>Mon, 06 Mar 2023 10:00:00 +0700</pubDate></item>
<item><title>Dua</title><link>{base}/p/2.html</link><pubDate>Tue, 04 Apr 2023 09:00:00 +0700</pubDate></item>
<item><title>Hilang</title><link>{base}/p/missing.html</link></item>
</channel></rss>"""


def batch(*args, env=None):
    """The kutip CLI in this process, as kutip.cli.main runs it: (exit code, stdout, stderr/message)."""
    from kutip.core.errors import KutipError

    res = CliRunner().invoke(app, ["batch", *map(str, args)], env=env)
    if isinstance(res.exception, KutipError):
        return res.exception.exit_code, res.output, str(res.exception)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.output, ""


def by(rows, key):
    return {r[key]: r for r in rows}


def test_every_input_kind_gives_the_rows_extract_gives(tmp_path, batch_http):
    b = batch_http.base
    batch_http.routes.update({
        "/feed.xml": ("application/rss+xml", RSS.format(base=b), 0),
        "/p/1.html": ("text/html; charset=utf-8", article_html(31), 0),
        "/p/2.html": ("text/html; charset=utf-8", article_html(32), 0),
    })
    inp = tmp_path / "in"
    inp.mkdir()
    write_jsonl(inp / "plain.jsonl", range(0, 5))
    write_jsonl(inp / "packed.jsonl.gz", range(5, 9), gz=True, html=True)
    write_warc(inp / "crawl.warc.gz", html_records(range(10, 13)))
    write_warc(inp / "plain.warc", html_records(range(13, 15), host="https://plain.example"), gz=False)
    (inp / "one.txt").write_text(article_text(20), encoding="utf-8")
    (inp / "two.html").write_text(article_html(21), encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, msg = batch(inp, f"{b}/feed.xml", "--out", out, "--no-model", "--workers", "1", "--part-size", "2", "-q")
    assert code == 0, msg
    assert "18 articles" in stdout and "1 rejects" in stdout
    snap = snapshot(out)
    arts = by(snap["articles"], "url")
    # JSONL: fields carried, statements as kutip.extract gives them, by month of `published`
    for i in range(5):
        a = arts[f"https://warta.example/{i}"]
        d = jsonl_record(i)
        assert (a["outlet"], a["published"], a["title"], a["month"]) == (d["outlet"], d["published"], d["title"],
                                                                        d["published"][:7])
        want = kutip.extract(d["text"], published=d["published"], use_model=False)
        mine = sorted((s for s in snap["statements"] if s["article_id"] == a["id"]), key=lambda s: s["n"])
        assert [(s["kind"], s["text"], s["start"], s["speaker"]) for s in mine] == \
               [(s.kind, s.text, s.start, s.speaker.name) for s in want.statements]
        assert all((s["url"], s["outlet"], s["date"]) == (a["url"], a["outlet"], a["published"]) for s in mine)
        assert a["text"] == want.text and a["statements"] == len(want.statements) == 2
        same = kutip.extract(d["text"], published=d["published"], source=f"{inp / 'plain.jsonl'}:{i + 1}",
                             url=d["url"], outlet=d["outlet"], use_model=False)
        same.metadata.title = d["title"]
        assert {**json.loads(a["contract"]), "text": a["text"]} == same.to_dict()      # the whole contract
    for i in range(5, 9):                      # .jsonl.gz with html
        assert arts[f"https://warta.example/{i}"]["title"] == f"Berita {i}"
    for i in range(10, 13):                    # WARC.gz responses: the page's URL, HTML through extract()
        a = arts[f"https://crawl.example/{i}"]
        want = kutip.extract(article_html(i), html=True, use_model=False)
        assert a["text"] == want.text and a["statements"] == len(want.statements) > 0
        assert a["month"] == "unknown" and a["offset"] is not None
    assert {"https://plain.example/13", "https://plain.example/14"} <= set(arts)
    files = {a["source"].rsplit("/", 1)[-1]: a for a in snap["articles"] if a["url"] is None}
    assert set(files) == {"one.txt", "two.html"}
    # the feed's items are fetched; the missing one is a reject
    assert arts[f"{b}/p/1.html"]["outlet"] == "Warta Umpan" and arts[f"{b}/p/1.html"]["month"] == "2023-03"
    assert arts[f"{b}/p/2.html"]["month"] == "2023-04"
    rejects = [json.loads(x) for x in snap["rejects"].splitlines()]
    assert [(r["kind"], r["source"]) for r in rejects] == [("fetch", f"{b}/p/missing.html")]
    assert "HTTP 404" in rejects[0]["reason"]
    # one row per statement; every statement row points at an article row
    assert len(snap["statements"]) == sum(a["statements"] for a in snap["articles"])
    assert {s["article_id"] for s in snap["statements"]} <= {a["id"] for a in snap["articles"]}
    assert len({a["id"] for a in snap["articles"]}) == len(snap["articles"])


def test_each_kind_of_bad_record_is_a_reject_and_the_job_goes_on(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    write_jsonl(inp / "mixed.jsonl", [0, 1], extra_lines=[
        "{not json",
        "[1, 2]",
        json.dumps({"url": "https://warta.example/no-text", "text": "   "}),
        json.dumps({"text": "x" * 3000}),                               # over KUTIP_MAX_BYTES=2000 below
        json.dumps({"html": "<html><body><nav>Beranda</nav></body></html>"}),
    ])
    (inp / "mixed.jsonl").write_bytes((inp / "mixed.jsonl").read_bytes() + b'{"text": "caf\xe9"}\n')
    good = gzip.compress(("\n".join(json.dumps(jsonl_record(i)) for i in range(2, 6)) + "\n").encode(), mtime=0)
    (inp / "cut.jsonl.gz").write_bytes(good[: len(good) - 30])         # gzip stream cut short
    write_warc(inp / "crawl.warc.gz", html_records([6]) + [
        ("https://crawl.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n0000"),
        ("https://crawl.example/gone", "404 Not Found", "text/html", b"<html>gone</html>"),
    ])
    (inp / "crawl.warc.gz").write_bytes((inp / "crawl.warc.gz").read_bytes() + b"not a WARC record\r\n\r\n")
    (inp / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (inp / "empty.txt").write_bytes(b"")
    (inp / "ok.txt").write_text(article_text(7), encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, msg = batch(inp, "--out", out, "--no-model", "--workers", "1", "-q", env={"KUTIP_MAX_BYTES": "2000"})
    assert code == 0, msg
    snap = snapshot(out)
    rejects = [json.loads(x) for x in snap["rejects"].splitlines()]
    kinds = {}
    for r in rejects:
        assert set(r) == {"id", "source", "position", "kind", "reason"} and r["reason"]
        kinds.setdefault(r["kind"], []).append(r)
    assert sorted(kinds) == ["bad-json", "broken-gzip", "broken-warc", "empty", "giant", "http-status", "no-article",
                             "non-html", "undecodable"]
    assert [r["position"]["line"] for r in kinds["bad-json"]] == [3, 4]
    assert [r["position"]["line"] for r in kinds["giant"]] == [6]
    assert "2,000-byte limit" in kinds["giant"][0]["reason"]
    assert kinds["no-article"][0]["position"]["line"] == 7
    assert sorted(r["source"].rsplit("/", 1)[-1] + str(r["position"].get("line", "")) for r in kinds["empty"]) == \
           ["empty.txt", "mixed.jsonl5"]
    assert sorted(r["source"].rsplit("/", 1)[-1] for r in kinds["undecodable"]) == ["mixed.jsonl", "picture.txt"]
    assert kinds["broken-gzip"][0]["source"].endswith("cut.jsonl.gz")
    assert kinds["broken-warc"][0]["source"].endswith("crawl.warc.gz")
    assert "image/png" in kinds["non-html"][0]["reason"] and "HTTP 404" in kinds["http-status"][0]["reason"]
    # everything good is there: 2 JSONL lines, the gzip lines before the cut, the WARC page, the text file
    urls = {a["url"] for a in snap["articles"]}
    assert {"https://warta.example/0", "https://warta.example/1", "https://crawl.example/6"} <= urls
    assert any(a["source"].endswith("ok.txt") for a in snap["articles"])
    kept_from_gzip = {u for u in urls if u and u.rsplit("/", 1)[-1] in {"2", "3", "4", "5"}}
    assert 1 <= len(kept_from_gzip) < 4
    assert f"{len(rejects)} rejects" in stdout


@pytest.mark.parametrize("split", [1, 7, 64, 100, 1000, 10_000])
def test_jsonl_byte_ranges_cover_every_line_once(tmp_path, split):
    p = write_jsonl(tmp_path / "a.jsonl", range(40), extra_lines=["", "{bad", ""])
    def rows(records):
        return [(r.offset, r.id, r.reject and r.reject[0], r.content, r.url) for r in records]

    whole = rows(iter_jsonl(str(p)))
    shards = plan([str(p)], split_bytes=split)
    assert len(shards) == -(-p.stat().st_size // split)
    parts = rows(r for s in shards for r in iter_jsonl(s.source, s.start, s.end))
    assert parts == whole and len(whole) == 41


def test_restart_skips_finished_parts_and_redoes_the_rest_exactly(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    write_jsonl(inp / "a.jsonl", range(30), extra_lines=["{bad"])
    write_warc(inp / "b.warc.gz", html_records(range(30, 36)))
    args = [inp, "--no-model", "--workers", "1", "--part-size", "4", "-q"]
    full = tmp_path / "full"
    assert batch(*args, "--out", full)[0] == 0
    # a crash: one shard unfinished, two of its parts never marked done, one Parquet file lost
    part = tmp_path / "part"
    shutil.copytree(full, part)
    shards = sorted((part / "_kutip" / "shards").iterdir(),
                    key=lambda p: -len(list((part / "_kutip" / "parts").glob(f"{p.stem}-*.json"))))
    shard_id = shards[0].stem                               # the JSONL shard: 8 parts
    shards[0].unlink()
    markers = sorted((part / "_kutip" / "parts").glob(f"{shard_id}-*.json"))
    assert len(markers) == 8
    for m in markers[1:3]:
        m.unlink()
    lost = next(iter(sorted(part.glob(f"statements/*/{markers[1].stem}.parquet"))))
    lost.unlink()
    (part / "rejects.jsonl").unlink()
    kept = {p: p.stat().st_mtime_ns for p in part.glob(f"*/*/{markers[0].stem}.parquet")}
    code, stdout, _ = batch(*args, "--out", part)
    assert code == 0 and "1 of 2 shards were already done" in stdout
    assert snapshot(part) == snapshot(full)
    assert {p: p.stat().st_mtime_ns for p in kept} == kept            # finished parts are not rewritten
    # and once more: nothing left to do, nothing changes
    code, stdout, _ = batch(*args, "--out", part)
    assert "2 of 2 shards were already done" in stdout and snapshot(part) == snapshot(full)


def test_clear_errors_name_the_option(tmp_path):
    p = write_jsonl(tmp_path / "a.jsonl", range(2))
    out = tmp_path / "out"
    cases = [
        ([tmp_path / "missing.jsonl", "--out", out], "INPUT"),
        ([p], "--out DIR"),
        ([p, "--out", out, "--published", "2023-13-01"], "--published"),
        ([p, "--out", out, "--model-path", tmp_path], "--model-path"),
        ([p, "--out", out, "--scheduler", "localhost:8786"], "--scheduler"),
        ([p, "--out", p], "--out"),
    ]
    for args, option in cases:
        code, _, msg = batch(*args, "-q")
        assert code == 2 and option in msg, (args, msg)
    code, _, msg = batch(p, "--out", out, "-q", env={"KUTIP_MAX_BYTES": "lots"})
    assert code == 2 and "KUTIP_MAX_BYTES" in msg
    code, _, msg = batch(p, "--db", "nosuchdb://x", "--out", tmp_path / "o2", "-w", "1", "-q")
    assert code == 1 and "database URL" in msg
    assert batch(p, "--out", out, "--no-model", "-w", "1", "-q")[0] == 0
    code, _, msg = batch(p, "--out", out, "--model", "-w", "1", "-q")       # same --out, other options
    assert code == 2 and "--model/--no-model was False, now True" in msg and "new --out" in msg
    code, _, msg = batch(p, tmp_path / "a.jsonl", "--out", out, "--no-model", "-w", "1", "-q")
    assert code == 2 and "other inputs" in msg
    # the installed command: one line on stderr, no traceback
    import subprocess

    from batch_inputs import KUTIP

    r = subprocess.run([KUTIP, "batch", str(tmp_path / "missing"), "--out", str(out)], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.startswith("kutip: error: INPUT ") and "Traceback" not in r.stderr


def test_db_is_loaded_once_in_plan_order_and_a_rerun_adds_nothing(tmp_path, monkeypatch):
    from kutip.store import Store

    inp = tmp_path / "in"
    inp.mkdir()
    write_jsonl(inp / "a.jsonl", range(12), extra_lines=["{bad"])
    write_warc(inp / "b.warc.gz", html_records(range(40, 44)))
    monkeypatch.chdir(tmp_path)
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    args = [inp, "--db", db, "--no-model", "--workers", "1", "--part-size", "5", "-q"]
    code, stdout, msg = batch(*args)
    assert code == 0, msg
    assert "16 created, 0 updated, 0 unchanged, 0 failed" in stdout and "parts kept in .kutip-batch/" in stdout
    st = Store(db)
    first = st.stats()
    rows = sorted((a["url"], a["published"], a["outlet"]) for a in st.articles(limit=100)["items"])
    st.close()
    assert first["articles"] == 16 and first["statements"] == 32
    assert rows[0][:2] == ("https://crawl.example/40", None)
    assert rows[4] == ("https://warta.example/0", "2023-01-01", "Warta Contoh")
    # the driver died after a shard was committed but before its marker: it is loaded again, unchanged
    state = next((tmp_path / ".kutip-batch").iterdir())
    for m in (state / "_kutip" / "stored").rglob("*.json"):
        m.unlink()
    code, stdout, _ = batch(*args)
    assert code == 0 and "0 created, 0 updated, 16 unchanged" in stdout
    st = Store(db)
    assert st.stats() == first
    st.close()
    # with --out too, the Parquet output is the one --out alone writes
    out = tmp_path / "out"
    assert batch(*args, "--out", out)[0] == 0
    alone = tmp_path / "alone"
    assert batch(inp, "--out", alone, "--no-model", "--workers", "1", "--part-size", "5", "-q")[0] == 0
    assert snapshot(out) == snapshot(alone)


def test_output_through_fsspec_is_the_same_as_on_disk(tmp_path):
    """A non-local --out (fsspec's in-memory filesystem here; s3:// the same way) takes the object-store
    path: whole objects, no renames; the rows are those written to a local directory."""
    import fsspec
    import pyarrow.parquet as pq

    p = write_jsonl(tmp_path / "a.jsonl", range(9), extra_lines=["{bad"])
    local = tmp_path / "local"
    args = [p, "--no-model", "--workers", "1", "--part-size", "4", "-q"]
    assert batch(*args, "--out", local)[0] == 0
    assert batch(*args, "--out", "memory://kutip-test/out")[0] == 0
    fs = fsspec.filesystem("memory")
    names = sorted(x.split("/kutip-test/out/", 1)[1] for x in fs.find("/kutip-test/out")
                   if "/_kutip/" not in x)
    assert names == snapshot(local)["files"]
    for name in names:
        if name.endswith(".parquet"):
            with fs.open(f"/kutip-test/out/{name}", "rb") as fh:
                assert pq.read_table(fh).to_pylist() == pq.read_table(local / name).to_pylist()
    assert fs.cat_file("/kutip-test/out/rejects.jsonl").decode() == (local / "rejects.jsonl").read_text()
    code, stdout, _ = batch(*args, "--out", "memory://kutip-test/out")
    assert "1 of 1 shards were already done" in stdout
    fs.rm("/kutip-test", recursive=True)


def test_the_plan_depends_on_the_inputs_only(tmp_path):
    inp = tmp_path / "in"
    (inp / "sub").mkdir(parents=True)
    for i in range(7):
        (inp / ("sub" if i % 2 else ".") / f"f{i}.txt").write_text(article_text(i), encoding="utf-8")
    (inp / ".hidden.txt").write_text("x")
    write_jsonl(inp / "a.jsonl", range(50))
    write_warc(inp / "c.warc.gz", html_records([1]))
    a = plan([str(inp)], part_size=3, split_bytes=4096)
    assert a == plan([str(inp)], part_size=3, split_bytes=4096)            # deterministic
    kinds = [s.kind for s in a]
    assert kinds.count("files") == 3 and kinds.count("warc") == 1
    assert [len(s.paths) for s in a if s.kind == "files"] == [3, 3, 1]
    assert not any(".hidden" in p for s in a for p in s.paths)
    ranges = [(s.start, s.end) for s in a if s.kind == "jsonl"]
    size = (inp / "a.jsonl").stat().st_size
    assert ranges[0][0] == 0 and ranges[-1][1] == size and all(x[1] == y[0] for x, y in zip(ranges, ranges[1:]))
    assert len({s.id for s in a}) == len(a)


def test_a_giant_line_across_shard_boundaries_is_one_reject(tmp_path):
    giant = json.dumps({"text": "kata " * 60_000})                   # 300 KB, over the 100 KB limit
    p = write_jsonl(tmp_path / "a.jsonl", range(3), extra_lines=[giant, json.dumps(jsonl_record(9))])
    shards = plan([str(p)], split_bytes=64 << 10)
    assert len(shards) >= 5
    recs = [r for s in shards for r in iter_jsonl(s.source, s.start, s.end, max_bytes=100_000)]
    assert [r.reject[0] if r.reject else r.url for r in recs] == [
        "https://warta.example/0", "https://warta.example/1", "https://warta.example/2", "giant",
        "https://warta.example/9"]


def _warc_rows(records):
    return [(r.offset, r.id, r.reject and r.reject[0], r.content, r.url) for r in records]


@pytest.mark.parametrize("split", [1, 300, 1000, 4096, 1 << 20])
def test_warc_gz_byte_ranges_cover_every_record_once(tmp_path, split):
    from kutip.sources.warc import iter_warc

    recs = html_records(range(12)) + [("https://crawl.example/pdf", "200 OK", "application/pdf", b"%PDF-1.4")]
    p = write_warc(tmp_path / "c.warc.gz", recs)
    whole = _warc_rows(iter_warc(str(p)))
    shards = plan([str(p)], split_bytes=split)
    size = p.stat().st_size
    assert len(shards) == (1 if size <= split else -(-size // split))
    assert all(s.kind == "warc" for s in shards) and len({s.id for s in shards}) == len(shards)
    parts = _warc_rows(r for s in shards for r in iter_warc(s.source, start=s.start, end=s.end))
    assert parts == whole and len(whole) == 13 and whole[-1][2] == "non-html"


def test_a_range_finds_the_next_record_past_bytes_that_only_look_like_gzip(tmp_path):
    from kutip.sources.warc import iter_warc, member_at_or_after

    p = write_warc(tmp_path / "c.warc.gz", html_records(range(4)))
    data = p.read_bytes()
    # a false start (the gzip magic, then no gzip) and a gzip member that is not a WARC record
    junk = b"\x1f\x8b\x08garbage" + gzip.compress(b"not a warc record", mtime=0)
    q = tmp_path / "j.warc.gz"
    q.write_bytes(junk + data)
    with open(q, "rb") as fh:
        assert member_at_or_after(fh, 1, None) == len(junk)
        assert member_at_or_after(fh, len(junk) + 1, len(junk) + 50) is None
    got = [r.url for r in iter_warc(str(q), start=1)]
    assert got == [r.url for r in iter_warc(str(p))] and len(got) == 4


def test_a_broken_member_in_one_range_loses_only_what_it_breaks(tmp_path):
    from kutip.sources.warc import iter_warc

    p = write_warc(tmp_path / "c.warc.gz", html_records(range(10)))
    fifth = [r.offset for r in iter_warc(str(p))][4]
    data = bytearray(p.read_bytes())
    data[fifth + 30:fifth + 70] = b"\x00" * 40           # the 5th page's gzip member destroyed
    p.write_bytes(bytes(data))
    shards = plan([str(p)], split_bytes=len(data) // 4 + 1)
    assert len(shards) == 4
    got = [r for s in shards for r in iter_warc(s.source, start=s.start, end=s.end)]
    rejects = [r for r in got if r.reject]
    kept = [r.url for r in got if not r.reject]
    assert [r.reject[0] for r in rejects] == ["broken-warc"]          # reported once, by its range
    assert "https://crawl.example/4" not in kept and "https://crawl.example/9" in kept   # later ranges go on
    assert len(set(kept)) == len(kept) >= 6 and set(kept) <= {f"https://crawl.example/{i}" for i in range(10)}


def test_a_big_crawl_file_in_ranges_gives_the_rows_of_one_shard(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    write_warc(inp / "c.warc.gz", html_records(range(9)))
    size = (inp / "c.warc.gz").stat().st_size
    code, _, err = batch(inp, "--out", tmp_path / "one", "--no-model", "--quiet")
    assert code == 0, err
    code, _, err = batch(inp, "--out", tmp_path / "split", "--no-model", "--quiet", "--split-mb", "0.001")
    assert code == 0, err
    assert len(plan([str(inp)], split_bytes=int(0.001 * (1 << 20)))) >= 3 and size > 3 * 1048
    one, split = snapshot(tmp_path / "one"), snapshot(tmp_path / "split")
    assert one["articles"] == split["articles"] and one["statements"] == split["statements"]
    assert len(one["articles"]) == 9


@pytest.mark.parametrize("block,split", [(1, 300), (3, 200), (4, 120), (1000, 100)])
def test_lanes_of_a_gzip_stream_share_its_records_out_once(tmp_path, block, split):
    from kutip.batch.shard import records

    p = write_jsonl(tmp_path / "a.jsonl.gz", range(23), gz=True, extra_lines=["", "{bad"])
    shards = plan([str(p)], part_size=block, split_bytes=split)
    size = p.stat().st_size
    assert len(shards) == min(16, -(-size // split)) > 1
    assert [(s.lane, s.lanes) for s in shards] == [(k, len(shards)) for k in range(len(shards))]
    lanes = [list(records(s, None, 1.0)) for s in shards]
    whole = _warc_rows(iter_jsonl(str(p)))
    assert sorted(_warc_rows(r for lane in lanes for r in lane)) == sorted(whole) and len(whole) == 24
    for k, lane in enumerate(lanes):           # each lane holds its blocks, in stream order
        idx = [[w[1] for w in whole].index(r.id) for r in lane]
        assert idx == sorted(idx) and all((i // block) % len(shards) == k for i in idx)


def test_a_lane_skips_its_finished_parts_by_its_own_numbering(tmp_path):
    from kutip.batch.shard import records
    from kutip.sources.records import SKIPPED

    p = write_jsonl(tmp_path / "a.jsonl.gz", range(20), gz=True)
    shards = plan([str(p)], part_size=2, split_bytes=300)
    lane = shards[1]
    every = [r.url for r in records(lane, None, 1.0)]
    # the lane's record j is in its part j // 2: leave out part 1, keep the others
    got = list(records(lane, lambda j: j // 2 != 1, 1.0))
    assert len(got) == len(every)
    assert [r.url if r is not SKIPPED else None for r in got] == [u if j // 2 != 1 else None for j, u in enumerate(every)]


def test_a_broken_gzip_stream_in_lanes_is_one_reject(tmp_path):
    from kutip.batch.shard import records

    p = write_jsonl(tmp_path / "a.jsonl.gz", range(30), gz=True)
    p.write_bytes(p.read_bytes()[:-300])                    # cut short
    shards = plan([str(p)], part_size=2, split_bytes=200)
    got = [r for s in shards for r in records(s, None, 1.0)]
    whole = list(iter_jsonl(str(p)))
    assert [r.reject[0] for r in got if r.reject] == ["broken-gzip"] == [r.reject[0] for r in whole if r.reject]
    assert sorted(r.id for r in got) == sorted(r.id for r in whole)


def test_an_uncompressed_warc_over_the_split_is_read_in_lanes(tmp_path):
    from kutip.batch.shard import records
    from kutip.sources.warc import iter_warc

    p = write_warc(tmp_path / "c.warc", html_records(range(7)), gz=False)
    shards = plan([str(p)], part_size=2, split_bytes=2000)
    assert len(shards) > 1 and all(s.lanes == len(shards) for s in shards)
    got = [r for s in shards for r in records(s, None, 1.0)]
    assert sorted(_warc_rows(got)) == sorted(_warc_rows(iter_warc(str(p))))


def test_a_big_gzip_stream_in_lanes_gives_the_rows_of_one_shard(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    write_jsonl(inp / "a.jsonl.gz", range(40), gz=True, extra_lines=["{bad"])
    assert len(plan([str(inp)], part_size=2, split_bytes=int(0.001 * (1 << 20)))) >= 2
    code, _, err = batch(inp, "--out", tmp_path / "one", "--no-model", "--quiet")
    assert code == 0, err
    code, _, err = batch(inp, "--out", tmp_path / "lanes", "--no-model", "--quiet", "--part-size", "2",
                         "--split-mb", "0.001")
    assert code == 0, err
    one, lanes = snapshot(tmp_path / "one"), snapshot(tmp_path / "lanes")
    assert one["articles"] == lanes["articles"] and one["statements"] == lanes["statements"]
    assert len(one["articles"]) == 40
    assert sorted(one["rejects"].splitlines()) == sorted(lanes["rejects"].splitlines())


def test_a_warc_gz_compressed_whole_is_one_reject_in_ranges_too(tmp_path):
    """`gzip crawl.warc` makes one gzip member of the whole crawl, which WARC readers refuse
    (records cannot be found without inflating everything before them): one reject, from the
    range at the start of the file, whatever the split."""
    from kutip.sources.warc import iter_warc

    u = write_warc(tmp_path / "u.warc", html_records(range(30)), gz=False)
    p = tmp_path / "whole.warc.gz"
    p.write_bytes(gzip.compress(u.read_bytes(), mtime=0))
    for split in (p.stat().st_size + 1, 512):
        got = [r for s in plan([str(p)], split_bytes=split) for r in iter_warc(s.source, start=s.start, end=s.end)]
        assert [r.reject[0] for r in got] == ["broken-warc"] and got[0].offset == 0
        assert "compressed as a whole" in got[0].reject[1] and "warcio recompress" in got[0].reject[1]


@pytest.mark.parametrize("threshold,analysed", [(1, True), (10_000, False)])
def test_a_big_load_refreshes_the_stores_statistics_once_at_the_end(tmp_path, monkeypatch, threshold, analysed):
    """After a load of ANALYZE_AFTER articles or more, `kutip batch --db` runs Store.analyze()
    (ANALYZE: SQLite keeps its statistics in sqlite_stat1; VACUUM (ANALYZE) on PostgreSQL)."""
    import sqlite3

    from kutip.batch import job

    monkeypatch.setattr(job, "ANALYZE_AFTER", threshold)
    inp = tmp_path / "in"
    inp.mkdir()
    write_jsonl(inp / "a.jsonl", range(6))
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "kb.db"
    code, stdout, msg = batch(inp, "--db", f"sqlite:///{db}", "--no-model", "--workers", "1", "-q")
    assert code == 0, msg
    assert "6 created" in stdout
    with sqlite3.connect(db) as c:
        has_stats = bool(c.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchall())
    assert has_stats == analysed
