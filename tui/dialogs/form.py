"""The base of every form dialog, so they all behave the same way for the clerk:

- Enter in a field moves to the next field; Enter in the last field, Ctrl+S or the 保存 button saves;
- Esc or 取消 closes without saving;
- a problem (a SelfcheckError from the core, or the dialog's own check) is shown inside the dialog, on
  its `#form-error` line, and the form stays open with everything that was typed.

A subclass composes its fields, then `yield from self.buttons()`, and implements `_save()`: check the
values and either `self.dismiss(result)` or `self.fail("…")`. When the dialog itself should make the core
call (so that a refusal keeps the form open), `_save()` uses `self.attempt_save(fn, *args)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.validation import ValidationResult
from textual.widgets import Button, Input, Static

from selfcheck.errors import SelfcheckError
from selfcheck.tui.context import services
from selfcheck.tui.widgets.wrap import Wrapped

ResultT = TypeVar("ResultT")

FORM_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: {width}; max-width: 98%; height: auto; max-height: 100%;
    border: thick {border}; background: $panel; padding: 0 1;
}}
{name} .dialog-title {{ text-style: bold; margin-top: 1; }}
{name} .dialog-hint {{ color: $text-muted; }}
{name} .form-error {{ color: $error; height: auto; }}
{name} .form-buttons {{ height: auto; align-horizontal: right; margin-top: 1; }}
{name} .form-buttons Button {{ margin-left: 1; }}
"""


def form_css(name: str, *, width: int = 76, border: str = "$accent") -> str:
    """The shared look of a form dialog class `name` (its DEFAULT_CSS starts with this)."""
    return FORM_CSS.format(name=name, width=width, border=border)


class FormDialog(ModalScreen[ResultT | None], Generic[ResultT]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消"),
        Binding("ctrl+s", "save", "保存", priority=True),
    ]

    def buttons(self, save_label: str = "保存", cancel_label: str = "取消") -> ComposeResult:
        """The error line and the 保存/取消 row, at the end of every form."""
        yield Static("", id="form-error", classes="form-error", markup=False)
        with Horizontal(classes="form-buttons"):
            yield Button(save_label, variant="primary", id="save")
            yield Button(cancel_label, id="cancel")

    # Textual calls a message handler of every class in the MRO, so subclasses do not define on_* handlers
    # for these two messages; they override field_submitted / other_button instead.
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.field_submitted(event.input, event.validation_result)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        elif event.button.id == "cancel":
            self.action_cancel()
        else:
            self.other_button(event.button)

    def field_submitted(self, field: Input, validation: ValidationResult | None) -> None:
        """Enter in `field`: the next field, or save from the last one."""
        inputs = [w for w in self.query(Input) if w.display and not w.disabled]
        if inputs and field is not inputs[-1]:
            self.focus_next()
        else:
            self._save()

    def other_button(self, button: Button) -> None:
        """A button other than 保存/取消 (none in most forms)."""

    def action_save(self) -> None:
        self._save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def fail(self, message: str) -> None:
        """Show why the form cannot be saved; keep it open with what was typed."""
        self.query_one("#form-error", Static).update(Wrapped(message))

    def attempt_save(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> bool:
        """Run the core call `fn`; a refusal is shown in the form (which stays open), a bug goes to the
        app's error funnel. True when it succeeded."""
        try:
            fn(*args, **kwargs)
        except SelfcheckError as exc:
            self.fail(exc.message_ja)
            return False
        except Exception as exc:
            services(self).show_error(exc)
            return False
        return True

    def _save(self) -> None:
        raise NotImplementedError
