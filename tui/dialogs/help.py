"""The key list (`?`): first the keys of the screen underneath (built from its bindings, so it can never
drift from what the keys really do), then the app's one keymap (`selfcheck.tui.keys`), which means the same
on every screen. The list scrolls (上下キー, PgUp/PgDn) so it is complete at 80×24 too."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from selfcheck.tui.keys import GLOBAL_NOTES, KEYMAP, bind, key_of

INTRO = "入力はその場で保存されます。いつ終了しても失われません。一覧やボタンはマウスでも選べます。"

KEY_NAMES = {
    # words, not arrows: ← ↑ → ↓ are ambiguous-width and misalign in some Japanese consoles
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
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
KEY_CELLS = 12


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


def row(keys: str, text: str) -> Text:
    t = Text(no_wrap=False)
    t.append(keys + " " * max(1, KEY_CELLS - cell_len(keys)), style="bold")
    t.append(text)
    return t


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen it was opened from, then the whole keymap."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 84; max-width: 100%; height: 100%; max-height: 46;
        border: thick $accent; background: $panel; padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; margin-top: 1; }
    HelpScreen #help-keys { height: 1fr; }
    HelpScreen #help-keys:focus { background-tint: $foreground 3%; }
    HelpScreen .help-head { text-style: bold; color: $accent; margin-top: 1; }
    HelpScreen .help-row { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "close", label="閉じる"),
        bind("help", "close", show=False),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.rows = describe(under)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"キー一覧（上下キーで送る、{key_of('back')} で閉じる）", id="help-title")
            with VerticalScroll(id="help-keys"):
                yield Static(INTRO, classes="muted")
                yield Static("この画面のキー", classes="help-head")
                for keys, text in self.rows:
                    yield Static(row(keys, text), classes="help-row", markup=False)
                yield Static("どの画面でも同じ意味のキー", classes="help-head")
                for keys, text in GLOBAL_NOTES:
                    yield Static(row(keys, text), classes="help-row", markup=False)
                for verb in KEYMAP.values():
                    yield Static(
                        row(verb.display or key_label(verb.keys), verb.help), classes="help-row", markup=False
                    )

    def on_mount(self) -> None:
        self.query_one("#help-keys", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
