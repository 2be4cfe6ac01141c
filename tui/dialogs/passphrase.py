"""Ask for the signing key's passphrase when the OS credential store cannot give it.

The text is masked, returned to the caller and kept only in memory (never saved, never logged).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from selfcheck.tui.dialogs.form import FormDialog, form_css
from selfcheck.tui.widgets.wrap import Wrapped


class PassphraseDialog(FormDialog[str]):
    """Returns the passphrase, or None when cancelled."""

    DEFAULT_CSS = form_css("PassphraseDialog", width=70, border="$warning")

    def __init__(self, title: str = "署名用の鍵のパスフレーズ") -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(
                Wrapped(
                    "この PC には安全な資格情報ストアがないため、パスフレーズを入力してください。"
                    "入力した値は保存しません。Enter で決定、Esc で取消。"
                ),
                classes="dialog-hint",
                markup=False,
            )
            yield Input(password=True, id="passphrase")
            yield from self.buttons(save_label="決定")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _save(self) -> None:
        value = self.query_one(Input).value
        if not value:
            self.fail("パスフレーズを入力してください。")
            return
        self.dismiss(value)
