"""Newest-first listings on PostgreSQL: an index in the order the store lists statements
(date_value DESC NULLS LAST, id DESC). SQLite already puts NULLs last when sorting
descending and walks ix_statement_date backwards, so nothing changes there.

Revision ID: 0003_newest_first_index
Revises: 0002_search_speed
Create Date: 2026-11-23
"""
from alembic import op

revision = "0003_newest_first_index"
down_revision = "0002_search_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_statement_newest ON statement (date_value DESC NULLS LAST, id DESC)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_statement_newest")
