"""Alembic migrations shipped inside the package (`script_location = selfcheck.models:migrations`).

`HEAD` and `KNOWN_REVISIONS` let start-up decide "already current" or "written by a newer version" with
one sqlite3 read and no alembic import; a test keeps them equal to the revision files.
"""

from __future__ import annotations

KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")
HEAD = KNOWN_REVISIONS[-1]
