"""The 改善策 dialog: what will be done, who owns it, by when, and whether it is done.

The opener passes `save`, a function that calls the core; a `SelfcheckError` from it (for example a due
date that is not a date) is shown inside the dialog, which stays open with the text the user typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Static

from selfcheck.tui.dialogs.form import FormDialog, form_css
from selfcheck.tui.widgets.wrap import Wrapped


@dataclass(frozen=True)
class ImprovementInput:
    action: str
    owner: str
    due_date: str
    done: bool


class ImprovementDialog(FormDialog[bool]):
    """Returns True when saved, None when cancelled."""

    DEFAULT_CSS = (
        form_css("ImprovementDialog", width=80, border="$warning")
        + """
    ImprovementDialog Label { margin-top: 1; }
    """
    )

    def __init__(
        self, *, question: str, initial: ImprovementInput, save: Callable[[ImprovementInput], None]
    ) -> None:
        super().__init__()
        self.question = question
        self.initial = initial
        self.save_fn = save

    def compose(self) -> ComposeResult:
        i = self.initial
        with Vertical():
            yield Static("改善策を入力してください（Enter で次の欄、Ctrl+S で保存）", classes="dialog-title")
            yield Static(Wrapped(self.question), markup=False, classes="dialog-question")
            yield Label("改善策（何をするか）")
            yield Input(
                i.action, placeholder="例: 入退室管理簿を備え、毎月確認する", id="action", compact=True
            )
            yield Label("担当（課・係・職名）")
            yield Input(i.owner, placeholder="例: 総務係長", id="owner", compact=True)
            yield Label("期限（例: 令和9年3月31日、R9.3.31、2027/3/31）")
            yield Input(i.due_date, placeholder="例: R9.3.31", id="due", compact=True)
            yield Checkbox("完了した", i.done, id="done", compact=True)
            yield from self.buttons(save_label="保存 (Ctrl+S)", cancel_label="取消 (Esc)")

    def on_mount(self) -> None:
        self.query_one("#action", Input).focus()

    def values(self) -> ImprovementInput:
        return ImprovementInput(
            action=self.query_one("#action", Input).value,
            owner=self.query_one("#owner", Input).value,
            due_date=self.query_one("#due", Input).value.strip(),
            done=self.query_one("#done", Checkbox).value,
        )

    def _save(self) -> None:
        if self.attempt_save(self.save_fn, self.values()):
            self.dismiss(True)
