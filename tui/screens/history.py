"""An item's history: every audit record of its answer, 改善策 and evidence (who, when, what changed).
Read-only; the records come from the tamper-evident audit trail through `audit.item_history`, and each
is put in words by the core (`history_text.describe`: answer words, 和暦 dates, JST times, never the
stored codes or JSON), the same sentences `selfcheck audit log` prints.

One entry per change, the sentence wrapped under its time and author: a table cut the sentence off at
80 columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from selfcheck import audit
from selfcheck.history_text import HistoryLine, describe
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.keys import bind, key_of
from selfcheck.tui.widgets.wrap import Wrapped

if TYPE_CHECKING:
    from selfcheck.inspection import ItemView


def entry_text(line: HistoryLine) -> Text:
    t = Text()
    t.append(line.at, style="bold")
    t.append(f"  {line.who}", style="dim")
    t.append(f"\n{line.text}")
    return t


class HistoryScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > Vertical {
        width: 96%; height: 90%; border: thick $accent; background: $panel; padding: 0 1;
    }
    HistoryScreen #history-title { text-style: bold; margin: 1 0; height: auto; }
    HistoryScreen #history-entries { height: 1fr; }
    HistoryScreen .history-entry { height: auto; margin-bottom: 1; padding-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [bind("back", "close", label="閉じる")]

    def __init__(self, inspection_id: int, item: ItemView) -> None:
        super().__init__()
        self.inspection_id = inspection_id
        self.item = item
        self.lines: list[HistoryLine] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Wrapped(
                    f"変更履歴「{self.item.clause} {self.item.clause_title}」"
                    f"（上下キーで送る、{key_of('back')} で閉じる）"
                ),
                id="history-title",
            )
            yield VerticalScroll(id="history-entries")

    def on_mount(self) -> None:
        rows = attempt(self.app, audit.item_history, workspace(self), self.inspection_id, self.item.item_id)
        self.lines = [describe(r, within_item=True) for r in rows or []]
        entries = self.query_one("#history-entries", VerticalScroll)
        if self.lines:
            entries.mount_all(
                Static(Wrapped(entry_text(line)), classes="history-entry") for line in self.lines
            )
        else:
            entries.mount(Static("記録はまだありません", classes="history-entry"))
        entries.focus()

    def action_close(self) -> None:
        self.dismiss(None)
