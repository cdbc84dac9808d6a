"""The store's connection and the small helpers every part of it uses: dates, outlet keys,
content hashes, chunking, the SafeText escape. Importing it does not import SQLAlchemy (the
engines are made on open): `kutip search`'s read path (:mod:`kutip.store.query`) uses the helpers."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from typing import TYPE_CHECKING, Iterator, Optional, Union

from kutip.core.errors import KutipError
from kutip.store import migrate

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DateLike = Union[str, date, datetime, None]
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
CHUNK = 500
PG_WRITE_LOCK = 7_240_731_116


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


def input_hash(content: Optional[str], **settings) -> str:
    """Hash of a raw input before extraction, with everything that changes what extraction
    gives (source, URL, outlet, published date, model settings): equal hashes, equal results."""
    h = hashlib.sha256()
    h.update((content or "").encode("utf-8", "surrogatepass"))
    for k in sorted(settings):
        h.update(b"\x00" + k.encode() + b"=" + repr(settings[k]).encode("utf-8", "backslashreplace"))
    return h.hexdigest()


def like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def chunks(seq: list, n: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


# SafeText on PostgreSQL (kutip.store.schema): NUL, which a text column cannot hold, is written as
# a private-use escape, and the escape character itself doubled
_ESC = "\ue000"
_UNESC = re.compile("\ue000(.)", re.S)


def pg_escape(value: Optional[str]) -> Optional[str]:
    """The stored form of a SafeText value on PostgreSQL (for literal comparisons)."""
    if value is None or (_ESC not in value and "\x00" not in value):
        return value
    return value.replace(_ESC, _ESC + "e").replace("\x00", _ESC + "0")


def pg_unescape(value: Optional[str]) -> Optional[str]:
    """A SafeText value as read from PostgreSQL, back to the original string."""
    if value is None or _ESC not in value:
        return value
    return _UNESC.sub(lambda m: "\x00" if m.group(1) == "0" else _ESC, value)


class StoreBase:
    """Engines and sessions. ``url=None`` means $KUTIP_DB, else ``sqlite:///kutip.db``; the schema
    is created or upgraded (Alembic ``upgrade head``) on open."""

    def __init__(self, url: Optional[str] = None):
        self.url = migrate.resolve_url(url)
        try:
            self.engine = migrate.make_engine(self.url)
        except Exception as exc:
            raise KutipError(f"cannot use the database URL {url!r}: {exc}. "
                             "Use e.g. sqlite:///kutip.db or postgresql://user@host/dbname.") from exc
        self._write_engine = migrate.make_engine(self.url, write=True) if self.dialect == "sqlite" else self.engine
        migrate.upgrade(self.engine, self._write_engine)
        self._stats_cache = None
        self._df_cache: dict = {}

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

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def session(self, write: bool = False) -> Session:
        from sqlalchemy.orm import Session

        return Session(self._write_engine if write else self.engine, expire_on_commit=False)

    def _invalidate(self) -> None:
        self._stats_cache = None
        self._df_cache = {}
