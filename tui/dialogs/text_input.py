"""A one-field text dialog (comment, 該当しない理由, name, paper location).

Enter saves, Escape cancels. Usually the dialog only collects text and the screen that opened it calls the
core with the result. When the opener passes `save` (the core call), the dialog calls it itself, so a value
the core refuses (a time it cannot read) is explained in the form, which stays open with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from selfcheck.tui.dialogs.form import FormDialog, form_css
from selfcheck.tui.widgets.wrap import Wrapped


class TextInputDialog(FormDialog[str]):
    """Returns the entered text, or None when cancelled."""

    DEFAULT_CSS = form_css("TextInputDialog")

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        required: bool = False,
        save: Callable[[str], object] | None = None,
        save_label: str = "保存",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.initial = value
        self.placeholder = placeholder
        self.hint = hint or "Enter で保存、Esc で取消"
        self.required = required
        self.save_fn = save
        self.save_label = save_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(Wrapped(self.hint), classes="dialog-hint", markup=False)
            yield Input(self.initial, placeholder=self.placeholder, id="text")
            yield from self.buttons(save_label=self.save_label)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _save(self) -> None:
        value = self.query_one(Input).value
        if self.required and not value.strip():
            self.fail("入力してください。")
            return
        if self.save_fn is not None and not self.attempt_save(self.save_fn, value):
            return
        self.dismiss(value)
