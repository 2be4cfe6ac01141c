"""Ask for the signing key's passphrase when the OS credential store cannot give it.

The text is masked, returned to the caller and kept only in memory (never saved, never logged).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class PassphraseDialog(ModalScreen[str | None]):
    """Returns the passphrase, or None when cancelled."""

    DEFAULT_CSS = """
    PassphraseDialog { align: center middle; }
    PassphraseDialog > Vertical {
        width: 70; max-width: 95%; height: auto; border: thick $warning; background: $panel; padding: 0 1;
    }
    PassphraseDialog .dialog-title { text-style: bold; margin: 1 0 0 0; }
    PassphraseDialog .dialog-hint { color: $text-muted; }
    PassphraseDialog Horizontal { height: auto; align-horizontal: right; }
    PassphraseDialog Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消")]

    def __init__(self, title: str = "署名用の鍵のパスフレーズ") -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(
                "この PC には安全な資格情報ストアがないため、パスフレーズを入力してください。"
                "入力した値は保存しません。Enter で決定、Esc で取消。",
                classes="dialog-hint",
                markup=False,
            )
            yield Input(password=True, id="passphrase")
            with Horizontal():
                yield Button("決定", variant="primary", id="ok")
                yield Button("取消", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._done()
        else:
            self.dismiss(None)

    def _done(self) -> None:
        value = self.query_one(Input).value
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
