"""The store's search as plain parameterised SQL: one implementation for every caller.

:func:`search` and :func:`statement_rows` take a :class:`Reader`, anything that runs a SQL string
with ``:name`` parameters and returns rows as tuples:

* :class:`SessionReader`, a SQLAlchemy session (``text()``): what ``Store.search`` and the page
  listings use, on SQLite and PostgreSQL alike (the web server and the API);
* a plain ``sqlite3`` connection (which takes ``:name`` parameters natively), opened read-only
  by :func:`open_read_only`: `kutip search`'s read path, which imports neither SQLAlchemy nor
  Alembic (issue 10: start fast). It opens a SQLite store whose ``alembic_version`` is the head
  revision (read from the migration files, :func:`kutip.store.migrate.head_revision`); anything
  else (no file yet, an older schema, not a Kutip store, PostgreSQL) is left to ``Store(db)``,
  which creates, upgrades or says what is wrong as before.

On PostgreSQL the long-text columns hold the SafeText escape (:mod:`kutip.store.schema`):
values read from them are decoded, and affiliations compared with them encoded, with
:func:`kutip.store.base.pg_unescape` / ``pg_escape``, as the ORM's column type does.
"""
from __future__ import annotations

import math
import os
from typing import Any, Iterable, Optional, Protocol, Sequence

from kutip.core.errors import KutipInputError
from kutip.store import record
from kutip.store.base import DateLike, chunks, iso_date, like_escape, outlet_key, pg_escape, pg_unescape
from kutip.store.textindex import query_terms

_FALSE = "1 = 0"
_ESCAPE = "ESCAPE '\\'"


class Reader(Protocol):
    dialect: str

    def rows(self, sql: str, params: dict) -> Sequence[Sequence[Any]]:
        """The rows of one parameterised statement (``:name`` parameters)."""


class SessionReader:
    """A SQLAlchemy session (or connection) as a :class:`Reader`."""

    def __init__(self, session):
        from sqlalchemy import text

        self._s = session
        self._text = text
        self.dialect = session.get_bind().dialect.name if hasattr(session, "get_bind") else session.dialect.name

    def rows(self, sql: str, params: dict):
        return self._s.execute(self._text(sql), params).all()


class SqliteReader:
    """A ``sqlite3`` connection as a :class:`Reader`."""

    dialect = "sqlite"

    def __init__(self, conn):
        self.conn = conn

    def rows(self, sql: str, params: dict):
        return self.conn.execute(sql, params).fetchall()


class _Params(dict):
    """Bound parameters of one statement, named in order (:p0, :p1, ...)."""

    def add(self, value: Any) -> str:
        name = f"p{len(self)}"
        self[name] = value
        return ":" + name

    def in_(self, column: str, values: Iterable[Any]) -> str:
        vals = list(values)
        if not vals:
            return _FALSE
        return f"{column} IN ({', '.join(self.add(v) for v in vals)})"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _first(rows) -> list:
    return [r[0] for r in rows]


# --- statement rows ---------------------------------------------------------------------------
# the keys the store adds to a statement's contract dict (StatementRow), in the order the rows
# carry them, with where each one is read; tests/store/test_query.py checks these are exactly
# kutip.store.record's row fields
_STORE_KEYS = (("id", "statement.id"), ("article_id", "statement.article_id"),
               ("speaker_id", "statement.speaker_id"), ("cluster_id", "statement.cluster_id"),
               ("outlet", "outlet.name"), ("article_title", "article.title"), ("article_url", "article.url"),
               ("date_value", "statement.date_value"), ("speaker_canonical", "speaker.name"))
_ROW_TYPES = {f.row: f.type for f in record.FIELDS if f.row}
# the contract columns and presence flags of the statement table (record.CONTRACT, record.GROUPS)
_CONTRACT_COLUMNS = tuple(f.column for f in record.CONTRACT)
_FLAG_COLUMNS = tuple(flag for flag in record.GROUPS.values() if flag)
_TEXT_COLUMNS = frozenset(f.column for f in record.CONTRACT if f.type == "text")
_ROW_SELECT = ", ".join([f"statement.{_q(c)}" for c in _CONTRACT_COLUMNS + _FLAG_COLUMNS]
                        + [src for _key, src in _STORE_KEYS])
