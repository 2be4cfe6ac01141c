"""Reading incidents: the list, the timeline, and everything the dashboard, `incident show` and the report
need about one incident (steps with their contacts and targets, deadlines, evidence), as frozen views."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import orgs
from selfcheck.errors import NotFoundError
from selfcheck.evidence import view as evidence_view
from selfcheck.incident.closed_days import body_closures
from selfcheck.incident.contacts import (
    ContactView,
    contacts_for_roles,
    role_titles,
)
from selfcheck.incident.fit import BodyFit, body_fit, steps_for
from selfcheck.incident.records import get_incident
from selfcheck.incident.threats import clause_for
from selfcheck.incident.views import (
    IncidentDetail,
    IncidentSummary,
    StepView,
    TimelineView,
    TriageQuestion,
)
from selfcheck.records import row_id
from selfcheck.spreadsheet import csv_bytes, write_private
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from selfcheck.incident.playbook import Playbook
    from selfcheck.models.tables import Incident


def _summary(row: Incident) -> IncidentSummary:
    from selfcheck.incident.playbook import get_playbook  # playbooks are YAML checked by pydantic

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
    from sqlmodel import col, select

    from selfcheck.models.tables import Incident

    q = select(Incident)
    if org_id:
        q = q.where(Incident.org_id == org_id)
    if status:
        q = q.where(Incident.status == status)
    with ws.read() as s:
        rows = s.exec(q.order_by(col(Incident.id).desc())).all()
    return [_summary(r) for r in rows]


def timeline(ws: Workspace, incident_id: int) -> list[TimelineView]:
    from sqlmodel import col, select

    from selfcheck.models.tables import TimelineEntry

    with ws.read() as s:
        get_incident(s, incident_id, open_only=False)
        rows = s.exec(
            select(TimelineEntry)
            .where(TimelineEntry.incident_id == incident_id)
            .order_by(col(TimelineEntry.id))
        ).all()
    return [
        TimelineView(
            id=row_id(r.id),
            at=r.at,
            actor=r.actor,
            kind=r.kind,
            step_id=r.step_id,
            text=r.text,
            data=json.loads(r.data_json or "{}"),
            evidence_id=r.evidence_id,
        )
        for r in rows
    ]


def detail(ws: Workspace, incident_id: int) -> IncidentDetail:
    """Everything the dashboard, `incident show` and the report need, as frozen views."""
    from sqlmodel import col, select

    from selfcheck.models.tables import Evidence

    with ws.read() as s:
        row = get_incident(s, incident_id, open_only=False)
        ev_rows = s.exec(
            select(Evidence)
            .where(Evidence.incident_id == incident_id, col(Evidence.removed_at).is_(None))
            .order_by(col(Evidence.id))
        ).all()
    from selfcheck.incident import deadlines as dl
    from selfcheck.incident.playbook import get_playbook

    pb = get_playbook(row.playbook_id)
    prof = orgs.profile(ws, row.org_id)
    body = body_fit(ws, row.org_id)
    tl = timeline(ws, incident_id)
    triage = json.loads(row.triage_json or "{}")
    detected = datetime.fromisoformat(row.detected_at)
    now = ws.clock()
    made = _reports_made(tl)
    rules = dl.builtin_rules()
    closures = body_closures(ws, row.org_id)
    deadlines = dl.evaluate(
        rules,
        triage=triage,
        flags=set(pb.flags),
        org_kind=prof.kind,
        detected_at=detected,
        now=now,
        made=made,
        calendar=rules.calendar(closures),
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
        steps=tuple(_steps(ws, pb, body, tl, detected, now)),
        deadlines=tuple(deadlines),
        timeline=tuple(tl),
        evidence=tuple(evidence_view(e) for e in ev_rows),
        ppc=json.loads(row.ppc_json or "{}"),
        tracks=tuple((t, pb.track_title(t)) for t in pb.tracks()),
        closed_days=tuple(c.as_dict() for c in closures),
    )


def _reports_made(tl: list[TimelineView]) -> dict[str, str]:
    made: dict[str, str] = {}
    for t in tl:
        if t.kind == "report_made":
            rid = str(t.data.get("report_id", ""))
            if t.data.get("undone") or not t.data.get("made_at"):
                made.pop(rid, None)
            else:
                made[rid] = str(t.data["made_at"])
    return made


def _steps(
    ws: Workspace, pb: Playbook, body: BodyFit, tl: list[TimelineView], detected: datetime, now: datetime
) -> list[StepView]:
    """The steps that apply to the body (its words filled in), with their state from the timeline."""
    latest: dict[str, TimelineView] = {}
    for t in tl:
        if t.kind in ("step_done", "step_skipped", "step_reopened") and t.step_id:
            latest[t.step_id] = t
    titles = role_titles(ws, body.org_id)
    steps = steps_for(pb, body)
    roles = {r for _p, st in steps for r in st.contacts}
    people: dict[str, list[ContactView]] = contacts_for_roles(ws, body.org_id, roles)
    out = []
    for phase_id, st in steps:
        last = latest.get(st.id)
        state = {"step_done": "done", "step_skipped": "skipped"}.get(last.kind, "open") if last else "open"
        target = detected + timedelta(hours=st.within_hours) if st.within_hours else None
        lines = tuple(c for r in st.contacts for c in people.get(r, []))
        missing = tuple(titles.get(r, r) for r in st.contacts if not people.get(r))
        out.append(
            StepView(
                id=st.id,
                phase_id=phase_id,
                phase_title=pb.phase_title(phase_id),
                title=body.fill(st.title),
                guidance=body.fill(st.guidance),
                role=st.role,
                role_title=titles.get(st.role, st.role),
                required=st.required,
                skippable=st.skippable,
                contacts=lines,
                missing_contacts=missing,
                evidence_hint=body.fill(st.evidence),
                within_hours=st.within_hours,
                target_at=target.isoformat() if target else None,
                state=state,
                reason=last.text if last and state == "skipped" else "",
                state_at=last.at if last and state != "open" else None,
                state_by=last.actor if last and state != "open" else None,
                target_passed=bool(target and state == "open" and now > target),
                track=st.track,
                track_title=pb.track_title(st.track),
            )
        )
    return out


def timeline_csv(ws: Workspace, incident_id: int, out: Path) -> int:
    """Write the timeline as CSV for Excel (see `spreadsheet`); return the row count."""
    rows = timeline(ws, incident_id)
    header = ["id", "at", "actor", "kind", "step_id", "text", "evidence_id", "data"]
    cells = [
        [
            t.id,
            t.at,
            t.actor,
            t.kind,
            t.step_id or "",
            t.text,
            t.evidence_id or "",
            json.dumps(t.data, ensure_ascii=False, sort_keys=True),
        ]
        for t in rows
    ]
    write_private(Path(out), csv_bytes(header, cells))
    return len(rows)
