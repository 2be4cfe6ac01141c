"""Small builders shared by the trust tests: an inspection with some answers, direct SQL access (the
SQLite file, or the workspace's database on either engine)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from engines import Raw

from selfcheck import inspection
from selfcheck.workspace import Workspace

ORG = "shunan-eisei"


def populated(ws: Workspace, answers: int = 6) -> int:
    """An inspection with `answers` answered items (two audit records each) and one improvement."""
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    items = [it.item_id for it in inspection.detail(ws, iid).items]
    for n, item in enumerate(items[:answers]):
        inspection.record_answer(
            ws,
            inspection_id=iid,
            item_id=item,
            value="partial" if n % 2 else "implemented",
            comment=f"コメント{n}",
        )
    inspection.set_improvement(
        ws, inspection_id=iid, item_id=items[1], action="手順書を作る", owner="総務係", due_date="2027-03-31"
    )
    return iid


def tamper(db: Path | Workspace, *statements: str) -> None:
    """Run SQL as a tamperer would: drop the append-only triggers first (`db`: an SQLite file, or a
    workspace on either engine)."""
    if isinstance(db, Workspace):
        with Raw(db) as raw:
            raw.drop_append_only_triggers()
            raw.run(*statements)
        return
    con = sqlite3.connect(db)
    try:
        for trig in ("auditrecord_no_update", "auditrecord_no_delete"):
            con.execute(f"DROP TRIGGER IF EXISTS {trig}")
        for st in statements:
            con.execute(st)
        con.commit()
    finally:
        con.close()
