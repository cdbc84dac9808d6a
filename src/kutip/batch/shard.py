"""One shard of a batch job, run where Dask puts it (or in this process): read its records,
extract each with :func:`kutip.extract`, write its parts. A pure function of the shard, the
options and the output location, so running it twice (a retry after a lost worker, a restarted
job) writes the same files with the same rows and skips every part already written.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Callable, Iterator, Optional

from kutip.batch.output import Output, article_schema, month_of, parquet_bytes, statement_schema
from kutip.batch.plan import Shard
from kutip.core.errors import KutipError, KutipInputError
from kutip.sources.records import SKIPPED, Record, Want, classify_input_error

_ISO = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")


def iso_day(v: Optional[str]) -> Optional[str]:
    if not v:
        return None
    m = _ISO.match(v)
    if m:
        return m.group(1)
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(v).date().isoformat()
    except Exception:
        return None


def shard_marker(shard_id: str) -> str:
    return f"_kutip/shards/{shard_id}.json"


def part_marker(shard_id: str, part: int) -> str:
    return f"_kutip/parts/{shard_id}-{part:05d}.json"


# --------------------------------------------------------------------------- records of a shard

def _job_records(jobs, source: str) -> Iterator[Record]:
    """Feed items (kutip.batch.sources.Job) as records."""
    for n, j in enumerate(jobs, 1):
        key = f"{source}#{j.url or n}"
        if j.error:
            yield Record(source=source, key=key, line=None, reject=("bad-feed", j.error))
        else:
            yield Record(source=j.source, key=key, fetch=j.fetch, content=j.content, url=j.url, outlet=j.outlet,
                         published=j.published, title=j.title)


def records(shard: Shard, want: Optional[Want], timeout: float) -> Iterator[Record]:
    from kutip.sources.jsonl import iter_jsonl
    from kutip.sources.warc import iter_warc

    if shard.kind == "jsonl":
        yield from _in_lane(shard, want, lambda w: iter_jsonl(shard.source, shard.start, shard.end, w))
    elif shard.kind == "warc":
        yield from _in_lane(shard, want, lambda w: iter_warc(shard.source, w, start=shard.start, end=shard.end))
    elif shard.kind == "files":
        for i, p in enumerate(shard.paths):
            yield Record(source=p, key=f"file:{p}", path=p) if want is None or want(i) else SKIPPED
    elif shard.kind in ("feed", "url"):
        yield from _feed_records(shard, timeout)
    else:  # pragma: no cover - plans only make the kinds above
        raise ValueError(f"unknown shard kind {shard.kind!r}")


def _in_lane(shard: Shard, want: Optional[Want], read: Callable[[Want], Iterator[Record]]) -> Iterator[Record]:
    """The records of the shard's lane of a stream (all of it when it has one lane), numbered in
    the lane: record ``i`` of the stream is in lane ``(i // block) % lanes``, as the lane's record
    ``(i // (block * lanes)) * block + i % block``. A reader asks ``want`` once for each record
    before it yields it; what it yields without asking (a stream broken at record ``n``) goes to
    the lane of record ``n``, so exactly one lane reports it."""
    if shard.lanes <= 1:
        yield from read(want)
        return
    lanes, lane, block = shard.lanes, shard.lane, shard.block
    asked = [0, False]                          # records asked about; whether the last is this lane's

    def lane_want(i: int) -> bool:
        asked[0] += 1
        asked[1] = mine = (i // block) % lanes == lane
        return mine and (want is None or want((i // (block * lanes)) * block + i % block))

    given = 0
    for rec in read(lane_want):
        if given < asked[0]:                    # the record just asked about
            given = asked[0]
            if asked[1]:
                yield rec
        elif (asked[0] // block) % lanes == lane:
            yield rec


def _feed_records(shard: Shard, timeout: float) -> Iterator[Record]:
    from kutip.batch.sources import feed_jobs, fetch_text, looks_like_feed
    from kutip.sources.files import read_document

    src = shard.source
    try:
        if shard.kind == "url":
            final, body = fetch_text(src, timeout)
        else:
            final, body = None, read_document(src).content
    except (ValueError, KutipInputError) as exc:
        yield Record(source=src, key=f"{src}#fetch", reject=("unreadable" if shard.kind == "feed" else "fetch", str(exc)))
        return
    if looks_like_feed(body):
        yield from _job_records(feed_jobs(body, src), src)
    else:
        yield Record(source=src, key=f"url:{src}", content=body, url=final or (src if shard.kind == "url" else None))


# --------------------------------------------------------------------------- one record

def _reject(rec: Record, kind: str, reason: str) -> dict:
    return {"id": rec.id, "source": rec.source, "position": rec.position(), "kind": kind, "reason": reason}


def extract_record(rec: Record, opts: dict):
    """(article, url, outlet, published) or raises KutipInputError / ValueError for a reject."""
    import kutip
    from kutip.batch.sources import fetch_text
    from kutip.sources.files import read_document

    content, url, html = rec.content, rec.url, rec.html
    if rec.path is not None:
        doc = read_document(rec.path)                      # the one reader, size limit and decoder
        content, html = doc.content, (True if doc.is_html else None)
    elif rec.fetch is not None and content is None:
        final, content = fetch_text(rec.fetch, opts.get("timeout", 20.0))
        url = url or final
    if content is None or not str(content).strip():
        raise KutipInputError(f"{rec.source} is empty: nothing to extract")
    pub = iso_day(rec.published) or opts.get("published")
    where = rec.source
    if rec.line is not None:
        where = f"{rec.source}:{rec.line}"
    elif rec.offset is not None:
        where = f"{rec.source}@{rec.offset}"
    art = kutip.extract(content, published=pub, source=where, url=url, outlet=rec.outlet, html=html,
                        use_model=opts.get("model", True), model_path=opts.get("model_path"))
    if rec.title and not art.metadata.title:
        art.metadata.title = rec.title
    return art, url or art.metadata.url, rec.outlet or art.metadata.outlet, pub or iso_day(art.metadata.published)


def _plain(v):
    """dataclasses.asdict without its deep copies (3x faster on an article): the same dicts and lists."""
    fields = getattr(v, "__dataclass_fields__", None)
    if fields is not None:
        return {k: _plain(getattr(v, k)) for k in fields}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def contract_without_text(art) -> dict:
    """``art.to_dict()`` less "text" (the article row keeps the text in its own column)."""
    return {"source": art.source, "metadata": _plain(art.metadata), "statements": [_plain(s) for s in art.statements]}


def rows_of(rec: Record, art, url, outlet, published) -> tuple[dict, list[dict], str]:
    meta = art.metadata
    date = published or iso_day(meta.date_estimate)
    contract = contract_without_text(art)
    a = {"id": rec.id, "source": rec.source, "offset": rec.offset, "line": rec.line, "url": url, "outlet": outlet,
         "published": published, "date": date, "title": meta.title, "statements": len(art.statements),
         "text": art.text, "contract": json.dumps(contract, ensure_ascii=False, sort_keys=True)}
    st = []
    for n, s in enumerate(art.statements):
        sp, cue, d = s.speaker, s.cue, s.date
        st.append({
            "id": f"{rec.id}-{n}", "article_id": rec.id, "n": n, "url": url, "outlet": outlet, "date": date,
            "kind": s.kind, "text": s.text, "start": s.start, "end": s.end,
            "cue": cue.text if cue else None, "cue_start": cue.start if cue else None, "cue_end": cue.end if cue else None,
            "speaker": sp.name if sp else None, "speaker_mention": sp.mention if sp else None,
            "speaker_type": sp.type if sp else None, "role": sp.role if sp else None,
            "affiliation": sp.affiliation if sp else None, "date_text": d.text if d else None,
            "date_value": d.value if d else None, "location": s.location, "event": s.event,
            "confidence": float(s.confidence),
        })
    return a, st, month_of(date)


# --------------------------------------------------------------------------- the shard

class _Part:
    def __init__(self):
        self.articles: dict[str, list[dict]] = defaultdict(list)
        self.statements: dict[str, list[dict]] = defaultdict(list)
        self.rejects: list[dict] = []
        self.n_articles = 0
        self.n_statements = 0

    def add(self, rec: Record, opts: dict) -> None:
        if rec.reject is not None:
            self.rejects.append(_reject(rec, *rec.reject))
            return
        try:
            art, url, outlet, pub = extract_record(rec, opts)
        except KutipInputError as exc:
            self.rejects.append(_reject(rec, classify_input_error(str(exc)), str(exc)))
            return
        except KutipError:          # not this record's fault (a model that does not load): stop the shard
            raise
        except ValueError as exc:                       # fetch failures say what and where
            self.rejects.append(_reject(rec, "fetch" if rec.fetch else "extract-error", str(exc)))
            return
        except Exception as exc:  # one article must never stop the job
            self.rejects.append(_reject(rec, "extract-error", f"{rec.source}: {type(exc).__name__}: {exc}"))
            return
        a, st, month = rows_of(rec, art, url, outlet, pub)
        self.articles[month].append(a)
        self.statements[month].extend(st)
        self.n_articles += 1
        self.n_statements += len(st)

    def commit(self, out: Output, shard_id: str, part: int) -> dict:
        files = []
        name = f"{shard_id}-{part:05d}.parquet"
        for month in sorted(self.articles):
            rel = f"statements/month={month}/{name}"
            if self.statements[month]:
                out.write(rel, parquet_bytes(self.statements[month], statement_schema()))
                files.append(rel)
            rel = f"articles/month={month}/{name}"
            out.write(rel, parquet_bytes(self.articles[month], article_schema()))
            files.append(rel)
        marker = {"articles": self.n_articles, "statements": self.n_statements, "rejects": self.rejects, "files": files}
        out.write_json(part_marker(shard_id, part), marker)      # last: the part is done
        return marker


def run_shard(shard: Shard, opts: dict, out_url: str,
              on_part: Optional[Callable[[dict], None]] = None) -> dict:
    """Run one shard (idempotent); returns its summary (also written as the shard's marker)."""
    import time

    cpu0, thread0 = time.process_time(), time.thread_time()
    out = Output(out_url)
    done = out.read_json(shard_marker(shard.id))
    if done is not None:
        return _brief(done)
    ps = int(opts["part_size"])
    markers: dict[int, Optional[dict]] = {}

    def marker_of(p: int) -> Optional[dict]:
        if p not in markers:
            markers[p] = out.read_json(part_marker(shard.id, p))
        return markers[p]

    def want(i: int) -> bool:
        return marker_of(i // ps) is None

    timeout = float(opts.get("timeout", 20.0))
    summary = {"shard": shard.id, "articles": 0, "statements": 0, "rejects": [], "files": [], "parts": 0, "records": 0}

    def finish(p: int, part: Optional[_Part]) -> None:
        m = marker_of(p)
        if m is None:
            m = part.commit(out, shard.id, p) if part is not None else _Part().commit(out, shard.id, p)
            markers[p] = m
        summary["articles"] += m["articles"]
        summary["statements"] += m["statements"]
        summary["rejects"].extend(m["rejects"])
        summary["files"].extend(m["files"])
        summary["parts"] += 1
        if on_part is not None:
            on_part(m)

    i = 0
    cur = 0
    part: Optional[_Part] = None
    for rec in records(shard, want, timeout):
        p = i // ps
        if p != cur:
            finish(cur, part)
            cur, part = p, None
        if marker_of(p) is None and rec is not SKIPPED:
            if part is None:
                part = _Part()
            part.add(rec, opts)
        i += 1
    if i:
        finish(cur, part)
    summary["records"] = i
    # this run's CPU (not an output: markers only): the worker process's, and this thread's alone
    summary["cpu_s"] = round(time.process_time() - cpu0, 4)
    summary["thread_cpu_s"] = round(time.thread_time() - thread0, 4)
    out.write_json(shard_marker(shard.id), summary)
    return _brief(summary)


def _brief(summary: dict) -> dict:
    """What a worker sends back: counts (the rejects and files stay in the marker)."""
    return {"shard": summary["shard"], "articles": summary["articles"], "statements": summary["statements"],
            "rejects": len(summary["rejects"]), "records": summary["records"], "cpu_s": summary.get("cpu_s", 0.0),
            "thread_cpu_s": summary.get("thread_cpu_s", 0.0)}