_ROW_FROM = ("statement JOIN article ON article.id = statement.article_id "
             "LEFT OUTER JOIN outlet ON outlet.id = article.outlet_id "
             "LEFT OUTER JOIN speaker ON speaker.id = statement.speaker_id")


def statement_rows(db: Reader, ids: list[int], scores: Optional[dict[int, float]] = None) -> list[dict]:
    """StatementRows (the contract dict plus the store's keys: ids, outlet, article, canonical
    speaker; ``score`` when ``scores`` is given), in the order of ``ids``."""
    if not ids:
        return []
    pg = db.dialect == "postgresql"
    ncols = len(_CONTRACT_COLUMNS) + len(_FLAG_COLUMNS)
    names = _CONTRACT_COLUMNS + _FLAG_COLUMNS
    out = {}
    for chunk in chunks(ids):
        p = _Params()
        sql = f"SELECT {_ROW_SELECT} FROM {_ROW_FROM} WHERE {p.in_('statement.id', chunk)}"
        for r in db.rows(sql, p):
            cols = dict(zip(names, r[:ncols]))
            if pg:
                for c in _TEXT_COLUMNS:
                    cols[c] = pg_unescape(cols[c])
            row = record.to_contract(cols)
            for (key, _src), v in zip(_STORE_KEYS, r[ncols:]):
                row[key] = pg_unescape(v) if pg and _ROW_TYPES[key] == "text" else v
            if scores is not None:
                row["score"] = round(float(scores.get(row["id"], 0.0)), 6)
            out[row["id"]] = row
    return [out[i] for i in ids if i in out]


# --- search -----------------------------------------------------------------------------------
def _corpus_stats(db: Reader) -> tuple[int, float]:
    """(statements, average length in terms): one row kept with the postings (``corpus_stat``)."""
    rows = db.rows("SELECT statements, terms FROM corpus_stat WHERE id = :id", {"id": 1})
    n, total = (int(rows[0][0] or 0), int(rows[0][1] or 0)) if rows else (0, 0)
    avgdl = (float(total) / n) if n else 1.0
    return n, max(avgdl, 1.0)


def _filters(db: Reader, p: _Params, *, speaker_id=None, speaker=None, affiliation=None, outlet=None, kind=None,
             date_from=None, date_to=None) -> list[str]:
    """SQL conditions on ``statement`` for the search filters (their parameters added to ``p``)."""
    if speaker or affiliation:
        # names and affiliations: loaded (with their word lists) for the filters that use them
        from kutip.link.names import affiliation_key, merge_affiliations, normalize_name
    pg = db.dialect == "postgresql"
    conds = []
    if speaker_id is not None:
        conds.append(f"statement.speaker_id = {p.add(int(speaker_id))}")
    if speaker:
        norm = normalize_name(speaker)
        if not norm:
            conds.append(_FALSE)
        else:
            pat = f"%{like_escape(norm)}%"
            sids = sorted(set(_first(db.rows(f"SELECT speaker_id FROM speaker_name WHERE norm LIKE :pat {_ESCAPE}",
                                             {"pat": pat}))))
            conds.append(p.in_("statement.speaker_id", sids))
    if affiliation and affiliation.strip():
        # speakers ever given a matching affiliation; of their statements, those that carry a
        # matching affiliation or none (an unaffiliated statement inherits the speaker's)
        pat = f"%{like_escape(affiliation_key(affiliation.strip()))}%"
        rows = db.rows(f'SELECT speaker_id, affiliation FROM speaker_affiliation WHERE "key" LIKE :pat {_ESCAPE}',
                       {"pat": pat})
        sids = sorted({r[0] for r in rows})
        affs = {pg_unescape(r[1]) if pg else r[1] for r in rows}
        if sids and len(sids) <= 1000:
            # the same organisation written another way by these speakers' statements
            # ("Pakta Pertahanan Atlantik Utara" for a filter on "nato")
            q = _Params()
            found = _first(db.rows(f"SELECT affiliation FROM speaker_affiliation WHERE {q.in_('speaker_id', sids)}", q))
            others = {a for a in ((pg_unescape(x) if pg else x) for x in found) if a not in affs}
            if others:
                for g in merge_affiliations(sorted(affs) + sorted(others)):
                    if affs & set(g):
                        affs |= set(g)
        affs = sorted(affs)
        if not sids:
            conds.append(_FALSE)
        else:
            conds.append(p.in_("statement.speaker_id", sids))
            stored = [pg_escape(a) for a in affs] if pg else affs
            conds.append(f"(statement.affiliation IS NULL OR {p.in_('statement.affiliation', stored)})")
    if outlet and outlet.strip():
        key = outlet_key(outlet)
        pat = f"%{like_escape(key)}%"
        oids = _first(db.rows(f'SELECT id FROM outlet WHERE "key" = :key OR "key" LIKE :pat {_ESCAPE}',
                              {"key": key, "pat": pat}))
        conds.append(p.in_("statement.outlet_id", oids))
    if kind:
        kinds = [k.strip() for k in (kind.split(",") if isinstance(kind, str) else kind) if k and k.strip()]
        conds.append(p.in_("statement.kind", kinds))
    df, dt = iso_date(date_from) if date_from else None, iso_date(date_to) if date_to else None
    if date_from and df is None:
        raise KutipInputError(f"date_from {date_from!r} is not a date: use YYYY-MM-DD")
    if date_to and dt is None:
        raise KutipInputError(f"date_to {date_to!r} is not a date: use YYYY-MM-DD")
    if df:
        conds.append(f"statement.date_value >= {p.add(df)}")
    if dt:
        conds.append(f"statement.date_value <= {p.add(dt)}")
    return conds


