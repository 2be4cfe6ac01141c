"""What the インシデント報告書 shows, gathered once into a frozen `IncidentReportData`.

The document id is the SHA-256 of the recorded incident data (not of the issue time), so the same record
gives the same id, and `snapshot()` lets the issuer check nothing changed while the PDF was built.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass

from selfcheck import dates, orgs, roles
from selfcheck.incident import queries
from selfcheck.incident.views import IncidentDetail
from selfcheck.report.layout import SignerInfo
from selfcheck.workspace import Workspace


@dataclass(frozen=True)
class IncidentReportData:
    detail: IncidentDetail
    policy_title: str
    stamp_roles: tuple[str, ...]
    issued_wareki: str
    issued_at: str
    document_id: str
    signer: SignerInfo | None = None

    def with_signer(self, signer: SignerInfo | None) -> IncidentReportData:
        return dataclasses.replace(self, signer=signer)


def snapshot(d: IncidentDetail) -> str:
    """Hash of what is recorded (the deadline states depend on the clock, so only their dates count)."""
    data = d.as_dict()
    data["deadlines"] = [
        {"id": x.id, "due_date": x.due_date, "limit_date": x.limit_date, "made_at": x.made_at}
        for x in d.deadlines
    ]
    data["steps"] = [
        {"id": s.id, "state": s.state, "reason": s.reason, "state_at": s.state_at, "state_by": s.state_by}
        for s in d.steps
    ]
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def gather(ws: Workspace, incident_id: int) -> IncidentReportData:

    d = queries.detail(ws, incident_id)
    prof = orgs.profile(ws, d.incident.org_id)
    return IncidentReportData(
        detail=d,
        policy_title=prof.policy_title,
        stamp_roles=roles.stamp_roles(ws, d.incident.org_id),
        issued_wareki=dates.wareki(dates.today(ws.clock())),
        issued_at=ws.now(),
        document_id=snapshot(d),
    )
