"""The level an inspection was started with: 基本 (the core items only) or 全項目 (基本＋詳細).

The item bank now marks each question 基本 or 詳細, and an inspection takes either the core set or all
items; the choice is shown on the report cover. Existing inspections were started with every item of
their checklist, so they get 全項目.

A plain ADD COLUMN with a constant default: no table is recreated, so the foreign keys pointing at
`inspection` are untouched. (VARCHAR(10) on SQLite as before, TEXT on PostgreSQL: migrations/dialect.py.)

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from selfcheck.models.migrations.dialect import string

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "inspection",
        sa.Column(
            "level",
            string(10),
            nullable=False,
            server_default="全項目",
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_column("level")
