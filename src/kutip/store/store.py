"""The statement knowledge base: articles, outlets, statements, speakers, quote
clusters and a stemmed full-text index, on SQLite or PostgreSQL (SQLAlchemy)."""
from __future__ import annotations

import hashlib
import json
import math
import re
import time
import unicodedata
from dataclasses import asdict
from datetime import date, datetime
from typing import Any, Iterable, Iterator, Optional, Union

from sqlalchemy import and_, delete, func, literal, nulls_last, or_, select, text, update
from sqlalchemy.orm import Session

from kutip.core.errors import KutipError, KutipInputError
from kutip.link.clusters import band_keys, jaccard, shingles, THRESHOLD
from kutip.link.speakers import SpeakerLinker, delete_orphan_speakers, group_speakers, refresh_affiliations
from kutip.link.names import normalize_name
from kutip.core.model import ExtractedArticle, Metadata
from kutip.store import migrate
from kutip.store.schema import (
    Article, Cluster, LshBand, Outlet, Posting, Speaker, SpeakerAffiliation, SpeakerName, StatementRec, aff_key, utcnow,
)
from kutip.store.textindex import query_terms, term_counts

DateLike = Union[str, date, datetime, None]
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
BM25_K1 = 1.2
BM25_B = 0.75
STATS_TTL = 5.0     # seconds corpus size and term frequencies are cached (other writers' changes show after)
BM25_AVGDL = 20.0   # fixed average statement length (terms): weights are stored at index time


def bm25_weight(tf: int, n_terms: int) -> float:
    """The BM25 term weight without idf (stored per posting; keep in step with migration 0002)."""
    return tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * n_terms / BM25_AVGDL))
_CHUNK = 500
_PG_WRITE_LOCK = 7_240_731_116
MAX_CANDIDATES = 200   # exact Jaccard checks per new statement at most


