"""A one-field text dialog (comment, 該当しない理由, name, paper location).

Enter saves, Escape cancels. The dialog only collects text: the screen that opened it calls the core with
the result, so saving and error handling stay in one place.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from selfcheck.tui.dialogs.form import FormDialog, form_css
from selfcheck.tui.widgets.wrap import Wrapped


class TextInputDialog(FormDialog[str]):
    """Returns the entered text, or None when cancelled."""

    DEFAULT_CSS = form_css("TextInputDialog")

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
            yield Static(Wrapped(self.hint), classes="dialog-hint", markup=False)
            yield Input(self.initial, placeholder=self.placeholder, id="text")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _save(self) -> None:
        value = self.query_one(Input).value
        if self.required and not value.strip():
            self.fail("入力してください。")
            return
        self.dismiss(value)
