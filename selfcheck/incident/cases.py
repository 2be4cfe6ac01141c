"""Incident use cases: open, work through the steps, triage, notes, evidence, reports made, close.

One user action = one function = one `ws.write()` transaction holding the change, its audit record and its
timeline entry, so quitting at any moment loses nothing shown as saved and tomorrow the incident is exactly
where it was. The timeline is append-only (a trigger rejects UPDATE/DELETE); a correction is a new entry,
and the state of a step or of an outside report is the latest entry about it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from selfcheck import audit, orgs
from selfcheck.errors import NotFoundError, SelfcheckError
from selfcheck.evidence import EvidenceView
from selfcheck.evidence import view as evidence_view
from selfcheck.incident import deadlines as dl
from selfcheck.incident.contacts import ContactView, contacts_for_roles, role_titles
from selfcheck.incident.playbook import Playbook, get_playbook
from selfcheck.incident.threats import ThreatRef, clause_for
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session

    from selfcheck.models.tables import Incident

MAX_TEXT = 20_000

# The nine items of a 個人情報保護委員会 report (行政機関等), in the order of the form.
PPC_ITEMS: dict[str, str] = {
    "overview": "概要",
    "items": "漏えい等が発生し又は発生したおそれがある保有個人情報の項目",
    "count": "漏えい等が発生し又は発生したおそれがある保有個人情報に係る本人の数",
    "cause": "原因",
    "secondary": "二次被害又はそのおそれの有無及びその内容",
    "persons": "本人への対応の実施状況",
    "publication": "公表の実施状況",
    "prevention": "再発防止のための措置",
    "other": "その他参考となる事項",
}
EDITABLE_FIELDS = {
    "title": "件名",
    "summary": "概要メモ",
    "occurred_at": "発生日時",
    "detected_at": "覚知日時",
}
TRIAGE_LABELS = {"yes": "はい", "no": "いいえ", "unknown": "未回答"}
STEP_STATE_LABELS = {"open": "未完了", "done": "完了", "skipped": "省略"}


class IncidentClosedError(SelfcheckError):
    """A change was attempted on a closed incident."""


class CloseRefused(SelfcheckError):
    """Closing was refused because required steps are still open; `open_steps` names them."""

    def __init__(self, open_steps: list[tuple[str, str]]) -> None:
        self.open_steps = open_steps
        names = "、".join(f"{t}（{i}）" for i, t in open_steps)
        super().__init__(
            f"終結できません。必須の手順が{len(open_steps)}件残っています: {names}。完了にするか、理由を書いて省略してください。",
            f"cannot close: {len(open_steps)} required step(s) still open: {', '.join(i for i, _ in open_steps)}; "
            "mark them done or skip them with a reason",
        )


@dataclass(frozen=True)
class StepView:
    id: str
    phase_id: str
    phase_title: str
    title: str
    guidance: str
    role: str
    role_title: str
    required: bool
    skippable: bool
    contacts: tuple[ContactView, ...]  # the people to call for this step, from the body's list
    missing_contacts: tuple[str, ...]  # role titles with no contact entered
    evidence_hint: str
    within_hours: float | None
    target_at: str | None
    state: str  # open | done | skipped
    reason: str
    state_at: str | None
    state_by: str | None
    target_passed: bool

    def as_dict(self) -> dict[str, object]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["contacts"] = [c.__dict__ for c in self.contacts]
        d["missing_contacts"] = list(self.missing_contacts)
        return d


@dataclass(frozen=True)
class TimelineView:
    id: int
    at: str
    actor: str
    kind: str
    step_id: str | None
    text: str
    data: dict[str, Any]
    evidence_id: int | None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class IncidentSummary:
    id: int
    org_id: str
    playbook_id: str
    playbook_title: str
    title: str
    status: str
    detected_at: str
    opened_at: str
    opened_by: str
    closed_at: str | None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class TriageQuestion:
    key: str
    text: str
    help: str
    answer: str  # yes | no | unknown


@dataclass(frozen=True)
class IncidentDetail:
    incident: IncidentSummary
    org_name: str
    summary: str
    occurred_at: str | None
    closed_by: str | None
    threat: ThreatRef
    shape: str
    triage: tuple[TriageQuestion, ...]
    steps: tuple[StepView, ...]
    deadlines: tuple[dl.Deadline, ...]
    timeline: tuple[TimelineView, ...]
    evidence: tuple[EvidenceView, ...]
    ppc: dict[str, str] = field(default_factory=dict)

    @property
    def current_step(self) -> StepView | None:
        """The first step not yet done or skipped (in playbook order)."""
        return next((s for s in self.steps if s.state == "open"), None)

    @property
    def open_required(self) -> list[StepView]:
        return [s for s in self.steps if s.required and s.state == "open"]

    def as_dict(self) -> dict[str, object]:
        return {
            "incident": self.incident.as_dict()
            | {
                "summary": self.summary,
                "occurred_at": self.occurred_at,
                "closed_by": self.closed_by,
                "org_name": self.org_name,
            },
            "threat": self.threat.__dict__,
            "shape": self.shape,
            "triage": {q.key: q.answer for q in self.triage},
            "triage_questions": [q.__dict__ for q in self.triage],
            "steps": [s.as_dict() for s in self.steps],
            "current_step": self.current_step.id if self.current_step else None,
            "deadlines": [d.as_dict() for d in self.deadlines],
            "ppc": {k: self.ppc.get(k, "") for k in PPC_ITEMS},
            "timeline": [t.as_dict() for t in self.timeline],
            "evidence": [e.as_dict() for e in self.evidence],
        }


# ---- helpers ----


def parse_time(ws: Workspace, value: str | datetime | None, *, what: str = "覚知日時") -> datetime:
    """ISO 8601 (date, or date and time; no offset = the clock's zone) -> aware datetime, not in the future."""
    now = ws.clock()
    if value is None or value == "":
        return now.replace(microsecond=0)
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(value.strip())
        except ValueError:
            raise SelfcheckError(
                f"{what}の形式が正しくありません（例: 2026-12-01T10:00）: {value}",
                f"bad date/time (e.g. 2026-12-01T10:00): {value}",
            ) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=now.tzinfo)
    if (dt - now).total_seconds() > 300:
        raise SelfcheckError(
            f"{what}が未来になっています: {dt.isoformat()}", f"the time is in the future: {dt}"
        )
    return dt.replace(microsecond=0)


