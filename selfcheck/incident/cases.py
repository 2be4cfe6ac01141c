"""Incident use cases: open, work through the steps, triage, notes, reports made, fields, close, reopen.

One user action = one function = one `ws.write()` transaction holding the change, its audit record and its
timeline entry, so quitting at any moment loses nothing shown as saved and tomorrow the incident is exactly
where it was. The timeline is append-only (a trigger rejects UPDATE/DELETE); a correction is a new entry,
and the state of a step or of an outside report is the latest entry about it. Reading is in `queries`,
evidence in `attachments`.
"""

from __future__ import annotations

import json
from datetime import datetime

from selfcheck import audit, dates, orgs
from selfcheck.errors import CloseRefused, IncidentClosedError, SelfcheckError
from selfcheck.incident.fit import body_fit
from selfcheck.incident.queries import detail
from selfcheck.incident.records import add_entry, get_incident, parse_time
from selfcheck.incident.views import EDITABLE_FIELDS, PPC_ITEMS, TRIAGE_LABELS
from selfcheck.text import clean
from selfcheck.workspace import Workspace


def open_incident(
    ws: Workspace,
    *,
    org_id: str,
    playbook_id: str,
    detected_at: str | datetime | None = None,
    title: str | None = None,
    summary: str = "",
) -> int:
    """Start an incident from a playbook; 覚知 defaults to now. Returns the new id."""
    from selfcheck.incident.playbook import get_playbook, require_offered
    from selfcheck.models.tables import Incident

    pb = get_playbook(playbook_id)
    prof = orgs.ensure_org(ws, org_id)
    require_offered(pb, body_fit(ws, org_id), prof.name)
    det = parse_time(ws, detected_at)
    title = clean(title or pb.title, "件名", "title", multiline=False, required=True)
    summary = clean(summary, "概要", "summary")
    with ws.write() as s:
        row = Incident(
            org_id=org_id,
            playbook_id=pb.id,
            title=title,
            summary=summary,
            detected_at=det.isoformat(),
            opened_by=ws.who(),
            opened_at=ws.now(),
        )
        s.add(row)
        s.flush()
        assert row.id is not None
        add_entry(
            s,
            ws,
            row.id,
            "opened",
            text=f"{pb.title}として対応開始",
            data={"playbook": pb.id, "detected_at": row.detected_at, "title": title},
        )
        audit.record(
            s,
            ws,
            action="create",
            entity="incident",
            entity_id=row.id,
            new={"playbook": pb.id, "title": title, "detected_at": row.detected_at, "org": org_id},
        )
        return row.id


def mark_step(ws: Workspace, incident_id: int, step_id: str, state: str, reason: str = "") -> None:
    """`done`, `skip` (a reason is required) or `reopen` (a correction; reason optional)."""
    from selfcheck.incident.playbook import get_playbook

    with ws.read() as s:
        pb = get_playbook(get_incident(s, incident_id).playbook_id)
    step = pb.step(step_id)
    kinds = {"done": "step_done", "skip": "step_skipped", "reopen": "step_reopened"}
    if state not in kinds:
        raise SelfcheckError(
            f"状態は done / skip / reopen のいずれかです: {state}", f"state must be done|skip|reopen: {state}"
        )
    reason = clean(reason, "省略の理由", "reason", required=state == "skip")
    if state == "skip" and not step.skippable:
        raise SelfcheckError(
            f"「{step.title}」は省略できません（CISOへの報告は省略しない）",
            f"step {step_id} may not be skipped (the report to the CISO is never skipped)",
        )
    with ws.write() as s:
        get_incident(s, incident_id)
        add_entry(s, ws, incident_id, kinds[state], step_id=step_id, text=reason)
        audit.record(
            s,
            ws,
            action=kinds[state],
            entity="incident",
            entity_id=incident_id,
            field=f"step:{step_id}",
            new=reason or state,
        )


def add_note(ws: Workspace, incident_id: int, text: str, *, step_id: str | None = None) -> None:
    text = clean(text, "メモ", "note", required=True)
    with ws.write() as s:
        get_incident(s, incident_id)
        add_entry(s, ws, incident_id, "note", step_id=step_id, text=text)
        audit.record(s, ws, action="note", entity="incident", entity_id=incident_id, new=text)


