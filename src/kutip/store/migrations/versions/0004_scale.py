"""The knowledge base at scale: per-article costs that do not grow with the corpus.

* ``article.input_hash``: the raw input and extraction settings, hashed before extraction
  (``kutip ingest`` skips an unchanged input without extracting it);
* ``speaker.statement_count`` and ``quote_cluster.size``: counts kept up to date, so listings
  sort by them through an index instead of counting every statement;
* ``speaker_facet``: a speaker's statements per (role, affiliation) with first/last date, so
  speaker pages and the linker read a few rows, not every statement of the speaker;
* ``term_stat`` / ``corpus_stat``: document frequencies and corpus size for BM25, kept with
  the postings instead of counted per search.

Revision ID: 0004_scale
Revises: 0003_newest_first_index
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

from kutip.store.schema import SafeText, aff_key

revision = "0004_scale"
down_revision = "0003_newest_first_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("article") as b:
        b.add_column(sa.Column("input_hash", sa.String(64), nullable=True))
    op.create_index("ix_article_input_hash", "article", ["input_hash"])
    with op.batch_alter_table("speaker") as b:
        b.add_column(sa.Column("statement_count", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_speaker_statement_count", "speaker", ["statement_count"])
    with op.batch_alter_table("quote_cluster") as b:
        b.add_column(sa.Column("size", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_quote_cluster_size", "quote_cluster", ["size"])
    op.create_table(
        "speaker_facet",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("speaker_id", sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role_key", sa.String(300), nullable=False),
        sa.Column("aff_key", sa.String(300), nullable=False),
        sa.Column("role", SafeText, nullable=True),
        sa.Column("affiliation", SafeText, nullable=True),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("first_date", sa.String(10), nullable=True),
        sa.Column("last_date", sa.String(10), nullable=True),
        sa.UniqueConstraint("speaker_id", "role_key", "aff_key", name="uq_speaker_facet"),
    )
    op.create_index("ix_speaker_facet_speaker_id", "speaker_facet", ["speaker_id"])
    op.create_table("term_stat", sa.Column("term", sa.String(64), primary_key=True),
                    sa.Column("df", sa.Integer, nullable=False))
    op.create_table("corpus_stat", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                    sa.Column("statements", sa.BigInteger, nullable=False),
                    sa.Column("terms", sa.BigInteger, nullable=False))

    conn = op.get_bind()
    conn.execute(sa.text("UPDATE speaker SET statement_count = (SELECT count(*) FROM statement "
                         "WHERE statement.speaker_id = speaker.id)"))
    conn.execute(sa.text("UPDATE quote_cluster SET size = (SELECT count(*) FROM statement "
                         "WHERE statement.cluster_id = quote_cluster.id)"))
    conn.execute(sa.text("INSERT INTO term_stat (term, df) SELECT term, count(*) FROM posting GROUP BY term"))
    conn.execute(sa.text("INSERT INTO corpus_stat (id, statements, terms) "
                         "SELECT 1, count(*), coalesce(sum(n_terms), 0) FROM statement"))
    facets: dict = {}
    for sid, role, aff, n, d0, d1 in conn.execute(sa.text(
            "SELECT speaker_id, role, affiliation, count(*), min(date_value), max(date_value) FROM statement "
            "WHERE speaker_id IS NOT NULL GROUP BY speaker_id, role, affiliation")):
        k = (sid, aff_key(role) if role else "", aff_key(aff) if aff else "")
        f = facets.setdefault(k, {"speaker_id": sid, "role_key": k[1], "aff_key": k[2], "role": role,
                                  "affiliation": aff, "n": 0, "first_date": None, "last_date": None})
        f["n"] += int(n)
        f["first_date"] = min((x for x in (f["first_date"], d0) if x), default=None)
        f["last_date"] = max((x for x in (f["last_date"], d1) if x), default=None)
    if facets:
        table = sa.table("speaker_facet", *[sa.column(c) for c in (
            "speaker_id", "role_key", "aff_key", "role", "affiliation", "n", "first_date", "last_date")])
        op.bulk_insert(table, list(facets.values()))


def downgrade() -> None:
    op.drop_table("corpus_stat")
    op.drop_table("term_stat")
    op.drop_table("speaker_facet")
    op.drop_index("ix_quote_cluster_size", table_name="quote_cluster")
    with op.batch_alter_table("quote_cluster") as b:
        b.drop_column("size")
    op.drop_index("ix_speaker_statement_count", table_name="speaker")
    with op.batch_alter_table("speaker") as b:
        b.drop_column("statement_count")
    op.drop_index("ix_article_input_hash", table_name="article")
    with op.batch_alter_table("article") as b:
        b.drop_column("input_hash")
