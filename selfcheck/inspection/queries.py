"""Reading inspections: the list, one inspection's header, and everything about it as frozen views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfcheck import scale
from selfcheck.evidence import EvidenceView
from selfcheck.evidence import view as evidence_view
from selfcheck.inspection.views import (
    ImprovementView,
    InspectionDetail,
    InspectionInfo,
    ItemView,
    PreviousView,
    Summary,
    summarize,
)
from selfcheck.records import require
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session

    from selfcheck.models.tables import Inspection


def _info(s: Session, r: Inspection) -> InspectionInfo:
    from sqlalchemy import func
    from sqlmodel import select

    from selfcheck.models.tables import Answer, InspectionItem, Organization

    assert r.id is not None
    total = s.exec(
        select(func.count()).select_from(InspectionItem).where(InspectionItem.inspection_id == r.id)
    ).one()
    answered = s.exec(
        select(func.count())
        .select_from(Answer)
        .where(Answer.inspection_id == r.id, Answer.value != "unanswered")
    ).one()
    org = s.get(Organization, r.org_id)
    return InspectionInfo(
        id=r.id,
        org_id=r.org_id,
        org_name=org.name if org else r.org_id,
        fiscal_year=r.fiscal_year,
        fiscal_year_label=scale.fiscal_year_label(r.fiscal_year),
        title=r.title,
        status=r.status,
        revision=r.revision,
        revision_of=r.revision_of,
        previous_id=r.previous_id,
        level=r.level,
        created_at=r.created_at,
        created_by=r.created_by,
        finalized_at=r.finalized_at,
        item_count=total,
        answered=answered,
    )


def list_inspections(ws: Workspace, *, org_id: str | None = None) -> list[InspectionInfo]:
    from sqlmodel import col, select

    from selfcheck.models.tables import Inspection

    with ws.read() as s:
        q = select(Inspection).order_by(col(Inspection.id))
        if org_id:
            q = q.where(Inspection.org_id == org_id)
        return [_info(s, r) for r in s.exec(q).all()]


def info(ws: Workspace, inspection_id: int) -> InspectionInfo:
    from selfcheck.models.tables import Inspection

    with ws.read() as s:
        return _info(s, require(s, Inspection, inspection_id))


def detail(ws: Workspace, inspection_id: int) -> InspectionDetail:
    """Everything about an inspection, as frozen views (no lazy loading from widgets)."""
    from sqlmodel import col, select

    from selfcheck.models.tables import Answer, Evidence, Improvement, Inspection, InspectionItem

    with ws.read() as s:
        row = require(s, Inspection, inspection_id)
        inf = _info(s, row)
        items = s.exec(
            select(InspectionItem)
            .where(InspectionItem.inspection_id == inspection_id)
            .order_by(col(InspectionItem.position))
        ).all()
        answers = {a.item_id: a for a in s.exec(select(Answer).where(Answer.inspection_id == inspection_id))}
        imps = {
            i.item_id: i
            for i in s.exec(select(Improvement).where(Improvement.inspection_id == inspection_id))
        }
        evs: dict[str, list[EvidenceView]] = {}
        for e in s.exec(
            select(Evidence)
            .where(Evidence.inspection_id == inspection_id, col(Evidence.removed_at).is_(None))
            .order_by(col(Evidence.id))
        ):
            evs.setdefault(e.item_id or "", []).append(evidence_view(e))
        prev: dict[str, PreviousView] = {}
        if row.previous_id:
            pa = {a.item_id: a for a in s.exec(select(Answer).where(Answer.inspection_id == row.previous_id))}
            pi = {
                i.item_id: i
                for i in s.exec(select(Improvement).where(Improvement.inspection_id == row.previous_id))
            }
            for key in set(pa) | set(pi):
                a = pa.get(key)
                prev[key] = PreviousView(
                    value=a.value if a else "unanswered",
                    comment=a.comment if a else "",
                    improvement=pi[key].action if key in pi else "",
                )
    out = InspectionDetail(info=inf)
    for it in items:
        a = answers.get(it.item_id)
        imp = imps.get(it.item_id)
        out.items.append(
            ItemView(
                item_id=it.item_id,
                position=it.position,
                clause=it.clause,
                clause_title=it.clause_title,
                section=it.section,
                section_title=it.section_title,
                topic=it.topic,
                question=it.question,
                how_to_check=it.how_to_check,
                guideline_ref=it.guideline_ref,
                value=a.value if a else "unanswered",
                comment=a.comment if a else "",
                na_reason=a.na_reason if a else "",
                needs_review=bool(a and a.needs_review),
                answered_by=a.answered_by if a else None,
                answered_at=a.answered_at if a else None,
                improvement=ImprovementView(
                    imp.action,
                    imp.owner,
                    imp.due_date,
                    imp.status,
                    imp.needs_review,
                    imp.updated_by,
                    imp.updated_at,
                )
                if imp
                else None,
                evidence=tuple(evs.get(it.item_id, ())),
                previous=prev.get(it.item_id),
            )
        )
    return out


def summary(ws: Workspace, inspection_id: int) -> Summary:
    return summarize(detail(ws, inspection_id).items, inspection_id)
