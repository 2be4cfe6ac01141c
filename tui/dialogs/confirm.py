"""The one confirmation dialog: anything that finalises, signs, deletes or skips asks here first.

It says what will happen in plain words, the cursor starts on 取消 (so an Enter pressed by habit changes
nothing), and it returns True only when the user chose the action button (or pressed y). `n` is not a
key here: it means 「次へ」 on the screens, and a clerk pressing it repeatedly must not answer this.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from selfcheck.tui.dialogs.form import form_css
from selfcheck.tui.keys import bind
from selfcheck.tui.widgets.wrap import Wrapped


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = (
        form_css("ConfirmDialog", width=72, border="$warning")
        + """
    ConfirmDialog #confirm-message { margin-top: 1; height: auto; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "answer(False)", label="取消"),
        bind("confirm_previous", "answer(True)", label="はい", show=False),
    ]

    def __init__(self, title: str, message: str | Text, *, action_label: str = "実行する") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.action_label = action_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(Wrapped(self.message), id="confirm-message", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button(f"{self.action_label} (y)", variant="warning", id="yes")
                yield Button("取消 (Esc)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
