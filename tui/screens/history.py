"""An item's history: every audit record of its answer, 改善策 and evidence (who, when, old -> new).
Read-only; the records come from the tamper-evident audit trail through `audit.item_history`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from selfcheck import audit, scale
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.keys import bind
from selfcheck.tui.widgets.labels import IMPROVEMENT_STATUS, due_text, human_size, short_time

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
    "status": "状況",
    "removed_at": "削除",
}
ACTION = {"create": "追加", "update": "変更", "delete": "削除"}


def brief(value: str | None, limit: int = 30) -> str:
    if value is None:
        return ""
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1] + "..."


EVIDENCE_KEYS = {"kind": "種類", "name": "ファイル", "size": "大きさ", "paper_location": "保管場所"}
KIND_WORDS = {"file": "ファイル", "paper": "紙"}


def readable(field: str, value: str | None) -> str:
    """What a clerk reads in the history: answer values and states as words, dates as 和暦, times as
    JST, a recorded evidence entry as 「ファイル 体制表.pdf 19.5 KB」 (never the stored JSON)."""
    if value is None:
        return ""
    if field == "value" and value in scale.ANSWERS:
        return scale.ANSWERS[value]
    if field == "needs_review" and value.lower() in ("true", "false", "1", "0"):
        return "あり" if value.lower() in ("true", "1") else "なし"
    if field == "status":
        return IMPROVEMENT_STATUS.get(value, value)
    if field == "due_date":
        return due_text(value) if value else ""
    if field == "removed_at":
        return short_time(value)
    if value.startswith("{"):
        try:
            data = json.loads(value)
        except ValueError:
            return brief(value)
        if isinstance(data, dict):
            return brief(evidence_words(data), 40)
    return brief(value)


def evidence_words(data: dict[str, object]) -> str:
    kind = KIND_WORDS.get(str(data.get("kind")), "")
    if data.get("paper_location"):
        return f"{kind} 保管場所 {data['paper_location']}".strip()
    size = data.get("size")
    size_text = human_size(size) if isinstance(size, int) else ""
    return " ".join(x for x in (kind, str(data.get("name") or ""), size_text) if x)


class HistoryScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > Vertical {
        width: 96%; height: 90%; border: thick $accent; background: $panel; padding: 0 1;
    }
    HistoryScreen #history-title { text-style: bold; margin: 1 0; height: auto; }
    HistoryScreen DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [bind("back", "close", label="閉じる")]

    def __init__(self, inspection_id: int, item: ItemView) -> None:
        super().__init__()
        self.inspection_id = inspection_id
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"変更履歴「{self.item.clause} {self.item.clause_title}」（Esc で閉じる）",
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
