"""Finalising an inspection (its report was signed) and reopening a final one as a new revision.

A new revision continues the same (body, fiscal year) line; `years.check_can_revise` keeps that line to
one open revision and makes revisions start from the newest final one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfcheck import audit
from selfcheck.inspection.years import check_can_revise
from selfcheck.records import require, require_open_inspection
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session


def finalize(ws: Workspace, inspection_id: int, *, session: Session | None = None) -> None:
    """Mark an inspection final (its report has been signed). Later edits need `new_revision`."""
    from selfcheck.models.tables import Inspection

    def _do(s: Session) -> None:
        row = require(s, Inspection, inspection_id)
        if row.status == "final":
            return
        row.status, row.finalized_at, row.finalized_by = "final", ws.now(), ws.who()
        s.add(row)
        audit.record(
            s,
            ws,
            action="finalize",
            entity="inspection",
            entity_id=inspection_id,
            field="status",
            old="open",
            new="final",
        )

    if session is not None:
        _do(session)
    else:
        with ws.write() as s:
            _do(s)


def new_revision(ws: Workspace, inspection_id: int) -> int:
    """Copy a final inspection (items, answers, improvements, evidence links) into a new open revision.
    Refused (`InspectionExistsError`) unless it is the newest revision of its year and none is open."""
    from sqlmodel import select

    from selfcheck.models.tables import Answer, Evidence, Improvement, Inspection, InspectionItem

    with ws.write() as s:
        src = require(s, Inspection, inspection_id)
        check_can_revise(s, src)
        new = Inspection(
            org_id=src.org_id,
            fiscal_year=src.fiscal_year,
            title=src.title,
            revision=src.revision + 1,
            revision_of=src.id,
            previous_id=src.previous_id,
            period_start=src.period_start,
            period_end=src.period_end,
            level=src.level,
            created_at=ws.now(),
            created_by=ws.who(),
        )
        s.add(new)
        s.flush()
        assert new.id is not None
        copied: tuple[type[InspectionItem | Answer | Improvement | Evidence], ...] = (
            InspectionItem,
            Answer,
            Improvement,
            Evidence,
        )
        for model in copied:
            for r in s.exec(select(model).where(model.inspection_id == inspection_id)).all():
                data = r.model_dump(exclude={"id"})
                data["inspection_id"] = new.id
                s.add(model(**data))
        audit.record(
            s,
            ws,
            action="create",
            entity="inspection",
            entity_id=new.id,
            field="revision_of",
            new=inspection_id,
        )
        return new.id


def require_open(ws: Workspace, inspection_id: int) -> None:
    """Raise unless the inspection exists and may still change (used before long work such as copying
    an evidence file, so the user learns at once, not after the copy)."""
    with ws.read() as s:
        require_open_inspection(s, inspection_id)
