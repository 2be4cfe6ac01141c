"""Evidence for an incident: a file copied into the store or a paper document's place, each linked to the
incident and noted on its timeline in the same transaction."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import evidence
from selfcheck.evidence import AlsoInTransaction, EvidenceView, Progress
from selfcheck.incident.records import add_entry, get_incident
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session


def add_evidence_file(
    ws: Workspace,
    incident_id: int,
    src: Path,
    *,
    description: str = "",
    step_id: str | None = None,
    on_progress: Progress | None = None,
) -> EvidenceView:
    """Copy a file into the evidence store, link it to the incident, and note it on the timeline."""
    with ws.read() as s:
        get_incident(s, incident_id)
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
    with ws.read() as s:
        get_incident(s, incident_id)
    return evidence.attach_paper(
        ws,
        location,
        incident_id=incident_id,
        description=description,
        also=_evidence_entry(ws, incident_id, step_id),
    )


def _evidence_entry(ws: Workspace, incident_id: int, step_id: str | None) -> AlsoInTransaction:
    """The timeline line for new evidence, written in the same transaction as the evidence link."""

    def write(s: Session, ev: EvidenceView) -> None:
        what = ev.original_name or ev.paper_location
        add_entry(
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
