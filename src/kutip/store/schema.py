"""The knowledge-base tables (SQLAlchemy 2.x ORM). Alembic migrations in
``kutip/store/migrations`` create exactly these; change both together."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import (
    BigInteger, CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, String, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from kutip.link.names import affiliation_key
from kutip.store import record
from kutip.store.base import pg_escape, pg_unescape


class SafeText(TypeDecorator):
    """Text stored intact on every backend.

    PostgreSQL cannot hold NUL in a text column; there NUL is written as a
    private-use escape (and the escape character itself doubled), and read back
    to the original string (:func:`kutip.store.base.pg_escape`, ``pg_unescape``:
    the plain-SQL read path decodes with the same). Other backends store the
    string as is.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None or dialect.name != "postgresql":
            return value
        return pg_escape(value)

    def process_result_value(self, value, dialect):
        if value is None or dialect.name != "postgresql":
            return value
        return pg_unescape(value)


aff_key = affiliation_key     # the storage key of an affiliation (lower case, controls as spaces)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Outlet(Base):
    __tablename__ = "outlet"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(SafeText)


class Article(Base):
    __tablename__ = "article"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[Optional[str]] = mapped_column(SafeText, unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)   # normalised extracted text
    # the raw input and the extraction settings, hashed before extraction (0004): unchanged
    # inputs are skipped without extracting them again
    input_hash: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    outlet_id: Mapped[Optional[int]] = mapped_column(ForeignKey("outlet.id"), index=True)
    published: Mapped[Optional[str]] = mapped_column(String(10), index=True)
    title: Mapped[Optional[str]] = mapped_column(SafeText)
    source: Mapped[Optional[str]] = mapped_column(SafeText)
    text: Mapped[str] = mapped_column(SafeText)
    metadata_json: Mapped[str] = mapped_column(SafeText)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Speaker(Base):
    __tablename__ = "speaker"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(SafeText)
    type: Mapped[Optional[str]] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300), index=True)
    statement_count: Mapped[int] = mapped_column(Integer, default=0, index=True)   # kept up to date (0004)


class SpeakerName(Base):
    """A name form of a speaker ("Jens Stoltenberg", "Stoltenberg", "Jokowi"), normalised."""

    __tablename__ = "speaker_name"
    __table_args__ = (UniqueConstraint("speaker_id", "norm", name="uq_speaker_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(SafeText)
    norm: Mapped[str] = mapped_column(String(300), index=True)
    first_tok: Mapped[str] = mapped_column(String(100), index=True)
    last_tok: Mapped[str] = mapped_column(String(100), index=True)
    n_tokens: Mapped[int] = mapped_column(Integer)


class Cluster(Base):
    __tablename__ = "quote_cluster"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(SafeText)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    size: Mapped[int] = mapped_column(Integer, default=0, index=True)   # member statements (0004)


class StatementRec(Base):
    __tablename__ = "statement"
    __table_args__ = (
        CheckConstraint("kind IN ('direct', 'indirect', 'mixed')", name="ck_statement_kind"),
        Index("ix_statement_date", "date_value"),
        Index("ix_statement_outlet_date", "outlet_id", "date_value"),
        # 0005: on SQLite, indexes covering the filter columns (a filtered search counts its
        # matches from index entries); PostgreSQL keeps the 0001 ones
        Index("ix_statement_speaker_date", "speaker_id", "date_value").ddl_if(dialect="postgresql"),
        Index("ix_statement_kind", "kind").ddl_if(dialect="postgresql"),
        Index("ix_statement_speaker_date_aff", "speaker_id", "date_value", "id", "affiliation").ddl_if(dialect="sqlite"),
        Index("ix_statement_kind_date", "kind", "date_value").ddl_if(dialect="sqlite"),
        Index("ix_statement_filters", "id", "outlet_id", "kind", "date_value", "speaker_id",
              "affiliation").ddl_if(dialect="sqlite"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    # the contract's fields (kind, text, offsets, cue, speaker, date, place, event, confidence):
    # declared once in kutip.store.record
    locals().update(record.sql_columns(SafeText))
    has_speaker: Mapped[int] = mapped_column(Integer, default=0)
    has_date: Mapped[int] = mapped_column(Integer, default=0)
    date_value: Mapped[Optional[str]] = mapped_column(String(10))
    speaker_id: Mapped[Optional[int]] = mapped_column(ForeignKey("speaker.id", ondelete="SET NULL"))
    outlet_id: Mapped[Optional[int]] = mapped_column(Integer)        # the article's outlet (0002)
    cluster_id: Mapped[Optional[int]] = mapped_column(ForeignKey("quote_cluster.id", ondelete="SET NULL"), index=True)
    n_terms: Mapped[int] = mapped_column(Integer, default=0)


class Posting(Base):
    """Inverted index: stemmed term -> statement, with term frequency (BM25)."""

    __tablename__ = "posting"
    __table_args__ = (Index("ix_posting_statement", "statement_id"),
                      Index("ix_posting_term_w", "term", "w", "statement_id"))
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True)
    tf: Mapped[int] = mapped_column(Integer)
    w: Mapped[float] = mapped_column(Float, default=0.0)   # BM25 term weight without idf (0002)


class SpeakerAffiliation(Base):
    """Every affiliation a speaker has been given (0002): affiliation filters look here."""

    __tablename__ = "speaker_affiliation"
    __table_args__ = (Index("ix_speaker_affiliation_key", "key"),)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    affiliation: Mapped[str] = mapped_column(SafeText)


class LshBand(Base):
    """Persistent LSH: one row per (band hash, statement) of a statement's MinHash signature."""

    __tablename__ = "lsh_band"
    __table_args__ = (Index("ix_lsh_band_statement", "statement_id"),)
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True)


class SpeakerFacet(Base):
    """A speaker's statements counted per (role, affiliation) with first and last date (0004):
    speaker pages and the linker read these few rows instead of every statement."""

    __tablename__ = "speaker_facet"
    __table_args__ = (UniqueConstraint("speaker_id", "role_key", "aff_key", name="uq_speaker_facet"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id", ondelete="CASCADE"), index=True)
    role_key: Mapped[str] = mapped_column(String(300), default="")
    aff_key: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[Optional[str]] = mapped_column(SafeText)
    affiliation: Mapped[Optional[str]] = mapped_column(SafeText)
    n: Mapped[int] = mapped_column(Integer, default=0)
    first_date: Mapped[Optional[str]] = mapped_column(String(10))
    last_date: Mapped[Optional[str]] = mapped_column(String(10))


class TermStat(Base):
    """Document frequency of every index term (0004), kept with the postings."""

    __tablename__ = "term_stat"
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    df: Mapped[int] = mapped_column(Integer, default=0)


class CorpusStat(Base):
    """One row: statements stored and their total length in terms (0004), kept with the postings."""

    __tablename__ = "corpus_stat"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    statements: Mapped[int] = mapped_column(BigInteger, default=0)
    terms: Mapped[int] = mapped_column(BigInteger, default=0)
