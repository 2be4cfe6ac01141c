"""Mark the file as selfcheck's database: `PRAGMA application_id` (0x53434B31, "SCK1").

With the mark, start-up and restore tell selfcheck's database from any other SQLite file dropped in its
place (or one holding only `alembic_version`) and refuse the other instead of writing into it. Files
from before this revision are recognised by their revision and tables (`models.health.identify`) and
stamped here.

Follows 0003 (inspection levels).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APPLICATION_ID = 0x53434B31


def upgrade() -> None:
    op.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def downgrade() -> None:
    op.execute("PRAGMA application_id = 0")
