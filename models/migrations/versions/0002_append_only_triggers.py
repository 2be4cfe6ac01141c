"""Append-only incident timeline and audit trail, enforced in the database itself.

Corrections are new entries. A trigger that raises on UPDATE and DELETE means that not even a bug in the
app (or a careless script using the ORM) can rewrite history; a deliberate tamperer who drops the
trigger is caught by the audit hash chain instead.

SQLite: BEFORE UPDATE/DELETE triggers with RAISE(ABORT). PostgreSQL: the same two row triggers calling
one PL/pgSQL function, plus a statement trigger for TRUNCATE (which fires no row trigger there); the
message says "append-only" on both engines.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

from selfcheck.models.migrations.dialect import is_postgres

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = ("timelineentry", "auditrecord")
PG_FUNCTION = "selfcheck_append_only"


def upgrade() -> None:
    if is_postgres():
        op.execute(
            f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation'; "
            "END $$"
        )
        for table in _TABLES:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
                )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
            )
        return
    for table in _TABLES:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    if is_postgres():
        for table in _TABLES:
            for verb in ("update", "delete", "truncate"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
        return
    for table in _TABLES:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
