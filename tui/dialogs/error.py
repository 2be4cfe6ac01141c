"""The error dialog and `attempt()`, the guard every screen puts around a core call.

`attempt` returns the call's result, or None after handing the exception to the app's one error funnel
(`SelfcheckApp.show_error`), so a failed action shows a Japanese message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from selfcheck.tui.context import services
from selfcheck.tui.widgets.wrap import Wrapped

T = TypeVar("T")


def attempt(app: App[Any], fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T | None:
    """Run `fn`; on any exception show it through the app's error funnel and return None."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        services(app).show_error(exc)
        return None


def attempt_ok(app: App[Any], fn: Callable[..., object], /, *args: Any, **kwargs: Any) -> bool:
    """Like `attempt`, for core calls that return nothing: True when it succeeded."""
    try:
        fn(*args, **kwargs)
    except Exception as exc:
        services(app).show_error(exc)
        return False
    return True


class ErrorDialog(ModalScreen[None]):
    """A modal with a Japanese error message; enter or escape closes it."""

    DEFAULT_CSS = """
    ErrorDialog { align: center middle; }
    ErrorDialog > Vertical {
        width: 64; max-width: 90%; height: auto; max-height: 90%;
        border: thick $error; background: $panel; padding: 1 2;
    }
    ErrorDialog #error-title { text-style: bold; color: $error; margin-bottom: 1; }
    ErrorDialog #error-message { height: auto; }
    ErrorDialog Button { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "close", "閉じる")]

    def __init__(self, message: str, *, title: str = "エラー") -> None:
        super().__init__()
        self.message = message
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, id="error-title")
            yield Static(Wrapped(self.message), id="error-message", markup=False)
            yield Button("閉じる (Enter)", variant="error", id="close")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
