"""Does the recorded data still say what the audit trail says it says?

A chain that is intact proves only that the *audit records* were not edited. An answer changed with
sqlite3 (no audit record) or a table filled without one leaves the chain intact. So the trail is
replayed, in id order, into the state it describes, and compared with the rows as they are now:

- inspections: each row must have its `create` record; `status` is `final` exactly when a `finalize`
  record says so;
- answers and improvements: each field's current value equals the `new` value of its last audited
  change; the rows an inspection took over (`carry_over` from last year, `revision_of` a signed one) are
  copied in the replay exactly as the app copies them; an improvement deleted in the trail must be gone;
- evidence: each row has a `create` record (or is a copy made by a revision) with the same file hash,
  kind and name, and is detached exactly when a `delete` record says so;
- reports: each row has its `create`/`sign` record with the same document id, signed flag and signer.

A row the trail knows nothing about, or a value it never recorded, is reported as tampering. (Contacts
replaced by a CSV import and the incident timeline are not replayed: the import audits only a count,
and the timeline is append-only by trigger and read as its own record.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from selfcheck.audit import _text
from selfcheck.workspace import Workspace

ANSWER_FIELDS = ("value", "comment", "na_reason", "needs_review")
IMPROVEMENT_FIELDS = ("action", "owner", "due_date", "status")
_ANSWER_DEFAULT: dict[str, str | None] = {
    "value": "unanswered",
    "comment": "",
    "na_reason": "",
    "needs_review": "false",
}


@dataclass(frozen=True)
class StateProblem:
    entity: str
    entity_id: str
    message_ja: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class _Replay:
    inspections: dict[int, str] = field(default_factory=dict)  # id -> status
    answers: dict[int, dict[str, dict[str, str | None]]] = field(default_factory=dict)
    improvements: dict[int, dict[str, dict[str, str | None]]] = field(default_factory=dict)
    evidence: dict[int, dict[str, Any]] = field(default_factory=dict)
    copied_evidence: dict[int, int] = field(default_factory=dict)  # new inspection -> source
    reports: dict[int, dict[str, Any]] = field(default_factory=dict)


def _json(value: str | None) -> Any:
    try:
        return json.loads(value) if value is not None else None
    except ValueError:
        return None


def _split(entity_id: str) -> tuple[int, str] | None:
    iid, _, item = entity_id.partition("/")
    return (int(iid), item) if iid.isdigit() and item else None


def _replay(rows: list[Any], items: dict[int, set[str]]) -> _Replay:
    r = _Replay()
    for _id, action, entity, entity_id, fld, _old, new in rows:
        if entity == "inspection":
            if not str(entity_id).isdigit():
                continue
            iid = int(entity_id)
            if action == "create":
                r.inspections[iid] = "open"
                r.answers.setdefault(iid, {})
                r.improvements.setdefault(iid, {})
                if fld == "revision_of" and str(new).isdigit():
                    src = int(str(new))
                    r.answers[iid] = {k: dict(v) for k, v in r.answers.get(src, {}).items()}
                    r.improvements[iid] = {k: dict(v) for k, v in r.improvements.get(src, {}).items()}
                    r.copied_evidence[iid] = src
            elif action == "carry_over" and str(new).isdigit():
                src, keep = int(str(new)), items.get(iid, set())
                for item, a in r.answers.get(src, {}).items():
                    if item in keep and a.get("value") != "unanswered":
                        r.answers[iid][item] = {**a, "needs_review": "true"}
                for item, imp in r.improvements.get(src, {}).items():
                    if item in keep:
                        r.improvements[iid][item] = dict(imp)
            elif action == "finalize":
                r.inspections[iid] = "final"
        elif entity in ("answer", "improvement"):
            key = _split(str(entity_id))
            if key is None:
                continue
            table = r.answers if entity == "answer" else r.improvements
            per = table.setdefault(key[0], {})
            if entity == "improvement" and action == "delete":
                per.pop(key[1], None)
            elif fld:
                base = dict(_ANSWER_DEFAULT) if entity == "answer" else {}
                per.setdefault(key[1], base)[fld] = new
        elif entity == "evidence" and str(entity_id).isdigit():
            eid = int(entity_id)
            if action == "create":
                info = _json(new) or {}
                r.evidence[eid] = {**info, "removed": False}
            elif action == "delete" and eid in r.evidence:
                r.evidence[eid]["removed"] = True
        elif entity == "report" and str(entity_id).isdigit() and action in ("create", "sign"):
            r.reports[int(entity_id)] = _json(new) or {}
    return r


def check_state(ws: Workspace) -> list[StateProblem]:
    """Every difference between the replayed trail and the current rows (empty: they agree)."""
    from sqlalchemy import text

    with ws.read() as s:
        rows = list(
            s.execute(
                text("SELECT id, action, entity, entity_id, field, old, new FROM auditrecord ORDER BY id")
            ).all()
        )
        items: dict[int, set[str]] = {}
        for iid, item in s.execute(text("SELECT inspection_id, item_id FROM inspectionitem")):
            items.setdefault(int(iid), set()).add(str(item))
        insp = list(s.execute(text("SELECT id, status FROM inspection")).all())
        answers = list(
            s.execute(
                text("SELECT inspection_id, item_id, value, comment, na_reason, needs_review FROM answer")
            ).all()
        )
        imps = list(
            s.execute(
                text("SELECT inspection_id, item_id, action, owner, due_date, status FROM improvement")
            ).all()
        )
        evs = list(
            s.execute(
                text("SELECT id, kind, sha256, original_name, size, inspection_id, removed_at FROM evidence")
            ).all()
        )
        reports = list(
            s.execute(text("SELECT id, document_id, signed, signer_fingerprint FROM report")).all()
        )
    r = _replay([tuple(x) for x in rows], items)
    out: list[StateProblem] = []

    def bad(entity: str, eid: object, ja: str, en: str) -> None:
        out.append(StateProblem(entity, str(eid), ja, en))

    for iid, status in insp:
        if iid not in r.inspections:
            bad(
                "inspection",
                iid,
                f"点検 {iid} に監査記録がありません",
                f"inspection {iid} has no audit record",
            )
        elif r.inspections[iid] != status:
            bad(
                "inspection",
                iid,
                f"点検 {iid} の状態（{status}）が監査記録（{r.inspections[iid]}）と違います",
                f"inspection {iid} status {status!r} differs from the audit trail ({r.inspections[iid]!r})",
            )
    for iid, item, *vals in answers:
        expected = r.answers.get(iid, {}).get(item, _ANSWER_DEFAULT)
        for name, value in zip(ANSWER_FIELDS, vals, strict=True):
            now = _text(bool(value)) if name == "needs_review" else _text(value)
            if expected.get(name, _ANSWER_DEFAULT[name]) != now:
                bad(
                    "answer",
                    f"{iid}/{item}",
                    f"回答 {iid}/{item} の {name} が監査記録にない値に変更されています",
                    f"answer {iid}/{item} field {name} holds a value the audit trail never recorded",
                )
                break
    seen_imps = set()
    for iid, item, *vals in imps:
        seen_imps.add((iid, item))
        expected_imp = r.improvements.get(iid, {}).get(item)
        now_vals = {n: _text(v) for n, v in zip(IMPROVEMENT_FIELDS, vals, strict=True)}
        if expected_imp is None or any(expected_imp.get(n) != now_vals[n] for n in IMPROVEMENT_FIELDS):
            bad(
                "improvement",
                f"{iid}/{item}",
                f"改善策 {iid}/{item} が監査記録と一致しません",
                f"improvement {iid}/{item} does not match the audit trail",
            )
    for iid, per in r.improvements.items():
        for item in per:
            if iid in r.inspections and (iid, item) not in seen_imps and iid in {i for i, _ in insp}:
                bad(
                    "improvement",
                    f"{iid}/{item}",
                    f"改善策 {iid}/{item} が監査記録なしに削除されています",
                    f"improvement {iid}/{item} was deleted without an audit record",
                )
    _check_evidence(evs, r, bad)
    for rid, doc_id, signed, fp in reports:
        exp = r.reports.get(rid)
        if exp is None or exp.get("document_id") != doc_id or bool(exp.get("signed")) != bool(signed):
            bad(
                "report",
                rid,
                f"報告書 {rid} が監査記録と一致しません",
                f"report {rid} does not match the audit trail",
            )
        elif (exp.get("fingerprint") or None) != (fp or None):
            bad(
                "report",
                rid,
                f"報告書 {rid} の署名者が監査記録と違います",
                f"report {rid} signer differs from the trail",
            )
    return out


def _check_evidence(evs: list[Any], r: _Replay, bad: Any) -> None:
    copies: dict[int, list[tuple[Any, ...]]] = {}
    for src_new, src in r.copied_evidence.items():
        copies[src_new] = [(e[1], e[2], e[3], e[6] is not None) for e in evs if e[5] == src]
    for eid, kind, sha, name, size, iid, removed in evs:
        exp = r.evidence.get(eid)
        if exp is None:
            pool = copies.get(iid) if iid is not None else None
            if pool is not None and (kind, sha, name, removed is not None) in pool:
                pool.remove((kind, sha, name, removed is not None))
                continue
            bad("evidence", eid, f"証拠 {eid} に監査記録がありません", f"evidence {eid} has no audit record")
        elif (
            exp.get("sha256") != sha
            or exp.get("kind") != kind
            or exp.get("name") != name
            or exp.get("size") != size
            or bool(exp.get("removed")) != (removed is not None)
        ):
            bad(
                "evidence",
                eid,
                f"証拠 {eid} が監査記録と一致しません",
                f"evidence {eid} does not match the audit trail",
            )
