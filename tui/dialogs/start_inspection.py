"""Start a self-inspection: choose the fiscal year (default: the current one from the clock), the items
(基本 only, the yearly core, or 全項目 = 基本＋詳細; default: the previous inspection's choice, else 基本)
and, when the body has an earlier inspection, whether to take over its answers as a starting point
(要再確認)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from selfcheck import scale
from selfcheck.tui.dialogs.form import FormDialog, form_css
from selfcheck.tui.widgets.labels import era_fy
from selfcheck.vocabulary import ALL_ITEMS, CORE, INSPECTION_LEVELS

# widget ids are ASCII
LEVEL_IDS: dict[str, str] = {CORE: "level-core", ALL_ITEMS: "level-all"}


@dataclass(frozen=True)
class StartRequest:
    fiscal_year: int
    carry_over: bool
    level: str = CORE  # 基本 | 全項目


def parse_fiscal_year(text: str) -> int | None:
    """Accept 2026, ２０２６ or R8 / 令和8; None when it is not a year."""
    t = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    for prefix in ("令和", "R", "r"):
        if t.startswith(prefix) and t[len(prefix) :].rstrip("年度").isdigit():
            return 2018 + int(t[len(prefix) :].rstrip("年度"))
    t = t.rstrip("年度")
    return int(t) if t.isdigit() and 2000 <= int(t) <= 2100 else None


class StartInspectionDialog(FormDialog[StartRequest]):
    DEFAULT_CSS = (
        form_css("StartInspectionDialog", width=70)
        + """
    StartInspectionDialog #fy-label { color: $accent; height: auto; }
    StartInspectionDialog #level { width: 100%; height: auto; padding: 0; }
    StartInspectionDialog #level-note { color: $accent; height: auto; }
    """
    )

    def __init__(
        self,
        *,
        org_name: str,
        default_fy: int,
        previous_fy: int | None,
        counts: dict[str, int] | None = None,
        default_level: str = CORE,
    ) -> None:
        super().__init__()
        self.org_name = org_name
        self.default_fy = default_fy
        self.previous_fy = previous_fy
        self.counts = counts or {}
        self.default_level = default_level if default_level in INSPECTION_LEVELS else CORE

    def _level_label(self, level: str) -> str:
        n = self.counts.get(level)
        return INSPECTION_LEVELS[level] + (f"　{n}項目" if n is not None else "")

    def _level_note(self, level: str) -> str:
        return f"→ {self._level_label(level)}で始めます"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.org_name} の自己点検を始めます", classes="dialog-title", markup=False)
            yield Label("年度（西暦。例: 2026）")
            yield Input(str(self.default_fy), id="fy")
            yield Static(scale.fiscal_year_label(self.default_fy), id="fy-label")
            yield Label("点検の範囲（↑↓で選び Enter。基本は毎年点検する項目）")
            with RadioSet(id="level"):
                for level in INSPECTION_LEVELS:
                    yield RadioButton(
                        self._level_label(level), value=level == self.default_level, id=LEVEL_IDS[level]
                    )
            # the choice in words too: the radio dot alone is only a colour on a monochrome terminal
            yield Static(self._level_note(self.default_level), id="level-note")
            if self.previous_fy is not None:
                yield Checkbox(f"前回（{era_fy(self.previous_fy)}）の回答を引き継ぐ", True, id="carry")
            yield from self.buttons(save_label="開始")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.query_one("#level-note", Static).update(self._level_note(self._level()))

    def _level(self) -> str:
        pressed = self.query_one("#level", RadioSet).pressed_button
        return ALL_ITEMS if pressed is not None and pressed.id == LEVEL_IDS[ALL_ITEMS] else CORE

    def on_input_changed(self, event: Input.Changed) -> None:
        fy = parse_fiscal_year(event.value)
        self.query_one("#fy-label", Static).update(scale.fiscal_year_label(fy) if fy else "")

    def _save(self) -> None:
        fy = parse_fiscal_year(self.query_one("#fy", Input).value)
        if fy is None:
            self.fail("年度を西暦で入力してください（例: 2026）。")
            return
        carry = self.query("#carry")
        self.dismiss(
            StartRequest(fy, bool(carry) and self.query_one("#carry", Checkbox).value, self._level())
        )
