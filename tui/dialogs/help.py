"""The key list (`?`): built from the bindings of the screen underneath, so it can never drift from
what the keys really do."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

INTRO = (
    "キーボードだけで操作できます。一覧やボタンはマウスでも選べます。\n"
    "入力はその場で保存されます。いつ終了しても失われません。\n"
)

KEY_NAMES = {
    # words, not arrows: ← ↑ → ↓ are ambiguous-width and misalign in some Japanese consoles
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
    "up": "上キー",
    "down": "下キー",
    "left": "左キー",
    "right": "右キー",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "ctrl+q": "Ctrl+Q",
    "tab": "Tab",
    "rightsquarebracket": "]",
    "leftsquarebracket": "[",
    "ctrl+s": "Ctrl+S",
}


def key_label(keys: str) -> str:
    return " / ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


def describe(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, description) for the screen's bindings and the app's, in declaration order."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for node in (screen, screen.app):
        for b in node.BINDINGS:
            if not isinstance(b, Binding) or not b.description or b.action in seen:
                continue
            seen.add(b.action)
            keys = [b.key] + [
                o.key for o in node.BINDINGS if isinstance(o, Binding) and o.action == b.action and o is not b
            ]
            rows.append((key_label(",".join(keys)), b.description))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen it was opened from."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 72; max-width: 95%; height: auto; max-height: 90%;
        border: thick $accent; background: $panel; padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; margin: 1 0; }
    HelpScreen VerticalScroll { height: auto; max-height: 30; }
    HelpScreen .help-row { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,enter", "close", "閉じる")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.rows = describe(under)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("キー一覧（Esc で閉じる）", id="help-title")
            yield Static(INTRO, markup=False)
            with VerticalScroll():
                for keys, text in self.rows:
                    yield Static(
                        f"{keys}{' ' * max(1, 18 - cell_len(keys))}{text}", classes="help-row", markup=False
                    )

    def action_close(self) -> None:
        self.dismiss(None)