def _dfs(db: Reader, terms: list[str]) -> dict[str, int]:
    """Document frequencies: primary-key look-ups in ``term_stat`` (kept with the postings)."""
    p = _Params()
    got = {r[0]: r[1] for r in db.rows(f"SELECT term, df FROM term_stat WHERE {p.in_('term', sorted(set(terms)))}", p)}
    return {t: int(got.get(t, 0) or 0) for t in terms}


def _where(conds: list[str]) -> str:
    return f" WHERE {' AND '.join(conds)}" if conds else ""


def _count(db: Reader, frm: str, where: list[str], p: _Params) -> int:
    rows = db.rows(f"SELECT count(*) FROM {frm}{_where(where)}", p)
    return int(rows[0][0] or 0) if rows else 0


def search(db: Reader, q: Optional[str] = None, *, speaker_id: Optional[int] = None, speaker: Optional[str] = None,
           affiliation: Optional[str] = None, outlet: Optional[str] = None, kind: Optional[str] = None,
           date_from: DateLike = None, date_to: DateLike = None, limit: int = 20, offset: int = 0) -> dict:
    """Statements containing every stemmed term of ``q``, ranked by BM25, that pass the filters;
    without ``q``, the filtered statements newest first. {"total", "items": StatementRows}."""
    limit = max(0, min(int(limit), 1000))
    offset = max(0, int(offset))
    p = _Params()
    conds = _filters(db, p, speaker_id=speaker_id, speaker=speaker, affiliation=affiliation,
                     outlet=outlet, kind=kind, date_from=date_from, date_to=date_to)
    terms = query_terms(q) if q and q.strip() else []
    if q and q.strip() and not terms:
        return {"total": 0, "items": []}
    if not terms:
        if conds:
            total = _count(db, "statement", conds, p)
        else:
            total = _corpus_stats(db)[0]
        page = _Params(p)
        ids = _first(db.rows(f"SELECT statement.id FROM statement{_where(conds)} "
                             "ORDER BY statement.date_value DESC NULLS LAST, statement.id DESC "
                             f"LIMIT {page.add(limit)} OFFSET {page.add(offset)}", page))
        return {"total": int(total or 0), "items": statement_rows(db, ids)}

    n, _ = _corpus_stats(db)
    dfs = _dfs(db, terms)
    if any(dfs[t] == 0 for t in terms):
        return {"total": 0, "items": []}
    n = max(n, max(dfs.values()))
    idf = {t: math.log(1.0 + (n - dfs[t] + 0.5) / (dfs[t] + 0.5)) for t in terms}
    order = sorted(terms, key=lambda t: (dfs[t], t))     # drive from the rarest term
    frm = "posting AS p0"
    score = f"p0.w * {p.add(idf[order[0]])}"
    where = [f"p0.term = {p.add(order[0])}"]
    for k, t in enumerate(order[1:], 1):
        frm += f" JOIN posting AS p{k} ON p{k}.term = {p.add(t)} AND p{k}.statement_id = p0.statement_id"
        score += f" + p{k}.w * {p.add(idf[t])}"
    if conds:
        frm += " JOIN statement ON statement.id = p0.statement_id"
        where += conds
    page = _Params(p)
    window = f"LIMIT {page.add(limit)} OFFSET {page.add(offset)}"
    if len(order) == 1:
        # walk the (term, w) index and stop at the page; count separately (df when unfiltered)
        hits = [(r[0], r[1]) for r in db.rows(
            f"SELECT p0.statement_id, {score} AS score FROM {frm}{_where(where)} "
            f"ORDER BY p0.w DESC, p0.statement_id DESC {window}", page)]
        if not conds:
            total = dfs[order[0]]
        elif not hits and offset == 0:
            total = 0
        else:
            total = _count(db, frm, where, p)
    else:
        # every match is scored anyway: the count comes with the page
        rows = db.rows(f"SELECT p0.statement_id, {score} AS score, count(*) OVER () AS n FROM {frm}{_where(where)} "
                       f"ORDER BY score DESC, p0.statement_id DESC {window}", page)
        hits = [(r[0], r[1]) for r in rows]
        if rows:
            total = int(rows[0][2])
        elif offset == 0:
            total = 0
        else:
            total = _count(db, frm, where, p)
    scores = {r[0]: r[1] for r in hits}
    return {"total": total, "items": statement_rows(db, [r[0] for r in hits], scores)}


