"""Shown on top of everything while the terminal is smaller than 80×24.

Why: the screens are laid out for 80×24 (the classic console size); below it lists overlap, buttons fall
off the edge and the footer with the keys disappears, so a clerk sees a broken screen and cannot tell why.
This screen says, in Japanese, how big the window is, how big it must be and how to get there, and
recommends Windows Terminal (the old console host draws Textual poorly). It is modal, so a key pressed
by accident cannot answer a question hidden behind it; Ctrl+Q still quits (everything is already saved).

`SelfcheckApp` pushes it at start and whenever a resize or a newly pushed screen leaves it not on top
(see `SelfcheckApp.guard_size`). Each instance removes itself once the terminal is big enough: on a resize
while it is on top, or when it comes back to the top after the screen above it closed.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from selfcheck.tui.widgets.wrap import Wrapped

MIN_COLUMNS = 80
MIN_ROWS = 24


def too_small(size: Size) -> bool:
    return size.width < MIN_COLUMNS or size.height < MIN_ROWS


def message(size: Size) -> str:
    return (
        "画面が小さすぎます\n\n"
        f"いまの大きさ: 横 {size.width} 文字 × 縦 {size.height} 行\n"
        f"必要な大きさ: 横 {MIN_COLUMNS} 文字 × 縦 {MIN_ROWS} 行 以上\n\n"
        "ウィンドウを最大化するか端をドラッグして広げてください。"
        "文字を小さくしても広がります（Windows\u00a0Terminal では Ctrl+マイナス）。\n"
        "Windows では Windows\u00a0Terminal での利用をお勧めします。\n\n"  # one name: never split
        "十分な大きさになると元の画面に戻ります。Ctrl+Q\u00a0で終了（入力は保存済み）。"
    )


class TooSmallScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { background: $surface; align: center middle; }
    TooSmallScreen #too-small { width: 100%; height: auto; padding: 0 1; text-align: left; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._leaving = False  # resize and resume can both fire before the pop happens: dismiss once

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(Wrapped(message(self.app.size)), id="too-small")

    def on_resize(self, event: events.Resize) -> None:
        self._update()

    def on_screen_resume(self) -> None:
        self._update()

    def _update(self) -> None:
        size = self.app.size
        if self._leaving:
            return
        if not too_small(size):
            # only from the top: dismiss() pops whatever is on top, and `is_current` is also true for a
            # screen showing through a modal one
            if self.app.screen is self:
                self._leaving = True
                self.dismiss()
            return
        if self.is_mounted:
            self.query_one("#too-small", Static).update(Wrapped(message(size)))
