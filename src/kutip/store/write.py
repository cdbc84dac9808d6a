"""Writing the knowledge base: one article in one transaction (its statements, speakers,
quote clusters, search postings and the statistics kept with them)."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict
from typing import Iterable, Optional

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from kutip.core.errors import KutipInputError
from kutip.core.model import ExtractedArticle, Metadata
from kutip.link.speakers import group_speakers
from kutip.store import cluster, record, speakers
from kutip.store.base import PG_WRITE_LOCK, DateLike, chunks, content_hash, iso_date, outlet_key
from kutip.store.schema import Article, CorpusStat, LshBand, Outlet, Posting, StatementRec, TermStat, utcnow
from kutip.store.textindex import term_counts

BM25_K1 = 1.2
BM25_B = 0.75
BM25_AVGDL = 20.0   # fixed average statement length (terms): weights are stored at index time


def bm25_weight(tf: int, n_terms: int) -> float:
    """The BM25 term weight without idf (stored per posting; keep in step with migration 0002)."""
    return tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * n_terms / BM25_AVGDL))


def _dinsert(s: Session):
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def bump_terms(s: Session, dfs: Counter, sign: int = 1) -> None:
    """Add (or take away) document frequencies in ``term_stat``."""
    if not dfs:
        return
    conn = s.connection()
    if sign > 0:
        ins = _dinsert(s)(TermStat.__table__)
        stmt = ins.on_conflict_do_update(index_elements=["term"], set_={"df": TermStat.__table__.c.df + ins.excluded.df})
        for part in chunks(sorted(dfs.items()), 1000):
            conn.execute(stmt, [{"term": t, "df": n} for t, n in part])
    else:
        from sqlalchemy import bindparam

        t = TermStat.__table__
        conn.execute(update(t).where(t.c.term == bindparam("t")).values(df=t.c.df - bindparam("n")),
                     [{"t": k, "n": n} for k, n in sorted(dfs.items())])
        conn.execute(delete(t).where(t.c.term.in_(sorted(dfs)), t.c.df <= 0))


def bump_corpus(s: Session, statements: int, terms: int) -> None:
    ins = _dinsert(s)(CorpusStat.__table__)
    c = CorpusStat.__table__.c
    s.connection().execute(ins.values(id=1, statements=statements, terms=terms).on_conflict_do_update(
        index_elements=["id"], set_={"statements": c.statements + ins.excluded.statements,
                                     "terms": c.terms + ins.excluded.terms}))


class Writer:
    def add_article(self, result: ExtractedArticle, *, url: Optional[str] = None, outlet: Optional[str] = None,
                    published: DateLike = None, input_hash: Optional[str] = None) -> tuple[int, str]:
        """Store one extracted article in one transaction: (article id, "created"|"updated"|"unchanged").

        The same article (same URL; else the same normalised content from the same or an unknown
        outlet) is stored once; storing it again with different statements replaces them.
        ``input_hash`` (:func:`kutip.store.input_hash` of the raw input and settings) is kept so
        that the same input can be skipped before extraction next time (:meth:`find_input`)."""
        with self.session(write=True) as s, s.begin():
            out = self._add(s, result, url=url, outlet=outlet, published=published, input_hash=input_hash)
        self._invalidate()
        return out

    def find_input(self, input_hash: str) -> Optional[int]:
        """The article stored from an input with this hash (see :meth:`add_article`), or None."""
        if not input_hash:
            return None
        with self.session() as s:
            return s.scalar(select(Article.id).where(Article.input_hash == input_hash).order_by(Article.id).limit(1))

    def bulk_add(self, items, *, continue_on_error: bool = True) -> list[tuple[Optional[int], str]]:
        """Store many articles in one transaction (fast loading). Each article still runs in its own
        SAVEPOINT, so a failing one is rolled back alone and reported as ``(None, "failed: ...")``.
        ``items``: ExtractedArticle objects or (article, {"url":..., "outlet":..., "published":...}) pairs."""
        results: list[tuple[Optional[int], str]] = []
        with self.session(write=True) as s, s.begin():
            for it in items:
                art, kw = (it if isinstance(it, tuple) else (it, {}))
                sp = s.begin_nested()
                try:
                    results.append(self._add(s, art, **kw))
                    sp.commit()
                except Exception as exc:
                    sp.rollback()
                    if not continue_on_error:
                        raise
                    results.append((None, f"failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"))
        self._invalidate()
        return results

    def delete_article(self, article_id: int) -> bool:
        """Remove an article with its statements (one transaction); speakers left without statements
        and clusters left with one member go too. False when there is no such article."""
        with self.session(write=True) as s, s.begin():
            if self.dialect == "postgresql":
                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK})
            art = s.get(Article, int(article_id))
            if art is None:
                return False
            old_speakers, old_clusters = self._delete_statements(s, art.id)
            s.delete(art)
            s.flush()
            self._after_delete(s, old_speakers, old_clusters)
        self._invalidate()
        return True

    def analyze(self) -> None:
        """Refresh the query planner's statistics (after a bulk load). On PostgreSQL this is
        ``VACUUM (ANALYZE)``: the vacuum marks the freshly written pages all-visible, without which
        no search can read the posting index alone (at 1M statements: search p50 243 -> 26 ms)."""
        if self.dialect == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM (ANALYZE)")
            return
        with self.engine.connect() as c:
            c.exec_driver_sql("ANALYZE")
            c.commit()
            if self.dialect == "sqlite":
                # fold the write-ahead log into the file now, not bit by bit in later commits
                c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    # --------------------------------------------------------------------------------------
    def _after_delete(self, s: Session, old_speakers: set[int], old_clusters: set[int]) -> None:
        speakers.refresh_affiliations(s, old_speakers)
        speakers.recount(s, old_speakers)
        speakers.delete_orphans(s, old_speakers)
        cluster.dissolve_small(s, old_clusters)

    def _add(self, s: Session, result, *, url=None, outlet=None, published=None, input_hash=None) -> tuple[int, str]:
        if isinstance(result, dict):
            result = ExtractedArticle.from_dict(result)
        if not isinstance(result, ExtractedArticle):
            raise KutipInputError(f"add_article needs an ExtractedArticle, not {type(result).__name__}")
        meta = result.metadata or Metadata()
        url = (url or meta.url or None)
        url = url.strip() if isinstance(url, str) and url.strip() else None
        outlet_name = (outlet or meta.outlet or "").strip() or None
        pub = iso_date(published) or iso_date(meta.published)
        # the statements' fallback date on timelines: published, else the extractor's estimate
        when = pub or iso_date(getattr(meta, "date_estimate", None))
        meta_d = asdict(meta)
        if url and not meta_d.get("url"):
            meta_d["url"] = url
        if outlet_name and not meta_d.get("outlet"):
            meta_d["outlet"] = outlet_name
        if pub and not meta_d.get("published"):
            meta_d["published"] = pub
        stmts = [st.to_dict() for st in result.statements]
        chash = content_hash(result.text)
        fp = hashlib.sha256(json.dumps(
            {"text": result.text, "metadata": meta_d, "statements": stmts, "url": url, "outlet": outlet_name,
             "published": pub, "source": result.source},
            ensure_ascii=True, sort_keys=True, default=str).encode()).hexdigest()

        if self.dialect == "postgresql":
            # one writer at a time (as SQLite's BEGIN IMMEDIATE): linking reads then writes speakers,
            # so two concurrent articles must not both create the same new speaker or outlet
            s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK})
        okey = outlet_key(outlet_name) if outlet_name else None
        outlet_id = self._outlet_id(s, outlet_name, okey) if outlet_name else None
        art = self._find_article(s, url, chash, outlet_id)
        if art is not None and art.fingerprint == fp:
            if input_hash and art.input_hash != input_hash:
                art.input_hash = input_hash
            return art.id, "unchanged"
        old_speakers: set[int] = set()
        old_clusters: set[int] = set()
        if art is None:
            status = "created"
            art = Article(url=url, content_hash=chash, input_hash=input_hash, fingerprint=fp, outlet_id=outlet_id,
                          published=pub, title=meta.title, source=result.source, text=result.text,
                          metadata_json=json.dumps(meta_d, ensure_ascii=False, default=str),
                          created_at=utcnow(), updated_at=utcnow())
            s.add(art)
            s.flush()
        else:
            status = "updated"
            old_speakers, old_clusters = self._delete_statements(s, art.id)
            if url and art.url != url:
                clash = s.scalar(select(Article.id).where(Article.url == url, Article.id != art.id))
                if clash is None:
                    art.url = url
            art.content_hash = chash
            art.input_hash = input_hash or art.input_hash
            art.fingerprint = fp
            art.outlet_id = outlet_id if outlet_id is not None else art.outlet_id
            art.published = pub or art.published
            art.title = meta.title
            art.source = result.source
            art.text = result.text
            art.metadata_json = json.dumps(meta_d, ensure_ascii=False, default=str)
            art.updated_at = utcnow()
            s.flush()
        self._insert_statements(s, art, result, when)
        if status == "updated":
            self._after_delete(s, old_speakers, old_clusters)
        return art.id, status

    def _outlet_id(self, s: Session, name: str, key: str) -> int:
        oid = s.scalar(select(Outlet.id).where(Outlet.key == key))
        if oid is None:
            o = Outlet(key=key, name=name)
            s.add(o)
            s.flush()
            oid = o.id
        return oid

    def _find_article(self, s: Session, url: Optional[str], chash: str, outlet_id: Optional[int]) -> Optional[Article]:
        if url:
            art = s.scalar(select(Article).where(Article.url == url))
            if art is not None:
                return art
        from sqlalchemy import or_

        q = select(Article).where(Article.content_hash == chash)
        if outlet_id is not None:
            q = q.where(or_(Article.outlet_id == outlet_id, Article.outlet_id.is_(None)))
        return s.scalars(q.order_by(Article.id).limit(1)).first()

    def _delete_statements(self, s: Session, article_id: int) -> tuple[set[int], set[int]]:
        rows = s.execute(select(StatementRec.id, StatementRec.speaker_id, StatementRec.cluster_id, StatementRec.n_terms)
                         .where(StatementRec.article_id == article_id)).all()
        ids = [r[0] for r in rows]
        dfs: Counter = Counter()
        for part in chunks(ids):
            for term, n in s.execute(select(Posting.term, func.count()).where(Posting.statement_id.in_(part))
                                     .group_by(Posting.term)):
                dfs[term] += int(n)
            s.execute(delete(Posting).where(Posting.statement_id.in_(part)))
            s.execute(delete(LshBand).where(LshBand.statement_id.in_(part)))
        s.execute(delete(StatementRec).where(StatementRec.article_id == article_id))
        if rows:
            bump_terms(s, dfs, -1)
            bump_corpus(s, -len(rows), -sum(int(r[3] or 0) for r in rows))
        return {r[1] for r in rows if r[1]}, {r[2] for r in rows if r[2]}

    def _insert_statements(self, s: Session, art: Article, result: ExtractedArticle, pub: Optional[str]) -> None:
        groups, member_of = group_speakers(result)
        group_ids = speakers.resolve(s, groups)
        rows = []
        counts_list = []
        for i, st in enumerate(result.statements):
            counts, n_terms = term_counts(st.text)
            counts_list.append(counts)
            row = record.to_columns(st)
            dt = st.date
            row.update(article_id=art.id, seq=i,
                       date_value=(iso_date(dt.value) if dt and dt.value else None) or pub,
                       speaker_id=group_ids[member_of[i]] if i in member_of else None, n_terms=n_terms,
                       cluster_id=None, outlet_id=art.outlet_id)
            rows.append(row)
        if not rows:
            return
        conn = s.connection()
        conn.execute(StatementRec.__table__.insert(), rows)      # one executemany; ids read back by seq
        by_seq = dict(conn.execute(select(StatementRec.seq, StatementRec.id).where(StatementRec.article_id == art.id)).all())
        ids = [by_seq[r["seq"]] for r in rows]
        recs = [cluster.NewStatement(i, r["text"]) for i, r in zip(ids, rows)]
        postings = [{"term": t, "statement_id": sid, "tf": n, "w": bm25_weight(n, r["n_terms"])}
                    for sid, c, r in zip(ids, counts_list, rows) for t, n in c.items()]
        for part in chunks(postings, 2000):
            conn.execute(Posting.__table__.insert(), part)
        dfs: Counter = Counter()
        for c in counts_list:
            dfs.update(c.keys())
        bump_terms(s, dfs)
        bump_corpus(s, len(rows), sum(r["n_terms"] for r in rows))
        speakers.add_statements(s, rows)
        cluster.assign(s, art.id, recs)