def set_triage(ws: Workspace, incident_id: int, answers: dict[str, str]) -> int:
    """Answer or change triage questions (yes / no / unknown); one timeline entry per change. Returns the
    number of changed answers."""
    from selfcheck.incident import deadlines as dl

    keys = dl.builtin_rules().question_keys()
    for k, v in answers.items():
        if k not in keys:
            raise SelfcheckError(
                f"判定の質問 {k!r} はありません（{', '.join(keys)}）", f"no triage question {k!r}"
            )
        if v not in TRIAGE_LABELS:
            raise SelfcheckError(
                f"{k} の答えは yes / no / unknown です: {v!r}", f"{k}: answer yes, no or unknown"
            )
    with ws.write() as s:
        row = get_incident(s, incident_id)
        current = json.loads(row.triage_json or "{}")
        changed = 0
        for k, v in answers.items():
            old = current.get(k, "unknown")
            if old == v:
                continue
            if v == "unknown":
                current.pop(k, None)
            else:
                current[k] = v
            changed += 1
            add_entry(
                s,
                ws,
                incident_id,
                "triage",
                text=f"{_question_text(k)}: {TRIAGE_LABELS[v]}",
                data={"key": k, "old": old, "new": v},
            )
        if changed:
            new_json = json.dumps(current, ensure_ascii=False, sort_keys=True)
            audit.record(
                s,
                ws,
                action="update",
                entity="incident",
                entity_id=incident_id,
                field="triage",
                old=row.triage_json,
                new=new_json,
            )
            row.triage_json = new_json
            s.add(row)
        return changed


def _question_text(key: str) -> str:
    from selfcheck.incident import deadlines as dl

    return next((q.text for q in dl.builtin_rules().questions if q.key == key), key)


def mark_report(
    ws: Workspace,
    incident_id: int,
    report_id: str,
    *,
    made_at: str | datetime | None = None,
    undo: bool = False,
    text: str = "",
) -> None:
    """Record that an outside report was made (clears its countdown), or undo that record."""
    from selfcheck.incident import deadlines as dl

    ids = {r.id: r.title for r in dl.builtin_rules().reports}
    if report_id not in ids:
        raise SelfcheckError(
            f"報告 {report_id!r} はありません（{', '.join(ids)}）", f"no report {report_id!r}"
        )
    when = parse_time(ws, made_at, what="報告日時").isoformat()
    text = clean(text, "メモ", "note")
    with ws.write() as s:
        get_incident(s, incident_id)
        label = f"{ids[report_id]}: {'報告済みを取消' if undo else '報告済み ' + dates.time_text(when)}"
        add_entry(
            s,
            ws,
            incident_id,
            "report_made",
            text=(label + (f"（{text}）" if text else "")),
            data={"report_id": report_id, "made_at": None if undo else when, "undone": undo},
        )
        audit.record(
            s,
            ws,
            action="report_made",
            entity="incident",
            entity_id=incident_id,
            field=report_id,
            new=None if undo else when,
        )


def set_ppc(ws: Workspace, incident_id: int, item: str, text: str) -> None:
    """Edit one of the nine 個人情報保護委員会 report items."""
    if item not in PPC_ITEMS:
        raise SelfcheckError(
            f"報告事項 {item!r} はありません（{', '.join(PPC_ITEMS)}）", f"no PPC item {item!r}"
        )
    text = clean(text, PPC_ITEMS[item], f"report item {item}")
    with ws.write() as s:
        row = get_incident(s, incident_id)
        ppc = json.loads(row.ppc_json or "{}")
        old = ppc.get(item, "")
        if old == text:
            return
        ppc[item] = text
        row.ppc_json = json.dumps(ppc, ensure_ascii=False, sort_keys=True)
        s.add(row)
        add_entry(
            s,
            ws,
            incident_id,
            "field",
            text=f"{PPC_ITEMS[item]}を更新",
            data={"field": f"ppc.{item}", "old": old, "new": text},
        )
        audit.record(
            s,
            ws,
            action="update",
            entity="incident",
            entity_id=incident_id,
            field=f"ppc.{item}",
            old=old,
            new=text,
        )


def set_field(ws: Workspace, incident_id: int, name: str, value: str | None) -> None:
    """Edit the title, the summary, the time it happened or the 覚知 time (deadlines follow)."""
    set_fields(ws, incident_id, {name: value})


