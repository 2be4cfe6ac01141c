"""Tamper-evident audit trail: every change to recorded data appends a hash-chained record.

`record()` runs inside the caller's write transaction (BEGIN IMMEDIATE, or the server's write lock,
holds the writers one at a time, so the chain cannot fork between two processes or two PCs). Each record's hash covers the previous hash and the record's
own canonical content, its id included, so an edited, deleted or reordered record breaks the chain at
that point. `verify_chain()` lives in `selfcheck.trust.audit_verify`.

A chain alone cannot show that its *last* records were deleted (the shortened chain is still valid), so
`record()` also keeps the chain head (last id, last hash, count) in the `setting` row `audit.head`, written
in the same transaction with raw SQL: going through `settings.set_` would audit the audit and recurse.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from selfcheck.records import row_id
from selfcheck.workspace import os_user

if TYPE_CHECKING:
    from sqlmodel import Session

    from selfcheck.workspace import Workspace

GENESIS = "0" * 64
HEAD_KEY = "audit.head"


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


_INSERT = (
    "INSERT INTO auditrecord (id, at, os_user, app_user, action, entity, entity_id, field, old, new, prev_hash, hash) "
    "VALUES (:id, :at, :os_user, :app_user, :action, :entity, :entity_id, :field, :old, :new, :prev_hash, :hash)"
)
# the last record and the stored head in one statement (one round trip to a server, not two)
_READ_HEAD = (
    "SELECT (SELECT id FROM auditrecord ORDER BY id DESC LIMIT 1), "
    "(SELECT hash FROM auditrecord ORDER BY id DESC LIMIT 1), "
    "(SELECT value FROM setting WHERE key = :k)"
)
_UPSERT_HEAD = (
    "INSERT INTO setting (key, value, updated_at) VALUES (:k, :v, :t) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
)


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
    """Append one audit record for a change made in `session` (not committed here).

    This runs on every key press that answers an item, so it uses plain SQL and reads the chain head
    (last id, hash, count) only once per transaction, keeping it in `session.info` afterwards: the write
    lock (BEGIN IMMEDIATE, or the server's write lock) is held, so no other process can append in
    between. The stored head is written once, just before the commit (`Workspace.write` runs the
    session's `before_commit` callables), not after every record: one statement less per changed field,
    which is a round trip less to a database server."""
    from sqlalchemy import text

    head = session.info.get("audit_head")
    if head is None:
        row = session.execute(text(_READ_HEAD), {"k": HEAD_KEY}).one()
        prev_id, prev_hash = (row[0], row[1]) if row[0] is not None else (0, GENESIS)
        head = (prev_id, prev_hash, _next_count(session, prev_id, row[2]) - 1)
    prev_id, prev_hash, count = head
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
    new_hash = chain_hash(prev_hash, rec)
    session.execute(text(_INSERT), {**rec, "prev_hash": prev_hash, "hash": new_hash})
    session.info["audit_head"] = (rec["id"], new_hash, count + 1)
    session.info["audit_head_at"] = rec["at"]
    hooks = session.info.get("before_commit")
    if hooks is None:  # a session not made by Workspace.write: keep the head current right away
        _write_head(session)
    elif _write_head not in hooks:
        hooks.append(_write_head)


def _write_head(session: Session) -> None:
    from sqlalchemy import text

    last_id, last_hash, count = session.info["audit_head"]
    head_json = json.dumps({"id": last_id, "hash": last_hash, "count": count}, separators=(",", ":"))
    session.execute(text(_UPSERT_HEAD), {"k": HEAD_KEY, "v": head_json, "t": session.info["audit_head_at"]})


def _next_count(session: Session, prev_id: int, stored: str | None) -> int:
    """Records in the chain after this one: the stored head's count + 1 (cheap), or a real count when
    there is no usable head yet."""
    from sqlalchemy import text

    if stored is not None:
        try:
            head = json.loads(stored)
            if head.get("id") == prev_id:
                return int(head["count"]) + 1
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
    return int(session.execute(text("SELECT count(*) FROM auditrecord")).scalar_one()) + 1


def read_head(session: Session) -> dict[str, Any] | None:
    """The stored chain head {id, hash, count}, or None when missing or unreadable."""
    from sqlalchemy import text

    row = session.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": HEAD_KEY}).first()
    if row is None:
        return None
    try:
        head = json.loads(row[0])
        return {"id": int(head["id"]), "hash": str(head["hash"]), "count": int(head["count"])}
    except (ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class AuditView:
    """One audit record as shown to people (history panes, `selfcheck audit log`)."""

    id: int
    at: str
    os_user: str
    app_user: str
    action: str
    entity: str
    entity_id: str
    field: str
    old: str | None
    new: str | None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def history(
    ws: Workspace, entity_ids: list[str], *, entity: str | None = None, limit: int | None = None
) -> list[AuditView]:
    """The audit records of the given entity ids (e.g. `["3/pur-01"]` for an item's answer and
    improvement), oldest first. An empty list means every record (optionally of one `entity` kind)."""
    from sqlmodel import col, select

    from selfcheck.models.tables import AuditRecord

    with ws.read() as s:
        q = select(AuditRecord)
        if entity_ids:
            q = q.where(col(AuditRecord.entity_id).in_([str(e) for e in entity_ids]))
        if entity:
            q = q.where(AuditRecord.entity == entity)
        q = q.order_by(col(AuditRecord.id).desc() if limit else col(AuditRecord.id))
        if limit:
            q = q.limit(limit)
        rows = list(s.exec(q).all())
    if limit:
        rows.reverse()
    return [
        AuditView(
            id=row_id(r.id),
            at=r.at,
            os_user=r.os_user,
            app_user=r.app_user,
            action=r.action,
            entity=r.entity,
            entity_id=r.entity_id,
            field=r.field,
            old=r.old,
            new=r.new,
        )
        for r in rows
    ]


def record_changes(
    session: Session,
    ws: Workspace,
    *,
    entity: str,
    entity_id: object,
    before: dict[str, Any],
    after: dict[str, Any],
) -> int:
    """One `update` record per field whose value changed; returns how many."""
    n = 0
    for key, new in after.items():
        old = before.get(key)
        if old != new:
            record(
                session, ws, action="update", entity=entity, entity_id=entity_id, field=key, old=old, new=new
            )
            n += 1
    return n


# --- One inspection item's history (added for the TUI's `h` key) -----------------------------------


def item_history(ws: Workspace, inspection_id: int, item_id: str) -> list[AuditView]:
    """The history of one inspection item, oldest first: its answer and 改善策 (entity_id
    "<inspection>/<item>") and every evidence record ever linked to it (evidence is audited under its
    own row id; removed evidence is included, so the history stays whole)."""
    from sqlmodel import select

    from selfcheck.models.tables import Evidence

    with ws.read() as s:
        ev_ids = [
            str(i)
            for i in s.exec(
                select(Evidence.id).where(
                    Evidence.inspection_id == inspection_id, Evidence.item_id == item_id
                )
            ).all()
        ]
    own = [
        r
        for r in history(ws, [f"{inspection_id}/{item_id}"])
        if r.entity in ("answer", "improvement", "evidence")
    ]
    evs = history(ws, ev_ids, entity="evidence") if ev_ids else []
    return sorted(own + evs, key=lambda r: r.id)
