"""Speakers in the database: the store's side of linking. ``kutip.link.speakers`` decides on
plain records; this module loads the few stored speakers an article's names could denote
(bounded queries), applies the linker's plan, and keeps the per-speaker aggregates
(``speaker.statement_count``, ``speaker_facet``, ``speaker_affiliation``) up to date."""
from __future__ import annotations

from typing import Iterable, Optional

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from kutip.link.speakers import LinkPlan, Profile, SpeakerGroup, candidate_query, link
from kutip.store.base import chunks
from kutip.store.schema import Speaker, SpeakerAffiliation, SpeakerFacet, SpeakerName, StatementRec, aff_key

MAX_PER_QUERY = 200     # stored speakers one look-up may bring back (a common first name stays cheap)


def candidate_ids(s: Session, groups: list[SpeakerGroup]) -> set[int]:
    q = candidate_query(groups)
    if not q.exact:
        return set()
    ids = set(s.scalars(select(SpeakerName.speaker_id).where(SpeakerName.norm.in_(sorted(q.exact)))
                        .distinct().limit(MAX_PER_QUERY)))
    if q.ends:
        # speakers known so far only by one token: their fullest name (speaker.key) is that token
        ids |= set(s.scalars(select(Speaker.id).where(Speaker.key.in_(sorted(q.ends))).limit(MAX_PER_QUERY)))
    if q.starts:
        # longer names beginning with one of these: index ranges on the normalised form
        from sqlalchemy import and_

        ids |= set(s.scalars(select(SpeakerName.speaker_id).where(or_(*[
            and_(SpeakerName.norm > start + " ", SpeakerName.norm < start + "!") for start in sorted(q.starts)]))
            .distinct().limit(MAX_PER_QUERY)))
    if q.toks:
        toks = sorted(q.toks)
        for col in (SpeakerName.first_tok, SpeakerName.last_tok):
            ids |= set(s.scalars(select(SpeakerName.speaker_id).where(SpeakerName.n_tokens >= 2, col.in_(toks))
                                 .order_by(SpeakerName.speaker_id.desc()).limit(MAX_PER_QUERY)))
    return ids


def profiles(s: Session, ids: Iterable[int]) -> list[Profile]:
    """Stored speakers with their name forms, roles, affiliations and statement counts: a few
    rows each (the aggregates), never their statements."""
    ids = sorted(set(ids))
    out: dict[int, Profile] = {}
    for chunk in chunks(ids):
        for sid, name, typ, n in s.execute(select(Speaker.id, Speaker.name, Speaker.type, Speaker.statement_count)
                                           .where(Speaker.id.in_(chunk))):
            out[sid] = Profile(sid, name, typ, count=int(n or 0))
        for sid, role, aff in s.execute(select(SpeakerFacet.speaker_id, SpeakerFacet.role, SpeakerFacet.affiliation)
                                        .where(SpeakerFacet.speaker_id.in_(chunk))
                                        .order_by(SpeakerFacet.speaker_id, SpeakerFacet.n.desc()).limit(50 * len(chunk))):
            if sid in out:
                if role:
                    out[sid].roles.add(role)
                if role or aff:
                    out[sid].pairs.add((role, aff))
        for sid, aff in s.execute(select(SpeakerAffiliation.speaker_id, SpeakerAffiliation.affiliation)
                                  .where(SpeakerAffiliation.speaker_id.in_(chunk))):
            if sid in out:
                out[sid].affiliations.add(aff)
        for sid, norm in s.execute(select(SpeakerName.speaker_id, SpeakerName.norm).where(SpeakerName.speaker_id.in_(chunk))):
            if sid in out:
                out[sid].norms.add(norm)
    return [out[i] for i in ids if i in out]


def resolve(s: Session, groups: list[SpeakerGroup]) -> list[int]:
    """Speaker ids for an article's groups (existing speakers or new ones), written in the
    caller's transaction."""
    if not groups:
        return []
    plan = link(groups, profiles(s, candidate_ids(s, groups)), key=aff_key)
    return apply(s, plan)


