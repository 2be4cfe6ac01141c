"""The restored database's own record of the restore: one audit record appended to the staged database
before the swap, naming the archive and the head of the chain it replaced.

Why: signed reports and backup manifests anchor the audit chain outside the database (see
`audit_anchor`). After a restore of an older archive, anchors made before the restore legitimately no
longer match; this record (itself part of the chain) is how `audit verify` tells "restored over" from
"rewritten".
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from selfcheck import audit
from selfcheck.clock import Clock, to_iso
from selfcheck.workspace import os_user


def note_restore(
    db: Path,
    archive: Path,
    manifest: dict[str, Any],
    replaced_head: dict[str, Any] | None,
    *,
    clock: Clock,
    actor: str,
) -> None:
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        row = con.execute("SELECT id, hash FROM auditrecord ORDER BY id DESC LIMIT 1").fetchone()
        prev_id, prev_hash = (int(row[0]), str(row[1])) if row else (0, audit.GENESIS)
        count = int(con.execute("SELECT count(*) FROM auditrecord").fetchone()[0])
        rec = {
            "id": prev_id + 1,
            "at": to_iso(clock()),
            "os_user": os_user(),
            "app_user": actor,
            "action": "restore",
            "entity": "data",
            "entity_id": archive.name[:100],
            "field": "",
            "old": json.dumps(replaced_head, sort_keys=True) if replaced_head else None,
            "new": json.dumps({"archive_created_at": manifest.get("created_at")}, sort_keys=True),
        }
        new_hash = audit.chain_hash(prev_hash, rec)
        con.execute(
            "INSERT INTO auditrecord (id, at, os_user, app_user, action, entity, entity_id, field, old, new, "
            "prev_hash, hash) VALUES (:id, :at, :os_user, :app_user, :action, :entity, :entity_id, :field, "
            ":old, :new, :prev_hash, :hash)",
            {**rec, "prev_hash": prev_hash, "hash": new_hash},
        )
        head = json.dumps({"id": rec["id"], "hash": new_hash, "count": count + 1}, separators=(",", ":"))
        con.execute(
            "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (audit.HEAD_KEY, head, rec["at"]),
        )
        con.execute("COMMIT")
    finally:
        con.close()
