"""Tamper-evident audit trail: every change to recorded data appends a hash-chained record.

`record()` runs inside the caller's write transaction (BEGIN IMMEDIATE holds the write lock, so the
chain cannot fork between two processes). Each record's hash covers the previous hash and the record's
own canonical content, its id included, so an edited, deleted or reordered record breaks the chain at
that point. `verify_chain()` lives in `selfcheck.trust.audit_verify`.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from selfcheck.workspace import Workspace

GENESIS = "0" * 64


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes that are hashed: fixed field order, UTF-8, no whitespace variance."""
    fields = ("id", "at", "os_user", "app_user", "action", "entity", "entity_id", "field", "old", "new")
    return json.dumps([record.get(k) for k in fields], ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, record: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(record)).hexdigest()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    session: Session,
    ws: Workspace,
    *,
    action: str,
    entity: str,
    entity_id: object,
    field: str = "",
    old: Any = None,
    new: Any = None,
) -> None:
    """Append one audit record for a change made in `session` (not committed here)."""
    from sqlalchemy import text

    from selfcheck.models.tables import AuditRecord
    from selfcheck.workspace import os_user

    row = session.execute(text("SELECT id, hash FROM auditrecord ORDER BY id DESC LIMIT 1")).first()
    prev_id, prev_hash = (row[0], row[1]) if row else (0, GENESIS)
    rec = {
        "id": prev_id + 1,
        "at": ws.now(),
        "os_user": os_user(),
        "app_user": ws.actor or "",
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "field": field,
        "old": _text(old),
        "new": _text(new),
    }
    session.add(AuditRecord(**rec, prev_hash=prev_hash, hash=chain_hash(prev_hash, rec)))
    session.flush()


def record_changes(
    session: Session, ws: Workspace, *, entity: str, entity_id: object, before: dict[str, Any],
    after: dict[str, Any],
) -> int:
    """One `update` record per field whose value changed; returns how many."""
    n = 0
    for key, new in after.items():
        old = before.get(key)
        if old != new:
            record(session, ws, action="update", entity=entity, entity_id=entity_id, field=key, old=old, new=new)
            n += 1
    return n