def apply(s: Session, plan: LinkPlan) -> list[int]:
    real: dict[int, int] = {}
    if plan.new:
        tmp = sorted(plan.new, reverse=True)          # -1, -2, ...: creation order
        got = list(s.scalars(insert(Speaker).returning(Speaker.id, sort_by_parameter_order=True),
                             [{"name": plan.new[t]["name"], "type": plan.new[t]["type"], "key": plan.new[t]["key"],
                               "statement_count": 0} for t in tmp]))
        real = dict(zip(tmp, got))

    def rid(i: int) -> int:
        return real.get(i, i)

    for sid, changes in plan.updates.items():
        s.execute(update(Speaker).where(Speaker.id == sid).values(**changes))
    if plan.names:
        s.execute(insert(SpeakerName), [dict(r, speaker_id=rid(i)) for i, r in plan.names])
    if plan.affiliations:
        s.execute(insert(SpeakerAffiliation), [{"speaker_id": rid(i), "key": aff_key(a), "affiliation": a}
                                              for i, a in plan.affiliations])
    for src, dst in plan.merges:
        merge(s, src, rid(dst))
    return [rid(i) for i in plan.assign]


def merge(s: Session, src: int, dst: int) -> None:
    """Move every statement and name form of speaker ``src`` to ``dst`` and delete ``src``."""
    s.execute(update(StatementRec).where(StatementRec.speaker_id == src).values(speaker_id=dst))
    dst_norms = set(s.scalars(select(SpeakerName.norm).where(SpeakerName.speaker_id == dst)))
    for sn in list(s.scalars(select(SpeakerName).where(SpeakerName.speaker_id == src))):
        if sn.norm in dst_norms:
            s.delete(sn)
        else:
            sn.speaker_id = dst
    dst_keys = set(s.scalars(select(SpeakerAffiliation.key).where(SpeakerAffiliation.speaker_id == dst)))
    src_rows = s.execute(select(SpeakerAffiliation.key, SpeakerAffiliation.affiliation)
                         .where(SpeakerAffiliation.speaker_id == src)).all()
    s.execute(delete(SpeakerAffiliation).where(SpeakerAffiliation.speaker_id == src))
    moved = [{"speaker_id": dst, "key": k, "affiliation": a} for k, a in src_rows if k not in dst_keys]
    if moved:
        s.execute(insert(SpeakerAffiliation), moved)
    s.flush()
    s.execute(delete(SpeakerFacet).where(SpeakerFacet.speaker_id == src))
    s.execute(delete(Speaker).where(Speaker.id == src))
    recount(s, [dst])


# --- aggregates -----------------------------------------------------------------------------
def _facet_key(role: Optional[str], aff: Optional[str]) -> tuple[str, str]:
    return (aff_key(role) if role else "", aff_key(aff) if aff else "")


def add_statements(s: Session, rows: list[dict]) -> None:
    """Count an article's new statement rows into their speakers' aggregates (a few upserts)."""
    counts: dict[int, int] = {}
    facets: dict[tuple, dict] = {}
    for r in rows:
        sid = r.get("speaker_id")
        if sid is None:
            continue
        counts[sid] = counts.get(sid, 0) + 1
        rk, ak = _facet_key(r.get("role"), r.get("affiliation"))
        f = facets.setdefault((sid, rk, ak), {"speaker_id": sid, "role_key": rk, "aff_key": ak, "role": r.get("role"),
                                              "affiliation": r.get("affiliation"), "n": 0, "first_date": None,
                                              "last_date": None})
        f["n"] += 1
        d = r.get("date_value")
        if d:
            f["first_date"] = min(f["first_date"] or d, d)
            f["last_date"] = max(f["last_date"] or d, d)
    if not counts:
        return
    conn = s.connection()
    conn.execute(update(Speaker).where(Speaker.id == _bp("sid")).values(statement_count=Speaker.statement_count + _bp("n")),
                 [{"sid": k, "n": v} for k, v in sorted(counts.items())])
    upsert_facets(s, list(facets.values()))


def _bp(name):
    from sqlalchemy import bindparam

    return bindparam(name)


