"""Search speed: precomputed BM25 term weights with a (term, weight) index, the outlet on
each statement, and a speaker -> affiliation table for affiliation filters.

Revision ID: 0002_search_speed
Revises: 0001_initial
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

from kutip.store.schema import SafeText, aff_key

revision = "0002_search_speed"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# keep in step with kutip.store.store (BM25_K1, BM25_B, BM25_AVGDL)
K1, B, AVGDL = 1.2, 0.75, 20.0


def upgrade() -> None:
    op.add_column("posting", sa.Column("w", sa.Float, nullable=False, server_default="0"))
    op.execute(
        "UPDATE posting SET w = (tf * %(k1p1)s) / (tf + %(k1)s * (%(one_b)s + %(b)s * "
        "(SELECT n_terms FROM statement WHERE statement.id = posting.statement_id) / %(avgdl)s))"
        % {"k1p1": K1 + 1, "k1": K1, "one_b": 1 - B, "b": B, "avgdl": AVGDL})
    op.create_index("ix_posting_term_w", "posting", ["term", "w", "statement_id"])

    op.add_column("statement", sa.Column("outlet_id", sa.Integer, nullable=True))
    op.execute("UPDATE statement SET outlet_id = (SELECT outlet_id FROM article WHERE article.id = statement.article_id)")
    op.create_index("ix_statement_outlet_date", "statement", ["outlet_id", "date_value"])

    op.create_table(
        "speaker_affiliation",
        sa.Column("speaker_id", sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("affiliation", SafeText, nullable=False),
    )
    op.create_index("ix_speaker_affiliation_key", "speaker_affiliation", ["key"])
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT DISTINCT speaker_id, affiliation FROM statement "
                                "WHERE speaker_id IS NOT NULL AND affiliation IS NOT NULL")).all()
    seen = set()
    out = []
    for sid, aff in rows:
        key = aff_key(aff)  # raw stored text: on PostgreSQL NUL is already escaped
        if (sid, key) not in seen:
            seen.add((sid, key))
            out.append({"speaker_id": sid, "key": key, "affiliation": aff})
    if out:
        table = sa.table("speaker_affiliation", sa.column("speaker_id", sa.Integer), sa.column("key", sa.String),
                         sa.column("affiliation", sa.Text))
        op.bulk_insert(table, out)


def downgrade() -> None:
    op.drop_table("speaker_affiliation")
    op.drop_index("ix_statement_outlet_date", table_name="statement")
    with op.batch_alter_table("statement") as b:
        b.drop_column("outlet_id")
    op.drop_index("ix_posting_term_w", table_name="posting")
    with op.batch_alter_table("posting") as b:
        b.drop_column("w")
