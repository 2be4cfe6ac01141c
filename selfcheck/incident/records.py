"""The incident's own records: the row looked up by id, the append-only timeline written and read, and
the times a user types (覚知, 発生, 報告)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from selfcheck import dates
from selfcheck.errors import IncidentClosedError, SelfcheckError
from selfcheck.records import require
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session

    from selfcheck.models.tables import Incident


def parse_time(ws: Workspace, value: str | datetime | None, *, what: str = "覚知日時") -> datetime:
    """A time as a person types it (see `dates`: ISO 8601, 2026/4/6 10:00, 令和8年4月6日 10時; no zone =
    JST, never the machine's zone) -> aware datetime, not in the future. Nothing typed = now."""
    now = ws.clock()
    if value is None or (isinstance(value, str) and not value.strip()):
        return now.replace(microsecond=0)
    dt = dates.parse_datetime(value, what=what)
    if (dt - now).total_seconds() > 300:
        raise SelfcheckError(
            f"{what}が未来になっています: {dates.time_text(dt)}",
            f"the time is in the future: {dates.jst_iso(dt)}",
        )
    return dt


def get_incident(s: Session, incident_id: int, *, open_only: bool = True) -> Incident:
    """The incident with this id; with `open_only`, refuse a closed one (it must be reopened first)."""
    from selfcheck.models.tables import Incident

    row = require(s, Incident, incident_id)
    if open_only and row.status != "open":
        raise IncidentClosedError(
            f"インシデント {incident_id} は終結しています。変更するには再開してください",
            f"incident {incident_id} is closed; reopen it to make changes",
        )
    return row


def add_entry(
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
