"""Store speed: ingest rate into SQLite and PostgreSQL and search latency (p50/p95)
on a generated database of at least 100K statements.

    nice -n 10 .venv/bin/python benchmarks/store_speed.py                  # both databases
    .venv/bin/python benchmarks/store_speed.py --statements 100000 --sample 300 --db sqlite
    KUTIP_BENCH_PG=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/store_speed.py
    # build a 1M store once and keep it (SQLite file / PostgreSQL database), then measure it again without refilling:
    .venv/bin/python benchmarks/store_speed.py --statements 1000000 --db sqlite --keep /tmp/kb1m.db
    .venv/bin/python benchmarks/store_speed.py --db sqlite --keep /tmp/kb1m.db --reuse [--alternate 0]
    .venv/bin/python benchmarks/store_speed.py --statements 1000000 --db postgres --pg-db kutip_bench_1m   # then --reuse

What it does, per database (a fresh SQLite file / a throwaway PostgreSQL database):
1. ``add_article`` (the real path: speaker linking, quote clusters, search index and its
   statistics, one transaction per article) on ``--sample`` articles into the empty store.
2. Fills the database up to ``--statements``: by default with a generation path that writes
   the rows add_article writes straight into the same tables in batches (same stemmed terms
   and BM25 weights, the kept statistics, every statement's LSH band hashes; one speaker per
   name + affiliation, no clustering), so the run takes minutes; ``--fill real`` uses bulk_add.
3. ``add_article`` again on ``--sample`` new articles into the full store: the ratio of the
   two rates is what the store's size costs an ingest.
4. Runs a fixed set of queries (single words, stemmed variants, two- and three-word queries,
   queries with filters, filter-only listings) ``--repeat`` times: p50/p95/max latency in ms,
   measured through ``Store.search`` (full rows returned, as the web API gets them).
5. Speaker pages (the five busiest speakers and ten others), the speaker listing, the ten
   largest clusters' pages and the cluster listing: p95/max latency in ms.

The text is synthetic Indonesian-like prose (``kutip.store.testing.Corpus``: roots with
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

from kutip.store.testing import OUTLETS, QUERIES, Corpus  # the shared synthetic corpus


def pct(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def fast_fill(st, corpus: "Corpus", n_articles: int, per: int, start: int, bands: bool = True) -> None:
    """Generation path for the big database: the rows add_article writes, written straight into
    the store's tables in batches of 1,000 articles (same stemmed terms and BM25 weights, the
    same kept statistics: term_stat, corpus_stat, speaker counts and facets, and every
    statement's LSH band hashes), without per-article speaker linking (one speaker per name +
    affiliation, as linking would give) or clustering (no statement joins a cluster)."""
    import json as _json
    from collections import Counter

    from sqlalchemy import func, select, text

    from kutip.link.clusters import band_keys, shingles
    from kutip.link.names import name_tokens
    from kutip.store import record
    from kutip.store.base import content_hash, outlet_key
    from kutip.store.schema import (Article, LshBand, Outlet, Posting, Speaker, SpeakerAffiliation, SpeakerName,
                                    StatementRec, aff_key, utcnow)
    from kutip.store.speakers import upsert_facets
    from kutip.store.write import bm25_weight, bump_corpus, bump_terms
    from kutip.store.textindex import term_counts

    eng = st.write_engine
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
    buf = {"a": [], "s": [], "p": [], "sp": [], "sn": [], "sa": [], "b": []}
    stats = {"dfs": Counter(), "n": 0, "terms": 0, "counts": Counter(), "facets": {}}

    def flush():
        from sqlalchemy.orm import Session

        with Session(eng) as s, s.begin():
            c = s.connection()
            for key, table in (("sp", Speaker), ("sn", SpeakerName), ("sa", SpeakerAffiliation), ("a", Article),
                               ("s", StatementRec), ("p", Posting), ("b", LshBand)):
                rows = buf[key]
                for i in range(0, len(rows), 5000):
                    c.execute(table.__table__.insert(), rows[i:i + 5000])
                buf[key] = []
            bump_terms(s, stats["dfs"])
            bump_corpus(s, stats["n"], stats["terms"])
            from sqlalchemy import bindparam, update

            if stats["counts"]:   # (an empty parameter list would run the statement once, unbound)
                c.execute(update(Speaker).where(Speaker.id == bindparam("sid"))
                          .values(statement_count=Speaker.statement_count + bindparam("k")),
                          [{"sid": k, "k": v} for k, v in sorted(stats["counts"].items())])
            upsert_facets(s, list(stats["facets"].values()))
        stats.update(dfs=Counter(), n=0, terms=0, counts=Counter(), facets={})

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
                buf["sp"].append({"id": sid, "name": sp.name, "type": "person", "key": sp.name.lower(),
                                  "statement_count": 0})
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
            row = record.to_columns(stt)
            row.update(id=st_id, article_id=aid, seq=seq, date_value=m.published, speaker_id=sid, cluster_id=None,
                       n_terms=n_terms, outlet_id=oid)
            buf["s"].append(row)
            buf["p"].extend({"term": t, "statement_id": st_id, "tf": k, "w": bm25_weight(k, n_terms)}
                            for t, k in counts.items())
            if bands:
                buf["b"].extend({"key": k, "statement_id": st_id} for k in set(band_keys(shingles(stt.text))))
            stats["dfs"].update(counts.keys())
            stats["n"] += 1
            stats["terms"] += n_terms
            stats["counts"][sid] += 1
            fk = (sid, aff_key(sp.role) if sp.role else "", aff_key(sp.affiliation))
            f = stats["facets"].setdefault(fk, {"speaker_id": sid, "role_key": fk[1], "aff_key": fk[2], "role": sp.role,
                                               "affiliation": sp.affiliation, "n": 0, "first_date": None,
                                               "last_date": None})
            f["n"] += 1
            f["first_date"] = min(f["first_date"] or m.published, m.published)
            f["last_date"] = max(f["last_date"] or m.published, m.published)
        if n % 1000 == 0:
            flush()
            print(f"  filled {n}/{n_articles} articles", file=sys.stderr, flush=True)
    flush()
    if eng.dialect.name == "postgresql":
        with eng.begin() as c:
            for t in ("article", "statement", "speaker", "speaker_name"):
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"))
    st._invalidate()


_NOT_CREATED = [0]      # articles add_article took for re-ingests of stored ones (would skew the rates)


def _ingest_rate(st, arts) -> float:
    t0 = time.perf_counter()
    for art in arts:
        if st.add_article(art)[1] != "created":
            _NOT_CREATED[0] += 1
    return len(arts) / (time.perf_counter() - t0)


def _latencies(fn, calls, repeat) -> list:
    out = []
    for c in calls:       # warm-up
        fn(c)
    for _ in range(repeat):
        for c in calls:
            t = time.perf_counter()
            fn(c)
            out.append((time.perf_counter() - t) * 1000)
    return out


def _alternating_rates(full, empty, corpus, per, n, block=25, start=70_000_000) -> tuple[float, float]:
    """add_article rates on the full store and on an empty one, in alternating blocks of new
    articles (so the machine's load, which varies, weighs on both alike): best block each."""
    best = {"full": 0.0, "empty": 0.0}
    for k in range(max(1, n // block)):
        for name, st in (("full", full), ("empty", empty)) if k % 2 == 0 else (("empty", empty), ("full", full)):
            arts = list(corpus.articles(block, per, start=start))
            start += block
            for art in arts:
                for s in art.statements:
                    term_counts(s.text)
            best[name] = max(best[name], _ingest_rate(st, arts))
    return best["full"], best["empty"]


def term_counts(text):
    from kutip.store.textindex import term_counts as tc

    return tc(text)


def bench_db(label: str, url: str, args, empty_url: str = None) -> dict:
    from kutip.store import Store

    out = {"db": label}
    st = Store(url)
    if args.reuse:          # a kept full store: no fill; the side-by-side ingest (if --alternate), queries, pages
        st.analyze()
        out["stats"] = st.stats()
        if empty_url:
            # articles the kept store does not hold: a fresh Corpus repeats the first run's texts (same
            # seed), which add_article would take as re-ingests (same content hash) of stored articles;
            # the same people and vocabulary, new texts, URLs of this run
            run_id = time.time_ns() // 1000 % 10**9
            corpus = Corpus()
            corpus.r.seed(run_id)
            _side_by_side(st, empty_url, corpus, args.per_article, args, out, label, start=10**9 + 1000 * run_id)
        return _measure_reads(st, args, out)
    corpus = Corpus()
    per = args.per_article
    # 1. the real add_article path on an empty store
    first = list(corpus.articles(args.sample, per))
    later = list(corpus.articles(args.sample, per, start=50_000_000))
    from kutip.store.textindex import term_counts

    for art in first + later:          # the stemmer's memo warm for both samples alike
        for s in art.statements:
            term_counts(s.text)
    st.add_article(next(corpus.articles(1, per, start=9_000_000)))      # warm caches (MinHash, SQL compilation)
    out["empty_articles_s"] = _ingest_rate(st, first)
    print(f"  {label}: add_article on the empty store {out['empty_articles_s']:.1f} art/s", file=sys.stderr, flush=True)
    # 2. fill up to the target
    have = (args.sample + 1) * per
    n_art = max(0, (args.statements - have + per - 1) // per)
    t0 = time.perf_counter()
    if args.fill == "fast":
        fast_fill(st, corpus, n_art, per, start=args.sample + 10)
    else:
        batch = []
        for art in corpus.articles(n_art, per, start=args.sample + 10):
            batch.append(art)
            if len(batch) >= args.batch:
                st.bulk_add(batch)
                batch = []
        if batch:
            st.bulk_add(batch)
    out["fill_seconds"] = time.perf_counter() - t0
    out["fill_statements"] = n_art * per
    print(f"  {label}: filled {n_art * per} statements in {out['fill_seconds']:.0f} s", file=sys.stderr, flush=True)
    st.analyze()
    out["stats"] = st.stats()
    # 3. the same add_article path on the full store (new articles, agency re-runs of stored quotes included)
    out["full_articles_s"] = _ingest_rate(st, later)
    out["ratio"] = out["empty_articles_s"] / out["full_articles_s"]
    print(f"  {label}: add_article on the full store {out['full_articles_s']:.1f} art/s", file=sys.stderr, flush=True)
    if empty_url:
        _side_by_side(st, empty_url, corpus, per, args, out, label)
    return _measure_reads(st, args, out)


def _side_by_side(st, empty_url, corpus, per, args, out, label, start=70_000_000) -> None:
    # 3b. side by side: the full store and a second, empty one, alternating blocks
    from kutip.store import Store

    empty = Store(empty_url)
    empty.add_article(next(corpus.articles(1, per, start=8_000_000)))
    out["alt_full_s"], out["alt_empty_s"] = _alternating_rates(st, empty, corpus, per, args.alternate, start=start)
    out["alt_ratio"] = out["alt_empty_s"] / out["alt_full_s"]
    print(f"  {label}: side by side {out['alt_full_s']:.1f} art/s full, {out['alt_empty_s']:.1f} art/s empty",
          file=sys.stderr, flush=True)
    empty.close()


def _measure_reads(st, args, out: dict) -> dict:
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
    # 5. speaker pages (the busiest speakers and some others), listings, cluster pages
    top = [s["id"] for s in st.speakers(limit=5)["items"]]
    rnd = random.Random(3)
    n_sp = st.stats()["speakers"]
    some = top + [rnd.randint(1, max(1, n_sp)) for _ in range(10)]
    sp_lat = _latencies(lambda i: st.speaker(i, statements_limit=50), some, max(1, args.repeat // 4))
    list_lat = _latencies(lambda o: st.speakers(limit=50, offset=o), [0, 50, 500], max(1, args.repeat // 4))
    cl = [c["id"] for c in st.clusters(limit=10)["items"]]
    cl_lat = _latencies(st.cluster, cl, max(1, args.repeat // 4)) if cl else [0.0]
    cls_lat = _latencies(lambda o: st.clusters(limit=50, offset=o), [0, 50], max(1, args.repeat // 4))
    out["speaker_page_p95_ms"], out["speaker_page_max_ms"] = pct(sp_lat, 95), max(sp_lat)
    out["speakers_list_p95_ms"] = pct(list_lat, 95)
    out["cluster_page_p95_ms"], out["cluster_page_max_ms"] = pct(cl_lat, 95), max(cl_lat)
    out["clusters_list_p95_ms"] = pct(cls_lat, 95)
    out["top_speaker_statements"] = st.speakers(limit=1)["items"][0]["statement_count"]
    out["largest_cluster"] = (st.clusters(limit=1)["items"] or [{"size": 0}])[0]["size"]
    st.close()
    return out


def _kept_database(admin_url: str, name: str, fresh: bool):
    """A PostgreSQL database of that name, kept after the run (recreated empty first if ``fresh``);
    returns (its URL, a do-nothing drop)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from kutip.store.testing import _driver_url

    admin = create_engine(_driver_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        exists = c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if fresh:
            if exists:
                c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{name}"'))
        elif not exists:
            raise RuntimeError(f"--reuse: no database {name}")
    admin.dispose()
    return make_url(_driver_url(admin_url)).set(database=name).render_as_string(hide_password=False), lambda: None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--statements", type=int, default=100_000, help="statements in the database (default 100000)")
    ap.add_argument("--per-article", type=int, default=10)
    ap.add_argument("--sample", type=int, default=200,
                    help="articles ingested one by one with add_article, on the empty store and again at full size")
    ap.add_argument("--batch", type=int, default=200, help="articles per bulk_add transaction")
    ap.add_argument("--fill", choices=["fast", "real"], default="fast",
                    help="how the rest of the database is generated: fast (rows written straight into the tables, "
                         "no linking/clustering) or real (bulk_add for everything: several minutes per database)")
    ap.add_argument("--repeat", type=int, default=8, help="passes over the query set")
    ap.add_argument("--alternate", type=int, default=200,
                    help="articles per store in the side-by-side comparison with an empty store (0: none)")
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--sqlite-path", "--keep", dest="sqlite_path", default=None,
                    help="SQLite file, kept after the run (default: a temp file, removed after); an existing file "
                         "is replaced unless --reuse")
    ap.add_argument("--pg-db", default=None,
                    help="PostgreSQL database name to build the full store in and keep (default: a throwaway "
                         "database, dropped after); an existing one is dropped first unless --reuse")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse the full store kept by an earlier run at --keep / --pg-db: no fill; the side-by-side "
                         "ingest comparison (unless --alternate 0), then searches and pages")
    args = ap.parse_args()
    if args.reuse and not (args.sqlite_path or args.pg_db):
        ap.error("--reuse needs --keep PATH (SQLite) and/or --pg-db NAME (PostgreSQL)")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    started = time.perf_counter()
    results = []
    if args.db in ("sqlite", "both"):
        tmp = tempfile.mkdtemp(prefix="kutip-bench-")
        path = args.sqlite_path or os.path.join(tmp, "bench.db")
        if args.reuse:
            if not os.path.exists(path):
                sys.exit(f"--reuse: no store at {path}")
        else:
            for f in (path, path + "-wal", path + "-shm"):
                if os.path.exists(f):
                    os.remove(f)
        results.append(bench_db("SQLite", f"sqlite:///{path}", args,
                                empty_url=f"sqlite:///{os.path.join(tmp, 'empty.db')}" if args.alternate else None))
        for f in os.listdir(tmp):         # the empty side-by-side store (and the full one unless kept)
            os.remove(os.path.join(tmp, f))
        os.rmdir(tmp)
    if args.db in ("postgres", "both"):
        from kutip.store.testing import throwaway_database

        admin = os.environ.get("KUTIP_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
        try:
            if args.pg_db:
                url, drop = _kept_database(admin, args.pg_db, fresh=not args.reuse)
            else:
                url, drop = throwaway_database(admin, "kutip_bench")
            url2, drop2 = throwaway_database(admin, "kutip_bench_empty")
        except Exception as exc:
            print(f"PostgreSQL skipped: cannot create a database at {admin}: {exc}", file=sys.stderr)
        else:
            try:
                results.append(bench_db("PostgreSQL", url, args, empty_url=url2 if args.alternate else None))
            finally:
                drop()
                drop2()

    if args.reuse:
        print(f"\nKutip store benchmark on a kept store (--reuse): side by side with an empty store on "
              f"{args.alternate} articles each; {len(QUERIES)} queries x {args.repeat}")
    else:
        print(f"\nKutip store benchmark: {args.statements} statements ({args.per_article} per article); "
              f"add_article on {args.sample} articles empty and again at full size, the rest filled '{args.fill}'; "
              f"{len(QUERIES)} queries x {args.repeat}")
    for r in results:
        if "fill_seconds" not in r:
            print(f"{r['db']}: {r['stats']}; kept store reused (no fill)")
        else:
            print(f"{r['db']}: {r['stats']}; fill {r['fill_seconds']:.0f} s "
                  f"({r['fill_statements'] / max(r['fill_seconds'], 1e-9):.0f} statements/s)")
            print(f"  add_article: {r['empty_articles_s']:.1f} art/s empty, {r['full_articles_s']:.1f} art/s full "
                  f"(empty/full = {r['ratio']:.2f})")
        if "alt_ratio" in r:
            print(f"  side by side (alternating blocks of 25, best block): {r['alt_full_s']:.1f} art/s full, "
                  f"{r['alt_empty_s']:.1f} art/s empty (empty/full = {r['alt_ratio']:.2f})")
        print(f"  search: p50 {r['search_p50_ms']:.1f} ms, p95 {r['search_p95_ms']:.1f} ms, max {r['search_max_ms']:.1f} ms")
        print(f"  speaker page p95 {r['speaker_page_p95_ms']:.1f} ms (max {r['speaker_page_max_ms']:.1f}; busiest speaker "
              f"{r['top_speaker_statements']} statements), speakers list p95 {r['speakers_list_p95_ms']:.1f} ms")
        print(f"  cluster page p95 {r['cluster_page_p95_ms']:.1f} ms (max {r['cluster_page_max_ms']:.1f}; largest "
              f"{r['largest_cluster']}), clusters list p95 {r['clusters_list_p95_ms']:.1f} ms")
        print("  slowest queries (median ms, query, filters, total hits):")
        for ms, (q, kw), total in r["slowest"]:
            print(f"    {ms:7.1f}  {q!r} {dict(kw)} -> {total}")
    if _NOT_CREATED[0]:
        print(f"WARNING: {_NOT_CREATED[0]} measured articles were re-ingests of stored ones, not new articles")
    print(f"total run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
