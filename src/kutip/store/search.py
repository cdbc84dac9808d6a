"""Search: stemmed terms ranked by BM25 over the inverted index, with filters (speaker,
affiliation, outlet, kind, dates); corpus size and document frequencies are read from the
rows kept with the postings, so a search costs the same on a big store as on a small one."""
from __future__ import annotations

import math
from typing import Optional

from sqlalchemy import and_, func, literal, nulls_last, or_, select
from sqlalchemy.orm import Session

from kutip.core.errors import KutipInputError
from kutip.link.names import merge_affiliations, normalize_name
from kutip.store.base import DateLike, iso_date, like_escape, outlet_key
from kutip.store.pages import statement_rows
from kutip.store.schema import (
    CorpusStat, Outlet, Posting, SpeakerAffiliation, SpeakerName, StatementRec, TermStat, aff_key,
)
from kutip.store.textindex import query_terms


class Search:
    def _corpus_stats(self, s: Session) -> tuple[int, float]:
        """(statements, average length in terms): one row kept with the postings (``corpus_stat``)."""
        row = s.execute(select(CorpusStat.statements, CorpusStat.terms).where(CorpusStat.id == 1)).first()
        n, total = (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)
        avgdl = (float(total) / n) if n else 1.0
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
                pat = f"%{like_escape(norm)}%"
                sids = sorted(set(s.scalars(select(SpeakerName.speaker_id).where(SpeakerName.norm.like(pat, escape="\\")))))
                conds.append(StatementRec.speaker_id.in_(sids) if sids else literal(False))
        if affiliation and affiliation.strip():
            # speakers ever given a matching affiliation; of their statements, those that carry a
            # matching affiliation or none (an unaffiliated statement inherits the speaker's)
            pat = f"%{like_escape(aff_key(affiliation.strip()))}%"
            matching = select(SpeakerAffiliation.speaker_id, SpeakerAffiliation.affiliation).where(
                SpeakerAffiliation.key.like(pat, escape="\\"))
            rows = s.execute(matching).all()
            sids = sorted({r[0] for r in rows})
            affs = {r[1] for r in rows}
            if sids and len(sids) <= 1000:
                # the same organisation written another way by these speakers' statements
                # ("Pakta Pertahanan Atlantik Utara" for a filter on "nato")
                others = {a for a in s.scalars(select(SpeakerAffiliation.affiliation)
                                               .where(SpeakerAffiliation.speaker_id.in_(sids))) if a not in affs}
                if others:
                    for g in merge_affiliations(sorted(affs) + sorted(others)):
                        if affs & set(g):
                            affs |= set(g)
            affs = sorted(affs)
            if not sids:
                conds.append(literal(False))
            else:
                conds.append(StatementRec.speaker_id.in_(sids))
                conds.append(or_(StatementRec.affiliation.is_(None), StatementRec.affiliation.in_(affs)))
        if outlet and outlet.strip():
            key = outlet_key(outlet)
            pat = f"%{like_escape(key)}%"
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
        """Document frequencies: primary-key look-ups in ``term_stat`` (kept with the postings)."""
        got = dict(s.execute(select(TermStat.term, TermStat.df).where(TermStat.term.in_(sorted(set(terms))))).all())
        return {t: int(got.get(t, 0) or 0) for t in terms}

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
                return {"total": int(total or 0), "items": statement_rows(s, ids)}

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
            return {"total": total, "items": statement_rows(s, [r[0] for r in page], scores)}
