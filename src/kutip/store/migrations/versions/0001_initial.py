"""Initial knowledge-base schema: outlets, articles, speakers and name forms,
statements, quote clusters, the search index and the LSH band table.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

from kutip.store.schema import SafeText

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outlet",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("name", SafeText, nullable=False),
        sa.UniqueConstraint("key", name="uq_outlet_key"),
    )
    op.create_table(
        "article",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", SafeText, nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("outlet_id", sa.Integer, sa.ForeignKey("outlet.id"), nullable=True),
        sa.Column("published", sa.String(10), nullable=True),
        sa.Column("title", SafeText, nullable=True),
        sa.Column("source", SafeText, nullable=True),
        sa.Column("text", SafeText, nullable=False),
        sa.Column("metadata_json", SafeText, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("url", name="uq_article_url"),
    )
    op.create_index("ix_article_content_hash", "article", ["content_hash"])
    op.create_index("ix_article_outlet_id", "article", ["outlet_id"])
    op.create_index("ix_article_published", "article", ["published"])

    op.create_table(
        "speaker",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", SafeText, nullable=False),
        sa.Column("type", sa.String(20), nullable=True),
        sa.Column("key", sa.String(300), nullable=False),
    )
    op.create_index("ix_speaker_key", "speaker", ["key"])

    op.create_table(
        "speaker_name",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("speaker_id", sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), nullable=False),
        sa.Column("form", SafeText, nullable=False),
        sa.Column("norm", sa.String(300), nullable=False),
        sa.Column("first_tok", sa.String(100), nullable=False),
        sa.Column("last_tok", sa.String(100), nullable=False),
        sa.Column("n_tokens", sa.Integer, nullable=False),
        sa.UniqueConstraint("speaker_id", "norm", name="uq_speaker_name"),
    )
    op.create_index("ix_speaker_name_speaker_id", "speaker_name", ["speaker_id"])
    op.create_index("ix_speaker_name_norm", "speaker_name", ["norm"])
    op.create_index("ix_speaker_name_first_tok", "speaker_name", ["first_tok"])
    op.create_index("ix_speaker_name_last_tok", "speaker_name", ["last_tok"])

    op.create_table(
        "quote_cluster",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", SafeText, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )

    op.create_table(
        "statement",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("article.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("text", SafeText, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end_offset", sa.Integer, nullable=False),
        sa.Column("cue_text", SafeText, nullable=True),
        sa.Column("cue_start", sa.Integer, nullable=True),
        sa.Column("cue_end", sa.Integer, nullable=True),
        sa.Column("has_speaker", sa.Integer, nullable=False),
        sa.Column("mention", SafeText, nullable=True),
        sa.Column("mention_start", sa.Integer, nullable=True),
        sa.Column("mention_end", sa.Integer, nullable=True),
        sa.Column("speaker_name", SafeText, nullable=True),
        sa.Column("speaker_type", sa.String(20), nullable=True),
        sa.Column("role", SafeText, nullable=True),
        sa.Column("affiliation", SafeText, nullable=True),
        sa.Column("date_text", SafeText, nullable=True),
        sa.Column("date_raw", sa.String(40), nullable=True),
        sa.Column("has_date", sa.Integer, nullable=False),
        sa.Column("date_value", sa.String(10), nullable=True),
        sa.Column("location", SafeText, nullable=True),
        sa.Column("event", SafeText, nullable=True),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("speaker_id", sa.Integer, sa.ForeignKey("speaker.id", ondelete="SET NULL"), nullable=True),
        sa.Column("cluster_id", sa.Integer, sa.ForeignKey("quote_cluster.id", ondelete="SET NULL"), nullable=True),
        sa.Column("n_terms", sa.Integer, nullable=False),
        sa.CheckConstraint("kind IN ('direct', 'indirect', 'mixed')", name="ck_statement_kind"),
    )
    op.create_index("ix_statement_article_id", "statement", ["article_id"])
    op.create_index("ix_statement_kind", "statement", ["kind"])
    op.create_index("ix_statement_cluster_id", "statement", ["cluster_id"])
    op.create_index("ix_statement_speaker_date", "statement", ["speaker_id", "date_value"])
    op.create_index("ix_statement_date", "statement", ["date_value"])

    op.create_table(
        "posting",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tf", sa.Integer, nullable=False),
    )
    op.create_index("ix_posting_statement", "posting", ["statement_id"])

    op.create_table(
        "lsh_band",
        sa.Column("key", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_lsh_band_statement", "lsh_band", ["statement_id"])


def downgrade() -> None:
    for t in ("lsh_band", "posting", "statement", "quote_cluster", "speaker_name", "speaker", "article", "outlet"):
        op.drop_table(t)
