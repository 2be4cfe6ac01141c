"""Mark the database as selfcheck's.

SQLite: `PRAGMA application_id` (0x53434B31, "SCK1") in the file header. PostgreSQL has no such header,
so the mark is a one-row table `selfcheck_meta` (key application_id = SCK1) in the same schema, with a
comment saying what it is; it travels with the schema and needs no ownership of the database itself
(COMMENT ON DATABASE would).

With the mark, start-up and restore tell selfcheck's database from any other database dropped in its
place (or one holding only `alembic_version`) and refuse the other instead of writing into it. Databases
from before this revision are recognised by their revision and tables (`models.health.classify`) and
marked here.

Follows 0003 (inspection levels).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from selfcheck.models.migrations.dialect import is_postgres

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APPLICATION_ID = 0x53434B31
META_TABLE = "selfcheck_meta"
MARK = "SCK1"


def upgrade() -> None:
    if is_postgres():
        op.create_table(
            META_TABLE,
            sa.Column("key", sa.Text(), primary_key=True),
            sa.Column("value", sa.Text(), nullable=False),
        )
        op.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES ('application_id', '{MARK}')")
        op.execute(f"COMMENT ON TABLE {META_TABLE} IS 'selfcheck database identity (do not edit)'")
        return
    op.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def downgrade() -> None:
    if is_postgres():
        op.drop_table(META_TABLE)
        return
    op.execute("PRAGMA application_id = 0")