def _text(value: str, what: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise SelfcheckError(f"{what}を入力してください", f"{what}: empty")
    if len(value) > MAX_TEXT:
        raise SelfcheckError(f"{what}が長すぎます（{MAX_TEXT}文字まで）", f"text too long (max {MAX_TEXT})")
    return value


def _get(s: Session, incident_id: int, *, open_only: bool = True) -> Incident:
    from selfcheck.models.tables import Incident

    row = s.get(Incident, incident_id)
    if row is None:
        raise NotFoundError(
            f"インシデント {incident_id} は見つかりません（selfcheck incident list で一覧）",
            f"no incident {incident_id} (see `selfcheck incident list`)",
        )
    if open_only and row.status != "open":
        raise IncidentClosedError(
            f"インシデント {incident_id} は終結しています。変更するには再開してください",
            f"incident {incident_id} is closed; reopen it to make changes",
        )
    return row


def _entry(
    s: Session,
    ws: Workspace,
    incident_id: int,
    kind: str,
    *,
    step_id: str | None = None,
    text: str = "",
    data: dict[str, Any] | None = None,
    evidence_id: int | None = None,
) -> None:
    from selfcheck.models.tables import TimelineEntry

    s.add(
        TimelineEntry(
            incident_id=incident_id,
            at=ws.now(),
            actor=ws.who(),
            kind=kind,
            step_id=step_id,
            text=text,
            data_json=json.dumps(data or {}, ensure_ascii=False, sort_keys=True),
            evidence_id=evidence_id,
        )
    )
    s.flush()


# ---- use cases ----


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
    from selfcheck.models.tables import Incident

    pb = get_playbook(playbook_id)
    orgs.ensure_org(ws, org_id)
    det = parse_time(ws, detected_at)
    title = _text(title or pb.title, "件名")
    summary = _text(summary, "概要", required=False)
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
        _entry(
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
    with ws.read() as s:
        pb = get_playbook(_get(s, incident_id).playbook_id)
    step = pb.step(step_id)
    kinds = {"done": "step_done", "skip": "step_skipped", "reopen": "step_reopened"}
    if state not in kinds:
        raise SelfcheckError(
            f"状態は done / skip / reopen のいずれかです: {state}", f"state must be done|skip|reopen: {state}"
        )
    reason = _text(reason, "省略の理由", required=state == "skip")
    if state == "skip" and not step.skippable:
        raise SelfcheckError(
            f"「{step.title}」は省略できません（CISOへの報告は省略しない）",
            f"step {step_id} may not be skipped (the report to the CISO is never skipped)",
        )
    with ws.write() as s:
        _get(s, incident_id)
        _entry(s, ws, incident_id, kinds[state], step_id=step_id, text=reason)
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
    text = _text(text, "メモ")
    with ws.write() as s:
        _get(s, incident_id)
        _entry(s, ws, incident_id, "note", step_id=step_id, text=text)
        audit.record(s, ws, action="note", entity="incident", entity_id=incident_id, new=text)


def set_triage(ws: Workspace, incident_id: int, answers: dict[str, str]) -> int:
    """Answer or change triage questions (yes / no / unknown); one timeline entry per change. Returns the
    number of changed answers."""
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
        row = _get(s, incident_id)
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
            _entry(
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
    ids = {r.id: r.title for r in dl.builtin_rules().reports}
    if report_id not in ids:
        raise SelfcheckError(
            f"報告 {report_id!r} はありません（{', '.join(ids)}）", f"no report {report_id!r}"
        )
    when = parse_time(ws, made_at, what="報告日時").isoformat()
    text = _text(text, "メモ", required=False)
    with ws.write() as s:
        _get(s, incident_id)
        label = f"{ids[report_id]}: {'報告済みを取消' if undo else '報告済み ' + when[:16].replace('T', ' ')}"
        _entry(
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
    text = _text(text, PPC_ITEMS[item], required=False)
    with ws.write() as s:
        row = _get(s, incident_id)
        ppc = json.loads(row.ppc_json or "{}")
        old = ppc.get(item, "")
        if old == text:
            return
        ppc[item] = text
        row.ppc_json = json.dumps(ppc, ensure_ascii=False, sort_keys=True)
        s.add(row)
        _entry(
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


def set_field(ws: Workspace, incident_id: int, name: str, value: str) -> None:
    """Edit the title, the summary, the time it happened or the 覚知 time (deadlines follow)."""
    if name not in EDITABLE_FIELDS:
        raise SelfcheckError(
            f"項目 {name!r} は変更できません（{', '.join(EDITABLE_FIELDS)}）", f"field {name!r} not editable"
        )
    label = EDITABLE_FIELDS[name]
    if name in ("occurred_at", "detected_at"):
        new: str | None = (
            parse_time(ws, value, what=label).isoformat() if value or name == "detected_at" else None
        )
    else:
        new = _text(value, label, required=name == "title")
    with ws.write() as s:
        row = _get(s, incident_id)
        old = getattr(row, name)
        if old == new:
            return
        setattr(row, name, new)
        s.add(row)
        _entry(
            s, ws, incident_id, "field", text=f"{label}を変更", data={"field": name, "old": old, "new": new}
        )
        audit.record(
            s, ws, action="update", entity="incident", entity_id=incident_id, field=name, old=old, new=new
        )


def add_evidence_file(
    ws: Workspace,
    incident_id: int,
    src: Any,
    *,
    description: str = "",
    step_id: str | None = None,
    on_progress: Any = None,
) -> EvidenceView:
    """Copy a file into the evidence store, link it to the incident, and note it on the timeline."""
    from selfcheck import evidence

    with ws.read() as s:
        _get(s, incident_id)
    return evidence.attach_file(
        ws,
        src,
        incident_id=incident_id,
        description=description,
        on_progress=on_progress,
        also=_evidence_entry(ws, incident_id, step_id),
    )


def add_evidence_paper(
    ws: Workspace, incident_id: int, location: str, *, description: str = "", step_id: str | None = None
) -> EvidenceView:
    from selfcheck import evidence

    with ws.read() as s:
        _get(s, incident_id)
    return evidence.attach_paper(
        ws,
        location,
        incident_id=incident_id,
        description=description,
        also=_evidence_entry(ws, incident_id, step_id),
    )


def _evidence_entry(ws: Workspace, incident_id: int, step_id: str | None) -> Any:
    """The timeline line for new evidence, written in the same transaction as the evidence link."""

    def write(s: Any, ev: EvidenceView) -> None:
        what = ev.original_name or ev.paper_location
        _entry(
            s,
            ws,
            incident_id,
            "evidence",
            step_id=step_id,
            evidence_id=ev.id,
            text=f"証拠を追加: {what}" + (f"（{ev.description}）" if ev.description else ""),
            data={"sha256": ev.sha256, "size": ev.size, "kind": ev.kind},
        )

    return write


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
    note = _text(note, "メモ", required=False)
    with ws.write() as s:
        row = _get(s, incident_id)
        row.status, row.closed_at, row.closed_by = "closed", ws.now(), ws.who()
        s.add(row)
        _entry(
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
    reason = _text(reason, "再開の理由")
    with ws.write() as s:
        row = _get(s, incident_id, open_only=False)
        if row.status == "open":
            raise SelfcheckError(
                f"インシデント {incident_id} は対応中です", f"incident {incident_id} is already open"
            )
        row.status, row.closed_at, row.closed_by = "open", None, None
        s.add(row)
        _entry(s, ws, incident_id, "status", text=f"再開（{reason}）", data={"old": "closed", "new": "open"})
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


# ---- queries ----


def _summary(row: Incident) -> IncidentSummary:
    try:
        pb_title = get_playbook(row.playbook_id).title
    except NotFoundError:
        pb_title = row.playbook_id
    assert row.id is not None
    return IncidentSummary(
        id=row.id,
        org_id=row.org_id,
        playbook_id=row.playbook_id,
        playbook_title=pb_title,
        title=row.title,
        status=row.status,
        detected_at=row.detected_at,
        opened_at=row.opened_at,
        opened_by=row.opened_by,
        closed_at=row.closed_at,
    )


def list_incidents(
    ws: Workspace, *, org_id: str | None = None, status: str | None = None
) -> list[IncidentSummary]:
    from sqlmodel import select

    from selfcheck.models.tables import Incident

    q = select(Incident)
    if org_id:
        q = q.where(Incident.org_id == org_id)
    if status:
        q = q.where(Incident.status == status)
    with ws.read() as s:
        rows = s.exec(q.order_by(Incident.id.desc())).all()  # type: ignore[union-attr]
    return [_summary(r) for r in rows]


def timeline(ws: Workspace, incident_id: int) -> list[TimelineView]:
    from sqlmodel import select

    from selfcheck.models.tables import TimelineEntry

    with ws.read() as s:
        _get(s, incident_id, open_only=False)
        rows = s.exec(
            select(TimelineEntry).where(TimelineEntry.incident_id == incident_id).order_by(TimelineEntry.id)
        ).all()
    return [
        TimelineView(
            id=r.id,
            at=r.at,
            actor=r.actor,
            kind=r.kind,
            step_id=r.step_id,
            text=r.text,  # type: ignore[arg-type]
            data=json.loads(r.data_json or "{}"),
            evidence_id=r.evidence_id,
        )
        for r in rows
    ]


def detail(ws: Workspace, incident_id: int) -> IncidentDetail:
    """Everything the dashboard, `incident show` and the report need, as frozen views."""
    from sqlmodel import select

    from selfcheck.models.tables import Evidence

    with ws.read() as s:
        row = _get(s, incident_id, open_only=False)
        ev_rows = s.exec(
            select(Evidence)
            .where(Evidence.incident_id == incident_id, Evidence.removed_at.is_(None))  # type: ignore[union-attr]
            .order_by(Evidence.id)
        ).all()
    pb = get_playbook(row.playbook_id)
    prof = orgs.profile(ws, row.org_id)
    tl = timeline(ws, incident_id)
    triage = json.loads(row.triage_json or "{}")
    detected = datetime.fromisoformat(row.detected_at)
    now = ws.clock()
    made = _reports_made(tl)
    rules = dl.builtin_rules()
    deadlines = dl.evaluate(
        rules,
        triage=triage,
        flags=set(pb.flags),
        org_kind=prof.kind,
        detected_at=detected,
        now=now,
        made=made,
    )
    questions = tuple(
        TriageQuestion(q.key, q.text, q.help, triage.get(q.key, "unknown")) for q in rules.questions
    )
    return IncidentDetail(
        incident=_summary(row),
        org_name=prof.name,
        summary=row.summary,
        occurred_at=row.occurred_at,
        closed_by=row.closed_by,
        threat=clause_for(row.org_id, pb.threat, prof.threat_count),
        shape=pb.shape,
        triage=questions,
        steps=tuple(_steps(ws, pb, row.org_id, tl, detected, now)),
        deadlines=tuple(deadlines),
        timeline=tuple(tl),
        evidence=tuple(evidence_view(e) for e in ev_rows),
        ppc=json.loads(row.ppc_json or "{}"),
    )


def _reports_made(tl: list[TimelineView]) -> dict[str, str]:
    made: dict[str, str] = {}
    for t in tl:
        if t.kind == "report_made":
            rid = t.data.get("report_id")
            if t.data.get("undone") or not t.data.get("made_at"):
                made.pop(rid, None)
            else:
                made[rid] = t.data["made_at"]
    return made


def _steps(
    ws: Workspace, pb: Playbook, org_id: str, tl: list[TimelineView], detected: datetime, now: datetime
) -> list[StepView]:
    from datetime import timedelta

    latest: dict[str, TimelineView] = {}
    for t in tl:
        if t.kind in ("step_done", "step_skipped", "step_reopened") and t.step_id:
            latest[t.step_id] = t
    titles = role_titles(ws, org_id)
    roles = {r for _p, st in pb.steps() for r in st.contacts}
    people: dict[str, list[ContactView]] = contacts_for_roles(ws, org_id, roles)
    out = []
    for phase, st in pb.steps():
        t = latest.get(st.id)
        state = {"step_done": "done", "step_skipped": "skipped"}.get(t.kind, "open") if t else "open"
        target = detected + timedelta(hours=st.within_hours) if st.within_hours else None
        lines = tuple(c for r in st.contacts for c in people.get(r, []))
        missing = tuple(titles.get(r, r) for r in st.contacts if not people.get(r))
        out.append(
            StepView(
                id=st.id,
                phase_id=phase.id,
                phase_title=pb.phase_title(phase.id),
                title=st.title,
                guidance=st.guidance,
                role=st.role,
                role_title=titles.get(st.role, st.role),
                required=st.required,
                skippable=st.skippable,
                contacts=lines,
                missing_contacts=missing,
                evidence_hint=st.evidence,
                within_hours=st.within_hours,
                target_at=target.isoformat() if target else None,
                state=state,
                reason=t.text if t and state == "skipped" else "",
                state_at=t.at if t and state != "open" else None,
                state_by=t.actor if t and state != "open" else None,
                target_passed=bool(target and state == "open" and now > target),
            )
        )
    return out


def timeline_csv(ws: Workspace, incident_id: int, out: Any) -> int:
    """Write the timeline as UTF-8-with-BOM CSV (formula-safe cells); return the row count."""
    import csv
    import io
    from pathlib import Path

    from selfcheck.incident.contacts import _safe_cell, _write_atomic

    rows = timeline(ws, incident_id)
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["id", "at", "actor", "kind", "step_id", "text", "evidence_id", "data"])
    for t in rows:
        w.writerow(
            [
                t.id,
                t.at,
                _safe_cell(t.actor),
                t.kind,
                t.step_id or "",
                _safe_cell(t.text),
                t.evidence_id or "",
                _safe_cell(json.dumps(t.data, ensure_ascii=False, sort_keys=True)),
            ]
        )
    _write_atomic(Path(out), buf.getvalue().encode("utf-8-sig"))
    return len(rows)
