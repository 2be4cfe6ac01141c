"""A one-field text dialog (comment, 該当しない理由, name, paper location).

Enter saves, Escape cancels. The dialog only collects text: the screen that opened it calls the core with
the result, so saving and error handling stay in one place.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from selfcheck.tui.dialogs.form import FormDialog


class TextInputDialog(FormDialog[str]):
    """Returns the entered text, or None when cancelled."""

    DEFAULT_CSS = """
    TextInputDialog { align: center middle; }
    TextInputDialog > Vertical {
        width: 76; max-width: 95%; height: auto; border: thick $accent; background: $panel; padding: 0 1;
    }
    TextInputDialog .dialog-title { text-style: bold; margin: 1 0 0 0; }
    TextInputDialog .dialog-hint { color: $text-muted; }
    TextInputDialog #dialog-error { color: $error; height: auto; }
    TextInputDialog Horizontal { height: auto; align-horizontal: right; }
    TextInputDialog Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消")]

    def __init__(
        self, title: str, *, value: str = "", placeholder: str = "", hint: str = "", required: bool = False
    ) -> None:
        super().__init__()
        self.title_text = title
        self.initial = value
        self.placeholder = placeholder
        self.hint = hint or "Enter で保存、Esc で取消"
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.hint, classes="dialog-hint", markup=False)
            yield Input(self.initial, placeholder=self.placeholder, id="text")
            yield Static("", id="dialog-error")
            with Horizontal():
                yield Button("保存", variant="primary", id="save")
                yield Button("取消", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _save(self) -> None:
        value = self.query_one(Input).value
        if self.required and not value.strip():
            self.query_one("#dialog-error", Static).update("入力してください。")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
