"""The 改善策 dialog: what will be done, who owns it, by when, and whether it is done.

The opener passes `save`, a function that calls the core; a `SelfcheckError` from it (for example a due
date that is not a date) is shown inside the dialog, which stays open with the text the user typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from selfcheck.errors import SelfcheckError
from selfcheck.tui.context import services


@dataclass(frozen=True)
class ImprovementInput:
    action: str
    owner: str
    due_date: str
    done: bool


class ImprovementDialog(ModalScreen[bool]):
    """Returns True when saved, False when cancelled."""

    DEFAULT_CSS = """
    ImprovementDialog { align: center middle; }
    ImprovementDialog > Vertical {
        width: 80; max-width: 98%; height: auto; max-height: 100%;
        border: thick $warning; background: $panel; padding: 0 1;
    }
    ImprovementDialog .dialog-title { text-style: bold; margin-top: 1; }
    ImprovementDialog Label { margin-top: 1; }
    ImprovementDialog #improvement-error { color: $error; height: auto; }
    ImprovementDialog Horizontal { height: auto; align-horizontal: right; }
    ImprovementDialog Button { margin-left: 2; }
    ImprovementDialog Input, ImprovementDialog Checkbox { margin-top: 0; }
    ImprovementDialog Horizontal { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消"),
        Binding("ctrl+s", "save", "保存", priority=True),
    ]

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
            yield Static(self.question, markup=False, classes="dialog-question")
            yield Label("改善策（何をするか）")
            yield Input(
                i.action, placeholder="例: 入退室管理簿を備え、毎月確認する", id="action", compact=True
            )
            yield Label("担当（課・係・職名）")
            yield Input(i.owner, placeholder="例: 総務係長", id="owner", compact=True)
            yield Label("期限（例: 2027-03-31）")
            yield Input(i.due_date, placeholder="YYYY-MM-DD", id="due", compact=True)
            yield Checkbox("完了した", i.done, id="done", compact=True)
            yield Static("", id="improvement-error")
            with Horizontal():
                yield Button("保存 (Ctrl+S)", variant="primary", id="save", compact=True)
                yield Button("取消 (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#action", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "due":
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(False)

    def values(self) -> ImprovementInput:
        return ImprovementInput(
            action=self.query_one("#action", Input).value,
            owner=self.query_one("#owner", Input).value,
            due_date=self.query_one("#due", Input).value.strip(),
            done=self.query_one("#done", Checkbox).value,
        )

    def action_save(self) -> None:
        try:
            self.save_fn(self.values())
        except SelfcheckError as exc:
            self.query_one("#improvement-error", Static).update(exc.message_ja)
            return
        except Exception as exc:  # a bug: the app funnel logs it
            services(self).show_error(exc)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
