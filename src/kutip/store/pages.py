"""Page data: what the speaker, article and cluster pages, the listings and the exports show,
shaped from the stored rows (and the aggregates kept with them)."""
from __future__ import annotations

import json
import time
from typing import Iterator, Optional

from sqlalchemy import func, nulls_last, or_, select
from sqlalchemy.orm import Session

from kutip.link.names import merge_affiliations, normalize_name
from kutip.store import query, record
from kutip.store.base import like_escape
from kutip.store.schema import (
    Article, Cluster, CorpusStat, Outlet, Speaker, SpeakerFacet, SpeakerName, StatementRec,
)


def statement_rows(s: Session, ids: list[int], scores: Optional[dict[int, float]] = None) -> list[dict]:
    """StatementRows (the contract dict plus the store's keys: ids, outlet, article, canonical speaker):
    :func:`kutip.store.query.statement_rows`, the one query search and `kutip search` use too."""
    return query.statement_rows(query.SessionReader(s), ids, scores)


STATS_TTL = 5.0


class Pages:
    # --- speakers -------------------------------------------------------------------------
    def _speaker_items(self, s: Session, ids: list[int]) -> list[dict]:
        """Speaker summaries from the aggregates (``speaker.statement_count``, ``speaker_facet``):
        a few rows per speaker whatever their number of statements."""
        if not ids:
            return []
        base = {}
        for sp in s.scalars(select(Speaker).where(Speaker.id.in_(ids))):
            base[sp.id] = {"id": sp.id, "name": sp.name, "type": sp.type, "name_forms": [], "roles": [],
                           "affiliations": [], "statement_count": int(sp.statement_count or 0),
                           "first_date": None, "last_date": None}
        for sid, form in s.execute(select(SpeakerName.speaker_id, SpeakerName.form).where(SpeakerName.speaker_id.in_(ids))
                                   .order_by(SpeakerName.speaker_id, SpeakerName.n_tokens.desc(), SpeakerName.id)):
            if sid in base and form not in base[sid]["name_forms"]:
                base[sid]["name_forms"].append(form)
        affs: dict[int, list[str]] = {}
        for sid, role, aff, n, d0, d1 in s.execute(
                select(SpeakerFacet.speaker_id, SpeakerFacet.role, SpeakerFacet.affiliation, SpeakerFacet.n,
                       SpeakerFacet.first_date, SpeakerFacet.last_date)
                .where(SpeakerFacet.speaker_id.in_(ids)).order_by(SpeakerFacet.speaker_id, SpeakerFacet.n.desc(),
                                                                  SpeakerFacet.id)):
            b = base.get(sid)
            if b is None:
                continue
            if role and role not in b["roles"]:
                b["roles"].append(role)
            if aff and aff not in affs.setdefault(sid, []):
                affs[sid].append(aff)
            if d0 and (b["first_date"] is None or d0 < b["first_date"]):
                b["first_date"] = d0
            if d1 and (b["last_date"] is None or d1 > b["last_date"]):
                b["last_date"] = d1
        for sid, lst in affs.items():
            # one organisation written two ways ("Pakta Pertahanan Atlantik Utara (NATO)", "NATO")
            # is one affiliation: its fullest form
            base[sid]["affiliations"] = [g[0] for g in merge_affiliations(lst)]
        return [base[i] for i in ids if i in base]

    def speakers(self, q: Optional[str] = None, *, limit: int = 50, offset: int = 0) -> dict:
        """Speakers (most statements first); ``q`` matches any of their name forms."""
        limit = max(0, min(int(limit), 1000))
        offset = max(0, int(offset))
        with self.session() as s:
            cond = []
            if q and q.strip():
                norm = normalize_name(q) or q.strip().lower()
                pat = f"%{like_escape(norm)}%"
                cond.append(Speaker.id.in_(select(SpeakerName.speaker_id).where(SpeakerName.norm.like(pat, escape="\\"))))
            total = s.scalar(select(func.count()).select_from(Speaker).where(*cond))
            ids = list(s.scalars(select(Speaker.id).where(*cond)
                                 .order_by(Speaker.statement_count.desc(), Speaker.name, Speaker.id)
                                 .limit(limit).offset(offset)))
            return {"total": int(total or 0), "items": self._speaker_items(s, ids)}

    def speaker(self, speaker_id: int, *, statements_limit: int = 500) -> Optional[dict]:
        """One speaker: the speakers() item plus roles over time, a timeline and statements (newest first).
        Roles over time: one entry per role and organisation (an organisation written two ways is one)."""
        with self.session() as s:
            items = self._speaker_items(s, [int(speaker_id)])
            if not items:
                return None
            d = items[0]
            facets = s.execute(select(SpeakerFacet.role, SpeakerFacet.affiliation, SpeakerFacet.first_date,
                                      SpeakerFacet.last_date, SpeakerFacet.n)
                               .where(SpeakerFacet.speaker_id == d["id"])
                               .where(or_(SpeakerFacet.role.is_not(None), SpeakerFacet.affiliation.is_not(None)))
                               .order_by(SpeakerFacet.n.desc(), SpeakerFacet.id)).all()
            canon = {}
            for g in merge_affiliations(f[1] for f in facets):
                for a in g:
                    canon[a] = g[0]
            merged: dict[tuple, dict] = {}
            for role, aff, d0, d1, n in facets:
                key = (role, canon.get(aff) if aff else None)
                e = merged.setdefault(key, {"role": key[0], "affiliation": key[1], "first_date": None,
                                            "last_date": None, "count": 0})
                e["count"] += int(n)
                if d0 and (e["first_date"] is None or d0 < e["first_date"]):
                    e["first_date"] = d0
                if d1 and (e["last_date"] is None or d1 > e["last_date"]):
                    e["last_date"] = d1
            d["roles_over_time"] = sorted(merged.values(), key=lambda e: (e["first_date"] is None, e["first_date"] or "",
                                                                         e["role"] or ""))
            d["timeline"] = [{"date": dv, "count": int(n)} for dv, n in s.execute(
                select(StatementRec.date_value, func.count()).where(StatementRec.speaker_id == d["id"],
                                                                   StatementRec.date_value.is_not(None))
                .group_by(StatementRec.date_value).order_by(StatementRec.date_value))]
            ids = list(s.scalars(select(StatementRec.id).where(StatementRec.speaker_id == d["id"])
                                 .order_by(nulls_last(StatementRec.date_value.desc()), StatementRec.id.desc())
                                 .limit(statements_limit)))
            d["statements"] = statement_rows(s, ids)
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
                d = record.to_contract(st)
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
            rows = s.execute(select(Article.id, Article.title, Outlet.name, Article.published, Article.url)
                             .outerjoin(Outlet, Outlet.id == Article.outlet_id)
                             .order_by(nulls_last(Article.published.desc()), Article.id.desc())
                             .limit(limit).offset(offset)).all()
            counts = dict(s.execute(select(StatementRec.article_id, func.count())
                                    .where(StatementRec.article_id.in_([r[0] for r in rows]))
                                    .group_by(StatementRec.article_id)).all()) if rows else {}
            return {"total": int(total or 0), "items": [
                {"id": r[0], "title": r[1], "outlet": r[2], "published": r[3], "url": r[4],
                 "statement_count": int(counts.get(r[0], 0))} for r in rows]}

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
                rows = statement_rows(s, ids)
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
        """Quote clusters, largest first: {"total", "items": [{"id","text","size"}]} (sizes kept up to date)."""
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(Cluster))
            rows = s.execute(select(Cluster.id, Cluster.text, Cluster.size)
                             .order_by(Cluster.size.desc(), Cluster.id)
                             .limit(max(0, int(limit))).offset(max(0, int(offset)))).all()
            return {"total": int(total or 0), "items": [{"id": r[0], "text": r[1], "size": int(r[2])} for r in rows]}

    def stats(self) -> dict:
        """Counts of what the store holds. Counting rows costs as much as the table is long, and the
        search page shows them on every view: they are kept for ``STATS_TTL`` seconds (this store's
        own writes clear them at once; another process's show within that time)."""
        cached = self._stats_cache
        if cached is not None and time.monotonic() - cached[0] < STATS_TTL:
            return dict(cached[1])
        with self.session() as s:
            out = {
                "articles": int(s.scalar(select(func.count()).select_from(Article)) or 0),
                "statements": int(s.scalar(select(func.coalesce(func.max(CorpusStat.statements), 0))) or 0),
                "speakers": int(s.scalar(select(func.count()).select_from(Speaker)) or 0),
                "clusters": int(s.scalar(select(func.count()).select_from(Cluster)) or 0),
                "outlets": int(s.scalar(select(func.count()).select_from(Outlet)) or 0),
            }
        self._stats_cache = (time.monotonic(), out)
        return dict(out)