def set_fields(ws: Workspace, incident_id: int, changes: dict[str, str | None]) -> int:
    """Edit several of 件名 / 概要 / 発生日時 / 覚知日時 at once (one transaction: all or nothing); returns
    how many changed. Times are typed as people write them (`dates.parse_datetime`: 令和8年4月6日 10:00,
    2026/4/6 10:00, ISO 8601; no zone = JST) and may not lie in the future. An empty 発生日時 means
    「不明」; 覚知日時 cannot be emptied. Each change is a timeline entry and an audit record."""
    for name in changes:
        if name not in EDITABLE_FIELDS:
            raise SelfcheckError(
                f"項目 {name!r} は変更できません（{', '.join(EDITABLE_FIELDS)}）",
                f"field {name!r} not editable",
            )
    values: dict[str, str | None] = {}
    for name, value in changes.items():
        label = EDITABLE_FIELDS[name]
        text = value or ""
        if name == "occurred_at":
            values[name] = parse_time(ws, text, what=label).isoformat() if text.strip() else None
        elif name == "detected_at":
            if not text.strip():
                raise SelfcheckError(f"{label}を入力してください", "the detection time cannot be empty")
            values[name] = parse_time(ws, text, what=label).isoformat()
        else:
            values[name] = clean(text, label, name, multiline=name != "title", required=name == "title")
    changed = 0
    with ws.write() as s:
        row = get_incident(s, incident_id)
        for name, new in values.items():
            old = getattr(row, name)
            if old == new:
                continue
            setattr(row, name, new)
            add_entry(
                s,
                ws,
                incident_id,
                "field",
                text=_change_text(name, new),
                data={"field": name, "old": old, "new": new},
            )
            audit.record(
                s, ws, action="update", entity="incident", entity_id=incident_id, field=name, old=old, new=new
            )
            changed += 1
        if changed:
            s.add(row)
    return changed


def _change_text(name: str, new: str | None) -> str:
    """The timeline's words for a change: 「発生日時を令和8年4月6日 7:40に変更」, 「件名を「…」に変更」."""
    label = EDITABLE_FIELDS[name]
    if name in ("occurred_at", "detected_at"):
        return f"{label}を{dates.time_text(new)}に変更" if new else f"{label}を不明に変更"
    if name == "title":
        return f"{label}を「{new}」に変更"
    return f"{label}を変更"


def close_incident(ws: Workspace, incident_id: int, note: str = "") -> None:
    """Close when every required step is done or skipped with a reason; otherwise refuse, naming them."""
    d = detail(ws, incident_id)
    if d.incident.status != "open":
        raise IncidentClosedError(
            f"インシデント {incident_id} はすでに終結しています", f"incident {incident_id} is already closed"
        )
    missing = d.open_required
    if missing:
        raise CloseRefused([(s.id, s.title) for s in missing])
    note = clean(note, "メモ", "note")
    with ws.write() as s:
        row = get_incident(s, incident_id)
        row.status, row.closed_at, row.closed_by = "closed", ws.now(), ws.who()
        s.add(row)
        add_entry(
            s,
            ws,
            incident_id,
            "status",
            text="終結" + (f"（{note}）" if note else ""),
            data={"old": "open", "new": "closed"},
        )
        audit.record(
            s,
            ws,
            action="update",
            entity="incident",
            entity_id=incident_id,
            field="status",
            old="open",
            new="closed",
        )


def reopen_incident(ws: Workspace, incident_id: int, reason: str) -> None:
    reason = clean(reason, "再開の理由", "reason", required=True)
    with ws.write() as s:
        row = get_incident(s, incident_id, open_only=False)
        if row.status == "open":
            raise SelfcheckError(
                f"インシデント {incident_id} は対応中です", f"incident {incident_id} is already open"
            )
        row.status, row.closed_at, row.closed_by = "open", None, None
        s.add(row)
        add_entry(
            s, ws, incident_id, "status", text=f"再開（{reason}）", data={"old": "closed", "new": "open"}
        )
        audit.record(
            s,
            ws,
            action="update",
            entity="incident",
            entity_id=incident_id,
            field="status",
            old="closed",
            new="open",
        )
