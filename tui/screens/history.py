"""An item's history: every audit record of its answer, 改善策 and evidence (who, when, old -> new).
Read-only; the records come from the tamper-evident audit trail through `audit.item_history`."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from selfcheck import audit, scale
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.widgets.labels import short_time

if TYPE_CHECKING:
    from selfcheck.inspection import ItemView

ENTITY = {"answer": "回答", "improvement": "改善策", "evidence": "証拠"}
FIELD = {
    "value": "回答",
    "comment": "コメント",
    "na_reason": "該当しない理由",
    "needs_review": "要再確認",
    "action": "改善策",
    "owner": "担当",
    "due_date": "期限",
    "status": "状態",
    "removed_at": "削除",
}
ACTION = {"create": "追加", "update": "変更", "delete": "削除"}


def brief(value: str | None, limit: int = 30) -> str:
    if value is None:
        return ""
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1] + "..."


def readable(field: str, value: str | None) -> str:
    """Answer values as their Japanese labels; everything else shortened to one line."""
    if field == "value" and value in scale.ANSWERS:
        return scale.ANSWERS[value]
    if field == "needs_review" and value in ("true", "false", "True", "False"):
        return "あり" if value.lower() == "true" else "なし"
    return brief(value)


class HistoryScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > Vertical {
        width: 96%; height: 90%; border: thick $accent; background: $panel; padding: 0 1;
    }
    HistoryScreen #history-title { text-style: bold; margin: 1 0; height: auto; }
    HistoryScreen DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,h", "close", "閉じる")]

    def __init__(self, inspection_id: int, item: ItemView) -> None:
        super().__init__()
        self.inspection_id = inspection_id
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"変更履歴「{self.item.clause} {self.item.clause_title}」{self.item.item_id}（Esc で閉じる）",
                id="history-title",
                markup=False,
            )
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:

        table = self.query_one(DataTable)
        table.add_columns("日時", "記録者", "対象", "操作", "項目", "変更前", "変更後")
        rows = attempt(self.app, audit.item_history, workspace(self), self.inspection_id, self.item.item_id)
        for r in rows or []:
            table.add_row(
                short_time(r.at),
                r.app_user or r.os_user,
                ENTITY.get(r.entity, r.entity),
                ACTION.get(r.action, r.action),
                FIELD.get(r.field, "" if " " in r.field else r.field),
                readable(r.field, r.old),
                readable(r.field, r.new),
            )
        if not rows:
            table.add_row("", "", "", "", "", "記録はまだありません", "")
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
