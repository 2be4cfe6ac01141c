"""Changing an inspection: start (optionally from last year's), answer, confirm, improve (finalising and
revising are in `revisions`). One user action = one function = one short transaction with its audit records, committed before
the function returns, so closing the program at any moment loses nothing that was shown as saved."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from selfcheck import audit, dates, orgs, scale
from selfcheck.errors import NotFoundError, SelfcheckError
from selfcheck.inspection.carry_over import copy_previous
from selfcheck.inspection.years import check_can_start
from selfcheck.records import require_open_inspection
from selfcheck.text import clean
from selfcheck.vocabulary import ALL_ITEMS, CORE, INSPECTION_LEVELS
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session

    from selfcheck.models.tables import Answer


def start(
    ws: Workspace,
    *,
    org_id: str,
    fiscal_year: int,
    title: str | None = None,
    from_previous: int | None = None,
    carry_over: bool = True,
    level: str = ALL_ITEMS,
) -> int:
    """Create an inspection with a snapshot of the body's checklist: its 基本 items only (`level="基本"`) or
    all of them (`"全項目"`). With `from_previous`, every item also takes last year's answer, comment and
    improvement as a starting point marked 要再確認 (items outside this year's set are left behind).
    Refused with `InspectionExistsError` when the body's year already has one (`years.check_can_start`)."""
    from selfcheck.models.tables import Inspection, InspectionItem

    if level not in INSPECTION_LEVELS:
        raise SelfcheckError(
            f"点検の範囲 {level!r} は選べません（{' / '.join(INSPECTION_LEVELS)}）",
            f"level {level!r} is not one of {', '.join(INSPECTION_LEVELS)}",
        )
    orgs.ensure_org(ws, org_id)
    items = orgs.checklist(ws, org_id, level=CORE if level == CORE else None)
    if not 2000 <= fiscal_year <= 2100:
        raise SelfcheckError(f"年度 {fiscal_year} が正しくありません", f"invalid fiscal year {fiscal_year}")
    title = title or f"{scale.fiscal_year_label(fiscal_year)} 情報セキュリティ自己点検"
    with ws.write() as s:
        check_can_start(s, org_id, fiscal_year)  # one inspection per body and year (see `years`)
        prev = None
        if from_previous is not None:
            prev = s.get(Inspection, from_previous)
            if prev is None or prev.id is None or prev.org_id != org_id:
                raise NotFoundError(
                    f"前回の点検 {from_previous} は見つかりません（同じ団体のもの）",
                    f"no previous inspection {from_previous} of the same body",
                )
        row = Inspection(
            org_id=org_id,
            fiscal_year=fiscal_year,
            title=clean(title, "表題", "title", multiline=False, required=True),
            previous_id=from_previous,
            level=level,
            created_at=ws.now(),
            created_by=ws.who(),
        )
        s.add(row)
        s.flush()
        assert row.id is not None
        for it in items:
            s.add(
                InspectionItem(
                    inspection_id=row.id,
                    item_id=it.id,
                    position=it.position,
                    clause=it.clause,
                    clause_title=it.clause_title,
                    section=it.section,
                    section_title=it.section_title,
                    topic=it.topic,
                    question=it.question,
                    how_to_check=it.how_to_check,
                    guideline_ref=it.guideline_ref,
                )
            )
        audit.record(
            s,
            ws,
            action="create",
            entity="inspection",
            entity_id=row.id,
            new={
                "org": org_id,
                "fiscal_year": fiscal_year,
                "level": level,
                "items": len(items),
                "from": from_previous,
            },
        )
        if prev is not None and prev.id is not None and carry_over:
            copy_previous(s, ws, prev.id, row.id, {it.id for it in items})
        return row.id


def _answer_row(s: Session, inspection_id: int, item_id: str) -> Answer:
    from sqlalchemy import and_
    from sqlmodel import col, select

    from selfcheck.models.tables import Answer, InspectionItem

    # one query: the item must exist in this inspection; its answer row may not exist yet
    found = s.exec(
        select(InspectionItem.id, Answer)
        .outerjoin(
            Answer,
            and_(
                col(Answer.inspection_id) == col(InspectionItem.inspection_id),
                col(Answer.item_id) == col(InspectionItem.item_id),
            ),
        )
        .where(InspectionItem.inspection_id == inspection_id, InspectionItem.item_id == item_id)
    ).first()
    if found is None:
        raise NotFoundError(
            f"点検 {inspection_id} に項目 {item_id} はありません",
            f"inspection {inspection_id} has no item {item_id}",
        )
    return found[1] or Answer(inspection_id=inspection_id, item_id=item_id)


def record_answer(
    ws: Workspace,
    *,
    inspection_id: int,
    item_id: str,
    value: str | None = None,
    comment: str | None = None,
    na_reason: str | None = None,
) -> None:
    """Set the answer, comment and/or 該当しない reason of an item. Answering confirms a carried-over
    answer (clears 要再確認). Committed before returning."""
    if value is not None and value not in scale.ANSWERS:
        raise SelfcheckError(
            f"回答 {value!r} は選択肢にありません（{', '.join(scale.ANSWERS)}）",
            f"answer {value!r} is not one of {', '.join(scale.ANSWERS)}",
        )
    with ws.write() as s:
        require_open_inspection(s, inspection_id)
        row = _answer_row(s, inspection_id, item_id)
        before = _answer_fields(row)
        if value is not None:
            row.value = value
            row.needs_review = False
        if comment is not None:
            row.comment = clean(comment, "コメント", "comment")
        if na_reason is not None:
            row.na_reason = clean(na_reason, "該当しない理由", "reason")
        after = _answer_fields(row)
        if after == before and row.id is not None:
            return
        row.answered_by, row.answered_at = ws.who(), ws.now()
        s.add(row)
        audit.record_changes(
            s, ws, entity="answer", entity_id=f"{inspection_id}/{item_id}", before=before, after=after
        )


def _answer_fields(row: Answer) -> dict[str, object]:
    return {
        "value": row.value,
        "comment": row.comment,
        "na_reason": row.na_reason,
        "needs_review": row.needs_review,
    }


def confirm(ws: Workspace, *, inspection_id: int, item_id: str) -> None:
    """Accept a carried-over answer and improvement as they are (clears 要再確認)."""
    from sqlmodel import select

    from selfcheck.models.tables import Improvement

    with ws.write() as s:
        require_open_inspection(s, inspection_id)
        row = _answer_row(s, inspection_id, item_id)
        changed = False
        if row.needs_review:
            row.needs_review = False
            row.answered_by, row.answered_at = ws.who(), ws.now()
            s.add(row)
            changed = True
        imp = s.exec(
            select(Improvement).where(
                Improvement.inspection_id == inspection_id, Improvement.item_id == item_id
            )
        ).first()
        if imp is not None and imp.needs_review:
            imp.needs_review = False
            s.add(imp)
            changed = True
        if changed:
            audit.record(
                s,
                ws,
                action="update",
                entity="answer",
                entity_id=f"{inspection_id}/{item_id}",
                field="needs_review",
                old=True,
                new=False,
            )


def set_improvement(
    ws: Workspace,
    *,
    inspection_id: int,
    item_id: str,
    action: str,
    owner: str = "",
    due_date: date | str | None = None,
    status: str = "planned",
) -> None:
    """Record or update the 改善策 for an item (an empty action removes it). `due_date` is a date or
    what the clerk typed (令和9年3月31日, R9.3.31, 2027/3/31, ...: `dates.parse_date`); stored ISO."""
    from sqlmodel import select

    from selfcheck.models.tables import Improvement

    if status not in ("planned", "done"):
        raise SelfcheckError(
            f"改善策の状態 {status!r} が正しくありません（予定 planned / 完了 done）",
            f"invalid status {status!r}",
        )
    due = dates.parse_optional_date(due_date, what="期限", what_en="due date")
    with ws.write() as s:
        require_open_inspection(s, inspection_id)
        _answer_row(s, inspection_id, item_id)  # validates the item
        row = s.exec(
            select(Improvement).where(
                Improvement.inspection_id == inspection_id, Improvement.item_id == item_id
            )
        ).first()
        key = f"{inspection_id}/{item_id}"
        action = clean(action, "改善策", "improvement action")
        if not action:
            if row is not None:
                audit.record(s, ws, action="delete", entity="improvement", entity_id=key, old=row.action)
                s.delete(row)
            return
        before = (
            {}
            if row is None
            else {"action": row.action, "owner": row.owner, "due_date": row.due_date, "status": row.status}
        )
        if row is None:
            row = Improvement(
                inspection_id=inspection_id,
                item_id=item_id,
                action=action,
                updated_by=ws.who(),
                updated_at=ws.now(),
            )
        row.action, row.owner, row.due_date, row.status = (
            action,
            clean(owner, "担当者", "owner", multiline=False),
            due.isoformat() if due else None,
            status,
        )
        row.needs_review = False
        row.updated_by, row.updated_at = ws.who(), ws.now()
        s.add(row)
        audit.record_changes(
            s,
            ws,
            entity="improvement",
            entity_id=key,
            before=before,
            after={"action": row.action, "owner": row.owner, "due_date": row.due_date, "status": row.status},
        )
