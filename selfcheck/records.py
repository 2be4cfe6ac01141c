"""Looking up one row by the id a user gave, and the guards every change of an inspection passes.

`require(s, Model, id)` replaces the hand-written "get, or raise NotFoundError" block: the message names
the kind of record in Japanese and English, from one table below, so every command says it the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from selfcheck.errors import FinalizedError, NotFoundError

if TYPE_CHECKING:
    from sqlmodel import Session

    from selfcheck.models.tables import Inspection

T = TypeVar("T")

# table name -> (日本語, English, where to look it up)
_KINDS: dict[str, tuple[str, str, str]] = {
    "inspection": ("点検", "inspection", "selfcheck inspection list"),
    "incident": ("インシデント", "incident", "selfcheck incident list"),
    "evidence": ("証拠", "evidence", ""),
    "contact": ("連絡先", "contact", "selfcheck contacts list"),
    "organization": ("団体", "body", "selfcheck orgs"),
}


def require(s: Session, model: type[T], key: Any) -> T:
    """The row of `model` with primary key `key`, or `NotFoundError` saying what was not found."""
    row = s.get(model, key)
    if row is None:
        table = str(getattr(model, "__tablename__", model.__name__.lower()))
        ja, en, hint = _KINDS.get(table, (table, table, ""))
        raise NotFoundError(
            f"{ja} {key} は見つかりません" + (f"（{hint} で一覧）" if hint else ""),
            f"no {en} {key}" + (f" (see `{hint}`)" if hint else ""),
        )
    return row


def require_open_inspection(s: Session, inspection_id: int) -> Inspection:
    """The inspection, if it may still change (not final: its report was not signed)."""
    from selfcheck.models.tables import Inspection

    row = require(s, Inspection, inspection_id)
    if row.status == "final":
        raise FinalizedError(
            f"点検 {inspection_id} は署名済みで確定しています。変更するには新しい版を作成してください",
            f"inspection {inspection_id} is final (its report was signed); create a new revision to change it",
        )
    return row


def row_id(value: int | None) -> int:
    """The id of a row read from (or flushed to) the database, which always has one; for the type checker."""
    if value is None:
        raise RuntimeError("a stored row has no id")
    return value