def upsert_facets(s: Session, facets: list[dict]) -> None:
    if not facets:
        return
    dialect = s.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dinsert
    else:
        from sqlalchemy.dialects.sqlite import insert as dinsert
    from sqlalchemy import case

    t = SpeakerFacet.__table__
    ins = dinsert(t)
    ex = ins.excluded
    first = case((t.c.first_date.is_(None), ex.first_date), (ex.first_date.is_(None), t.c.first_date),
                 (ex.first_date < t.c.first_date, ex.first_date), else_=t.c.first_date)
    last = case((t.c.last_date.is_(None), ex.last_date), (ex.last_date.is_(None), t.c.last_date),
                (ex.last_date > t.c.last_date, ex.last_date), else_=t.c.last_date)
    stmt = ins.on_conflict_do_update(index_elements=["speaker_id", "role_key", "aff_key"],
                                     set_={"n": t.c.n + ex.n, "first_date": first, "last_date": last})
    conn = s.connection()
    for chunk in chunks(sorted(facets, key=lambda f: (f["speaker_id"], f["role_key"], f["aff_key"])), 500):
        conn.execute(stmt, chunk)


def recount(s: Session, ids: Iterable[Optional[int]]) -> None:
    """Rebuild the aggregates of some speakers from their statements (after a re-ingest,
    a deletion or a merge: costs what those speakers' statements cost)."""
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return
    for chunk in chunks(ids):
        s.execute(delete(SpeakerFacet).where(SpeakerFacet.speaker_id.in_(chunk)))
        counts = dict.fromkeys(chunk, 0)
        facets: dict[tuple, dict] = {}
        for sid, role, aff, n, d0, d1 in s.execute(
                select(StatementRec.speaker_id, StatementRec.role, StatementRec.affiliation, func.count(),
                       func.min(StatementRec.date_value), func.max(StatementRec.date_value))
                .where(StatementRec.speaker_id.in_(chunk))
                .group_by(StatementRec.speaker_id, StatementRec.role, StatementRec.affiliation)):
            counts[sid] += int(n)
            rk, ak = _facet_key(role, aff)
            f = facets.setdefault((sid, rk, ak), {"speaker_id": sid, "role_key": rk, "aff_key": ak, "role": role,
                                                  "affiliation": aff, "n": 0, "first_date": None, "last_date": None})
            f["n"] += int(n)
            f["first_date"] = min((x for x in (f["first_date"], d0) if x), default=None)
            f["last_date"] = max((x for x in (f["last_date"], d1) if x), default=None)
        s.connection().execute(update(Speaker).where(Speaker.id == _bp("sid")).values(statement_count=_bp("n")),
                               [{"sid": k, "n": v} for k, v in counts.items()])
        if facets:
            s.execute(insert(SpeakerFacet), list(facets.values()))


def refresh_affiliations(s: Session, ids) -> None:
    """Rebuild the affiliation list of speakers from their statements (after a re-ingest)."""
    ids = sorted(set(i for i in ids if i is not None))
    if not ids:
        return
    s.execute(delete(SpeakerAffiliation).where(SpeakerAffiliation.speaker_id.in_(ids)))
    rows = {}
    for sid, aff in s.execute(select(StatementRec.speaker_id, StatementRec.affiliation)
                              .where(StatementRec.speaker_id.in_(ids), StatementRec.affiliation.is_not(None))
                              .distinct()):
        rows.setdefault((sid, aff_key(aff)), aff)
    if rows:
        s.execute(insert(SpeakerAffiliation),
                  [{"speaker_id": sid, "key": k, "affiliation": a} for (sid, k), a in sorted(rows.items())])


def delete_orphans(s: Session, ids) -> None:
    """Remove speakers (and their name forms) left without any statement."""
    ids = set(i for i in ids if i is not None)
    if not ids:
        return
    used = set(s.scalars(select(StatementRec.speaker_id).where(StatementRec.speaker_id.in_(ids)).distinct()))
    orphans = ids - used
    if orphans:
        s.execute(delete(SpeakerName).where(SpeakerName.speaker_id.in_(orphans)))
        s.execute(delete(SpeakerAffiliation).where(SpeakerAffiliation.speaker_id.in_(orphans)))
        s.execute(delete(SpeakerFacet).where(SpeakerFacet.speaker_id.in_(orphans)))
        s.execute(delete(Speaker).where(Speaker.id.in_(orphans)))
