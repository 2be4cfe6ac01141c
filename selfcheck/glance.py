"""The home screen's few rows, read at start-up with the standard `sqlite3` module.

Why: opening the workspace imports SQLModel/SQLAlchemy/alembic and checks the schema (~0.4 s), and the
full home state loads the checklist YAML (~0.5 s more). A clerk should see the menu and the body's
inspections at once, so the home reads them here first, read-only, in a few milliseconds; the full state
replaces them when the workspace is open. Anything unexpected (no database yet, an older or newer schema,
a locked file) returns None and the home simply waits for the full state: this is a shortcut, never the
only way in.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from selfcheck import paths, scale

LOCK_WAIT = 0.2
"""Seconds to wait for a writer (another selfcheck) before giving up on the shortcut."""


@dataclass(frozen=True)
class GlanceInspection:
    """The fields of `InspectionInfo` that the home's list shows."""

    id: int
    fiscal_year: int
    status: str
    revision: int
    item_count: int
    answered: int
    level: str  # 基本 | 全項目

    @property
    def fiscal_year_label(self) -> str:
        return scale.fiscal_year_label(self.fiscal_year)


@dataclass(frozen=True)
class Glance:
    actor: str
    org_id: str | None
    org_name: str
    inspections: tuple[GlanceInspection, ...]
    """The current body's inspections, newest first (as the home lists them)."""


def _setting(con: sqlite3.Connection, key: str) -> object:
    row = con.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else None


def home_glance(home: Path) -> Glance | None:
    """Who records, for which body, and its inspections; None when they cannot be read cheaply."""
    db = paths.db_path(home)
    if not db.is_file():
        return None
    try:
        con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=LOCK_WAIT)
    except sqlite3.Error:
        return None
    try:
        actor = _setting(con, "actor")
        org_id = _setting(con, "current_org")
        if not isinstance(org_id, str):
            return Glance(str(actor or ""), None, "", ())
        org = con.execute("SELECT name FROM organization WHERE id = ?", (org_id,)).fetchone()
        rows = con.execute(
            """
            SELECT i.id, i.fiscal_year, i.status, i.revision,
                   (SELECT count(*) FROM inspectionitem t WHERE t.inspection_id = i.id),
                   (SELECT count(*) FROM answer a WHERE a.inspection_id = i.id AND a.value != 'unanswered'),
                   i.level
            FROM inspection i WHERE i.org_id = ? ORDER BY i.fiscal_year DESC, i.id DESC
            """,
            (org_id,),
        ).fetchall()
        return Glance(
            actor=str(actor or ""),
            org_id=org_id,
            org_name=str(org[0]) if org else org_id,
            inspections=tuple(GlanceInspection(*r) for r in rows),
        )
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        con.close()