def iso_date(value: DateLike) -> Optional[str]:
    """'YYYY-MM-DD' for a full date (date, datetime or an ISO string), else None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    s = str(value).strip()
    m = _ISO.match(s)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def outlet_key(name: str) -> str:
    s = unicodedata.normalize("NFKC", name).lower()
    return " ".join(re.findall(r"[^\W_]+", s))[:200] or s.strip()[:200]


def content_hash(text: str) -> str:
    """Hash of the normalised content: case, whitespace and quotation-mark style ignored."""
    s = unicodedata.normalize("NFKC", text or "").lower()
    s = re.sub(r"[\"“”„‟«»'‘’`]", '"', s)
    s = " ".join(s.split())
    return hashlib.sha256(s.encode("utf-8", "surrogatepass")).hexdigest()


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _chunks(seq: list, n: int = _CHUNK) -> Iterator[list]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


class Store:
    """The knowledge base. ``Store(url=None)``: None means $KUTIP_DB, else ``sqlite:///kutip.db``.
    The schema is created or upgraded (Alembic ``upgrade head``) on open."""

    def __init__(self, url: Optional[str] = None):
        self.url = migrate.resolve_url(url)
        try:
            self.engine = migrate.make_engine(self.url)
        except Exception as exc:
            raise KutipError(f"cannot use the database URL {url!r}: {exc}. "
                             "Use e.g. sqlite:///kutip.db or postgresql://user@host/dbname.") from exc
        migrate.upgrade(self.engine)
        self._write_engine = migrate.make_engine(self.url, write=True) if self.dialect == "sqlite" else self.engine
        self._stats_cache: Optional[tuple[float, int, float]] = None
        self._df_cache: dict[str, tuple[float, int]] = {}

    @property
    def write_engine(self):
        """The engine writes go through (on SQLite its transactions take the write lock up front)."""
        return self._write_engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()
        if self._write_engine is not self.engine:
            self._write_engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def session(self, write: bool = False) -> Session:
        return Session(self._write_engine if write else self.engine, expire_on_commit=False)

    # =========================================================================
    # writing
    # =========================================================================
    def add_article(self, result: ExtractedArticle, *, url: Optional[str] = None, outlet: Optional[str] = None,
                    published: DateLike = None) -> tuple[int, str]:
        """Store one extracted article in one transaction: (article id, "created"|"updated"|"unchanged").

        The same article (same URL; else the same normalised content from the same or an unknown
        outlet) is stored once; storing it again with different statements replaces them.
        """
        with self.session(write=True) as s, s.begin():
            out = self._add(s, result, url=url, outlet=outlet, published=published)
        self._invalidate()
        return out

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

    def _invalidate(self) -> None:
        self._stats_cache = None
        self._df_cache = {}

    def delete_article(self, article_id: int) -> bool:
        """Remove an article with its statements (one transaction); speakers left without statements
        and clusters left with one member go too. False when there is no such article."""
        with self.session(write=True) as s, s.begin():
            if self.dialect == "postgresql":
                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
            art = s.get(Article, int(article_id))
            if art is None:
                return False
            old_speakers, old_clusters = self._delete_statements(s, art.id)
            s.delete(art)
            s.flush()
            refresh_affiliations(s, old_speakers)
            delete_orphan_speakers(s, old_speakers)
            self._dissolve_small_clusters(s, old_clusters)
        self._invalidate()
        return True

    def analyze(self) -> None:
        """Refresh the query planner's statistics (after a bulk load)."""
        with self.engine.connect() as c:
            c.exec_driver_sql("ANALYZE")
            c.commit()

    def _add(self, s: Session, result, *, url=None, outlet=None, published=None) -> tuple[int, str]:
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
            s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
        okey = outlet_key(outlet_name) if outlet_name else None
        outlet_id = self._outlet_id(s, outlet_name, okey) if outlet_name else None
        art = self._find_article(s, url, chash, outlet_id)
        if art is not None and art.fingerprint == fp:
            return art.id, "unchanged"
        old_speakers: set[int] = set()
        old_clusters: set[int] = set()
        if art is None:
            status = "created"
            art = Article(url=url, content_hash=chash, fingerprint=fp, outlet_id=outlet_id, published=pub,
                          title=meta.title, source=result.source, text=result.text,
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
        refresh_affiliations(s, old_speakers)
        delete_orphan_speakers(s, old_speakers)
        self._dissolve_small_clusters(s, old_clusters)
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
        q = select(Article).where(Article.content_hash == chash)
        if outlet_id is not None:
            q = q.where(or_(Article.outlet_id == outlet_id, Article.outlet_id.is_(None)))
        return s.scalars(q.order_by(Article.id).limit(1)).first()

    def _delete_statements(self, s: Session, article_id: int) -> tuple[set[int], set[int]]:
        rows = s.execute(select(StatementRec.id, StatementRec.speaker_id, StatementRec.cluster_id)
                         .where(StatementRec.article_id == article_id)).all()
        ids = [r[0] for r in rows]
        for chunk in _chunks(ids):
            s.execute(delete(Posting).where(Posting.statement_id.in_(chunk)))
            s.execute(delete(LshBand).where(LshBand.statement_id.in_(chunk)))
        s.execute(delete(StatementRec).where(StatementRec.article_id == article_id))
        return {r[1] for r in rows if r[1]}, {r[2] for r in rows if r[2]}

    def _insert_statements(self, s: Session, art: Article, result: ExtractedArticle, pub: Optional[str]) -> None:
        groups, member_of = group_speakers(result)
        linker = SpeakerLinker(s)
        linker.prepare(groups)
        group_ids = linker.resolve_all(groups)
        rows = []
        counts_list = []
        for i, st in enumerate(result.statements):
            sp, cue, dt = st.speaker, st.cue, st.date
            counts, n_terms = term_counts(st.text)
            counts_list.append(counts)
            rows.append(dict(
                article_id=art.id, seq=i, kind=st.kind, text=st.text, start=st.start, end_offset=st.end,
                cue_text=cue.text if cue else None, cue_start=cue.start if cue else None,
                cue_end=cue.end if cue else None, has_speaker=1 if sp is not None else 0,
                mention=sp.mention if sp else None, mention_start=sp.mention_start if sp else None,
                mention_end=sp.mention_end if sp else None, speaker_name=sp.name if sp else None,
                speaker_type=sp.type if sp else None, role=sp.role if sp else None,
                affiliation=sp.affiliation if sp else None, has_date=1 if dt is not None else 0,
                date_text=dt.text if dt else None, date_raw=(str(dt.value)[:40] if dt and dt.value else None),
                date_value=(iso_date(dt.value) if dt and dt.value else None) or pub,
                location=st.location, event=st.event, confidence=float(st.confidence if st.confidence is not None else 0.5),
                speaker_id=group_ids[member_of[i]] if i in member_of else None, n_terms=n_terms, cluster_id=None,
                outlet_id=art.outlet_id,
            ))
        if not rows:
            return
        conn = s.connection()
        conn.execute(StatementRec.__table__.insert(), rows)      # one executemany; ids read back by seq
        by_seq = dict(conn.execute(select(StatementRec.seq, StatementRec.id).where(StatementRec.article_id == art.id)).all())
        ids = [by_seq[r["seq"]] for r in rows]
        recs = [_NewStatement(i, r["text"]) for i, r in zip(ids, rows)]
        postings = [{"term": t, "statement_id": sid, "tf": n, "w": bm25_weight(n, r["n_terms"])}
                    for sid, c, r in zip(ids, counts_list, rows) for t, n in c.items()]
        for chunk in _chunks(postings, 2000):
            conn.execute(Posting.__table__.insert(), chunk)
        self._cluster(s, art.id, recs)

    # --- clusters -------------------------------------------------------------------
    def _cluster(self, s: Session, article_id: int, recs: list["_NewStatement"]) -> None:
        own = []
        all_keys: set[int] = set()
        for r in recs:
            sh = shingles(r.text)
            keys = band_keys(sh)
            own.append((r, sh, keys))
            all_keys.update(keys)
        if not all_keys:
            return
        hits: dict[int, set[int]] = {}
        key_list = sorted(all_keys)
        for chunk in _chunks(key_list):
            for key, sid in s.execute(select(LshBand.key, LshBand.statement_id).where(LshBand.key.in_(chunk))):
                hits.setdefault(key, set()).add(sid)
        # candidates per new statement: most shared bands first, capped (a quote re-run hundreds
        # of times stays cheap); only their texts are fetched
        tops = []
        for r, sh, keys in own:
            shared: dict[int, int] = {}
            for k in keys:
                for m in hits.get(k, ()):
                    shared[m] = shared.get(m, 0) + 1
            tops.append(sorted(shared, key=lambda x: (-shared[x], x))[:MAX_CANDIDATES])
        cand_ids = set().union(*tops) if tops else set()
        cands: dict[int, tuple[str, Optional[int], int]] = {}
        for chunk in _chunks(sorted(cand_ids)):
            for sid, stext, cid, aid in s.execute(select(StatementRec.id, StatementRec.text, StatementRec.cluster_id,
                                                        StatementRec.article_id).where(StatementRec.id.in_(chunk))):
                if aid != article_id:
                    cands[sid] = (stext, cid, aid)
        cand_sh: dict[int, set[str]] = {}
        for (r, sh, keys), top in zip(own, tops):
            if not keys:
                continue
            best = []
            accepted: set[int] = set()      # one confirmed member speaks for its whole cluster
            for m in top:
                if m not in cands:
                    continue
                cm = cands[m][1]
                if cm is not None and cm in accepted:
                    continue
                if m not in cand_sh:
                    cand_sh[m] = shingles(cands[m][0])
                if jaccard(sh, cand_sh[m]) >= THRESHOLD:
                    best.append(m)
                    if cm is not None:
                        accepted.add(cm)
            if best:
                clusters = sorted({cands[m][1] for m in best if cands[m][1] is not None})
                if clusters:
                    cid = clusters[0]
                    for other in clusters[1:]:   # the new statement bridges two clusters: union them
                        s.execute(update(StatementRec).where(StatementRec.cluster_id == other).values(cluster_id=cid))
                        s.execute(delete(Cluster).where(Cluster.id == other))
                        for m, v in cands.items():
                            if v[1] == other:
                                cands[m] = (v[0], cid, v[2])
                else:
                    first = min(best)
                    c = Cluster(text=cands[first][0], created_at=utcnow())
                    s.add(c)
                    s.flush()
                    cid = c.id
                loose = [m for m in best if cands[m][1] != cid]
                if loose:
                    s.execute(update(StatementRec).where(StatementRec.id.in_(loose)).values(cluster_id=cid))
                    for m in loose:
                        v = cands[m]
                        cands[m] = (v[0], cid, v[2])
                r.cluster_id = cid
                s.execute(update(StatementRec).where(StatementRec.id == r.id).values(cluster_id=cid))
        rows = [{"key": k, "statement_id": r.id} for r, sh, keys in own for k in set(keys)]
        conn = s.connection()
        for chunk in _chunks(rows, 2000):
            conn.execute(LshBand.__table__.insert(), chunk)

    def _dissolve_small_clusters(self, s: Session, ids: Iterable[int]) -> None:
        ids = sorted(set(ids))
        if not ids:
            return
        sizes = dict(s.execute(select(StatementRec.cluster_id, func.count()).where(StatementRec.cluster_id.in_(ids))
                               .group_by(StatementRec.cluster_id)).all())
        small = [c for c in ids if sizes.get(c, 0) < 2]
        if small:
            s.execute(update(StatementRec).where(StatementRec.cluster_id.in_(small)).values(cluster_id=None))
            s.execute(delete(Cluster).where(Cluster.id.in_(small)))

    # =========================================================================
    # reading
    # =========================================================================
    def _statement_rows(self, s: Session, ids: list[int], scores: Optional[dict[int, float]] = None) -> list[dict]:
        if not ids:
            return []
        out = {}
        for chunk in _chunks(ids):
            q = (select(StatementRec, Article.title, Article.url, Article.published, Outlet.name, Speaker.name)
                 .join(Article, Article.id == StatementRec.article_id)
                 .outerjoin(Outlet, Outlet.id == Article.outlet_id)
                 .outerjoin(Speaker, Speaker.id == StatementRec.speaker_id)
                 .where(StatementRec.id.in_(chunk)))
            for st, title, aurl, pub, outlet, spname in s.execute(q):
                row = _statement_dict(st)
                row.update({"id": st.id, "article_id": st.article_id, "speaker_id": st.speaker_id,
                            "cluster_id": st.cluster_id, "outlet": outlet, "article_title": title,
                            "article_url": aurl, "date_value": st.date_value, "speaker_canonical": spname})
                if scores is not None:
                    row["score"] = round(float(scores.get(st.id, 0.0)), 6)
                out[st.id] = row
        return [out[i] for i in ids if i in out]

    def _corpus_stats(self, s: Session) -> tuple[int, float]:
        now = time.monotonic()
        c = self._stats_cache
        if c is not None and now - c[0] < STATS_TTL:
            return c[1], c[2]
        n, total = s.execute(select(func.count(), func.coalesce(func.sum(StatementRec.n_terms), 0))).one()
        n = int(n or 0)
        avgdl = (float(total) / n) if n else 1.0
        self._stats_cache = (now, n, max(avgdl, 1.0))
        return n, max(avgdl, 1.0)

    def _filters(self, s: Session, *, speaker_id=None, speaker=None, affiliation=None, outlet=None, kind=None,
                 date_from=None, date_to=None) -> list:
        """SQL conditions on StatementRec for the search filters."""
        conds = []
        if speaker_id is not None:
            conds.append(StatementRec.speaker_id == int(speaker_id))
        if speaker:
            norm = normalize_name(speaker)
            if not norm:
                conds.append(literal(False))
            else:
                pat = f"%{_like_escape(norm)}%"
                sids = sorted(set(s.scalars(select(SpeakerName.speaker_id).where(SpeakerName.norm.like(pat, escape="\\")))))
                conds.append(StatementRec.speaker_id.in_(sids) if sids else literal(False))
        if affiliation and affiliation.strip():
            # speakers ever given a matching affiliation; of their statements, those that carry a
            # matching affiliation or none (an unaffiliated statement inherits the speaker's)
            pat = f"%{_like_escape(aff_key(affiliation.strip()))}%"
            matching = select(SpeakerAffiliation.speaker_id, SpeakerAffiliation.affiliation).where(
                SpeakerAffiliation.key.like(pat, escape="\\"))
            rows = s.execute(matching).all()
            sids = sorted({r[0] for r in rows})
            affs = sorted({r[1] for r in rows})
            if not sids:
                conds.append(literal(False))
            else:
                conds.append(StatementRec.speaker_id.in_(sids))
                conds.append(or_(StatementRec.affiliation.is_(None), StatementRec.affiliation.in_(affs)))
        if outlet and outlet.strip():
            key = outlet_key(outlet)
            pat = f"%{_like_escape(key)}%"
            oids = list(s.scalars(select(Outlet.id).where(or_(Outlet.key == key, Outlet.key.like(pat, escape="\\")))))
            conds.append(StatementRec.outlet_id.in_(oids) if oids else literal(False))
        if kind:
            kinds = [k.strip() for k in (kind.split(",") if isinstance(kind, str) else kind) if k and k.strip()]
            conds.append(StatementRec.kind.in_(kinds))
        df, dt = iso_date(date_from) if date_from else None, iso_date(date_to) if date_to else None
        if date_from and df is None:
            raise KutipInputError(f"date_from {date_from!r} is not a date: use YYYY-MM-DD")
        if date_to and dt is None:
            raise KutipInputError(f"date_to {date_to!r} is not a date: use YYYY-MM-DD")
        if df:
            conds.append(StatementRec.date_value >= df)
        if dt:
            conds.append(StatementRec.date_value <= dt)
        return conds

    def _dfs(self, s: Session, terms: list[str]) -> dict[str, int]:
        """Document frequencies (cached for a few seconds: idf barely moves)."""
        now = time.monotonic()
        cache = self._df_cache
        out, missing = {}, []
        for t in terms:
            hit = cache.get(t)
            if hit is not None and now - hit[0] < STATS_TTL:
                out[t] = hit[1]
            else:
                missing.append(t)
        if missing:
            got = dict(s.execute(select(Posting.term, func.count()).where(Posting.term.in_(missing))
                                 .group_by(Posting.term)).all())
            if len(cache) > 50_000:
                cache.clear()
            for t in missing:
                out[t] = int(got.get(t, 0))
                cache[t] = (now, out[t])
        return out

    def search(self, q: Optional[str] = None, *, speaker_id: Optional[int] = None, speaker: Optional[str] = None,
               affiliation: Optional[str] = None, outlet: Optional[str] = None, kind: Optional[str] = None,
               date_from: DateLike = None, date_to: DateLike = None, limit: int = 20, offset: int = 0) -> dict:
        """Statements containing every stemmed term of ``q``, ranked by BM25, that pass the filters;
        without ``q``, the filtered statements newest first."""
        limit = max(0, min(int(limit), 1000))
        offset = max(0, int(offset))
        with self.session() as s:
            conds = self._filters(s, speaker_id=speaker_id, speaker=speaker, affiliation=affiliation,
                                  outlet=outlet, kind=kind, date_from=date_from, date_to=date_to)
            terms = query_terms(q) if q and q.strip() else []
            if q and q.strip() and not terms:
                return {"total": 0, "items": []}
            if not terms:
                base = select(StatementRec.id).where(*conds)
                if conds:
                    total = s.scalar(select(func.count()).select_from(StatementRec).where(*conds))
                else:
                    total = self._corpus_stats(s)[0]          # cached a few seconds
                ids = list(s.scalars(base.order_by(nulls_last(StatementRec.date_value.desc()), StatementRec.id.desc())
                                     .limit(limit).offset(offset)))
                return {"total": int(total or 0), "items": self._statement_rows(s, ids)}

            n, _ = self._corpus_stats(s)
            dfs = self._dfs(s, terms)
            if any(dfs[t] == 0 for t in terms):
                return {"total": 0, "items": []}
            n = max(n, max(dfs.values()))
            idf = {t: math.log(1.0 + (n - dfs[t] + 0.5) / (dfs[t] + 0.5)) for t in terms}
            order = sorted(terms, key=lambda t: (dfs[t], t))     # drive from the rarest term
            p0 = Posting.__table__.alias("p0")
            frm = p0
            score = p0.c.w * idf[order[0]]
            where = [p0.c.term == order[0]]
            for k, t in enumerate(order[1:], 1):
                pk = Posting.__table__.alias(f"p{k}")
                frm = frm.join(pk, and_(pk.c.term == t, pk.c.statement_id == p0.c.statement_id))
                score = score + pk.c.w * idf[t]
            if conds:
                frm = frm.join(StatementRec, StatementRec.id == p0.c.statement_id)
                where += conds
            if len(order) == 1:
                ordering = [p0.c.w.desc(), p0.c.statement_id.desc()]     # index order (term, w, id)
            else:
                ordering = [score.desc(), p0.c.statement_id.desc()]
            if len(order) == 1:
                # walk the (term, w) index and stop at the page; count separately (df when unfiltered)
                page = s.execute(select(p0.c.statement_id, score.label("score")).select_from(frm).where(*where)
                                 .order_by(*ordering).limit(limit).offset(offset)).all()
                if not conds:
                    total = dfs[order[0]]
                elif not page and offset == 0:
                    total = 0
                else:
                    total = int(s.scalar(select(func.count()).select_from(frm).where(*where)) or 0)
            else:
                # every match is scored anyway: the count comes with the page
                rows = s.execute(select(p0.c.statement_id, score.label("score"), func.count().over().label("n"))
                                 .select_from(frm).where(*where).order_by(*ordering).limit(limit).offset(offset)).all()
                page = [(r[0], r[1]) for r in rows]
                if rows:
                    total = int(rows[0][2])
                elif offset == 0:
                    total = 0
                else:
                    total = int(s.scalar(select(func.count()).select_from(frm).where(*where)) or 0)
            scores = {r[0]: r[1] for r in page}
            return {"total": total, "items": self._statement_rows(s, [r[0] for r in page], scores)}

    # --- speakers -------------------------------------------------------------------------
    def _speaker_items(self, s: Session, ids: list[int]) -> list[dict]:
        if not ids:
            return []
        base = {}
        for sp in s.scalars(select(Speaker).where(Speaker.id.in_(ids))):
            base[sp.id] = {"id": sp.id, "name": sp.name, "type": sp.type, "name_forms": [], "roles": [],
                           "affiliations": [], "statement_count": 0, "first_date": None, "last_date": None}
        for sid, form in s.execute(select(SpeakerName.speaker_id, SpeakerName.form).where(SpeakerName.speaker_id.in_(ids))
                                   .order_by(SpeakerName.speaker_id, SpeakerName.n_tokens.desc(), SpeakerName.id)):
            if sid in base and form not in base[sid]["name_forms"]:
                base[sid]["name_forms"].append(form)
        for sid, n, d0, d1 in s.execute(select(StatementRec.speaker_id, func.count(), func.min(StatementRec.date_value),
                                               func.max(StatementRec.date_value))
                                        .where(StatementRec.speaker_id.in_(ids)).group_by(StatementRec.speaker_id)):
            if sid in base:
                base[sid].update(statement_count=int(n), first_date=d0, last_date=d1)
        for sid, role, aff, n in s.execute(select(StatementRec.speaker_id, StatementRec.role, StatementRec.affiliation, func.count())
                                           .where(StatementRec.speaker_id.in_(ids))
                                           .group_by(StatementRec.speaker_id, StatementRec.role, StatementRec.affiliation)
                                           .order_by(func.count().desc())):
            if sid not in base:
                continue
            if role and role not in base[sid]["roles"]:
                base[sid]["roles"].append(role)
            if aff and aff not in base[sid]["affiliations"]:
                base[sid]["affiliations"].append(aff)
        return [base[i] for i in ids if i in base]

    def speakers(self, q: Optional[str] = None, *, limit: int = 50, offset: int = 0) -> dict:
        """Speakers (most statements first); ``q`` matches any of their name forms."""
        limit = max(0, min(int(limit), 1000))
        offset = max(0, int(offset))
        with self.session() as s:
            cond = []
            if q and q.strip():
                norm = normalize_name(q) or q.strip().lower()
                pat = f"%{_like_escape(norm)}%"
                cond.append(Speaker.id.in_(select(SpeakerName.speaker_id).where(SpeakerName.norm.like(pat, escape="\\"))))
            total = s.scalar(select(func.count()).select_from(Speaker).where(*cond))
            cnt = (select(StatementRec.speaker_id.label("sid"), func.count().label("n"))
                   .where(StatementRec.speaker_id.is_not(None)).group_by(StatementRec.speaker_id).subquery())
            ids = list(s.scalars(select(Speaker.id).outerjoin(cnt, cnt.c.sid == Speaker.id).where(*cond)
                                 .order_by(func.coalesce(cnt.c.n, 0).desc(), Speaker.name, Speaker.id)
                                 .limit(limit).offset(offset)))
            return {"total": int(total or 0), "items": self._speaker_items(s, ids)}

    def speaker(self, speaker_id: int, *, statements_limit: int = 500) -> Optional[dict]:
        """One speaker: the speakers() item plus roles over time, a timeline and statements (newest first)."""
        with self.session() as s:
            items = self._speaker_items(s, [int(speaker_id)])
            if not items:
                return None
            d = items[0]
            d["roles_over_time"] = [
                {"role": role, "affiliation": aff, "first_date": d0, "last_date": d1, "count": int(n)}
                for role, aff, d0, d1, n in s.execute(
                    select(StatementRec.role, StatementRec.affiliation, func.min(StatementRec.date_value),
                           func.max(StatementRec.date_value), func.count())
                    .where(StatementRec.speaker_id == d["id"], or_(StatementRec.role.is_not(None), StatementRec.affiliation.is_not(None)))
                    .group_by(StatementRec.role, StatementRec.affiliation)
                    .order_by(nulls_last(func.min(StatementRec.date_value).asc()), StatementRec.role))]
            d["timeline"] = [{"date": dv, "count": int(n)} for dv, n in s.execute(
                select(StatementRec.date_value, func.count()).where(StatementRec.speaker_id == d["id"],
                                                                   StatementRec.date_value.is_not(None))
                .group_by(StatementRec.date_value).order_by(StatementRec.date_value))]
            ids = list(s.scalars(select(StatementRec.id).where(StatementRec.speaker_id == d["id"])
                                 .order_by(nulls_last(StatementRec.date_value.desc()), StatementRec.article_id,
                                           StatementRec.seq).limit(statements_limit)))
            d["statements"] = self._statement_rows(s, ids)
            return d

    # --- articles ---------------------------------------------------------------------------
    def article(self, article_id: int) -> Optional[dict]:
        """The contract dict of a stored article plus id/url/outlet/published; statements carry
        id, speaker_id and cluster_id."""
        with self.session() as s:
            row = s.execute(select(Article, Outlet.name).outerjoin(Outlet, Outlet.id == Article.outlet_id)
                            .where(Article.id == int(article_id))).first()
            if row is None:
                return None
            art, outlet = row
            stmts = []
            for st in s.scalars(select(StatementRec).where(StatementRec.article_id == art.id).order_by(StatementRec.seq)):
                d = _statement_dict(st)
                d.update({"id": st.id, "speaker_id": st.speaker_id, "cluster_id": st.cluster_id, "date_value": st.date_value})
                stmts.append(d)
            return {"id": art.id, "url": art.url, "outlet": outlet, "published": art.published, "source": art.source,
                    "text": art.text, "metadata": json.loads(art.metadata_json), "statements": stmts}

    def articles(self, *, limit: int = 50, offset: int = 0) -> dict:
        """Stored articles, newest published first."""
        limit = max(0, min(int(limit), 1000))
        offset = max(0, int(offset))
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(Article))
            cnt = (select(StatementRec.article_id.label("aid"), func.count().label("n"))
                   .group_by(StatementRec.article_id).subquery())
            rows = s.execute(select(Article.id, Article.title, Outlet.name, Article.published, Article.url,
                                    func.coalesce(cnt.c.n, 0))
                             .outerjoin(Outlet, Outlet.id == Article.outlet_id)
                             .outerjoin(cnt, cnt.c.aid == Article.id)
                             .order_by(nulls_last(Article.published.desc()), Article.id.desc())
                             .limit(limit).offset(offset)).all()
            return {"total": int(total or 0), "items": [
                {"id": r[0], "title": r[1], "outlet": r[2], "published": r[3], "url": r[4], "statement_count": int(r[5])}
                for r in rows]}

    def iter_articles(self, batch: int = 200) -> Iterator[dict]:
        """Every stored article as store.article() dicts (for exports)."""
        last = 0
        while True:
            with self.session() as s:
                ids = list(s.scalars(select(Article.id).where(Article.id > last).order_by(Article.id).limit(batch)))
            if not ids:
                return
            for i in ids:
                a = self.article(i)
                if a is not None:
                    yield a
            last = ids[-1]

    def iter_statements(self, batch: int = 1000) -> Iterator[dict]:
        """Every stored statement as a StatementRow (for exports), in id order."""
        last = 0
        while True:
            with self.session() as s:
                ids = list(s.scalars(select(StatementRec.id).where(StatementRec.id > last).order_by(StatementRec.id).limit(batch)))
                if not ids:
                    return
                rows = self._statement_rows(s, ids)
            yield from rows
            last = ids[-1]

    # --- clusters -------------------------------------------------------------------------------
    def cluster(self, cluster_id: int) -> Optional[dict]:
        """A quote cluster: every member statement with its outlet and date."""
        with self.session() as s:
            c = s.get(Cluster, int(cluster_id))
            if c is None:
                return None
            rows = s.execute(select(StatementRec.id, StatementRec.article_id, Outlet.name, StatementRec.date_value,
                                    StatementRec.text, StatementRec.speaker_id, Speaker.name)
                             .join(Article, Article.id == StatementRec.article_id)
                             .outerjoin(Outlet, Outlet.id == Article.outlet_id)
                             .outerjoin(Speaker, Speaker.id == StatementRec.speaker_id)
                             .where(StatementRec.cluster_id == c.id)
                             .order_by(nulls_last(StatementRec.date_value.asc()), StatementRec.id)).all()
            members = [{"statement_id": r[0], "article_id": r[1], "outlet": r[2], "date": r[3], "text": r[4],
                        "speaker_id": r[5], "speaker_name": r[6]} for r in rows]
            outlets: list[str] = []
            for m in members:
                if m["outlet"] and m["outlet"] not in outlets:
                    outlets.append(m["outlet"])
            dates = sorted(m["date"] for m in members if m["date"])
            return {"id": c.id, "text": c.text, "members": members, "outlets": outlets,
                    "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None}

    def clusters(self, *, limit: int = 50, offset: int = 0) -> dict:
        """Quote clusters, largest first: {"total", "items": [{"id","text","size"}]}."""
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(Cluster))
            rows = s.execute(select(Cluster.id, Cluster.text, func.count(StatementRec.id))
                             .join(StatementRec, StatementRec.cluster_id == Cluster.id)
                             .group_by(Cluster.id, Cluster.text)
                             .order_by(func.count(StatementRec.id).desc(), Cluster.id)
                             .limit(max(0, int(limit))).offset(max(0, int(offset)))).all()
            return {"total": int(total or 0), "items": [{"id": r[0], "text": r[1], "size": int(r[2])} for r in rows]}

    def stats(self) -> dict:
        with self.session() as s:
            return {
                "articles": int(s.scalar(select(func.count()).select_from(Article)) or 0),
                "statements": int(s.scalar(select(func.count()).select_from(StatementRec)) or 0),
                "speakers": int(s.scalar(select(func.count()).select_from(Speaker)) or 0),
                "clusters": int(s.scalar(select(func.count()).select_from(Cluster)) or 0),
                "outlets": int(s.scalar(select(func.count()).select_from(Outlet)) or 0),
            }


class _NewStatement:
    __slots__ = ("id", "text", "cluster_id")

    def __init__(self, id: int, text: str):
        self.id, self.text, self.cluster_id = id, text, None


def _statement_dict(st: StatementRec) -> dict[str, Any]:
    """The contract's statement fields of a stored statement."""
    return {
        "kind": st.kind, "text": st.text, "start": st.start, "end": st.end_offset,
        "cue": ({"text": st.cue_text, "start": st.cue_start, "end": st.cue_end}
                if st.cue_text is not None or st.cue_start is not None else None),
        "speaker": ({"mention": st.mention, "mention_start": st.mention_start, "mention_end": st.mention_end,
                     "name": st.speaker_name, "type": st.speaker_type, "role": st.role, "affiliation": st.affiliation}
                    if st.has_speaker else None),
        "date": ({"text": st.date_text, "value": st.date_raw} if st.has_date else None),
        "location": st.location, "event": st.event, "confidence": st.confidence,
    }
