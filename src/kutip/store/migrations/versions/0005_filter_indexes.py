"""Filtered searches at 1M statements: indexes that cover the filter columns, so counting a
filtered search's matches reads index entries only instead of a statement row per match
(docs/benchmarks.md, "Store at scale"; measured on a 1M-statement store).

* ``ix_statement_kind_date`` (kind, date_value) replaces ``ix_statement_kind`` (kind): a kind +
  date filter is one index range, counted and paged newest first without the rows;
* ``ix_statement_speaker_date_aff`` (speaker_id, date_value, id, affiliation) replaces
  ``ix_statement_speaker_date`` (speaker_id, date_value): the same order per speaker (a page
  newest first still reads ~limit entries per speaker), and an affiliation filter (speaker_id
  IN ... AND affiliation IS NULL OR IN ...) is counted from the index;
* ``ix_statement_filters`` (id, outlet_id, kind, date_value, speaker_id, affiliation): a term
  joined to its statements to apply a filter probes this narrow index (tens of MB at 1M
  statements) instead of the statement rows (GBs, with their text).

On SQLite only (as 0003 changed only PostgreSQL): there every index probe of a join is a
B-tree seek in the same process, and these were measured (a filtered count 5-60x faster at 1M
statements). PostgreSQL is left as it was: its plans (hash and bitmap scans) differ and were
not measured with these indexes, and a B-tree entry there is limited to ~2.7 kB, which an
affiliation (free text up to 2,000 characters) can exceed.

Revision ID: 0005_filter_indexes
Revises: 0004_scale
Create Date: 2026-12-04
"""
from alembic import op

revision = "0005_filter_indexes"
down_revision = "0004_scale"
branch_labels = None
depends_on = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if not _sqlite():
        return
    op.create_index("ix_statement_kind_date", "statement", ["kind", "date_value"])
    op.drop_index("ix_statement_kind", table_name="statement")
    op.create_index("ix_statement_speaker_date_aff", "statement", ["speaker_id", "date_value", "id", "affiliation"])
    op.drop_index("ix_statement_speaker_date", table_name="statement")
    op.create_index("ix_statement_filters", "statement",
                    ["id", "outlet_id", "kind", "date_value", "speaker_id", "affiliation"])


def downgrade() -> None:
    if not _sqlite():
        return
    op.drop_index("ix_statement_filters", table_name="statement")
    op.create_index("ix_statement_speaker_date", "statement", ["speaker_id", "date_value"])
    op.drop_index("ix_statement_speaker_date_aff", table_name="statement")
    op.create_index("ix_statement_kind", "statement", ["kind"])
    op.drop_index("ix_statement_kind_date", table_name="statement")
