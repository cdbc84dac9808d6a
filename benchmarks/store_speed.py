"""Store speed: ingest rate into SQLite and PostgreSQL and search latency (p50/p95)
on a generated database of at least 100K statements.

    nice -n 10 .venv/bin/python benchmarks/store_speed.py                  # both databases
    .venv/bin/python benchmarks/store_speed.py --statements 100000 --sample 300 --db sqlite
    KUTIP_BENCH_PG=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/store_speed.py

What it does, per database (a fresh SQLite file / a throwaway PostgreSQL database):
1. ``add_article`` (the real path: speaker linking, quote clusters, search index, one
   transaction per article) on ``--sample`` articles: articles/s and statements/s.
2. ``Store.bulk_add`` (the same code, many articles per transaction, a savepoint each) on
   ``--bulk-sample`` articles.
3. Fills the database up to ``--statements``: by default with a generation path that writes
   rows straight into the same tables (same stemmed terms and BM25 weights, one speaker per
   name+affiliation, no clustering), so the run takes minutes; ``--fill real`` uses bulk_add.
4. Runs a fixed set of queries (single words, stemmed variants, two- and three-word queries,
   queries with filters, filter-only listings) ``--repeat`` times: p50/p95/max latency in ms,
   measured through ``Store.search`` (full rows returned, as the web API gets them).

The text is synthetic Indonesian-like prose from a vocabulary written here (roots with
Indonesian affixes, Zipf-distributed), with speakers, affiliations, outlets, dates and
some agency re-runs (near-identical quotes across outlets) so clusters form.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kutip.store.testing import AFFS, OUTLETS, Corpus  # noqa: E402  (the shared synthetic corpus)

l=f"https://bench.example/{outlet.lower().replace(' ', '-')}/{a}")
            yield art


def pct(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def fast_fill(st, corpus: "Corpus", n_articles: int, per: int, start: int) -> None:
    """Generation path for the big database: rows written straight into the store's tables
    (same schema, same stemmed terms and BM25 weights as add_article), without per-article
    speaker linking or clustering. One speaker per (name, affiliation), as linking would give."""
    import json as _json

    from sqlalchemy import func, select, text

    from kutip.link.names import name_tokens
    from kutip.store.schema import (Article, Outlet, Posting, Speaker, SpeakerAffiliation, SpeakerName,
                                    StatementRec, aff_key, utcnow)
    from kutip.store.store import bm25_weight, content_hash, outlet_key
    from kutip.store.textindex import term_counts

    eng = st.engine
    with eng.begin() as c:
        outlets = dict(c.execute(select(Outlet.key, Outlet.id)).all())
        for o in OUTLETS:
            if outlet_key(o) not in outlets:
                c.execute(Outlet.__table__.insert(), {"key": outlet_key(o), "name": o})
        outlets = dict(c.execute(select(Outlet.key, Outlet.id)).all())
        next_art = (c.scalar(select(func.max(Article.id))) or 0) + 1
        next_st = (c.scalar(select(func.max(StatementRec.id))) or 0) + 1
        next_sp = (c.scalar(select(func.max(Speaker.id))) or 0) + 1
    speakers: dict[tuple, int] = {}
    buf = {"a": [], "s": [], "p": [], "sp": [], "sn": [], "sa": []}

    def flush():
        with eng.begin() as c:
            for key, table in (("sp", Speaker), ("sn", SpeakerName), ("sa", SpeakerAffiliation), ("a", Article),
                               ("s", StatementRec), ("p", Posting)):
                rows = buf[key]
                for i in range(0, len(rows), 5000):
                    c.execute(table.__table__.insert(), rows[i:i + 5000])
                buf[key] = []

    now = utcnow()
    for n, art in enumerate(corpus.articles(n_articles, per, start=start), 1):
        m = art.metadata
        aid = next_art
        next_art += 1
        oid = outlets[outlet_key(m.outlet)]
        buf["a"].append({"id": aid, "url": m.url, "content_hash": content_hash(art.text), "fingerprint": "bench",
                         "outlet_id": oid, "published": m.published, "title": m.title, "source": None, "text": art.text,
                         "metadata_json": _json.dumps({"title": m.title, "outlet": m.outlet, "published": m.published}),
                         "created_at": now, "updated_at": now})
        for seq, stt in enumerate(art.statements):
            sp = stt.speaker
            key = (sp.name, sp.affiliation)
            sid = speakers.get(key)
            if sid is None:
                sid = speakers[key] = next_sp
                next_sp += 1
                buf["sp"].append({"id": sid, "name": sp.name, "type": "person", "key": sp.name.lower()})
                toks = name_tokens(sp.name)
                forms = {" ".join(toks): sp.name, toks[-1]: sp.name.split()[-1]}
                for norm, form in forms.items():
                    t = norm.split()
                    buf["sn"].append({"speaker_id": sid, "form": form, "norm": norm, "first_tok": t[0], "last_tok": t[-1],
                                      "n_tokens": len(t)})
                buf["sa"].append({"speaker_id": sid, "key": aff_key(sp.affiliation), "affiliation": sp.affiliation})
            counts, n_terms = term_counts(stt.text)
            st_id = next_st
            next_st += 1
            buf["s"].append({"id": st_id, "article_id": aid, "seq": seq, "kind": stt.kind, "text": stt.text,
                             "start": stt.start, "end_offset": stt.end, "cue_text": stt.cue.text, "cue_start": stt.cue.start,
                             "cue_end": stt.cue.end, "has_speaker": 1, "mention": sp.mention,
                             "mention_start": sp.mention_start, "mention_end": sp.mention_end, "speaker_name": sp.name,
                             "speaker_type": "person", "role": sp.role, "affiliation": sp.affiliation, "date_text": None,
                             "date_raw": None, "has_date": 0, "date_value": m.published, "location": None, "event": None,
                             "confidence": 0.9, "speaker_id": sid, "cluster_id": None, "n_terms": n_terms,
                             "outlet_id": oid})
            buf["p"].extend({"term": t, "statement_id": st_id, "tf": k, "w": bm25_weight(k, n_terms)}
                            for t, k in counts.items())
        if n % 1000 == 0:
            flush()
    flush()
    if eng.dialect.name == "postgresql":
        with eng.begin() as c:
            for t in ("article", "statement", "speaker", "speaker_name"):
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"))
    st._invalidate()


def bench_db(label: str, url: str, args) -> dict:
    from kutip.store import Store

    out = {"db": label}
    st = Store(url)
    corpus = Corpus()
    per = args.per_article
    # 1. the real add_article path on a sample
    sample = list(corpus.articles(args.sample, per))
    t0 = time.perf_counter()
    for art in sample:
        st.add_article(art)
    el = time.perf_counter() - t0
    out["add_article_articles_s"] = len(sample) / el
    out["add_article_statements_s"] = len(sample) * per / el
    # 2. bulk_add (the same code as add_article, many articles per transaction) on a second sample
    bulk = list(corpus.articles(args.bulk_sample, per, start=args.sample))
    t0 = time.perf_counter()
    for i in range(0, len(bulk), args.batch):
        st.bulk_add(bulk[i:i + args.batch])
    el = time.perf_counter() - t0
    out["bulk_articles_s"] = len(bulk) / el if bulk else 0
    out["bulk_statements_s"] = len(bulk) * per / el if bulk else 0
    # 3. fill up to the target
    have = (args.sample + args.bulk_sample) * per
    n_art = max(0, (args.statements - have + per - 1) // per)
    t0 = time.perf_counter()
    if args.fill == "fast":
        fast_fill(st, corpus, n_art, per, start=args.sample + args.bulk_sample)
    else:
        arts = corpus.articles(n_art, per, start=args.sample + args.bulk_sample)
        batch = []
        for art in arts:
            batch.append(art)
            if len(batch) >= args.batch:
                st.bulk_add(batch)
                batch = []
        if batch:
            st.bulk_add(batch)
    out["fill_seconds"] = time.perf_counter() - t0
    out["fill_statements_s"] = n_art * per / out["fill_seconds"] if n_art else 0
    out["stats"] = st.stats()
    st.analyze()
    # 4. search latency
    lat = []
    per_query = {}
    for q, kw in QUERIES:  # warm-up
        st.search(q, **kw)
    for _ in range(args.repeat):
        for q, kw in QUERIES:
            t = time.perf_counter()
            res = st.search(q, **kw)
            ms = (time.perf_counter() - t) * 1000
            lat.append(ms)
            per_query.setdefault((q, tuple(sorted(kw.items()))), []).append((ms, res["total"]))
    out["search_p50_ms"] = pct(lat, 50)
    out["search_p95_ms"] = pct(lat, 95)
    out["search_max_ms"] = max(lat)
    out["queries"] = len(lat)
    out["slowest"] = sorted(((statistics.median(m for m, _ in v), k, v[0][1]) for k, v in per_query.items()),
                            reverse=True)[:5]
    st.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--statements", type=int, default=100_000, help="statements in the database (default 100000)")
    ap.add_argument("--per-article", type=int, default=10)
    ap.add_argument("--sample", type=int, default=300, help="articles ingested one by one with add_article")
    ap.add_argument("--batch", type=int, default=200, help="articles per bulk_add transaction")
    ap.add_argument("--bulk-sample", type=int, default=500, help="articles stored with bulk_add (rate reported)")
    ap.add_argument("--fill", choices=["fast", "real"], default="fast",
                    help="how the rest of the database is generated: fast (rows written straight into the tables, "
                         "no linking/clustering) or real (bulk_add for everything: several minutes per database)")
    ap.add_argument("--repeat", type=int, default=8, help="passes over the query set")
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--sqlite-path", default=None, help="SQLite file (default: a temp file, removed after)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    started = time.perf_counter()
    results = []
    if args.db in ("sqlite", "both"):
        tmp = tempfile.mkdtemp(prefix="kutip-bench-")
        path = args.sqlite_path or os.path.join(tmp, "bench.db")
        if os.path.exists(path):
            os.remove(path)
        results.append(bench_db("SQLite", f"sqlite:///{path}", args))
        if not args.sqlite_path:
            for f in os.listdir(tmp):
                os.remove(os.path.join(tmp, f))
            os.rmdir(tmp)
    if args.db in ("postgres", "both"):
        from kutip.store.testing import throwaway_database

        admin = os.environ.get("KUTIP_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
        try:
            url, drop = throwaway_database(admin, "kutip_bench")
        except Exception as exc:
            print(f"PostgreSQL skipped: cannot create a database at {admin}: {exc}", file=sys.stderr)
        else:
            try:
                results.append(bench_db("PostgreSQL", url, args))
            finally:
                drop()

    print(f"\nKutip store benchmark: {args.statements} statements ({args.per_article} per article); "
          f"add_article on {args.sample} articles, bulk_add on {args.bulk_sample}, the rest filled '{args.fill}'; "
          f"{len(QUERIES)} queries x {args.repeat}")
    print(f"{'db':<11} {'add_article art/s':>18} {'stmt/s':>8} {'bulk_add art/s':>15} {'stmt/s':>8} "
          f"{'fill stmt/s':>12} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for r in results:
        print(f"{r['db']:<11} {r['add_article_articles_s']:>18.1f} {r['add_article_statements_s']:>8.0f} "
              f"{r['bulk_articles_s']:>15.1f} {r['bulk_statements_s']:>8.0f} {r['fill_statements_s']:>12.0f} "
              f"{r['search_p50_ms']:>7.1f} {r['search_p95_ms']:>7.1f} {r['search_max_ms']:>7.1f}")
    for r in results:
        print(f"{r['db']}: {r['stats']}")
    for r in results:
        print(f"slowest queries on {r['db']} (median ms, query, filters, total hits):")
        for ms, (q, kw), total in r["slowest"]:
            print(f"  {ms:7.1f}  {q!r} {dict(kw)} -> {total}")
    print(f"total run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
