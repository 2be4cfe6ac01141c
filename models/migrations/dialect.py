"""Helpers for revisions that run on both engines (SQLite and PostgreSQL).

Why strings are TEXT on PostgreSQL: SQLite never enforced the VARCHAR lengths of models/tables.py, so a
data set that lived on SQLite may hold a longer name than the model declares. With the same lengths
enforced on PostgreSQL, `selfcheck db migrate` could fail half-way on one long file name, and a user on
the server would be refused what a user on the embedded file may enter. TEXT keeps the two engines
accepting the same data (the lengths stay documentation, as they always were on SQLite).

Why file sizes are BIGINT on PostgreSQL: its INTEGER is 32 bits (2 GiB); SQLite's is 64.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString


def is_postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def string(length: int | None = None) -> sa.types.TypeEngine[str]:
    """AutoString(length) on SQLite (what the baseline always created there), TEXT on PostgreSQL."""
    if is_postgres():
        return sa.Text()
    return AutoString(length=length) if length else AutoString()


def size_integer() -> sa.types.TypeEngine[int]:
    """A byte count: INTEGER on SQLite (64-bit there), BIGINT on PostgreSQL."""
    return sa.BigInteger() if is_postgres() else sa.Integer()
