"""Append-only incident timeline and audit trail, enforced in the database itself.

Corrections are new entries. A trigger that raises on UPDATE and DELETE means that not even a bug in the
app (or a careless script using the ORM) can rewrite history; a deliberate tamperer who drops the
trigger is caught by the audit hash chain instead.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = ("timelineentry", "auditrecord")


def upgrade() -> None:
    for table in _TABLES:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    for table in _TABLES:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
