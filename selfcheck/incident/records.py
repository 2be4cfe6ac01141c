"""The incident's own records: the row looked up by id, the append-only timeline written and read, and
the times a user types (覚知, 発生, 報告)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from selfcheck.errors import IncidentClosedError, SelfcheckError
from selfcheck.records import require
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session

    from selfcheck.models.tables import Incident


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
