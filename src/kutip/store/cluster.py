"""Quote clusters in the database: the store's side of ``kutip.link.clusters``.

A new statement's LSH band hashes are looked up in ``lsh_band`` with a cap per band (the
newest ``PER_BAND`` rows of each), its candidates ranked by shared bands (at most
``MAX_CANDIDATES``), and each candidate cluster compared once, through the member that shares
most bands with it (its representative here), by exact Jaccard of shingles. A statement that
joins a cluster stores only the band hashes the cluster does not have yet, so the same quote
carried by 1,000 outlets adds 1,000 statements to one cluster but not 20,000 band rows: the
cost per statement does not grow with the corpus or with the cluster.
"""
from __future__ import annotations

from typing import Iterable, Optional

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from kutip.link.clusters import THRESHOLD, band_keys, jaccard, shingles
from kutip.store.base import chunks
from kutip.store.schema import Cluster, LshBand, StatementRec, utcnow

PER_BAND = 16          # rows read per band hash (newest first)
MAX_CANDIDATES = 48    # candidate statements per new statement, most shared bands first
_KEYS_PER_QUERY = 100  # band look-ups per SQL statement (SQLite allows 500 compound terms)


class NewStatement:
    __slots__ = ("id", "text", "cluster_id")

    def __init__(self, id: int, text: str):
        self.id, self.text, self.cluster_id = id, text, None


def _band_hits(s: Session, keys: list[int]) -> dict[int, list[int]]:
    """The newest ``PER_BAND`` statements of each band hash: one UNION ALL of index range reads
    (written as SQL text: building it as an expression tree costs more than running it)."""
    hits: dict[int, list[int]] = {}
    for part in chunks(keys, _KEYS_PER_QUERY):
        sql = " UNION ALL ".join(
            f"SELECT * FROM (SELECT key, statement_id FROM lsh_band WHERE key = :k{n} "
            f"ORDER BY statement_id DESC LIMIT {PER_BAND}) AS b{n}" for n in range(len(part)))
        for key, sid in s.execute(text(sql), {f"k{n}": int(k) for n, k in enumerate(part)}):
            hits.setdefault(key, []).append(sid)
    return hits


def assign(s: Session, article_id: int, recs: list[NewStatement]) -> None:
    """Cluster an article's new statements against the stored ones; store their band hashes."""
    own = []
    all_keys: set[int] = set()
    for r in recs:
        sh = shingles(r.text)
        keys = band_keys(sh)
        own.append((r, sh, keys))
        all_keys.update(keys)
    if not all_keys:
        return
    hits = _band_hits(s, sorted(all_keys))
    tops = []
    for r, sh, keys in own:
        shared: dict[int, int] = {}
        for k in keys:
            for m in hits.get(k, ()):
                shared[m] = shared.get(m, 0) + 1
        tops.append((shared, sorted(shared, key=lambda x: (-shared[x], -x))[:MAX_CANDIDATES]))
    cand_ids = set().union(*(t for _, t in tops)) if tops else set()
    cands: dict[int, list] = {}          # id -> [text, cluster id]
    for part in chunks(sorted(cand_ids)):
        for sid, stext, cid, aid in s.execute(select(StatementRec.id, StatementRec.text, StatementRec.cluster_id,
                                                    StatementRec.article_id).where(StatementRec.id.in_(part))):
            if aid != article_id:
                cands[sid] = [stext, cid]
    cand_sh: dict[int, set[str]] = {}
    band_rows = []
    for (r, sh, keys), (shared, top) in zip(own, tops):
        if not keys:
            continue
        # one representative per cluster: the member sharing most bands; loose statements each
        seen_clusters: set[int] = set()
        best = []
        for m in top:
            if m not in cands:
                continue
            cm = cands[m][1]
            if cm is not None:
                if cm in seen_clusters:
                    continue
                seen_clusters.add(cm)
            if m not in cand_sh:
                cand_sh[m] = shingles(cands[m][0])
            if jaccard(sh, cand_sh[m]) >= THRESHOLD:
                best.append(m)
        cid: Optional[int] = None
        if best:
            clusters = sorted({cands[m][1] for m in best if cands[m][1] is not None})
            if clusters:
                cid = clusters[0]
                for other in clusters[1:]:   # the new statement bridges two clusters: union them
                    osize = s.scalar(select(Cluster.size).where(Cluster.id == other)) or 0
                    s.execute(update(StatementRec).where(StatementRec.cluster_id == other).values(cluster_id=cid))
                    s.execute(delete(Cluster).where(Cluster.id == other))
                    s.execute(update(Cluster).where(Cluster.id == cid).values(size=Cluster.size + osize))
                    for v in cands.values():
                        if v[1] == other:
                            v[1] = cid
            else:
                first = min(best)
                c = Cluster(text=cands[first][0], created_at=utcnow(), size=0)
                s.add(c)
                s.flush()
                cid = c.id
            loose = [m for m in best if cands[m][1] != cid]
            if loose:
                s.execute(update(StatementRec).where(StatementRec.id.in_(loose)).values(cluster_id=cid))
                for m in loose:
                    cands[m][1] = cid
            r.cluster_id = cid
            s.execute(update(StatementRec).where(StatementRec.id == r.id).values(cluster_id=cid))
            s.execute(update(Cluster).where(Cluster.id == cid).values(size=Cluster.size + len(loose) + 1))
        # band hashes: all of them for a loose statement; for a cluster member only the ones its
        # cluster does not hold yet (as far as the capped look-up saw)
        held = set()
        if cid is not None:
            held = {k for k in keys for m in hits.get(k, ()) if m in cands and cands[m][1] == cid}
        band_rows.extend({"key": k, "statement_id": r.id} for k in set(keys) - held)
        if cid is not None:
            for k in keys:                      # later statements of this article see it too
                hits.setdefault(k, []).append(r.id)
            cands[r.id] = [r.text, cid]
    conn = s.connection()
    for part in chunks(band_rows, 2000):
        conn.execute(LshBand.__table__.insert(), part)


def dissolve_small(s: Session, ids: Iterable[int]) -> None:
    """After statements left clusters: sizes recounted; clusters left with one member go."""
    ids = sorted(set(i for i in ids if i is not None))
    if not ids:
        return
    sizes = dict(s.execute(select(StatementRec.cluster_id, func.count()).where(StatementRec.cluster_id.in_(ids))
                           .group_by(StatementRec.cluster_id)).all())
    small = [c for c in ids if sizes.get(c, 0) < 2]
    if small:
        s.execute(update(StatementRec).where(StatementRec.cluster_id.in_(small)).values(cluster_id=None))
        s.execute(delete(Cluster).where(Cluster.id.in_(small)))
    for c in ids:
        if c not in small:
            s.execute(update(Cluster).where(Cluster.id == c).values(size=int(sizes[c])))
