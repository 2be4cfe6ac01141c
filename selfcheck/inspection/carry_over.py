"""Taking last year's answers as this year's starting point (要再確認), inside the transaction that starts
the new inspection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfcheck import audit
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session


def copy_previous(s: Session, ws: Workspace, prev_id: int, new_id: int, item_ids: set[str]) -> None:
    """Copy the previous inspection's answers and improvements of the items in `item_ids` into the new
    one, each marked 要再確認; items outside this year's set (a 基本 inspection after a 全項目 one) stay
    behind."""
    from sqlmodel import select

    from selfcheck.models.tables import Answer, Improvement

    for a in s.exec(select(Answer).where(Answer.inspection_id == prev_id)).all():
        if a.item_id not in item_ids or a.value == "unanswered":
            continue
        s.add(
            Answer(
                inspection_id=new_id,
                item_id=a.item_id,
                value=a.value,
                comment=a.comment,
                na_reason=a.na_reason,
                needs_review=True,
                carried_from=prev_id,
                answered_by=a.answered_by,
                answered_at=a.answered_at,
            )
        )
    for imp in s.exec(select(Improvement).where(Improvement.inspection_id == prev_id)).all():
        if imp.item_id not in item_ids:
            continue
        s.add(
            Improvement(
                inspection_id=new_id,
                item_id=imp.item_id,
                action=imp.action,
                owner=imp.owner,
                due_date=imp.due_date,
                status=imp.status,
                needs_review=True,
                updated_by=imp.updated_by,
                updated_at=imp.updated_at,
            )
        )
    audit.record(
        s, ws, action="carry_over", entity="inspection", entity_id=new_id, field="previous_id", new=prev_id
    )
