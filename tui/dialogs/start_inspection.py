"""Start a self-inspection: choose the fiscal year (default: the current one from the clock) and, when
the body has an earlier inspection, whether to take over its answers as a starting point (要再確認)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from selfcheck import scale
from selfcheck.tui.dialogs.form import FormDialog, form_css
from selfcheck.tui.widgets.labels import era_fy


@dataclass(frozen=True)
class StartRequest:
    fiscal_year: int
    carry_over: bool


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
    """
    )

    def __init__(self, *, org_name: str, default_fy: int, previous_fy: int | None) -> None:
        super().__init__()
        self.org_name = org_name
        self.default_fy = default_fy
        self.previous_fy = previous_fy

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.org_name} の自己点検を始めます", classes="dialog-title", markup=False)
            yield Label("年度（西暦。例: 2026）")
            yield Input(str(self.default_fy), id="fy")
            yield Static(scale.fiscal_year_label(self.default_fy), id="fy-label")
            if self.previous_fy is not None:
                yield Checkbox(f"前回（{era_fy(self.previous_fy)}）の回答を引き継ぐ", True, id="carry")
            yield from self.buttons(save_label="開始")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        fy = parse_fiscal_year(event.value)
        self.query_one("#fy-label", Static).update(scale.fiscal_year_label(fy) if fy else "")

    def _save(self) -> None:
        fy = parse_fiscal_year(self.query_one("#fy", Input).value)
        if fy is None:
            self.fail("年度を西暦で入力してください（例: 2026）。")
            return
        carry = self.query("#carry")
        self.dismiss(StartRequest(fy, bool(carry) and self.query_one("#carry", Checkbox).value))
