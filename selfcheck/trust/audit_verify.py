"""Walk the hash-chained audit trail and name the FIRST record that was altered, deleted or reordered.

Each record's hash covers the previous record's hash and its own canonical content (id included). So:
- a record whose stored hash does not match its content was *altered* (or holds another id's content:
  *reordered*, which we tell apart by re-hashing the content under the other ids nearby);
- a gap in the ids, or a record whose `prev_hash` is not the previous record's hash, means records were
  *deleted* (or the previous record was rewritten together with its hash);
- the chain head stored in the `audit.head` setting (last id, hash and count, written in the same
  transaction as each record) catches what the chain cannot: records cut off the end, or forged ones
  appended after it.

A tamperer who can rewrite the whole database, head included, can build a new consistent chain; what the
chain proves is that nobody changed history *through* selfcheck or with a casual SQL edit. Printing the head
hash in signed reports (or noting it on paper) anchors it outside the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from selfcheck import audit
from selfcheck.workspace import Workspace

_FIELDS = ("id", "at", "os_user", "app_user", "action", "entity", "entity_id", "field", "old", "new")
_SWAP_WINDOW = 50  # how far away to look for the original id of a moved record


@dataclass(frozen=True)
class ChainProblem:
    record_id: int | None
    kind: str  # altered | deleted | reordered | truncated | appended | head_missing | head_altered
    message_ja: str
    message_en: str

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class ChainResult:
    ok: bool
    checked: int
    last_id: int | None
    last_hash: str | None
    head: dict[str, Any] | None
    problem: ChainProblem | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "last_id": self.last_id,
            "last_hash": self.last_hash,
            "head": self.head,
            "problem": self.problem.as_dict() if self.problem else None,
        }


def _rec(row: Any) -> dict[str, Any]:
    return {k: row[i] for i, k in enumerate(_FIELDS)}


def verify_chain(ws: Workspace) -> ChainResult:
    """Check every audit record in id order against its neighbours and the stored head."""
    from sqlalchemy import text

    cols = ", ".join(_FIELDS)
    with ws.read() as s:
        rows = s.execute(text(f"SELECT {cols}, prev_hash, hash FROM auditrecord ORDER BY id")).all()
        head = audit.read_head(s)
        head_present = s.execute(text("SELECT 1 FROM setting WHERE key = :k"), {"k": audit.HEAD_KEY}).first()
    by_hash = {r[-1]: r for r in rows}

    def fail(rec_id: int | None, kind: str, ja: str, en: str, checked: int) -> ChainResult:
        last = rows[-1] if rows else None
        return ChainResult(
            ok=False,
            checked=checked,
            last_id=last[0] if last else None,
            last_hash=last[-1] if last else None,
            head=head,
            problem=ChainProblem(rec_id, kind, ja, en),
        )

    prev_hash = audit.GENESIS
    expected_id = 1
    for n, row in enumerate(rows):
        rec = _rec(row)
        rid, stored_prev, stored_hash = row[0], row[-2], row[-1]
        if rid != expected_id:
            return fail(
                expected_id,
                "deleted",
                f"監査記録 {expected_id}〜{rid - 1} が削除されています",
                f"audit records {expected_id}..{rid - 1} were deleted",
                n,
            )
        if audit.chain_hash(stored_prev, rec) != stored_hash:
            other = _original_id(rec, stored_prev, stored_hash)
            if other is not None:
                return fail(
                    rid,
                    "reordered",
                    f"監査記録 {rid} の位置に記録 {other} の内容があります（順序が入れ替えられています）",
                    f"audit record {rid} holds the content of record {other} (records were reordered)",
                    n,
                )
            return fail(
                rid,
                "altered",
                f"監査記録 {rid} の内容が改ざんされています",
                f"audit record {rid} was altered (its content does not match its hash)",
                n,
            )
        if stored_prev != prev_hash:
            moved = by_hash.get(stored_prev)
            if moved is not None and moved[0] != rid - 1:
                return fail(
                    rid,
                    "reordered",
                    f"監査記録 {rid} は記録 {moved[0]} の次に作られたものです（順序が入れ替えられています）",
                    f"audit record {rid} was made after record {moved[0]} (records were reordered)",
                    n,
                )
            if rid == 1:
                return fail(
                    1,
                    "deleted",
                    "監査記録の先頭が削除されています",
                    "the first audit records were deleted",
                    n,
                )
            return fail(
                rid - 1,
                "altered",
                f"監査記録 {rid - 1} が改ざんまたは差し替えられています（記録 {rid} とつながりません）",
                f"audit record {rid - 1} was altered or replaced (record {rid} no longer links to it)",
                n,
            )
        prev_hash = stored_hash
        expected_id = rid + 1
    checked = len(rows)
    last_id = rows[-1][0] if rows else 0
    if head is None:
        if rows or head_present:
            return fail(
                None,
                "head_missing",
                "監査記録の末尾情報（audit.head）が削除または改ざんされています",
                "the audit chain head (setting audit.head) was deleted or damaged",
                checked,
            )
        return ChainResult(ok=True, checked=0, last_id=None, last_hash=None, head=None)
    if head["id"] > last_id or head["count"] > checked:
        first = last_id + 1
        return fail(
            first,
            "truncated",
            f"監査記録 {first}〜{head['id']} が末尾から削除されています",
            f"audit records {first}..{head['id']} were deleted from the end",
            checked,
        )
    if head["id"] < last_id or head["count"] < checked:
        first = head["id"] + 1
        return fail(
            first,
            "appended",
            f"監査記録 {first} 以降は selfcheck 以外で追加されています",
            f"audit records from {first} on were added outside selfcheck",
            checked,
        )
    if head["hash"] != prev_hash:
        return fail(
            last_id,
            "head_altered",
            f"最後の監査記録 {last_id} が末尾情報と一致しません（改ざんされています）",
            f"the last audit record {last_id} does not match the stored head (altered)",
            checked,
        )
    return ChainResult(ok=True, checked=checked, last_id=last_id, last_hash=prev_hash, head=head)


def _original_id(rec: dict[str, Any], stored_prev: str, stored_hash: str) -> int | None:
    """If this content hashes correctly under a nearby id, the row was moved there from that id."""
    rid = rec["id"]
    for other in range(max(1, rid - _SWAP_WINDOW), rid + _SWAP_WINDOW + 1):
        if other != rid and audit.chain_hash(stored_prev, {**rec, "id": other}) == stored_hash:
            return other
    return None