# --- `kutip search`'s read path -----------------------------------------------------------------
def sqlite_path(url: str) -> Optional[str]:
    """The file of a ``sqlite:///FILE`` URL (resolved as SQLAlchemy does), None for anything
    else: another backend, an in-memory database, a URL with options or escapes."""
    scheme, sep, rest = url.partition(":///")
    if not sep or scheme.split("+", 1)[0] != "sqlite" or not rest:
        return None
    if rest == ":memory:" or any(c in rest for c in "?%#") or rest.startswith("file:"):
        return None
    return rest


class ReadOnlyStore:
    """A SQLite store at the head revision, read through a read-only ``sqlite3`` connection:
    ``search`` as ``Store.search`` (the same code), without SQLAlchemy. Made by
    :func:`open_read_only`."""

    def __init__(self, conn, url: str):
        self.conn = conn
        self.url = url
        self.dialect = "sqlite"

    def search(self, q: Optional[str] = None, **filters) -> dict:
        conn = self.conn
        conn.execute("BEGIN")            # one snapshot for every query of the search
        try:
            return search(SqliteReader(conn), q, **filters)
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_read_only(url: Optional[str] = None) -> Optional[ReadOnlyStore]:
    """A :class:`ReadOnlyStore` over the SQLite file of ``url`` ($KUTIP_DB, else
    ``sqlite:///kutip.db``) when that file is a Kutip store at the head revision; None otherwise
    (no such file, another backend, an older or newer schema, not a store or not readable), and
    the caller opens ``Store(url)``, which creates or upgrades it, or says what is wrong."""
    from kutip.store.migrate import head_revision, resolve_url

    url = resolve_url(url)
    path = sqlite_path(url)
    if path is None or not os.path.isfile(path):
        return None
    import sqlite3
    from pathlib import Path

    try:
        uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
    except (sqlite3.Error, ValueError, OSError):
        return None
    try:
        conn.execute("PRAGMA busy_timeout=30000")
        revs = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version").fetchall()]
        if revs != [head_revision()]:
            conn.close()
            return None
    except sqlite3.Error:
        conn.close()
        return None
    return ReadOnlyStore(conn, url)
