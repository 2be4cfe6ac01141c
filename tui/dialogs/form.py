"""Base for small form dialogs: Enter in a field or the 保存 button saves, 取消 closes without saving."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import ModalScreen
from textual.widgets import Button, Input

ResultT = TypeVar("ResultT")


class FormDialog(ModalScreen[ResultT | None], Generic[ResultT]):
    """Subclasses compose their fields with a Button(id="save") and a Button(id="cancel") and implement
    `_save()`, which validates and calls `self.dismiss(result)`."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def _save(self) -> None:
        raise NotImplementedError
